// The latent space as the map sees it: encodings, planes, PCA, KL per dimension, active units.
#include "errors.h"
#include "fixtures.h"
#include "latent_analysis.h"
#include "latent_geometry.h"
#include "session.h"

#include <QtTest>

#include <cmath>
#include <random>

namespace {

// A trained tiny model (8x8 images) and its data.
struct Trained {
    vae::ImageDataset data = fixtures::syntheticDataset(512, 200, 8);
    vae::Session session;
    explicit Trained(int latent) : session(fixtures::tinyModel(8, {32}, latent), "cpu", 3) {
        vae::TrainOptions options;
        options.epochs = 2;
        options.batchSize = 32;
        options.learningRate = 3e-3;
        vae::TrainControl control;
        const auto result = session.train(data, options, control);
        if (result.status != vae::TrainStatus::Finished) throw std::runtime_error(result.error);
    }
};

double dot(const std::vector<float>& a, const std::vector<float>& b) {
    double sum = 0;
    for (std::size_t i = 0; i < a.size(); ++i) sum += double(a[i]) * b[i];
    return sum;
}

void compareImages(const vae::Images& actual, const vae::Images& expected, float tolerance) {
    QCOMPARE(actual.count, expected.count);
    QCOMPARE(actual.values.size(), expected.values.size());
    for (std::size_t i = 0; i < actual.values.size(); ++i)
        QVERIFY2(std::abs(actual.values[i] - expected.values[i]) <= tolerance,
                 qPrintable(QString("value %1: %2 vs %3").arg(i).arg(actual.values[i]).arg(expected.values[i])));
}

}  // namespace

class TestLatent : public QObject {
    Q_OBJECT
private slots:
    void encoderCopyEncodesAsTheSessionDoes();
    void axesPlaneProjectsOntoItsAxes();
    void pcaPlaneDecodesMeanPlusPrincipalDirections();
    void pcaFindsTheDirectionOfMostVariance();
    void slidersMoveThePlaneNotAlongIt();
    void klPerDimensionIsTheAnalyticKl();
    void deadDimensionIsNotActive();
    void badSizesAreRefused();
    void datasetKeepsLabelsAndClassNames();
};

void TestLatent::encoderCopyEncodesAsTheSessionDoes() {
    Trained model(3);
    const vae::Encodings expected = model.session.encodeTestImages(model.data);
    QCOMPARE(expected.count, 200);
    QCOMPARE(expected.latentDim, 3);
    // The encode thread's copy, on the test images as bytes (how they cross threads).
    vae::Encoder encoder(model.session.encoderWeights());
    const auto pixels = model.data.testPixels(200);
    const vae::Encodings copy = encoder.encode(pixels.data(), pixels.size());
    QCOMPARE(copy.mu, expected.mu);
    QCOMPARE(copy.logvar, expected.logvar);
    // The first `count` images only.
    QCOMPARE(model.session.encodeTestImages(model.data, 7).count, 7);
    // Reconstructions go through the same means.
    const auto images = model.data.testImages(0, 4);
    compareImages(model.session.reconstruct(images),
                  model.session.decode(std::vector<float>(expected.mu.begin(), expected.mu.begin() + 12)), 1e-6f);
}

void TestLatent::axesPlaneProjectsOntoItsAxes() {
    const auto plane = vae::LatentPlane::axes(4, 2, 0);
    const std::vector<float> latents{1, 2, 3, 4, -5, 6, 7, 8};
    QCOMPARE(plane.project(latents), (std::vector<float>{3, 1, 7, -5}));
    QCOMPARE(plane.pointAt(0.5, -1.5), (std::vector<float>{-1.5f, 0, 0.5f, 0}));
}

void TestLatent::pcaPlaneDecodesMeanPlusPrincipalDirections() {
    Trained model(5);
    const auto summary = vae::summarizeEncodings(model.session.encodeTestImages(model.data));
    QCOMPARE(int(summary.pc1.size()), 5);
    QVERIFY(std::abs(dot(summary.pc1, summary.pc1) - 1) < 1e-5);
    QVERIFY(std::abs(dot(summary.pc2, summary.pc2) - 1) < 1e-5);
    QVERIFY(std::abs(dot(summary.pc1, summary.pc2)) < 1e-5);
    QVERIFY(summary.explained1 >= summary.explained2 && summary.explained1 + summary.explained2 <= 1 + 1e-9);
    const auto plane = summary.pcaPlane();
    for (const auto& [a, b] : {std::pair{0.0, 0.0}, {1.5, -0.5}, {-2.0, 2.5}}) {
        std::vector<float> expected(5);
        for (int k = 0; k < 5; ++k) expected[k] = float(summary.mean[k] + a * summary.pc1[k] + b * summary.pc2[k]);
        compareImages(model.session.decode(plane.pointAt(a, b)), model.session.decode(expected), 1e-5f);
    }
    // The scatter shows the encodings projected: a point's plane coordinates are its components
    // along pc1 and pc2 after removing the mean.
    const auto encodings = model.session.encodeTestImages(model.data, 3);
    const auto projected = plane.project(encodings.mu);
    for (int i = 0; i < 3; ++i) {
        std::vector<float> centred = encodings.muOf(i);
        for (int k = 0; k < 5; ++k) centred[k] -= summary.mean[k];
        QVERIFY(std::abs(projected[2 * i] - dot(centred, summary.pc1)) < 1e-4);
        QVERIFY(std::abs(projected[2 * i + 1] - dot(centred, summary.pc2)) < 1e-4);
    }
}

