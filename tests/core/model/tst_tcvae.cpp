// β-TCVAE (Chen et al. 2018): the minibatch-weighted split of the KL against a direct computation
// written out pair by pair, its parts summing to the sampled KL, and training with it.
#include "fixtures.h"
#include "runtime_info.h"
#include "session.h"
#include "settings.h"
#include "torch_probes.h"

#include <QtTest>

#include <cmath>
#include <random>

namespace {

struct Batch {
    int size = 0, dim = 0;
    std::vector<double> z, mu, logvar;
    double at(const std::vector<double>& v, int i, int d) const { return v[std::size_t(i * dim + d)]; }
};

Batch randomBatch(int size, int dim, unsigned seed) {
    std::mt19937 random(seed);
    std::normal_distribution<double> normal;
    Batch b{size, dim, {}, {}, {}};
    for (int k = 0; k < size * dim; ++k) {
        b.mu.push_back(normal(random));
        b.logvar.push_back(0.5 * normal(random) - 1.0);
        b.z.push_back(b.mu.back() + std::exp(0.5 * b.logvar.back()) * normal(random));
    }
    return b;
}

double logNormal(double z, double mu, double logvar) {
    return -0.5 * (std::log(2 * M_PI) + logvar + (z - mu) * (z - mu) / std::exp(logvar));
}

// log sum_j exp(v_j), the plain way (the values here are far from overflow).
double logSumOfExps(const std::vector<double>& values) {
    double sum = 0;
    for (double v : values) sum += std::exp(v);
    return std::log(sum);
}

// The estimator of Chen et al.'s reference code written out with loops: for each sample i,
// log q(z_i) = log sum_j q(z_i|x_j) - log(B N), and per dimension for the product of marginals.
vae::KlSplit directSplit(const Batch& b, double datasetSize) {
    const double logWeight = std::log(b.size * datasetSize);
    vae::KlSplit split;
    for (int i = 0; i < b.size; ++i) {
        double logQzGivenX = 0, logPz = 0, logQzProduct = 0;
        std::vector<double> joint(std::size_t(b.size), 0.0);
        for (int d = 0; d < b.dim; ++d) {
            const double z = b.at(b.z, i, d);
            logQzGivenX += logNormal(z, b.at(b.mu, i, d), b.at(b.logvar, i, d));
            logPz += logNormal(z, 0, 0);
            std::vector<double> marginal;
            for (int j = 0; j < b.size; ++j) {
                const double density = logNormal(z, b.at(b.mu, j, d), b.at(b.logvar, j, d));
                marginal.push_back(density);
                joint[std::size_t(j)] += density;
            }
            logQzProduct += logSumOfExps(marginal) - logWeight;
        }
        const double logQz = logSumOfExps(joint) - logWeight;
        split.indexCodeMi += (logQzGivenX - logQz) / b.size;
        split.totalCorrelation += (logQz - logQzProduct) / b.size;
        split.dimensionwiseKl += (logQzProduct - logPz) / b.size;
    }
    return split;
}

vae::TrainOptions tcOptions(double beta) {
    vae::TrainOptions o;
    o.epochs = 6;
    o.batchSize = 32;
    o.learningRate = 3e-3;
    o.seed = 5;
    o.beta = beta;
    o.objective = vae::Objective::BetaTc;
    return o;
}

}  // namespace

class TestTcVae : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { vae::setComputeThreads(1); }
    void splitMatchesADirectComputation_data();
    void splitMatchesADirectComputation();
    void partsSumToTheSampledKl();
    void trainsAndReportsTheSplit();
    void largerBetaLowersTheTotalCorrelation();
    void refusesWhatItCannotEstimate();
};

void TestTcVae::splitMatchesADirectComputation_data() {
    QTest::addColumn<int>("size");
    QTest::addColumn<int>("dim");
    QTest::addColumn<double>("datasetSize");
    QTest::newRow("2 images, 1 dimension") << 2 << 1 << 10.0;
    QTest::newRow("7 images, 3 dimensions") << 7 << 3 << 60000.0;
    QTest::newRow("16 images, 10 dimensions") << 16 << 10 << 737280.0;
}

void TestTcVae::splitMatchesADirectComputation() {
    QFETCH(int, size);
    QFETCH(int, dim);
    QFETCH(double, datasetSize);
    const Batch b = randomBatch(size, dim, unsigned(size * 31 + dim));
    const vae::KlSplit core = probes::coreKlSplit(b.z, b.mu, b.logvar, size, (long long)datasetSize);
    const vae::KlSplit direct = directSplit(b, datasetSize);
    QVERIFY2(std::abs(core.indexCodeMi - direct.indexCodeMi) < 1e-9, qPrintable(QString::number(core.indexCodeMi - direct.indexCodeMi)));
    QVERIFY(std::abs(core.totalCorrelation - direct.totalCorrelation) < 1e-9);
    QVERIFY(std::abs(core.dimensionwiseKl - direct.dimensionwiseKl) < 1e-9);
    // Not all zero: the check would pass on an empty function otherwise.
    QVERIFY(std::abs(direct.indexCodeMi) + std::abs(direct.dimensionwiseKl) > 0.1);
}

