// The hand-written -ELBO pass must give autograd's losses and gradients, for every model shape
// and likelihood the trainer sends through it.
#include "presets.h"
#include "torch_probes.h"

#include <QtTest>

Q_DECLARE_METATYPE(vae::ModelConfig)

namespace {

vae::ModelConfig shape(std::vector<int> encoder, std::vector<int> decoder, int latent, vae::Likelihood likelihood) {
    vae::ModelConfig config;
    config.encoderHidden = std::move(encoder);
    config.decoderHidden = std::move(decoder);
    config.latentDim = latent;
    config.likelihood = likelihood;
    return config;
}

}  // namespace

class TestFusedElbo : public QObject {
    Q_OBJECT
private slots:
    void matchesAutograd_data();
    void matchesAutograd();
};

void TestFusedElbo::matchesAutograd_data() {
    QTest::addColumn<QString>("preset");  // empty: use the shape below
    QTest::addColumn<vae::ModelConfig>("config");
    QTest::addColumn<int>("batch");
    QTest::addColumn<double>("beta");
    QTest::addColumn<bool>("binary");
    QTest::addColumn<bool>("freeBits");  // at the median per-dimension KL: some dimensions clamped
    const auto bernoulli = vae::Likelihood::Bernoulli, gaussian = vae::Likelihood::Gaussian;
    QTest::newRow("pytorch-example, batch 128") << "pytorch-example" << vae::ModelConfig{} << 128 << 1.0 << false << false;
    QTest::newRow("pytorch-example, last batch of 96") << "pytorch-example" << vae::ModelConfig{} << 96 << 1.0 << false << false;
    QTest::newRow("default 2-D model, beta 4") << QString() << vae::ModelConfig{} << 64 << 4.0 << false << false;
    QTest::newRow("binarized inputs") << "pytorch-example" << vae::ModelConfig{} << 32 << 1.0 << true << false;
    QTest::newRow("beta 0") << QString() << shape({200}, {200}, 8, bernoulli) << 16 << 0.0 << false << false;
    QTest::newRow("gaussian, beta 0.5") << QString() << shape({300, 100}, {100, 300}, 5, gaussian) << 20 << 0.5 << false << false;
    QTest::newRow("no hidden layers") << QString() << shape({}, {}, 3, bernoulli) << 10 << 1.0 << false << false;
    QTest::newRow("uneven depths, one image") << QString() << shape({64, 32, 16}, {40}, 2, gaussian) << 1 << 2.0 << false << false;
    QTest::newRow("free bits, pytorch-example") << "pytorch-example" << vae::ModelConfig{} << 128 << 1.0 << false << true;
    QTest::newRow("free bits, gaussian, beta 2") << QString() << shape({100}, {100}, 6, gaussian) << 24 << 2.0 << false << true;
    QTest::newRow("paper (tanh), batch 100") << "paper" << vae::ModelConfig{} << 100 << 1.0 << true << false;
    auto tanhGaussian = shape({64, 32}, {32}, 4, gaussian);
    tanhGaussian.activation = vae::Activation::Tanh;
    QTest::newRow("tanh, gaussian, free bits") << QString() << tanhGaussian << 12 << 1.0 << false << true;
    QTest::newRow("free bits, binarized, one image") << "pytorch-example" << vae::ModelConfig{} << 1 << 0.5 << true << true;
}

void TestFusedElbo::matchesAutograd() {
    QFETCH(QString, preset);
    QFETCH(vae::ModelConfig, config);
    QFETCH(int, batch);
    QFETCH(double, beta);
    QFETCH(bool, binary);
    QFETCH(bool, freeBits);
    if (!preset.isEmpty()) {
        vae::RunSettings run;
        vae::applyPreset(preset.toStdString(), run);
        config = run.model;
    }
    const auto differences = probes::fusedElboDifferences(config, batch, beta, binary, freeBits);
    if (freeBits)  // the floor must bind on some dimensions and not on others, or it tests nothing
        QVERIFY2(differences.clampedDims > 0 && differences.clampedDims < config.latentDim,
                 qPrintable(QString("%1 of %2 dimensions clamped").arg(differences.clampedDims).arg(config.latentDim)));
    // Float32 throughout: both sides sum in a different order, nothing more.
    QVERIFY2(differences.loss < 2e-5, qPrintable(QString("loss differs by %1 (relative)").arg(differences.loss)));
    QVERIFY2(differences.gradient < 2e-4,
             qPrintable(QString("a gradient differs by %1 of its largest entry").arg(differences.gradient)));
}

QTEST_GUILESS_MAIN(TestFusedElbo)
#include "tst_fusedelbo.moc"
