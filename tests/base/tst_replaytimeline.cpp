// The replay's snapshots: when training takes them, and the memory bound over a long run.
#include "fixtures.h"
#include "replay_timeline.h"
#include "session.h"

#include <QtTest>

namespace {

vae::ReplaySnapshot snapshotOf(vae::Session& session, qint64 step) {
    return {step, int(step / 100), session.decoderWeights(), session.encoderWeights()};
}

}  // namespace

class TestReplayTimeline : public QObject {
    Q_OBJECT
private slots:
    void denseAtFirstThenSparse();
    void staysWithinItsBoundOverALongRun();
    void sameStepReplaces();
};

void TestReplayTimeline::denseAtFirstThenSparse() {
    int dense = 0;
    for (qint64 step = 0; step <= 5000; ++step) dense += vae::isReplayStep(step);
    QCOMPARE(dense, 10 + 12);  // every 10 steps to 100, every 25 to 400
    QVERIFY(vae::isReplayStep(10) && vae::isReplayStep(100) && vae::isReplayStep(125) && vae::isReplayStep(400));
    QVERIFY(!vae::isReplayStep(0) && !vae::isReplayStep(15) && !vae::isReplayStep(110) && !vae::isReplayStep(425));
}

void TestReplayTimeline::staysWithinItsBoundOverALongRun() {
    vae::Session session(fixtures::tinyModel(8, {64}, 2), "cpu", 1);
    const std::size_t one = snapshotOf(session, 0).bytes();
    // Room for 40 snapshots; a run of 500 epochs after the dense start.
    vae::ReplayTimeline timeline(40 * one);
    std::size_t peak = 0;
    int added = 0;
    for (qint64 step = 0; step <= 400; ++step)
        if (step == 0 || vae::isReplayStep(step)) timeline.add(snapshotOf(session, step)), ++added;
    for (int epoch = 1; epoch <= 500; ++epoch) {
        timeline.add(snapshotOf(session, 400 + 100 * epoch));
        ++added;
        peak = std::max(peak, timeline.bytes());
        QVERIFY(timeline.bytes() <= timeline.bound());
    }
    QCOMPARE(added, 1 + 22 + 500);
    QVERIFY(timeline.size() <= 40 && timeline.size() >= 20);  // thinned to half, then filled again
    QVERIFY(timeline.thinnings() >= 4);
    // The whole span is kept: the first snapshot and the newest, in step order.
    QCOMPARE(timeline.at(0).step, qint64(0));
    QCOMPARE(timeline.at(timeline.size() - 1).step, qint64(400 + 100 * 500));
    for (int i = 1; i < timeline.size(); ++i) QVERIFY(timeline.at(i).step > timeline.at(i - 1).step);
    qInfo() << "snapshot" << one << "bytes; peak" << peak << "of" << timeline.bound() << ";" << timeline.size() << "kept";
}

void TestReplayTimeline::sameStepReplaces() {
    vae::Session session(fixtures::tinyModel(8, {16}, 2), "cpu", 1);
    vae::ReplayTimeline timeline;
    timeline.add(snapshotOf(session, 100));
    timeline.add(snapshotOf(session, 100));  // an epoch that ended on a replay step
    QCOMPARE(timeline.size(), 1);
    QCOMPARE(timeline.bytes(), snapshotOf(session, 0).bytes());
    timeline.clear();
    QVERIFY(timeline.isEmpty() && timeline.bytes() == 0);
}

QTEST_GUILESS_MAIN(TestReplayTimeline)
#include "tst_replaytimeline.moc"
