// What the trainer optimises beside the plain ELBO: KL warm-up, free bits and binarized pixels.
#include "fixtures.h"
#include "runtime_info.h"
#include "session.h"

#include <QtTest>

#include <cmath>

namespace {

vae::TrainOptions options(int epochs) {
    vae::TrainOptions o;
    o.epochs = epochs;
    o.batchSize = 32;
    o.learningRate = 3e-3;
    o.seed = 3;
    return o;
}

vae::TrainResult train(const vae::ImageDataset& data, const vae::TrainOptions& o, vae::Session* into = nullptr) {
    vae::Session session(fixtures::tinyModel(8, {32}, 2), "cpu", 3);
    vae::TrainControl control;
    auto result = session.train(data, o, control);
    if (into) *into = std::move(session);
    return result;
}

}  // namespace

class TestObjective : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { vae::setComputeThreads(1); }
    void warmUpRampsBetaFromZero();
    void learningRateDecaysInSteps();
    void aResumedModelContinuesItsSchedule();
    void aBetaChangedWhileTrainingIsRecordedAndRepeats();
    void freeBitsWeighOnlyDimensionsAboveTheFloor();
    void freeBitsLetTheKlRise();
    void warmUpChangesTheRunButNotWhatIsReported();
    void binarizationIsSeededAndEvaluatedOnAFixedBinaryTestSet();
    void settingsNameTheNewOptions();
};

void TestObjective::warmUpRampsBetaFromZero() {
    vae::TrainOptions o;
    o.beta = 2;
    QCOMPARE(o.betaAt(0, 0), 2.0);  // no warm-up
    o.warmupEpochs = 4;
    QCOMPARE(o.betaAt(0, 0), 0.0);
    QCOMPARE(o.betaAt(1, 50), 0.5);
    QCOMPARE(o.betaAt(2.5, 125), 1.25);
    QCOMPARE(o.betaAt(4, 200), 2.0);
    QCOMPARE(o.betaAt(40, 2000), 2.0);
    // A change made while training sets the target from its step on; the warm-up ramps it.
    o.betaChanges = {{100, 4.0}, {300, 0.5}};
    QCOMPARE(o.betaAt(1, 99), 0.5);
    QCOMPARE(o.betaAt(2, 100), 2.0);
    QCOMPARE(o.betaAt(5, 299), 4.0);
    QCOMPARE(o.betaAt(6, 300), 0.5);
    // A change made at step 200 replaces what a repeated run had recorded from there on.
    o.addBetaChange({200, 2.0});
    QCOMPARE(o.betaChanges, (std::vector<vae::BetaChange>{{100, 4.0}, {200, 2.0}}));
}

void TestObjective::learningRateDecaysInSteps() {
    vae::TrainOptions o;
    o.learningRate = 0.01;
    QCOMPARE(o.learningRateAt(50), 0.01);  // no decay by default
    o.lrDecay = 0.5;
    o.lrDecayEvery = 3;
    QCOMPARE(o.learningRateAt(0), 0.01);
    QCOMPARE(o.learningRateAt(2), 0.01);
    QCOMPARE(o.learningRateAt(3), 0.005);
    QCOMPARE(o.learningRateAt(7), 0.0025);
}

// The schedule follows the model's epochs: a second run of one epoch continues at the decayed
// rate, step for step what one run at that rate does.
void TestObjective::aResumedModelContinuesItsSchedule() {
    const auto data = fixtures::syntheticDataset(256, 64, 8);
    auto decaying = options(1);
    decaying.lrDecay = 0.25;
    auto scheduled = [&](vae::TrainOptions second) {
        vae::Session session(fixtures::tinyModel(8, {32}, 2), "cpu", 3);
        vae::TrainControl control;
        session.train(data, decaying, control);
        return session.train(data, second, control).epochs.back().test.loss;
    };
    auto lowered = options(1);
    lowered.learningRate *= 0.25;
    const double viaSchedule = scheduled(decaying), viaLowerRate = scheduled(lowered), undecayed = scheduled(options(1));
    QCOMPARE(viaSchedule, viaLowerRate);
    QVERIFY(viaSchedule != undecayed);
}

