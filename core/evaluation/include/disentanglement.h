#pragma once
// Which latent dimension learned which factor of variation, scored on encoder means of a data
// set whose images carry known factors (sprites, or an image folder's factors.csv):
// - the mutual information between each dimension and each factor, as disentanglement_lib
//   computes it: each dimension's means histogram-discretized into 20 equal bins over their range
//   (np.histogram + np.digitize), MI of the discrete pair from their joint counts, in nats;
// - MIG (Chen et al. 2018) as disentanglement_lib computes it from that matrix: per factor, the
//   gap between its two most informative dimensions over the factor's entropy, averaged over
//   factors. (Chen et al.'s own MIG estimates MI from the encoder's distribution instead; the
//   two are not the same number.)
// - the FactorVAE score (Kim & Mnih 2018), chosen over DCI because it needs no trained regressor
//   (DCI's importances come from gradient-boosted trees, which nothing here provides): votes of
//   the dimension whose normalised variance is smallest in a batch where one factor is fixed,
//   and the accuracy of the majority-vote classifier that reads the factor from that dimension.
// Factors with more than kMaxFactorClasses distinct values are discretized into 20 bins too.
// A factor that does not vary is reported and left out of every average (no division by zero).
// Torch-free.
#include <cstdint>
#include <string>
#include <vector>

namespace vae {

inline constexpr int kMutualInformationBins = 20;
inline constexpr int kMaxFactorClasses = 64;

struct FactorScores {
    int latentDim = 0;
    std::vector<std::string> factorNames;
    std::vector<double> mutualInformation;  // latentDim x factors, row-major, nats
    std::vector<double> factorEntropy;      // nats, per factor
    std::vector<bool> constantFactor;       // factors that do not vary (left out)
    std::vector<double> migPerFactor;       // NaN for a constant factor
    double mig = 0;                          // mean over the factors that vary
    double factorVaeScore = 0;               // majority-vote accuracy on held-out votes, 0..1
    std::vector<bool> collapsedDimension;    // variance below 0.05: no vote (as disentanglement_lib)
    // MIG over the dimensions that have not collapsed, and how many those are. A collapsed
    // model's dead dimensions still differ in binned noise, so its `mig` can read like a trained
    // one's; with no active dimension, migActive is 0 and the scores mean nothing.
    int activeDimensions = 0;
    double migActive = 0;
    // The factor each dimension carries most (highest MI over the factor's entropy), -1 when it
    // carries none (all its MI under 0.01 nats) or has collapsed.
    std::vector<int> factorOfDimension;
    double mutualInformationAt(int dimension, int factor) const {
        return mutualInformation[std::size_t(dimension) * factorNames.size() + std::size_t(factor)];
    }
};

// means: count x latentDim, row-major; factors: count x factorNames.size(), row-major. The
// FactorVAE votes are drawn with `seed`. Throws ConfigError when the sizes disagree or fewer than
// two images are given.
FactorScores scoreFactors(const std::vector<float>& means, int latentDim, const std::vector<float>& factors,
                          const std::vector<std::string>& factorNames, std::uint64_t seed = 1);

// Values into 20 equal bins over their range, as np.digitize(x, np.histogram(x, 20)[1][:-1])
// (1..20; the maximum falls in bin 20). Values that are all equal are all in bin 1.
std::vector<int> histogramBins(const std::vector<double>& values, int bins = kMutualInformationBins);
// Mutual information in nats of two discrete labelings of the same items (sklearn's
// mutual_info_score).
double discreteMutualInformation(const std::vector<int>& a, const std::vector<int>& b);

}  // namespace vae
