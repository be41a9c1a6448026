// MIG, the mutual information matrix and the FactorVAE score on synthetic codes whose answers
// are known exactly: every combination of the factors present equally often, so independent
// factors share no information at all.
#include "disentanglement.h"
#include "errors.h"

#include <QtTest>

#include <cmath>
#include <random>

namespace {

// Factors A (4 values) and B (5 values), every combination `repeats` times; codes from `code`.
struct Synthetic {
    std::vector<float> means, factors;
    int latentDim = 0;
};

template <typename Code>
Synthetic grid(int latentDim, int repeats, Code code) {
    Synthetic s;
    s.latentDim = latentDim;
    for (int r = 0; r < repeats; ++r)
        for (int a = 0; a < 4; ++a)
            for (int b = 0; b < 5; ++b) {
                s.factors.insert(s.factors.end(), {float(a), float(b)});
                const std::vector<float> z = code(a, b, r);
                s.means.insert(s.means.end(), z.begin(), z.end());
            }
    return s;
}

const std::vector<std::string> kNames{"a", "b"};

}  // namespace

class TestDisentanglement : public QObject {
    Q_OBJECT
private slots:
    void binsAsNumpyDigitizes();
    void mutualInformationOfKnownPairs();
    void oneDimensionPerFactorScoresOne();
    void aDuplicatedDimensionHasNoGap();
    void aHalfInformativeDimensionGivesAKnownGap();
    void constantFactorIsReportedNotDividedBy();
    void factorVaeScoreFollowsTheCode();
    void mismatchedSizesAreRefused();
    void aCollapsedModelHasNoActiveMig();
    void tenThousandImagesScoreQuickly();
};

// np.digitize(x, np.histogram(x, 20)[1][:-1]) on 0, 0.5, ..., 10: worked out by hand, edges
// every 0.5: x = 10 is in the last bin with 9.5.
void TestDisentanglement::binsAsNumpyDigitizes() {
    std::vector<double> values;
    for (int i = 0; i <= 20; ++i) values.push_back(0.5 * i);
    const auto bins = vae::histogramBins(values);
    for (int i = 0; i < 20; ++i) QCOMPARE(bins[std::size_t(i)], i + 1);
    QCOMPARE(bins[20], 20);
    QCOMPARE(vae::histogramBins({3.0, 3.0, 3.0}), std::vector<int>({1, 1, 1}));
    QCOMPARE(vae::histogramBins({0.0, 1.0, 2.0, 3.0}), std::vector<int>({1, 7, 14, 20}));  // edges 0, 0.15, ...
}

void TestDisentanglement::mutualInformationOfKnownPairs() {
    const std::vector<int> four{0, 1, 2, 3, 0, 1, 2, 3}, parity{0, 1, 0, 1, 0, 1, 0, 1}, other{0, 0, 0, 0, 1, 1, 1, 1};
    QVERIFY(std::abs(vae::discreteMutualInformation(four, four) - std::log(4.0)) < 1e-12);
    QVERIFY(std::abs(vae::discreteMutualInformation(four, parity) - std::log(2.0)) < 1e-12);
    QVERIFY(std::abs(vae::discreteMutualInformation(four, other)) < 1e-12);  // independent
}

void TestDisentanglement::oneDimensionPerFactorScoresOne() {
    const auto s = grid(3, 10, [](int a, int b, int r) { return std::vector<float>{float(a), float(b), float(r % 3) * 0.01f}; });
    const auto scores = vae::scoreFactors(s.means, s.latentDim, s.factors, kNames);
    QVERIFY(std::abs(scores.mutualInformationAt(0, 0) - std::log(4.0)) < 1e-9);
    QVERIFY(std::abs(scores.mutualInformationAt(1, 1) - std::log(5.0)) < 1e-9);
    QVERIFY(std::abs(scores.mutualInformationAt(0, 1)) < 1e-9);
    QVERIFY(std::abs(scores.mig - 1.0) < 1e-9);
    QCOMPARE(scores.factorOfDimension, std::vector<int>({0, 1, -1}));
    QCOMPARE(scores.collapsedDimension, std::vector<bool>({false, false, true}));
}

void TestDisentanglement::aDuplicatedDimensionHasNoGap() {
    const auto s = grid(3, 10, [](int a, int b, int) { return std::vector<float>{float(a), float(b), float(a) * 2 - 1}; });
    const auto scores = vae::scoreFactors(s.means, s.latentDim, s.factors, kNames);
    QVERIFY(std::abs(scores.migPerFactor[0]) < 1e-9);        // a is in two dimensions
    QVERIFY(std::abs(scores.migPerFactor[1] - 1.0) < 1e-9);  // b in one
    QVERIFY(std::abs(scores.mig - 0.5) < 1e-9);
}