void TestLatent::pcaFindsTheDirectionOfMostVariance() {
    // Points spread 3 along (1,1,0)/sqrt2, 1 along z3, 0.1 along (1,-1,0)/sqrt2, around (1,2,3).
    std::mt19937 random(5);
    std::normal_distribution<float> normal;
    vae::Encodings encodings{2000, 3, {}, {}};
    for (int i = 0; i < 2000; ++i) {
        const float a = 3 * normal(random), b = 0.1f * normal(random), c = normal(random);
        const float r = float(M_SQRT1_2);
        encodings.mu.insert(encodings.mu.end(), {1 + r * (a + b), 2 + r * (a - b), 3 + c});
        encodings.logvar.insert(encodings.logvar.end(), {0, 0, 0});
    }
    const auto summary = vae::summarizeEncodings(encodings);
    QVERIFY(std::abs(std::abs(summary.pc1[0]) - M_SQRT1_2) < 0.02 && std::abs(std::abs(summary.pc1[1]) - M_SQRT1_2) < 0.02);
    QVERIFY(std::abs(summary.pc2[2]) > 0.99);
    QVERIFY(std::abs(summary.explained1 - 9.0 / 10.01) < 0.03);
    QVERIFY(std::abs(summary.mean[0] - 1) < 0.2 && std::abs(summary.mean[2] - 3) < 0.1);
    QVERIFY(summary.pc1[0] > 0);  // the sign is fixed: largest component positive
}

void TestLatent::slidersMoveThePlaneNotAlongIt() {
    const auto plane = vae::LatentPlane::spanning({0, 0, 0}, {1, 1, 0}, {0, 0, 2});
    const auto moved = plane.movedBy({1, 2, 3});
    // (1,2,3) less its parts along (1,1,0)/sqrt2 and (0,0,1): (-0.5, 0.5, 0).
    QVERIFY(std::abs(moved.origin[0] + 0.5f) < 1e-6 && std::abs(moved.origin[1] - 0.5f) < 1e-6 && moved.origin[2] == 0);
    QCOMPARE(moved.u, plane.u);
    // Two axes: a slider along an axis the plane spans does nothing; another moves the origin.
    const auto axes = vae::LatentPlane::axes(3, 0, 1);
    QCOMPARE(axes.movedBy({2, 0, 0}).origin, (std::vector<float>{0, 0, 0}));
    QCOMPARE(axes.movedBy({0, 0, 1.5f}).pointAt(0.5, 0), (std::vector<float>{0.5f, 0, 1.5f}));
}

void TestLatent::klPerDimensionIsTheAnalyticKl() {
    const vae::Encodings encodings{2, 2, {1, 0, -1, 2}, {0, std::log(4.0f), std::log(0.25f), 0}};
    const auto summary = vae::summarizeEncodings(encodings);
    const auto kl = [](double mu, double var) { return 0.5 * (mu * mu + var - 1 - std::log(var)); };
    QVERIFY(std::abs(summary.klPerDim[0] - (kl(1, 1) + kl(-1, 0.25)) / 2) < 1e-6);
    QVERIFY(std::abs(summary.klPerDim[1] - (kl(0, 4) + kl(2, 1)) / 2) < 1e-6);
    QCOMPARE(summary.dimensionsByKl(), (std::vector<int>{1, 0}));
    QVERIFY(std::abs(summary.meanVariance[0] - 2.0) < 1e-9);  // (1 - -1)^2 / 2, unbiased
}

