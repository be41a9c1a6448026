// Responsiveness of the real window, idle and while training on MNIST:
//   click -> enlarged image painted, 20x20 grid decode time, the longest GUI event-loop stall
//   (a 5 ms timer probe), and resident memory. Run under a real X server: bench/gui_bench.sh.
// `gui_bench soak SECONDS` instead trains while clicking and dragging (bench/soak.sh), and
// `gui_bench colour SECONDS` measures a 64x64 colour model (gui_bench_colour.cpp).
#include "drawing_pad.h"
#include "gif_writer.h"
#include "latent_analysis.h"
#include "latent_replay.h"
#include "latent_walks.h"
#include "replay_bar.h"
#include "walk_panel.h"
#include "latent_explorer.h"
#include "latent_map_widget.h"
#include "latent_sliders.h"
#include "loss_chart.h"
#include "image_panels.h"
#include "main_window.h"
#include "message_bar.h"
#include "run_control.h"
#include "settings_panel.h"

#include "gui_measures.h"

#include <QMouseEvent>

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QThread>
#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <cstdio>

namespace vae::bench {
namespace {
RunControl& runControl(MainWindow& window) { return *part<RunControl>(window); }
QString message(MainWindow& window) { return part<MessageBar>(window)->message(); }
}  // namespace

// The data on the map: encoding the test set (in the encode thread) and the event-loop stalls
// while it happens, repainting the map with every point, and a slider move -> re-decoded point
// and grid. `label` prefixes every line.
void measureExplorer(vae::MainWindow& window, const QString& label) {
    auto& controller = window.controller();
    QSignalSpy encoded(&controller, &vae::TrainingController::testSetEncoded);
    Stats encodeMs, summaryMs;
    // Re-encodings on demand (as each epoch and every 2 s of training asks for one), while a
    // 5 ms timer probes the event loop.
    QTimer again;
    int flip = 0;
    QObject::connect(&again, &QTimer::timeout, [&] { controller.setEncodedCount(10000 - (flip++ % 2)); });
    again.start(400);
    const StallReport stalls = measureStalls(4000);
    again.stop();
    encoded.wait(3000);
    for (const auto& arguments : encoded) {
        const auto result = arguments.at(0).value<vae::EncodedTestSet>();
        encodeMs.values.push_back(result.encodeMilliseconds);
        summaryMs.values.push_back(result.summaryMilliseconds);
    }
    controller.setEncodedCount(10000);
    print(label + QString("encode %1 test images: ").arg(part<vae::LatentMapWidget>(window)->scatter().count()) + encodeMs.summary("ms"));
    print(label + "KL, activity and PCA of them: " + summaryMs.summary("ms"));
    print(label + "event-loop stalls while re-encoding every 0.4 s for 4 s: " + stalls.summary());

    auto* map = part<vae::LatentMapWidget>(window);
    Stats full, cached;
    for (int i = 0; i < 20; ++i) {
        map->scatterChanged();  // new positions: the scatter is drawn again
        QElapsedTimer timer;
        timer.start();
        map->repaint();
        full.values.push_back(timer.nsecsElapsed() / 1e6);
        timer.restart();
        map->repaint();  // a hover or marker repaint reuses the drawn scatter
        cached.values.push_back(timer.nsecsElapsed() / 1e6);
    }
    print(label + QString("repaint the map with %1 points: ").arg(map->scatter().count()) + full.summary("ms") +
          "; hover repaint " + cached.summary("ms"));

    // Slider moves with a decoded spot: the time until the re-decoded point is painted, and the
    // re-decoded grid's decode time.
    auto* sliders = part<vae::LatentSliders>(window);
    const int dim = sliders->latentDim();
    part<vae::LatentExplorer>(window)->decodeAt(QPointF(0.5, -0.5));
    QSignalSpy shown(&window, &vae::MainWindow::decodedPointShown);
    QSignalSpy grids(&controller, &vae::TrainingController::gridDecoded);
    Stats point, grid;
    for (int i = 0; i < 40; ++i) {
        std::vector<float> offset(std::size_t(dim), 0.0f);
        offset[std::size_t(dim - 1)] = 0.05f * float(i % 20) - 0.5f;  // the last dimension: off the plane (for 2 axes too when dim > 2)
        shown.clear();
        QElapsedTimer timer;
        timer.start();
        sliders->setOffset(offset);
        if (shown.wait(2000)) point.values.push_back(timer.nsecsElapsed() / 1e6);
        QTest::qWait(30);  // a slider drag sends a few moves per frame at most
    }
    grids.wait(500);
    for (const auto& arguments : grids) grid.values.push_back(arguments.at(0).value<vae::DecodedGrid>().decodeMilliseconds);
    print(label + QString("slider move -> re-decoded point painted (%1-D): ").arg(dim) + point.summary("ms"));
    print(label + QString("slider move -> 20x20 grid decode (%1-D): ").arg(dim) + grid.summary("ms"));
    sliders->setOffset(std::vector<float>(std::size_t(dim), 0.0f));
}

// Walks: a 16-image strip from setting an endpoint to the strip shown (what an endpoint dragged
// with the mouse costs per move), the drawing pad's encode-as-you-draw, and a 30-frame GIF of the
// 20x20 grid.
void measureWalks(vae::MainWindow& window, const QString& label) {
    auto* walks = part<vae::LatentWalks>(window);
    const int dim = window.modelInfo().config.latentDim;
    QSignalSpy shown(walks, &vae::LatentWalks::resultShown);
    Stats strip;
    walks->setEndpointLatent(0, std::vector<float>(std::size_t(dim), -1.5f), "A");
    for (int i = 0; i < 30; ++i) {
        std::vector<float> b(std::size_t(dim), 1.5f);
        b[0] = float(-1 + 0.1 * i);  // the endpoint moves, as in a drag
        shown.clear();
        QElapsedTimer timer;
        timer.start();
        walks->setEndpointLatent(1, b, "B");
        if (shown.wait(2000)) strip.values.push_back(timer.nsecsElapsed() / 1e6);
        QTest::qWait(20);
    }
    print(label + QString("endpoint moved -> %1-image strip shown: ").arg(walks->frames().size()) + strip.summary("ms"));

    auto* pad = part<vae::WalkPanel>(window)->pad();
    QSignalSpy placed(walks, &vae::LatentWalks::drawingPlaced);
    Stats drawing;
    for (int i = 0; i < 30; ++i) {
        placed.clear();
        QElapsedTimer timer;
        timer.start();
        pad->drawStroke({QPointF(60 + i, 40), QPointF(150, 60 + i), QPointF(90, 180)});
        if (placed.wait(2000)) drawing.values.push_back(timer.nsecsElapsed() / 1e6);
        QTest::qWait(20);
    }
    pad->clear();
    print(label + "drawing-pad stroke -> encoded and placed on the map: " + drawing.summary("ms"));

    QVector<QImage> frames;
    const QImage grid = part<vae::LatentMapWidget>(window)->gridImage().convertToFormat(QImage::Format_Grayscale8);
    for (int i = 0; i < 30; ++i) frames << grid.transformed(QTransform().rotate(i % 2 ? 0 : 180));
    QElapsedTimer timer;
    timer.start();
    const QString error = vae::writeGifAtomically(QDir::temp().filePath("vae-bench.gif"), frames, {100, 0});
    print(label + QString("GIF of 30 frames of the %1x%2 grid: %3 ms %4")
                      .arg(grid.width()).arg(grid.height()).arg(timer.nsecsElapsed() / 1e6, 0, 'f', 0).arg(error));
    QFile::remove(QDir::temp().filePath("vae-bench.gif"));
}

// Replay scrubbing: the slider dragged across the snapshots while a 5 ms timer probes the loop.
void measureScrubbing(vae::MainWindow& window) {
    auto* bar = part<vae::ReplayBar>(window);
    const int count = part<vae::LatentReplay>(window)->timeline().size();
    if (count < 2) return print("replay: no snapshots to scrub");
    int position = 0;
    QTimer scrub;
    QObject::connect(&scrub, &QTimer::timeout, [&] { bar->setPosition(position++ % count); });
    scrub.start(30);
    const StallReport stalls = measureStalls(4000);
    scrub.stop();
    bar->setPosition(count);  // live
    print(QString("replay: %1 snapshots, %2 MB; event-loop stalls while scrubbing every 30 ms for 4 s: %3")
              .arg(count).arg(double(part<vae::LatentReplay>(window)->timeline().bytes()) / (1 << 20), 0, 'f', 0).arg(stalls.summary()));
}

// PCA (torch's SVD) of 10,000 x d encoder means, outside the window.
void measurePca() {
    for (int d : {2, 8, 16, 64}) {
        vae::Encodings encodings{10000, d, vae::priorSamples(10000, d, 1), std::vector<float>(std::size_t(10000) * d, 0.0f)};
        Stats ms;
        for (int i = 0; i < 10; ++i) {
            QElapsedTimer timer;
            timer.start();
            const auto summary = vae::summarizeEncodings(encodings);
            ms.values.push_back(timer.nsecsElapsed() / 1e6);
        }
        print(QString("KL, activity and PCA of 10,000 x %1 means (GUI-side thread count): ").arg(d) + ms.summary("ms"));
    }
}

// Soak: trains for `seconds` while clicking and dragging on the map without pause, and prints
// a line a minute: resident memory, training throughput, longest event-loop stall, clicks served.
int soak(vae::MainWindow& window, int seconds) {
    vae::RunSettings settings = part<vae::SettingsPanel>(window)->settings();
    settings.training.epochs = 100000;  // longer than any soak
    part<vae::SettingsPanel>(window)->setSettings(settings);
    runControl(window).startTraining();
    if (!QTest::qWaitFor([&] { return part<vae::LossChart>(window)->plottedTrainPoints() > 0; }, 10000)) return 1;

    QElapsedTimer clock;
    clock.start();
    qint64 lastTick = clock.nsecsElapsed();
    double minuteStall = 0, worstStall = 0;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        minuteStall = std::max(minuteStall, (now - lastTick) / 1e6 - 5.0);
        lastTick = now;
    });
    probe.start(5);

    int served = 0;
    QObject::connect(&window, &vae::MainWindow::decodedPointShown, [&] { ++served; });
    auto* map = part<vae::LatentMapWidget>(window);
    QPoint cursor = map->mapRect().center();
    bool pressed = false;
    QTimer driver;  // a press, a stream of drag moves, a release, and again
    QObject::connect(&driver, &QTimer::timeout, [&] {
        const QRect area = map->mapRect();
        auto* random = QRandomGenerator::global();
        if (!pressed) {
            cursor = area.topLeft() + QPoint(random->bounded(area.width()), random->bounded(area.height()));
            QTest::mousePress(map, Qt::LeftButton, {}, cursor);
            pressed = true;
        } else if (random->bounded(12) == 0) {
            QTest::mouseRelease(map, Qt::LeftButton, {}, cursor);
            pressed = false;
        } else {
            cursor += QPoint(random->bounded(25) - 12, random->bounded(25) - 12);
            cursor.setX(std::clamp(cursor.x(), area.left(), area.right()));
            cursor.setY(std::clamp(cursor.y(), area.top(), area.bottom()));
            QMouseEvent move(QEvent::MouseMove, cursor, map->mapToGlobal(cursor), Qt::NoButton, Qt::LeftButton, {});
            QCoreApplication::sendEvent(map, &move);
        }
    });
    driver.start(20);

    const double startMb = residentMegabytes();
    double warmMb = 0;
    print(QString("soak: %1 s of training with continuous clicks and drags; start %2 MB").arg(seconds).arg(startMb, 0, 'f', 0));
    print("minute  resident_MB  images_per_s  longest_stall_ms  points_decoded");
    for (int minute = 1; minute * 60 <= seconds; ++minute) {
        QEventLoop loop;
        QTimer::singleShot(60000, &loop, &QEventLoop::quit);
        loop.exec();
        const double mb = residentMegabytes();
        if (minute == 2) warmMb = mb;  // after warm-up: allocator pools, glyph caches, first epochs
        const auto& steps = part<vae::LossChart>(window)->steps();
        print(QString("%1  %2  %3  %4  %5")
                  .arg(minute, 6).arg(mb, 11, 'f', 0).arg(steps.empty() ? 0 : steps.back().imagesPerSecond, 12, 'f', 0)
                  .arg(minuteStall, 16, 'f', 1).arg(served, 14));
        worstStall = std::max(worstStall, minuteStall);
        minuteStall = 0;
        served = 0;
    }
    driver.stop();
    const double endMb = residentMegabytes();
    print(QString("soak: resident %1 MB after warm-up (minute 2), %2 MB at the end: growth %3 MB; longest stall %4 ms")
              .arg(warmMb, 0, 'f', 0).arg(endMb, 0, 'f', 0).arg(endMb - warmMb, 0, 'f', 0).arg(worstStall, 0, 'f', 1));
    runControl(window).stopTraining();
    if (!QTest::qWaitFor([&] { return !window.controller().isBusy(); }, 5000)) print("soak: training did not stop within 5 s");
    return 0;
}

}  // namespace vae::bench

