#include "disentanglement.h"

#include "errors.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <random>

namespace vae {
namespace {

constexpr double kCollapsedVariance = 0.05;  // disentanglement_lib's prune_dims threshold
constexpr int kVoteBatch = 64;               // images per vote, as disentanglement_lib's batch_size
constexpr int kTrainVotes = 10000;
constexpr int kEvalVotes = 5000;
constexpr double kCarriesNothing = 0.01;      // nats: a dimension below this names no factor

std::vector<double> column(const std::vector<float>& table, int columns, int which) {
    std::vector<double> out;
    out.reserve(table.size() / std::size_t(columns));
    for (std::size_t i = std::size_t(which); i < table.size(); i += std::size_t(columns)) out.push_back(table[i]);
    return out;
}

// A factor as classes: its distinct values in order when there are few, else 20 bins (0-based).
std::vector<int> factorClasses(const std::vector<double>& values) {
    std::map<double, int> distinct;
    for (double v : values) {
        distinct.emplace(v, 0);
        if (distinct.size() > std::size_t(kMaxFactorClasses)) break;
    }
    if (distinct.size() > std::size_t(kMaxFactorClasses)) {
        auto bins = histogramBins(values);
        for (int& b : bins) --b;
        return bins;
    }
    int next = 0;
    for (auto& entry : distinct) entry.second = next++;
    std::vector<int> classes;
    classes.reserve(values.size());
    for (double v : values) classes.push_back(distinct[v]);
    return classes;
}

double variance(const std::vector<double>& values) {
    double mean = 0;
    for (double v : values) mean += v;
    mean /= double(values.size());
    double sum = 0;
    for (double v : values) sum += (v - mean) * (v - mean);
    return sum / double(std::max<std::size_t>(1, values.size() - 1));
}

// FactorVAE's votes: for a random varying factor and one of its classes, the active dimension of
// least variance (over the global one) in kVoteBatch images of that class.
std::vector<std::vector<int>> factorVaeVotes(const std::vector<float>& means, int latentDim,
                                              const std::vector<std::vector<std::vector<int>>>& imagesOfClass,
                                              const std::vector<int>& varyingFactors, const std::vector<double>& globalVariance,
                                              const std::vector<bool>& collapsed, int votes, std::mt19937_64& random) {
    std::vector<std::vector<int>> counts(std::size_t(latentDim), std::vector<int>(imagesOfClass.size(), 0));
    std::vector<double> values(kVoteBatch);
    for (int vote = 0; vote < votes; ++vote) {
        const int factor = varyingFactors[std::size_t(random() % varyingFactors.size())];
        const auto& classes = imagesOfClass[std::size_t(factor)];
        const auto& members = classes[std::size_t(random() % classes.size())];
        std::vector<int> batch(kVoteBatch);
        for (int& image : batch) image = members[std::size_t(random() % members.size())];
        int best = -1;
        double bestRatio = std::numeric_limits<double>::infinity();
        for (int d = 0; d < latentDim; ++d) {
            if (collapsed[std::size_t(d)]) continue;
            for (int i = 0; i < kVoteBatch; ++i) values[std::size_t(i)] = means[std::size_t(batch[std::size_t(i)]) * std::size_t(latentDim) + std::size_t(d)];
            const double ratio = variance(values) / globalVariance[std::size_t(d)];
            if (ratio < bestRatio) bestRatio = ratio, best = d;
        }
        ++counts[std::size_t(best)][std::size_t(factor)];
    }
    return counts;
}

double factorVaeScore(const std::vector<float>& means, int latentDim, const std::vector<std::vector<int>>& classes,
                      const std::vector<int>& varyingFactors, FactorScores& scores, std::uint64_t seed) {
    std::vector<double> globalVariance(static_cast<std::size_t>(latentDim));
    bool anyActive = false;
    for (int d = 0; d < latentDim; ++d) {
        globalVariance[std::size_t(d)] = variance(column(means, latentDim, d));
        scores.collapsedDimension.push_back(globalVariance[std::size_t(d)] < kCollapsedVariance);
        anyActive = anyActive || !scores.collapsedDimension.back();
    }
    if (!anyActive || varyingFactors.empty()) return 0;
    // imagesOfClass[factor][class]: the images with that class of the factor.
    std::vector<std::vector<std::vector<int>>> imagesOfClass(classes.size());
    for (std::size_t f = 0; f < classes.size(); ++f) {
        const int classCount = *std::max_element(classes[f].begin(), classes[f].end()) + 1;
        imagesOfClass[f].resize(std::size_t(classCount));
        for (std::size_t i = 0; i < classes[f].size(); ++i) imagesOfClass[f][std::size_t(classes[f][i])].push_back(int(i));
        imagesOfClass[f].erase(std::remove_if(imagesOfClass[f].begin(), imagesOfClass[f].end(), [](const auto& m) { return m.empty(); }),
                               imagesOfClass[f].end());
    }
    std::mt19937_64 random(seed);
    const auto train = factorVaeVotes(means, latentDim, imagesOfClass, varyingFactors, globalVariance, scores.collapsedDimension, kTrainVotes, random);
    const auto eval = factorVaeVotes(means, latentDim, imagesOfClass, varyingFactors, globalVariance, scores.collapsedDimension, kEvalVotes, random);
    // The majority-vote classifier: each dimension predicts the factor it was most often voted for.
    int correct = 0;
    for (int d = 0; d < latentDim; ++d) {
        const auto& row = train[std::size_t(d)];
        const auto predicted = std::size_t(std::max_element(row.begin(), row.end()) - row.begin());
        correct += eval[std::size_t(d)][predicted];
    }
    return double(correct) / kEvalVotes;
}

}  // namespace

std::vector<int> histogramBins(const std::vector<double>& values, int bins) {
    std::vector<int> out(values.size(), 1);
    if (values.empty()) return out;
    const auto [low, high] = std::minmax_element(values.begin(), values.end());
    const double lo = *low, width = (*high - *low) / bins;
    if (!(width > 0)) return out;
    for (std::size_t i = 0; i < values.size(); ++i) {
        // np.digitize against the left edges lo + k width, k = 0..bins-1: the last edge <= x.
        int bin = int(std::floor((values[i] - lo) / width)) + 1;
        bin = std::clamp(bin, 1, bins);
        // Floating rounding at an edge: step to the bin whose left edge really is <= x.
        while (bin > 1 && lo + (bin - 1) * width > values[i]) --bin;
        while (bin < bins && lo + bin * width <= values[i]) ++bin;
        out[i] = bin;
    }
    return out;
}

double discreteMutualInformation(const std::vector<int>& a, const std::vector<int>& b) {
    std::map<std::pair<int, int>, double> joint;
    std::map<int, double> countA, countB;
    for (std::size_t i = 0; i < a.size(); ++i) {
        joint[{a[i], b[i]}] += 1;
        countA[a[i]] += 1;
        countB[b[i]] += 1;
    }
    const double n = double(a.size());
    double mi = 0;
    for (const auto& [pair, count] : joint) mi += count / n * std::log(count * n / (countA[pair.first] * countB[pair.second]));
    return std::max(0.0, mi);
}

namespace {

// Per factor, the gap between its two most informative of the `counted` dimensions over its
// entropy (NaN for a factor that does not vary).
std::vector<double> migPerFactor(const FactorScores& scores, const std::vector<bool>& counted) {
    std::vector<double> gaps;
    for (std::size_t f = 0; f < scores.factorNames.size(); ++f) {
        if (scores.constantFactor[f]) {
            gaps.push_back(std::numeric_limits<double>::quiet_NaN());
            continue;
        }
        std::vector<double> informations{0.0, 0.0};  // fewer than two dimensions: the gap to none
        for (int d = 0; d < scores.latentDim; ++d)
            if (counted[std::size_t(d)]) informations.push_back(scores.mutualInformationAt(d, int(f)));
        std::sort(informations.rbegin(), informations.rend());
        gaps.push_back((informations[0] - informations[1]) / scores.factorEntropy[f]);
    }
    return gaps;
}

double meanOverVarying(const std::vector<double>& perFactor, const std::vector<int>& varying) {
    double sum = 0;
    for (int f : varying) sum += perFactor[std::size_t(f)];
    return varying.empty() ? 0.0 : sum / double(varying.size());
}

}  // namespace

FactorScores scoreFactors(const std::vector<float>& means, int latentDim, const std::vector<float>& factors,
                          const std::vector<std::string>& factorNames, std::uint64_t seed) {
    const int factorCount = int(factorNames.size());
    if (latentDim < 1 || factorCount < 1 || means.size() % std::size_t(latentDim) != 0 ||
        factors.size() != means.size() / std::size_t(latentDim) * std::size_t(factorCount))
        throw ConfigError("factor scores: the encodings and the factors do not describe the same images");
    if (means.size() / std::size_t(latentDim) < 2) throw ConfigError("factor scores need at least two images");
    FactorScores scores;
    scores.latentDim = latentDim;
    scores.factorNames = factorNames;
    std::vector<std::vector<int>> classes, codes;
    std::vector<int> varying;
    for (int f = 0; f < factorCount; ++f) {
        classes.push_back(factorClasses(column(factors, factorCount, f)));
        scores.factorEntropy.push_back(discreteMutualInformation(classes.back(), classes.back()));
        scores.constantFactor.push_back(scores.factorEntropy.back() <= 0);
        if (!scores.constantFactor.back()) varying.push_back(f);
    }
    for (int d = 0; d < latentDim; ++d) codes.push_back(histogramBins(column(means, latentDim, d)));
    scores.mutualInformation.resize(std::size_t(latentDim) * std::size_t(factorCount));
    for (int d = 0; d < latentDim; ++d)
        for (int f = 0; f < factorCount; ++f)
            scores.mutualInformation[std::size_t(d * factorCount + f)] = discreteMutualInformation(codes[std::size_t(d)], classes[std::size_t(f)]);
    scores.migPerFactor = migPerFactor(scores, std::vector<bool>(std::size_t(latentDim), true));
    scores.mig = meanOverVarying(scores.migPerFactor, varying);
    scores.factorVaeScore = factorVaeScore(means, latentDim, classes, varying, scores, seed);
    // The same gap over the dimensions that have not collapsed: a collapsed model's binned noise
    // still finds a gap between two dead dimensions (MIG 0.031 with no active unit).
    std::vector<bool> active(static_cast<std::size_t>(latentDim));
    for (int d = 0; d < latentDim; ++d) active[std::size_t(d)] = !scores.collapsedDimension[std::size_t(d)];
    scores.activeDimensions = int(std::count(active.begin(), active.end(), true));
    scores.migActive = scores.activeDimensions == 0 ? 0.0 : meanOverVarying(migPerFactor(scores, active), varying);
    for (int d = 0; d < latentDim; ++d) {
        int best = -1;
        double bestShare = 0;
        // A collapsed dimension names nothing: binning its tiny spread still finds some MI.
        if (scores.collapsedDimension[std::size_t(d)]) {
            scores.factorOfDimension.push_back(-1);
            continue;
        }
        for (int f : varying) {
            const double mi = scores.mutualInformationAt(d, f);
            if (mi >= kCarriesNothing && mi / scores.factorEntropy[std::size_t(f)] > bestShare)
                bestShare = mi / scores.factorEntropy[std::size_t(f)], best = f;
        }
        scores.factorOfDimension.push_back(best);
    }
    return scores;
}

}  // namespace vae