void TestLatent::deadDimensionIsNotActive() {
    Trained model(4);
    const auto alive = vae::summarizeEncodings(model.session.encodeTestImages(model.data));
    QCOMPARE(alive.activeUnits, 4);
    QVERIFY(!alive.collapsed());
    // Kill z3: its mean no longer depends on the image (a zero row in the mu layer).
    vae::EncoderWeights weights = model.session.encoderWeights();
    auto& muWeights = weights.weights[weights.weights.size() - 2];  // hidden layers, mu, logvar
    const std::size_t inputs = muWeights.size() / 4;
    std::fill(muWeights.begin() + 2 * inputs, muWeights.begin() + 3 * inputs, 0.0f);
    vae::Encoder encoder(weights);
    const auto pixels = model.data.testPixels(200);
    const auto dead = vae::summarizeEncodings(encoder.encode(pixels.data(), pixels.size()));
    QCOMPARE(dead.activeUnits, 3);
    QVERIFY(dead.meanVariance[2] < 1e-12);
    QVERIFY(dead.dimensionsByKl() != std::vector<int>{});
    // Three of four dead: collapse.
    for (int k : {0, 1}) std::fill(muWeights.begin() + k * inputs, muWeights.begin() + (k + 1) * inputs, 0.0f);
    encoder.update(weights);
    const auto collapsed = vae::summarizeEncodings(encoder.encode(pixels.data(), pixels.size()));
    QCOMPARE(collapsed.activeUnits, 1);
    QVERIFY(collapsed.collapsed());
}

void TestLatent::badSizesAreRefused() {
    QVERIFY_THROWS_EXCEPTION(vae::ConfigError, vae::LatentPlane::axes(2, 0, 2));
    QVERIFY_THROWS_EXCEPTION(vae::ConfigError, vae::LatentPlane::axes(3, 1, 1));
    QVERIFY_THROWS_EXCEPTION(vae::ConfigError, vae::LatentPlane::spanning({0, 0}, {1, 1}, {2, 2}));
    QVERIFY_THROWS_EXCEPTION(vae::ConfigError, vae::LatentPlane::spanning({0, 0}, {1, 1}, {2, 2, 0}));
    QVERIFY_THROWS_EXCEPTION(vae::ConfigError, vae::LatentPlane::axes(3, 0, 1).project({1, 2}));
    QVERIFY_THROWS_EXCEPTION(vae::ConfigError, vae::LatentPlane::axes(3, 0, 1).movedBy({1, 2}));
    QVERIFY_THROWS_EXCEPTION(vae::ConfigError, vae::summarizeEncodings(vae::Encodings{2, 2, {1, 2, 3}, {0, 0, 0}}));
    QVERIFY_THROWS_EXCEPTION(vae::ConfigError, vae::summarizeEncodings(vae::Encodings{}));
    // A dataset of another image size than the model's: one line naming the dataset.
    vae::Session session(fixtures::tinyModel(8, {16}, 2), "cpu", 1);
    const auto tenByTen = fixtures::syntheticDataset(16, 16, 10);
    try {
        session.encodeTestImages(tenByTen);
        QFAIL("encoded 10x10 images with an 8x8 model");
    } catch (const vae::ConfigError& error) {
        const QString message = error.what();
        QVERIFY2(message.startsWith("synthetic: images are 10x10") && !message.contains('\n'), qPrintable(message));
    }
    vae::Encoder encoder(session.encoderWeights());
    const std::vector<std::uint8_t> partial(64 * 2 + 5);
    QVERIFY_THROWS_EXCEPTION(vae::ConfigError, encoder.encode(partial.data(), partial.size()));
}

void TestLatent::datasetKeepsLabelsAndClassNames() {
    const auto images = fixtures::syntheticImages(4, 8, 8, 1);
    const auto data = vae::ImageDataset::fromImages("labelled", images, images, {0, 1, 2, 3}, {3, 2, 1, 0});
    QCOMPARE(data.testLabels(), (std::vector<int>{3, 2, 1, 0}));
    QCOMPARE(data.classNames(), (std::vector<std::string>{"0", "1", "2", "3"}));
    QVERIFY_THROWS_EXCEPTION(vae::DataError, vae::ImageDataset::fromImages("short", images, images, {0, 1}, {}));
    QTemporaryDir dir;
    fixtures::writeIdxDataset(dir.path(), 20, 12, 8, true);
    const auto loaded = vae::ImageDataset::load(dir.path().toStdString());
    QCOMPARE(int(loaded.testLabels().size()), 12);
    QCOMPARE(loaded.testLabels()[11], 1);  // the fixture labels image i with i % 10
    QCOMPARE(int(loaded.classNames().size()), 10);
    if (QFileInfo::exists(QString::fromStdString(vae::fashionMnistFolder()))) {
        const auto fashion = vae::ImageDataset::load("fashion-mnist");
        QCOMPARE(fashion.classNames().at(9), std::string("Ankle boot"));
    }
}

QTEST_GUILESS_MAIN(TestLatent)
#include "tst_latent.moc"
