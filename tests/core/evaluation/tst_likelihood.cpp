// The importance-weighted -log p(x) estimate: against an exact answer, as a bound, and its
// options' errors.
#include "errors.h"
#include "likelihood.h"
#include "torch_probes.h"

#include <QtTest>

Q_DECLARE_METATYPE(vae::Likelihood)
Q_DECLARE_METATYPE(vae::Activation)

class TestLikelihood : public QObject {
    Q_OBJECT
private slots:
    void matchesQuadratureWithManySamples_data();
    void matchesQuadratureWithManySamples();
    void isABoundThatTightensWithK();
    void kernelsMatchTorchsOperators_data();
    void kernelsMatchTorchsOperators();
    void badOptionsNameTheirOption_data();
    void badOptionsNameTheirOption();
};

void TestLikelihood::matchesQuadratureWithManySamples_data() {
    QTest::addColumn<vae::Likelihood>("likelihood");
    QTest::addColumn<vae::Activation>("activation");
    QTest::newRow("bernoulli") << vae::Likelihood::Bernoulli << vae::Activation::Relu;
    QTest::newRow("gaussian") << vae::Likelihood::Gaussian << vae::Activation::Relu;
    QTest::newRow("bernoulli tanh") << vae::Likelihood::Bernoulli << vae::Activation::Tanh;
}

void TestLikelihood::matchesQuadratureWithManySamples() {
    QFETCH(vae::Likelihood, likelihood);
    QFETCH(vae::Activation, activation);
    const auto check = probes::likelihoodAgainstQuadrature(likelihood, 20000, 12, activation);
    const QString figures = QString("estimate %1, exact %2, -ELBO %3").arg(check.estimate).arg(check.exact).arg(check.negElbo);
    // With a 1-D latent and k = 20,000 the estimate converges; the ELBO stays measurably above.
    QVERIFY2(std::abs(check.estimate - check.exact) < 0.02, qPrintable(figures));
    QVERIFY2(check.negElbo > check.exact + 0.05, qPrintable(figures));
}

void TestLikelihood::isABoundThatTightensWithK() {
    // E[-log mean w] decreases with k towards -log p(x); from k = 1 (the ELBO) by a margin
    // far above the sampling noise of 200 images.
    const auto estimates = probes::likelihoodForSampleCounts({1, 10, 100, 1000}, 200);
    const QString figures = QString("k=1: %1, k=10: %2, k=100: %3, k=1000: %4")
                                .arg(estimates[0]).arg(estimates[1]).arg(estimates[2]).arg(estimates[3]);
    QVERIFY2(estimates[1] < estimates[0] - 0.1, qPrintable(figures));
    QVERIFY2(estimates[2] < estimates[1], qPrintable(figures));
    QVERIFY2(estimates[3] < estimates[2], qPrintable(figures));
}

// The estimate's SLEEF kernels (where the build and CPU have them; torch's operators elsewhere,
// and then this compares torch with itself) against torch's operators in double precision:
// pixel counts that are and are not multiples of 8, more than one product of 64 factors per
// lane (1,500), rows cycling through the images, logits out to +-40 where exp would overflow.
void TestLikelihood::kernelsMatchTorchsOperators_data() {
    QTest::addColumn<int>("samples");
    QTest::addColumn<int>("images");
    QTest::addColumn<int>("pixels");
    QTest::addColumn<double>("scale");
    QTest::newRow("mnist") << 5 << 7 << 784 << 8.0;
    QTest::newRow("odd pixels") << 3 << 4 << 195 << 8.0;
    QTest::newRow("long rows") << 2 << 3 << 1500 << 8.0;
    QTest::newRow("wide logits") << 3 << 5 << 784 << 40.0;
    QTest::newRow("fewer than 8") << 2 << 3 << 5 << 3.0;
}

void TestLikelihood::kernelsMatchTorchsOperators() {
    QFETCH(int, samples);
    QFETCH(int, images);
    QFETCH(int, pixels);
    QFETCH(double, scale);
    const auto d = probes::vectorMathAgainstTorch(samples, images, pixels, scale);
    const QString figures =
        QString("log p differs by %1 (largest |log p| %2), tanh by %3").arg(d.logLikelihood).arg(d.largestLogLikelihood).arg(d.tanh);
    qInfo("%s", qPrintable(figures));
    // float sums of up to 1,500 terms: a few parts in 10^6 of the row's size.
    QVERIFY2(d.logLikelihood <= 1e-5 * d.largestLogLikelihood + 1e-4, qPrintable(figures));
    QVERIFY2(d.tanh < 1e-6, qPrintable(figures));
}

void TestLikelihood::badOptionsNameTheirOption_data() {
    QTest::addColumn<int>("samples");
    QTest::addColumn<int>("images");
    QTest::addColumn<int>("batch");
    QTest::addColumn<QString>("named");
    QTest::newRow("k 0") << 0 << -1 << 100 << "--k: 0 importance samples";
    QTest::newRow("images 0") << 10 << 0 << 100 << "--images: 0";
    QTest::newRow("images -5") << 10 << -5 << 100 << "--images: -5";
    QTest::newRow("batch 0") << 10 << -1 << 0 << "--batch-size: 0";
}

void TestLikelihood::badOptionsNameTheirOption() {
    QFETCH(int, samples);
    QFETCH(int, images);
    QFETCH(int, batch);
    QFETCH(QString, named);
    vae::LikelihoodOptions options;
    options.samples = samples;
    options.images = images;
    options.batchImages = batch;
    try {
        options.validate();
        QFAIL("accepted");
    } catch (const vae::ConfigError& error) {
        QVERIFY2(QString(error.what()).startsWith(named), error.what());
        QVERIFY(!QString(error.what()).contains('\n'));
    }
}

QTEST_GUILESS_MAIN(TestLikelihood)
#include "tst_likelihood.moc"