// MI + TC + dimension-wise KL telescopes to E[log q(z|x) - log p(z)], the KL sampled at z.
void TestTcVae::partsSumToTheSampledKl() {
    const Batch b = randomBatch(12, 4, 9);
    const vae::KlSplit split = probes::coreKlSplit(b.z, b.mu, b.logvar, 12, 5000);
    double sampledKl = 0;
    for (int i = 0; i < b.size; ++i)
        for (int d = 0; d < b.dim; ++d)
            sampledKl += (logNormal(b.at(b.z, i, d), b.at(b.mu, i, d), b.at(b.logvar, i, d)) - logNormal(b.at(b.z, i, d), 0, 0)) / b.size;
    QVERIFY(std::abs(split.indexCodeMi + split.totalCorrelation + split.dimensionwiseKl - sampledKl) < 1e-9);
}

void TestTcVae::trainsAndReportsTheSplit() {
    vae::Session session(fixtures::tinyModel(8, {32}, 3), "cpu", 3);
    vae::TrainControl control;
    const auto data = fixtures::syntheticDataset(512, 128, 8);
    const auto result = session.train(data, tcOptions(6), control);
    QCOMPARE(int(result.status), int(vae::TrainStatus::Finished));
    QCOMPARE(int(result.epochs.size()), 6);
    for (const auto& epoch : result.epochs) {
        QVERIFY(epoch.klSplit.has_value());
        QVERIFY(std::isfinite(epoch.klSplit->totalCorrelation) && std::isfinite(epoch.klSplit->indexCodeMi));
        QCOMPARE(epoch.train.loss, epoch.train.recon + epoch.train.kl);  // the reported loss is the -ELBO
    }
    QVERIFY(result.epochs.back().test.loss < result.epochs.front().test.loss);  // it learns
    QVERIFY(session.history().steps.back().klSplit.has_value());
    // The checkpoint keeps each epoch's split; an ELBO run's checkpoint has none.
    QTemporaryDir folder;
    const std::string path = folder.filePath("tc.pt").toStdString();
    session.saveCheckpoint(path);
    const auto reopened = vae::Session::fromCheckpoint(path, "cpu");
    QCOMPARE(reopened.history().epochs.size(), result.epochs.size());
    for (std::size_t i = 0; i < result.epochs.size(); ++i) {
        QVERIFY(reopened.history().epochs[i].klSplit.has_value());
        QCOMPARE(reopened.history().epochs[i].klSplit->totalCorrelation, result.epochs[i].klSplit->totalCorrelation);
    }
    // And each curve point's, for the loss chart of a model opened later.
    const auto& steps = session.history().steps;
    QCOMPARE(reopened.history().steps.size(), steps.size());
    for (std::size_t i = 0; i < steps.size(); ++i) {
        QVERIFY(reopened.history().steps[i].klSplit.has_value());
        QCOMPARE(reopened.history().steps[i].klSplit->dimensionwiseKl, steps[i].klSplit->dimensionwiseKl);
        QCOMPARE(reopened.history().steps[i].klSplit->indexCodeMi, steps[i].klSplit->indexCodeMi);
    }
}

// β weighs the total correlation only: a larger β gives a smaller one.
void TestTcVae::largerBetaLowersTheTotalCorrelation() {
    const auto data = fixtures::syntheticDataset(512, 128, 8);
    double tc[2];
    for (int k = 0; k < 2; ++k) {
        vae::Session session(fixtures::tinyModel(8, {32}, 3), "cpu", 3);
        vae::TrainControl control;
        const auto result = session.train(data, tcOptions(k == 0 ? 1 : 20), control);
        tc[k] = result.epochs.back().klSplit->totalCorrelation;
    }
    qInfo() << "total correlation at beta 1:" << tc[0] << "at beta 20:" << tc[1];
    QVERIFY(tc[1] < tc[0]);
}

void TestTcVae::refusesWhatItCannotEstimate() {
    vae::RunSettings settings;
    settings.training.objective = vae::Objective::BetaTc;
    settings.training.batchSize = 1;
    try {
        vae::validate(settings);
        QFAIL("a batch of 1 was taken");
    } catch (const vae::SettingError& error) {
        QCOMPARE(QString::fromStdString(error.key), QString("objective"));
        QVERIFY(QString(error.what()).contains("batch"));
    }
    settings.training.batchSize = 64;
    settings.training.freeBits = 0.5;
    QVERIFY_THROWS_EXCEPTION(vae::SettingError, vae::validate(settings));
    settings.training.freeBits = 0;
    vae::validate(settings);
    vae::Session session(fixtures::tinyModel(8, {32}, 3), "cpu", 3);
    vae::TrainControl control;
    vae::TrainOptions o = tcOptions(4);
    o.batchSize = 1;
    const auto result = session.train(fixtures::syntheticDataset(64, 16, 8), o, control);
    QCOMPARE(int(result.status), int(vae::TrainStatus::Failed));
    QVERIFY2(QString::fromStdString(result.error).contains("beta-tc"), result.error.c_str());
}

QTEST_GUILESS_MAIN(TestTcVae)
#include "tst_tcvae.moc"