// A beta asked for while training takes effect at the next batch and is reported with its step;
// a run given that change from the start takes the same steps.
void TestObjective::aBetaChangedWhileTrainingIsRecordedAndRepeats() {
    const auto data = fixtures::syntheticDataset(256, 64, 8);
    auto o = options(2);
    o.progressEveryBatches = 3;
    vae::TrainControl control;
    std::vector<vae::BetaChange> seen;
    vae::TrainCallbacks callbacks;
    callbacks.progress = [&](const vae::ProgressInfo& info) {
        if (info.step == 3) control.betaRequest = 5.0;
        if (info.step == 9) control.betaRequest = 5.0;  // no change: nothing recorded
    };
    callbacks.betaChanged = [&](const vae::BetaChange& change) { seen.push_back(change); };
    vae::Session live(fixtures::tinyModel(8, {32}, 2), "cpu", 3);
    const auto changed = live.train(data, o, control, callbacks);
    QCOMPARE(int(changed.status), int(vae::TrainStatus::Finished));
    QCOMPARE(seen.size(), std::size_t(1));
    QCOMPARE(seen[0].step, std::int64_t(3));
    QCOMPARE(seen[0].beta, 5.0);
    auto repeated = o;
    repeated.betaChanges = seen;
    const auto again = train(data, repeated);
    QCOMPARE(again.epochs.back().test.loss, changed.epochs.back().test.loss);
    QVERIFY(train(data, o).epochs.back().test.loss != changed.epochs.back().test.loss);
}

void TestObjective::freeBitsWeighOnlyDimensionsAboveTheFloor() {
    vae::TrainOptions o;
    QCOMPARE(o.klWeights({0.1, 3.0}, 1.5), (std::vector<float>{1.5f, 1.5f}));  // no floor
    o.freeBits = 0.5;
    QCOMPARE(o.klWeights({0.1, 0.5, 0.51, 3.0}, 2.0), (std::vector<float>{0, 0, 2, 2}));
}

// With a floor of 2 nats per dimension the KL term pushes no dimension below 2 nats, so the model
// keeps more information in z than the plain ELBO lets it.
void TestObjective::freeBitsLetTheKlRise() {
    const auto data = fixtures::syntheticDataset(512, 128, 8);
    auto plain = options(6);
    auto floored = plain;
    floored.freeBits = 2;
    const auto withoutFloor = train(data, plain), withFloor = train(data, floored);
    QCOMPARE(int(withFloor.status), int(vae::TrainStatus::Finished));
    const auto& last = withFloor.epochs.back();
    QVERIFY2(last.train.kl > withoutFloor.epochs.back().train.kl + 0.5,
             qPrintable(QString("KL %1 with free bits, %2 without").arg(last.train.kl).arg(withoutFloor.epochs.back().train.kl)));
    QVERIFY(std::abs(last.train.loss - (last.train.recon + last.train.kl)) < 1e-6);  // the true -ELBO
}

void TestObjective::warmUpChangesTheRunButNotWhatIsReported() {
    const auto data = fixtures::syntheticDataset(256, 64, 8);
    auto warm = options(3);
    warm.warmupEpochs = 3;
    const auto plain = train(data, options(3)), warmed = train(data, warm);
    // The first step is taken at beta 0: only the reconstruction is optimised at first, so the KL
    // is higher early on than under the full weight.
    QVERIFY2(warmed.epochs[0].train.kl > plain.epochs[0].train.kl,
             qPrintable(QString("%1 vs %2").arg(warmed.epochs[0].train.kl).arg(plain.epochs[0].train.kl)));
    for (const auto& e : warmed.epochs) QVERIFY(std::abs(e.test.loss - (e.test.recon + e.test.kl)) < 1e-6);
}

