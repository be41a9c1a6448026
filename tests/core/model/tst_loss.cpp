// The negative ELBO: hand-computed values on a tiny case, analytic KL against Monte Carlo.
#include "torch_probes.h"

#include <QtTest>

#include <cmath>

namespace {
double softplus(double x) { return std::log1p(std::exp(x)); }
}  // namespace

class TestLoss : public QObject {
    Q_OBJECT
private slots:
    void bernoulliMatchesHandComputation();
    void gaussianMatchesHandComputation();
    void analyticKlMatchesMonteCarlo_data();
    void analyticKlMatchesMonteCarlo();
};

// Two images of 2x1 pixels, latent dimension 1.
void TestLoss::bernoulliMatchesHandComputation() {
    vae::ModelConfig config;
    config.imageRows = 2;
    config.imageCols = 1;
    const std::vector<float> logits{0.5f, -1.0f, 2.0f, 0.0f}, x{1.0f, 0.0f, 0.25f, 1.0f};
    const std::vector<float> mu{0.3f, -1.0f}, logvar{-0.5f, 0.2f};
    const auto got = probes::coreLoss(logits, x, mu, logvar, 2, config);
    // -log p(x|z) with p = sigmoid(l): x*softplus(-l) + (1-x)*softplus(l), summed, averaged over 2.
    double recon = 0;
    for (int i = 0; i < 4; ++i) recon += x[i] * softplus(-logits[i]) + (1 - x[i]) * softplus(logits[i]);
    double kl = 0;
    for (int i = 0; i < 2; ++i) kl += -0.5 * (1 + logvar[i] - mu[i] * mu[i] - std::exp(logvar[i]));
    QVERIFY(std::abs(got.recon - recon / 2) < 1e-5);
    QVERIFY(std::abs(got.kl - kl / 2) < 1e-6);
    QVERIFY(std::abs(got.recon - 1.553707) < 1e-5);  // the same sum worked out independently
}

void TestLoss::gaussianMatchesHandComputation() {
    vae::ModelConfig config;
    config.imageRows = 1;
    config.imageCols = 2;
    config.likelihood = vae::Likelihood::Gaussian;
    config.gaussianSigma = 0.2;
    const std::vector<float> logits{0.0f, 1.0f}, x{0.5f, 0.0f};
    const auto got = probes::coreLoss(logits, x, {0.0f}, {0.0f}, 1, config);
    const double mean1 = 1 / (1 + std::exp(-1.0));
    const double sq = 0.0 + mean1 * mean1;  // (0.5 - 0.5)^2 + (0 - sigmoid(1))^2
    const double expected = sq / (2 * 0.04) + 2 * (std::log(0.2) + 0.5 * std::log(2 * M_PI));
    QVERIFY2(std::abs(got.recon - expected) < 1e-4, qPrintable(QString::number(got.recon)));
    QCOMPARE(got.kl, 0.0);  // N(0,1) posterior equals the prior
}

void TestLoss::analyticKlMatchesMonteCarlo_data() {
    QTest::addColumn<std::vector<float>>("mu");
    QTest::addColumn<std::vector<float>>("logvar");
    QTest::newRow("near prior") << std::vector<float>{0.1f, -0.2f} << std::vector<float>{0.1f, -0.1f};
    QTest::newRow("narrow, shifted") << std::vector<float>{1.5f, -0.7f, 0.3f} << std::vector<float>{-2.0f, -1.0f, 0.5f};
}

void TestLoss::analyticKlMatchesMonteCarlo() {
    QFETCH(std::vector<float>, mu);
    QFETCH(std::vector<float>, logvar);
    vae::ModelConfig config;
    config.imageRows = config.imageCols = 1;
    const auto analytic = probes::coreLoss({0.0f}, {0.0f}, mu, logvar, 1, config).kl;
    const double estimate = probes::monteCarloKl(mu, logvar, 400000);
    QVERIFY2(std::abs(analytic - estimate) < 0.01 * analytic + 0.005,
             qPrintable(QString("analytic %1, Monte Carlo %2").arg(analytic).arg(estimate)));
}

QTEST_GUILESS_MAIN(TestLoss)
#include "tst_loss.moc"
