// The convolutional VAE and the tanh activation: they train, round-trip through checkpoints, and
// reach the decode and encode threads through the same weight copies as the MLP.
#include "fixtures.h"
#include "runtime_info.h"
#include "session.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

namespace {

vae::ModelConfig convModel(int rows, int cols, std::vector<int> channels = {4, 8}) {
    auto config = fixtures::tinyModel(8, {32}, 4);
    config.imageRows = rows;
    config.imageCols = cols;
    config.architecture = vae::Architecture::Conv;
    config.convChannels = std::move(channels);
    return config;
}

std::vector<float> someLatents(int count, int dim) {
    std::vector<float> z;
    for (int i = 0; i < count * dim; ++i) z.push_back(float(std::sin(0.7 * i) * 1.5));
    return z;
}

vae::TrainOptions shortRun() {
    vae::TrainOptions o;
    o.epochs = 2;
    o.batchSize = 32;
    o.learningRate = 3e-3;
    return o;
}

}  // namespace

class TestConvModel : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { vae::setComputeThreads(1); }
    void trainsOnTheTrueElbo();
    void oddImageSizesComeBackWhole();
    void roundTripsThroughACheckpoint();
    void threadCopiesDecodeAndEncodeAsTheSession_data();
    void threadCopiesDecodeAndEncodeAsTheSession();
    void estimatesTheLikelihood();
    void badShapesAreOneLine();
};

void TestConvModel::trainsOnTheTrueElbo() {
    const auto data = fixtures::syntheticDataset(512, 128, 8);
    vae::Session session(convModel(8, 8), "cpu", 2);
    const auto before = session.evaluate(data, 5);
    vae::TrainControl control;
    const auto result = session.train(data, shortRun(), control);
    QVERIFY2(result.status == vae::TrainStatus::Finished, result.error.c_str());
    const auto& last = result.epochs.back();
    QVERIFY(std::abs(last.test.loss - (last.test.recon + last.test.kl)) < 1e-9);
    QVERIFY2(last.test.loss < before.loss - 1, qPrintable(QString("%1 after, %2 before").arg(last.test.loss).arg(before.loss)));
}

// 15 x 13 halves to 7 x 6 and 3 x 3; the transposed convolutions' output padding gives back
// the pixels the halvings dropped.
void TestConvModel::oddImageSizesComeBackWhole() {
    vae::Session session(convModel(15, 13), "cpu", 2);
    const auto decoded = session.decode(someLatents(3, 4));
    QCOMPARE(decoded.count, 3);
    QCOMPARE(decoded.rows, 15);
    QCOMPARE(decoded.cols, 13);
    QCOMPARE(decoded.values.size(), std::size_t(3 * 15 * 13));
    vae::Images inputs{2, 15, 13, std::vector<float>(2 * 15 * 13, 0.25f)};
    QCOMPARE(session.reconstruct(inputs).values.size(), inputs.values.size());
}

void TestConvModel::roundTripsThroughACheckpoint() {
    const auto data = fixtures::syntheticDataset(256, 64, 8);
    for (bool conv : {true, false}) {
        auto config = conv ? convModel(8, 8) : fixtures::tinyModel(8, {32, 16}, 3);
        config.activation = vae::Activation::Tanh;
        vae::Session session(config, "cpu", 4);
        vae::TrainControl control;
        QCOMPARE(int(session.train(data, shortRun(), control).status), int(vae::TrainStatus::Finished));
        QTemporaryDir dir;
        const auto path = dir.filePath("model.pt").toStdString();
        session.saveCheckpoint(path);
        auto loaded = vae::Session::fromCheckpoint(path, "cpu");
        QVERIFY(loaded.config() == config);
        QCOMPARE(loaded.config().describe(), conv ? std::string("conv 4,8 64-32-4-32-64 bernoulli tanh")
                                                  : std::string("64-32-16-3-16-32-64 bernoulli tanh"));
        const auto z = someLatents(5, config.latentDim);
        QCOMPARE(loaded.decode(z).values, session.decode(z).values);
        QCOMPARE(loaded.evaluate(data, 7).loss, session.evaluate(data, 7).loss);
    }
}

void TestConvModel::threadCopiesDecodeAndEncodeAsTheSession_data() {
    QTest::addColumn<bool>("conv");
    QTest::newRow("conv") << true;
    QTest::newRow("mlp") << false;
}

void TestConvModel::threadCopiesDecodeAndEncodeAsTheSession() {
    QFETCH(bool, conv);
    const auto data = fixtures::syntheticDataset(256, 64, 8);
    vae::Session session(conv ? convModel(8, 8) : fixtures::tinyModel(8, {32}, 4), "cpu", 6);
    vae::TrainControl control;
    session.train(data, shortRun(), control);
    const auto z = someLatents(7, 4);
    // A decoder built for the other architecture first: update() must rebuild it, not copy.
    vae::Session other(conv ? fixtures::tinyModel(8, {32}, 4) : convModel(8, 8), "cpu", 6);
    vae::Decoder decoder(other.decoderWeights());
    decoder.update(session.decoderWeights());
    QCOMPARE(decoder.decode(z).values, session.decode(z).values);
    vae::Encoder encoder(session.encoderWeights());
    const auto fromSession = session.encodeTestImages(data, 10);
    const auto pixels = data.testPixels(10);
    const auto fromCopy = encoder.encode(pixels.data(), pixels.size());
    QCOMPARE(fromCopy.mu, fromSession.mu);
    QCOMPARE(fromCopy.logvar, fromSession.logvar);
}

void TestConvModel::estimatesTheLikelihood() {
    const auto data = fixtures::syntheticDataset(256, 64, 8);
    vae::Session session(convModel(8, 8), "cpu", 2);
    vae::TrainControl control;
    session.train(data, shortRun(), control);
    vae::LikelihoodOptions options;
    options.samples = 200;
    options.images = 20;
    const auto estimate = session.estimateLikelihood(data, options);
    QVERIFY(std::isfinite(estimate.negLogLikelihood));
    // log-mean-exp of the weights is at least their mean: the bound is never looser than the ELBO.
    QVERIFY(estimate.negLogLikelihood <= estimate.negElbo);
}

void TestConvModel::badShapesAreOneLine() {
    try {
        vae::Session session(convModel(8, 8, {4, 8, 8, 8}), "cpu");
        QFAIL("four halvings of 8 x 8 were accepted");
    } catch (const vae::ConfigError& error) {
        QCOMPARE(QString(error.what()),
                 QString("Conv channels: a conv model's 4 convolutions, each halving the image, leave nothing of 8x8 images"));
    }
    vae::RunSettings run;
    for (const auto& [key, text, problem] :
         {std::tuple{"arch", "rnn", "Architecture: 'rnn' is not mlp or conv"},
          std::tuple{"activation", "gelu", "Activation: 'gelu' is not relu or tanh"},
          std::tuple{"conv_channels", "32,0", "Conv channels: 0 is outside 1..1024"}}) {
        try {
            vae::findSetting(key)->set(run, text);
            QFAIL(key);
        } catch (const vae::SettingError& error) {
            QCOMPARE(QString(error.what()), QString(problem));
        }
    }
}

QTEST_GUILESS_MAIN(TestConvModel)
#include "tst_convmodel.moc"