// Dimension 0 holds a, dimension 1 only a's parity: a's gap is log 4 - log 2 over log 4 = 1/2;
// b is in no dimension: 0. MIG = 1/4.
void TestDisentanglement::aHalfInformativeDimensionGivesAKnownGap() {
    const auto s = grid(2, 10, [](int a, int, int) { return std::vector<float>{float(a), float(a % 2)}; });
    const auto scores = vae::scoreFactors(s.means, s.latentDim, s.factors, kNames);
    QVERIFY(std::abs(scores.migPerFactor[0] - 0.5) < 1e-9);
    QVERIFY(std::abs(scores.migPerFactor[1]) < 1e-9);
    QVERIFY(std::abs(scores.mig - 0.25) < 1e-9);
}

void TestDisentanglement::constantFactorIsReportedNotDividedBy() {
    auto s = grid(2, 10, [](int a, int b, int) { return std::vector<float>{float(a), float(b)}; });
    for (std::size_t i = 1; i < s.factors.size(); i += 2) s.factors[i] = 7;  // b never varies
    const auto scores = vae::scoreFactors(s.means, s.latentDim, s.factors, kNames);
    QCOMPARE(scores.constantFactor, std::vector<bool>({false, true}));
    QVERIFY(std::isnan(scores.migPerFactor[1]));
    QVERIFY(std::abs(scores.mig - 1.0) < 1e-9);  // over a alone
    QVERIFY(std::isfinite(scores.factorVaeScore));
}

// Codes equal to the factors: every vote names the right dimension (score 1). Codes of pure
// noise: votes carry no information and the held-out accuracy is near chance (1/2 here).
void TestDisentanglement::factorVaeScoreFollowsTheCode() {
    const auto aligned = grid(2, 40, [](int a, int b, int) { return std::vector<float>{float(a), float(b)}; });
    QCOMPARE(vae::scoreFactors(aligned.means, 2, aligned.factors, kNames).factorVaeScore, 1.0);
    std::mt19937 random(4);
    std::normal_distribution<float> normal;
    const auto noise = grid(2, 40, [&](int, int, int) { return std::vector<float>{normal(random), normal(random)}; });
    const double chance = vae::scoreFactors(noise.means, 2, noise.factors, kNames).factorVaeScore;
    qInfo() << "FactorVAE score of noise:" << chance;
    QVERIFY(chance > 0.4 && chance < 0.65);
}

// Every dimension collapsed, yet its tiny spread of means still follows factor a a little in one
// dimension and not in the other: disentanglement_lib's MIG sees a gap, the active one does not.
void TestDisentanglement::aCollapsedModelHasNoActiveMig() {
    const auto dead = grid(2, 10, [](int a, int, int r) { return std::vector<float>{float(a) * 0.01f, float(r % 3) * 0.01f}; });
    const auto scores = vae::scoreFactors(dead.means, dead.latentDim, dead.factors, kNames);
    QCOMPARE(scores.collapsedDimension, std::vector<bool>({true, true}));
    QVERIFY2(scores.mig > 0.4, qPrintable(QString::number(scores.mig)));
    QCOMPARE(scores.activeDimensions, 0);
    QCOMPARE(scores.migActive, 0.0);
    // One live dimension among dead ones: the active MIG is a's gap to nothing, over two factors.
    const auto live = grid(3, 10, [](int a, int, int r) {
        return std::vector<float>{float(a), float(a) * 0.01f, float(r % 3) * 0.01f};
    });
    const auto mixed = vae::scoreFactors(live.means, live.latentDim, live.factors, kNames);
    QCOMPARE(mixed.activeDimensions, 1);
    QVERIFY(std::abs(mixed.mig) < 1e-9);  // a is in dimensions 0 and 1 alike: no gap over all three
    QVERIFY2(std::abs(mixed.migActive - 0.5) < 1e-9, qPrintable(QString::number(mixed.migActive)));
}

void TestDisentanglement::mismatchedSizesAreRefused() {
    QVERIFY_THROWS_EXCEPTION(vae::ConfigError, vae::scoreFactors({1, 2, 3, 4}, 2, {1, 2, 3}, kNames));
    QVERIFY_THROWS_EXCEPTION(vae::ConfigError, vae::scoreFactors({1, 2}, 2, {1, 2}, kNames));  // one image
}

// The budget is 10 s for 10,000 images; this only checks it finishes (timing lives in
// bench/), with 10 dimensions and 5 factors of dSprites' sizes.
void TestDisentanglement::tenThousandImagesScoreQuickly() {
    std::mt19937 random(2);
    std::normal_distribution<float> normal;
    std::vector<float> means, factors;
    const int sizes[] = {3, 6, 40, 32, 32};
    for (int i = 0; i < 10000; ++i) {
        for (int f = 0; f < 5; ++f) factors.push_back(float(random() % unsigned(sizes[f])));
        for (int d = 0; d < 10; ++d) means.push_back(d < 5 ? factors[factors.size() - 5 + std::size_t(d)] + 0.1f * normal(random) : normal(random));
    }
    const auto scores = vae::scoreFactors(means, 10, factors, {"shape", "scale", "orientation", "x", "y"});
    QVERIFY(scores.mig > 0.3);
    QVERIFY(scores.factorVaeScore > 0.9);
}

QTEST_GUILESS_MAIN(TestDisentanglement)
#include "tst_disentanglement.moc"
