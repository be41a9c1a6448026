// Walks through latent space: lerp and slerp, loops, traversals, class directions, analogies.
#include "errors.h"
#include "latent_paths.h"

#include <QtTest>

#include <cmath>

namespace {

double norm(const float* x, int dim) {
    double sum = 0;
    for (int k = 0; k < dim; ++k) sum += double(x[k]) * x[k];
    return std::sqrt(sum);
}

}  // namespace

class TestLatentPaths : public QObject {
    Q_OBJECT
private slots:
    void lerpMidpointIsTheMean();
    void slerpKeepsEndpointsAndInterpolatesTheNorm();
    void slerpFallsBackToLerpForParallelPoints();
    void thereAndBackMakesASeamlessLoop();
    void traversalRowsFollowTheGivenDimensions();
    void classMeansMorphsAndAnalogies();
    void badInputIsRefused();
};

void TestLatentPaths::lerpMidpointIsTheMean() {
    const auto path = vae::interpolate({0, 2, -4}, {2, 0, 4}, 3, vae::Interpolation::Lerp);
    QCOMPARE(path, (std::vector<float>{0, 2, -4, 1, 1, 0, 2, 0, 4}));
}

void TestLatentPaths::slerpKeepsEndpointsAndInterpolatesTheNorm() {
    const std::vector<float> from{3, 0, 0}, to{0, 0, 1};
    const int steps = 9;
    const auto path = vae::interpolate(from, to, steps, vae::Interpolation::Slerp);
    QCOMPARE(std::vector<float>(path.begin(), path.begin() + 3), from);
    QCOMPARE(std::vector<float>(path.end() - 3, path.end()), to);
    for (int i = 0; i < steps; ++i) {
        const double t = double(i) / (steps - 1);
        QVERIFY(std::abs(norm(path.data() + 3 * i, 3) - ((1 - t) * 3 + t * 1)) < 1e-5);
        // On the great circle through x and z: the angle grows evenly.
        const double angle = std::atan2(path[3 * i + 2], path[3 * i]);
        QVERIFY(std::abs(angle - t * M_PI / 2) < 1e-5);
        QCOMPARE(path[3 * i + 1], 0.0f);
    }
    // Between two prior draws of the same norm, every point keeps it (lerp would cut inside).
    const auto shell = vae::interpolate({2, 0}, {0, -2}, 5, vae::Interpolation::Slerp);
    const auto chord = vae::interpolate({2, 0}, {0, -2}, 5, vae::Interpolation::Lerp);
    QVERIFY(std::abs(norm(shell.data() + 4, 2) - 2) < 1e-5);
    QVERIFY(norm(chord.data() + 4, 2) < 1.5);
}

void TestLatentPaths::slerpFallsBackToLerpForParallelPoints() {
    const auto path = vae::interpolate({1, 1}, {3, 3}, 3, vae::Interpolation::Slerp);
    QCOMPARE(path, (std::vector<float>{1, 1, 2, 2, 3, 3}));
    const auto throughZero = vae::interpolate({0, 0}, {2, 4}, 3, vae::Interpolation::Slerp);
    QCOMPARE(throughZero, (std::vector<float>{0, 0, 1, 2, 2, 4}));
}

void TestLatentPaths::thereAndBackMakesASeamlessLoop() {
    const std::vector<float> path{0, 1, 2, 3};  // four 1-D points
    QCOMPARE(vae::thereAndBack(path, 1), (std::vector<float>{0, 1, 2, 3, 2, 1}));
    QCOMPARE(vae::thereAndBack({5, 6}, 1), (std::vector<float>{5, 6}));
}

void TestLatentPaths::traversalRowsFollowTheGivenDimensions() {
    const auto grid = vae::traversal({1, 2, 3}, {2, 0}, 3, -3, 3);
    QCOMPARE(grid, (std::vector<float>{1, 2, -3, 1, 2, 0, 1, 2, 3,    // z3 first
                                       -3, 2, 3, 0, 2, 3, 3, 2, 3}));  // then z1
}

void TestLatentPaths::classMeansMorphsAndAnalogies() {
    const std::vector<float> latents{0, 0, 2, 2, 10, 10, 12, 12, 5, 5};
    const auto means = vae::classMeans(latents, 2, {0, 0, 1, 1, 7}, 3);
    QCOMPARE(means[0], (std::vector<float>{1, 1}));
    QCOMPARE(means[1], (std::vector<float>{11, 11}));
    QVERIFY(means[2].empty());  // no image of class 2
    // "Turn this 0 into a 1": move along mean(1) - mean(0).
    const auto strip = vae::morph({0, 1}, means[0], means[1], 3, 1.0);
    QCOMPARE(strip, (std::vector<float>{0, 1, 5, 6, 10, 11}));
    QCOMPARE(vae::analogy({1, 1}, {11, 11}, {0, 5}), (std::vector<float>{10, 15}));
}

void TestLatentPaths::badInputIsRefused() {
    QVERIFY_THROWS_EXCEPTION(vae::ConfigError, vae::interpolate({0, 0}, {1, 1}, 1, vae::Interpolation::Lerp));
    QVERIFY_THROWS_EXCEPTION(vae::ConfigError, vae::interpolate({0, 0}, {1, 1}, 65, vae::Interpolation::Lerp));
    QVERIFY_THROWS_EXCEPTION(vae::ConfigError, vae::interpolate({0, 0}, {1, 1, 1}, 4, vae::Interpolation::Slerp));
    QVERIFY_THROWS_EXCEPTION(vae::ConfigError, vae::parseInterpolation("cubic"));
    QVERIFY_THROWS_EXCEPTION(vae::ConfigError, vae::traversal({0, 0}, {2}, 5, -3, 3));
    QCOMPARE(vae::parseLatent("0.5,-1,2e1", 3, "--from"), (std::vector<float>{0.5f, -1, 20}));
    const auto message = [](const std::string& text, int dim) -> QString {
        try {
            vae::parseLatent(text, dim, "--from");
        } catch (const vae::ConfigError& error) {
            return error.what();
        }
        return {};
    };
    QCOMPARE(message("1,2", 3), QString("--from: 2 coordinates for a 3-D latent space"));
    QCOMPARE(message("1,x,2", 3), QString("--from: 'x' is not a number"));
    QCOMPARE(message("1,,2", 3), QString("--from: '' is not a number"));
    QCOMPARE(message("1,nan", 2), QString("--from: 'nan' is not a number"));
}

QTEST_GUILESS_MAIN(TestLatentPaths)
#include "tst_latentpaths.moc"