void TestObjective::binarizationIsSeededAndEvaluatedOnAFixedBinaryTestSet() {
    const auto data = fixtures::syntheticDataset(256, 64, 8);
    for (auto mode : {vae::Binarization::Dynamic, vae::Binarization::Static}) {
        auto o = options(2);
        o.binarize = mode;
        vae::Session first(fixtures::tinyModel(8, {32}, 2), "cpu", 3);
        const auto a = train(data, o, &first), b = train(data, o);
        QCOMPARE(int(a.status), int(vae::TrainStatus::Finished));
        QCOMPARE(a.epochs.back().train.loss, b.epochs.back().train.loss);  // seeded: the same again
        QVERIFY(a.epochs.back().train.loss != train(data, options(2)).epochs.back().train.loss);
        // The session evaluates on the binarized test set once its run says so, the same every time.
        auto run = first.runSettings();
        const auto grey = first.evaluate(data, 9);
        run.training.binarize = mode;
        first.setRunSettings(run);
        const auto binary = first.evaluate(data, 9);
        QVERIFY(binary.recon != grey.recon);
        QCOMPARE(first.evaluate(data, 9).recon, binary.recon);
        // and the trainer's test loss was taken on that same binary test set.
        QCOMPARE(first.evaluate(data, o.seed * 1000003u + 2).recon, a.epochs.back().test.recon);
    }
    // Static and dynamic draw differently: one fixed set against a fresh draw per batch.
    auto dynamic = options(2), fixed = options(2);
    dynamic.binarize = vae::Binarization::Dynamic;
    fixed.binarize = vae::Binarization::Static;
    QVERIFY(train(data, dynamic).epochs.back().train.loss != train(data, fixed).epochs.back().train.loss);
}

void TestObjective::settingsNameTheNewOptions() {
    vae::RunSettings run;
    vae::findSetting("binarize")->set(run, "dynamic");
    vae::findSetting("warmup_epochs")->set(run, "5");
    vae::findSetting("free_bits")->set(run, "0.25");
    QCOMPARE(int(run.training.binarize), int(vae::Binarization::Dynamic));
    QCOMPARE(run.training.warmupEpochs, 5);
    QCOMPARE(run.training.freeBits, 0.25);
    try {
        vae::findSetting("binarize")->set(run, "sometimes");
        QFAIL("accepted a bad choice");
    } catch (const vae::SettingError& error) {
        QCOMPARE(QString(error.what()), QString("Binarize: 'sometimes' is not none, dynamic or static"));
    }
    try {
        vae::findSetting("free_bits")->set(run, "-1");
        QFAIL("accepted a negative floor");
    } catch (const vae::SettingError& error) {
        QCOMPARE(QString(error.what()), QString("Free bits: -1 must be zero or positive"));
    }
    vae::findSetting("beta_changes")->set(run, "120:2,400:0.5");
    QCOMPARE(run.training.betaChanges, (std::vector<vae::BetaChange>{{120, 2.0}, {400, 0.5}}));
    QCOMPARE(vae::findSetting("beta_changes")->get(run), std::string("120:2,400:0.5"));
    for (const auto& [text, problem] : {std::pair{"400:1,120:2", "β changes: steps must rise (120 after 400)"},
                                        std::pair{"12", "β changes: '12' is not STEP:BETA"},
                                        std::pair{"-3:1", "β changes: '-3:1' is not STEP:BETA"},
                                        std::pair{"3:x", "β changes: '3:x' is not STEP:BETA"},
                                        std::pair{"3:-1", "β changes: beta -1 is outside 0..100"}}) {
        try {
            vae::findSetting("beta_changes")->set(run, text);
            QFAIL(text);
        } catch (const vae::SettingError& error) {
            QCOMPARE(QString(error.what()), QString(problem));
        }
    }
    vae::findSetting("lr_decay")->set(run, "0.7");
    vae::findSetting("lr_decay_every")->set(run, "60");
    QCOMPARE(run.training.lrDecay, 0.7);
    QCOMPARE(run.training.lrDecayEvery, 60);
    try {
        vae::findSetting("lr_decay")->set(run, "1.5");
        QFAIL("accepted a growing rate");
    } catch (const vae::SettingError& error) {
        QCOMPARE(QString(error.what()), QString("LR decay: 1.5 is more than 1"));
    }
}

QTEST_GUILESS_MAIN(TestObjective)
#include "tst_objective.moc"
