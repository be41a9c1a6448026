// The window with a 64x64 colour model (the emoji preset's architecture on the emoji set drawn
// at 64 pixels), idle and while it trains: the goals are a click painted within one
// 60 Hz frame (median), the 20x20 grid of colour tiles painted within 300 ms of a change, and no
// event-loop stall over 50 ms.
#include "gui_measures.h"

#include "latent_map_widget.h"
#include "loss_chart.h"
#include "message_bar.h"
#include "run_control.h"
#include "presets.h"
#include "settings.h"
#include "settings_panel.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

namespace vae::bench {

namespace {

// Loads the emoji set at 64 pixels and makes the preset's model for it; false when either
// never arrives.
bool openColourModel(MainWindow& window) {
    auto* panel = part<SettingsPanel>(window);
    RunSettings settings = panel->settings();
    settings.dataset = "emoji";
    applyPreset("emoji", settings);
    settings.imageSize = 64;
    panel->setSettings(settings);
    QSignalSpy loaded(&window.controller(), &TrainingController::datasetLoaded);
    QElapsedTimer timer;
    timer.start();
    window.controller().loadDataset(panel->dataSettings());
    if (!loaded.wait(600000)) return false;
    print(QString("colour: emoji set at 64 px loaded (drawn the first time) in %1 s").arg(timer.elapsed() / 1000.0, 0, 'f', 1));
    part<RunControl>(window)->resetModel();
    auto* map = part<LatentMapWidget>(window);
    return QTest::qWaitFor([&] {
        const ModelConfig& config = window.modelInfo().config;
        return config.imageChannels == 3 && config.imageRows == 64 && map->scatter().count() > 0 &&
               map->gridImage().width() == 64 * map->spec().size && map->spec().plane.dim() == config.latentDim;
    }, 60000);
}

void measureAll(MainWindow& window, const QString& label, int stallSeconds) {
    print(label + "event-loop stalls over " + QString::number(stallSeconds) + " s: " + measureStalls(stallSeconds * 1000).summary());
    const Stats clicks = measureClicks(window, 60);
    print(label + "click -> decoded point painted: " + clicks.summary("ms") +
          QString(" (one 60 Hz frame is 16.7 ms: %1)").arg(clicks.median() <= 1000.0 / 60 ? "within" : "over"));
    const GridTimes painted = measureGridsPainted(window, 20);
    print(label + "20x20 grid of 64x64 colour tiles, asked -> painted whole: " + painted.whole.summary("ms") +
          QString(" (goal 300 ms: %1)").arg(painted.whole.median() <= 300 ? "met" : "not met"));
    print(label + "20x20 grid, asked -> first rows painted: " + painted.firstRows.summary("ms"));
    print(label + "20x20 grid decode alone: " + measureGrids(window, 10).summary("ms"));
}

}  // namespace

int colourBench(MainWindow& window, TimedApplication& app, int seconds) {
    if (!openColourModel(window)) {
        print("colour: the 64x64 emoji model never reached the map: " + part<MessageBar>(window)->message());
        return 1;
    }
    const ModelConfig& config = window.modelInfo().config;
    print(QString("colour: %1x%2x%3 conv model, z = %4; resident %5 MB")
              .arg(config.imageChannels).arg(config.imageRows).arg(config.imageCols).arg(config.latentDim)
              .arg(residentMegabytes(), 0, 'f', 0));
    app.slowest = 0;
    measureAll(window, "colour idle:     ", 3);
    print(QString("colour idle:     slowest single event: %1 ms (%2)").arg(app.slowest, 0, 'f', 1).arg(app.slowestWhat));

    auto& run = *part<RunControl>(window);
    run.startTraining();
    if (!QTest::qWaitFor([&] { return part<LossChart>(window)->plottedTrainPoints() > 0; }, 120000)) {
        print(QString("colour: training did not start (controller state %1, %2 steps): ")
                  .arg(int(window.controller().state())).arg(part<LossChart>(window)->steps().size()) +
              part<MessageBar>(window)->message());
        return 1;
    }
    app.slowest = 0;
    measureAll(window, "colour training: ", seconds);
    print(QString("colour training: slowest single event: %1 ms (%2)").arg(app.slowest, 0, 'f', 1).arg(app.slowestWhat));
    const auto& steps = part<LossChart>(window)->steps();
    if (!steps.empty()) print(QString("colour training: %1 images/s").arg(steps.back().imagesPerSecond, 0, 'f', 0));
    print(QString("colour: resident memory while training: %1 MB").arg(residentMegabytes(), 0, 'f', 0));
    run.stopTraining();
    return QTest::qWaitFor([&] { return !window.controller().isBusy(); }, 10000) ? 0 : 1;
}

}  // namespace vae::bench
