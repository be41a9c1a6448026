// The replay of the map forming, in the real window (offscreen): snapshots while training, each
// shown with its own decoder's grid and encoder's scatter, live again at the end, and its GIF.
#include "fixtures.h"
#include "image_convert.h"
#include "latent_explorer.h"
#include "latent_map_widget.h"
#include "latent_replay.h"
#include "replay_bar.h"
#include "window_fixture.h"

#include <QImageReader>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

class TestReplay : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void replaysTheMapAsItFormed();

private:
    QTemporaryDir dir_;
    QString data_;
};

void TestReplay::initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("vae-explorer-tests");
    data_ = dir_.filePath("data");
    fixtures::writeIdxDataset(data_, 512, 120, 8, false);  // 16 steps an epoch at batch 32
}

void TestReplay::replaysTheMapAsItFormed() {
    auto window = fixtures::openTestWindow(data_, {3});
    QVERIFY(window);
    fixtures::runControl(*window).startTraining();
    QTRY_VERIFY_WITH_TIMEOUT(window->controller().state() == vae::TrainingController::State::Idle, fixtures::kEventTimeoutMs);
    vae::LatentReplay* replay = fixtures::part<vae::LatentReplay>(*window);
    // The untrained model; steps 10, 20, 30, 40; the ends of the three epochs (16, 32, 48).
    const auto& timeline = replay->timeline();
    QCOMPARE(timeline.size(), 1 + 4 + 3);
    QCOMPARE(timeline.at(0).step, qint64(0));
    QCOMPARE(timeline.at(timeline.size() - 1).step, qint64(48));
    QVERIFY(fixtures::part<vae::ReplayBar>(*window)->isLive());

    // Snapshot 2 (step 16, the end of the first epoch): its grid and its scatter.
    QTRY_VERIFY(fixtures::part<vae::LatentExplorer>(*window)->encoded() && fixtures::part<vae::LatentExplorer>(*window)->encoded()->epochsTrained == 3);
    QSignalSpy shown(replay, &vae::LatentReplay::frameShown);
    fixtures::part<vae::ReplayBar>(*window)->setPosition(2);
    QVERIFY(shown.wait(fixtures::kEventTimeoutMs));
    QVERIFY(replay->isReplaying());
    const vae::ReplaySnapshot& snapshot = timeline.at(2);
    QCOMPARE(snapshot.step, qint64(16));
    const vae::GridSpec spec = fixtures::part<vae::LatentExplorer>(*window)->gridSpec();
    vae::Decoder decoder(snapshot.decoder);
    const QImage expectedGrid =
        vae::tileImages(decoder.decode(spec.plane.pointsAt(vae::latentGrid(spec.size, spec.range))), spec.size, 8, 0);
    QCOMPARE(fixtures::part<vae::LatentMapWidget>(*window)->gridImage(), expectedGrid);
    vae::Encoder encoder(snapshot.encoder);
    const QByteArray& pixels = fixtures::part<vae::LatentExplorer>(*window)->dataset().testPixels;
    const auto encodings = encoder.encode(reinterpret_cast<const std::uint8_t*>(pixels.constData()), std::size_t(pixels.size()));
    const auto projected = spec.plane.project(encodings.mu);
    const auto& positions = fixtures::part<vae::LatentMapWidget>(*window)->scatter().positions();
    QCOMPARE(positions.size(), 120);
    for (int i = 0; i < 120; ++i)
        QVERIFY(std::abs(positions[i].x() - projected[2 * i]) < 1e-5 && std::abs(positions[i].y() - projected[2 * i + 1]) < 1e-5);
    // Live live again: the model as it is now.
    fixtures::part<vae::ReplayBar>(*window)->setPosition(timeline.size());
    QVERIFY(!replay->isReplaying());
    QTRY_VERIFY(std::abs(fixtures::part<vae::LatentMapWidget>(*window)->scatter().positions()[0].x() -
                         fixtures::part<vae::LatentExplorer>(*window)->plane().plane.project(fixtures::part<vae::LatentExplorer>(*window)->encoded()->encodings.muOf(0))[0]) < 1e-6);

    // Play runs through to live.
    replay->togglePlay();
    QTRY_VERIFY_WITH_TIMEOUT(fixtures::part<vae::ReplayBar>(*window)->isLive() && !replay->isReplaying(), fixtures::kEventTimeoutMs);

    // The GIF: one frame per snapshot, the grid of 20x20 8-pixel images.
    QSignalSpy exported(replay, &vae::LatentReplay::exported);
    const QString gif = dir_.filePath("replay.gif");
    replay->exportGif(gif, 150);
    QVERIFY(exported.wait(fixtures::kEventTimeoutMs));
    QCOMPARE(exported.first().at(1).toString(), QString());
    QImageReader reader(gif);
    QCOMPARE(reader.imageCount(), timeline.size());
    QCOMPARE(reader.size(), QSize(160, 160));
    reader.read();
    QCOMPARE(reader.nextImageDelay(), 150);

    // Saved with "keep", the model replays again when it is opened.
    fixtures::part<vae::ReplayBar>(*window)->setKeepInSavedModels(true);
    const QString kept = dir_.filePath("kept.pt");
    QSignalSpy saved(&window->controller(), &vae::TrainingController::checkpointSaved);
    fixtures::files(*window).saveModel(kept);
    QVERIFY(saved.wait(fixtures::kEventTimeoutMs));
    const int snapshots = timeline.size();

    // A new model starts a new replay.
    fixtures::runControl(*window).resetModel();
    QTRY_COMPARE(replay->timeline().size(), 0);
    fixtures::files(*window).openModel(kept);
    QTRY_COMPARE(replay->timeline().size(), snapshots);
    QCOMPARE(replay->timeline().at(snapshots - 1).step, qint64(48));
}

QTEST_MAIN(TestReplay)
#include "tst_replay.moc"