int main(int argc, char* argv[]) {
    using namespace vae::bench;
    TimedApplication app(argc, argv);
    QCoreApplication::setOrganizationName("vae-explorer-bench");
    const bool soakMode = argc > 1 && QByteArray(argv[1]) == "soak";
    const bool colourMode = argc > 1 && QByteArray(argv[1]) == "colour";
    const int named = soakMode || colourMode;
    const int seconds = argc > 1 + named ? QByteArray(argv[1 + named]).toInt() : 20;
    vae::MainWindow window;
    window.setAskToSaveOnClose(false);
    window.resize(1400, 900);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window)) return 1;
    if (!QTest::qWaitFor([&] { return !part<vae::LatentMapWidget>(window)->gridImage().isNull(); }, 10000) ||
        !QTest::qWaitFor([&] { return !part<vae::ImagePanel>(window, "reconstructions")->image().isNull(); }, 10000)) {  // MNIST loaded
        print("the window never showed a map and reconstructions (is MNIST installed?)");
        return 1;
    }
    print(QString("resident memory, MNIST loaded, idle: %1 MB").arg(residentMegabytes(), 0, 'f', 0));
    if (soakMode) return soak(window, seconds);
    if (colourMode) return colourBench(window, app, seconds);

    print("idle:     click -> painted: " + measureClicks(window, 100).summary("ms"));
    print("idle:     20x20 grid decode: " + measureGrids(window, 30).summary("ms"));
    print("idle:     event-loop stalls over 3 s: " + measureStalls(3000).summary());

    if (!QTest::qWaitFor([&] { return part<vae::LatentMapWidget>(window)->scatter().count() > 0; }, 10000)) print("the test set never reached the map");
    measureExplorer(window, "idle:     ");
    print(QString("idle:     slowest single event: %1 ms (%2)").arg(app.slowest, 0, 'f', 1).arg(app.slowestWhat));
    app.slowest = 0;
    runControl(window).startTraining();
    if (!QTest::qWaitFor([&] { return part<vae::LossChart>(window)->plottedTrainPoints() > 0; }, 10000)) {
        print("training did not start: " + message(window));
        return 1;
    }
    print(QString("training: event-loop stalls over %1 s: ").arg(seconds) + measureStalls(seconds * 1000).summary());
    // Nobody touched the window during those seconds: this is what the CLI's figure compares with.
    if (!part<vae::LossChart>(window)->steps().empty())
        print(QString("training throughput in the untouched window: %1 images/s")
                  .arg(part<vae::LossChart>(window)->steps().back().imagesPerSecond, 0, 'f', 0));
    print(QString("training: slowest single event: %1 ms (%2)").arg(app.slowest, 0, 'f', 1).arg(app.slowestWhat));
    print("training: click -> painted: " + measureClicks(window, 100).summary("ms"));
    print("training: 20x20 grid decode: " + measureGrids(window, 30).summary("ms"));
    measureExplorer(window, "training: ");
    measureWalks(window, "training: ");
    print(QString("resident memory while training: %1 MB").arg(residentMegabytes(), 0, 'f', 0));
    const auto& steps = part<vae::LossChart>(window)->steps();
    if (!steps.empty())
        print(QString("training throughput in the window after the clicks, drags and walks: %1 images/s")
                  .arg(steps.back().imagesPerSecond, 0, 'f', 0));
    runControl(window).stopTraining();
    QElapsedTimer stopping;
    stopping.start();
    const bool stopped = QTest::qWaitFor([&] { return !window.controller().isBusy(); }, 5000);
    print(QString("stop -> idle: %1 ms").arg(stopping.elapsed()));
    if (!stopped) return 1;
    measureScrubbing(window);
    measureWalks(window, "idle:     ");

    // An 8-D model on its PCA plane, with a slider per dimension.
    vae::RunSettings settings = part<vae::SettingsPanel>(window)->settings();
    settings.model.latentDim = 8;
    part<vae::SettingsPanel>(window)->setSettings(settings);
    runControl(window).resetModel();
    if (!QTest::qWaitFor([&] {
            const auto& encoded = part<vae::LatentExplorer>(window)->encoded();
            return encoded && encoded->encodings.latentDim == 8 && part<vae::LatentMapWidget>(window)->scatter().count() > 0;
        }, 10000)) {
        print("the 8-D model's encodings never reached the map");
        return 1;
    }
    measureExplorer(window, "idle, z=8: ");
    measurePca();
    return 0;
}
