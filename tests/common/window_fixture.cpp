#include "window_fixture.h"

#include "fixtures.h"
#include "latent_explorer.h"
#include "latent_map_widget.h"
#include "settings_panel.h"

#include <QFile>
#include <QTest>

namespace fixtures {

std::unique_ptr<vae::MainWindow> openTestWindow(const QString& dataFolder, const WindowSettings& wanted) {
    auto window = std::make_unique<vae::MainWindow>();
    window->setAskToSaveOnClose(false);
    window->show();
    if (!QTest::qWaitForWindowExposed(window.get())) return nullptr;
    // The folder's data arrives from the training thread: the tests start from it.
    // (A window that remembers the folder from an earlier test loads it at start.)
    fixtures::files(*window).openDataFolder(dataFolder);
    const auto folderLoaded = [&] { return fixtures::part<vae::LatentExplorer>(*window)->dataset().spec == dataFolder; };
    if (!QTest::qWaitFor(folderLoaded, kEventTimeoutMs)) {
        qWarning() << "the data folder never loaded:" << fixtures::message(*window);
        return nullptr;
    }
    vae::RunSettings settings;
    settings.dataset = dataFolder.toStdString();
    settings.model.encoderHidden = {wanted.hidden};
    settings.model.decoderHidden = {wanted.hidden};
    settings.training.epochs = wanted.epochs;
    settings.training.batchSize = wanted.batchSize;
    settings.training.learningRate = wanted.learningRate;
    fixtures::part<vae::SettingsPanel>(*window)->setSettings(settings);
    return window;
}

std::unique_ptr<vae::Session> trainedModel(const QString& dataFolder, const QString& path, int latent) {
    if (QFile::exists(path)) return std::make_unique<vae::Session>(vae::Session::fromCheckpoint(path.toStdString(), "cpu"));
    const auto data = vae::ImageDataset::load(dataFolder.toStdString());
    auto session = std::make_unique<vae::Session>(tinyModel(8, {32}, latent), "cpu", 2);
    vae::TrainOptions options;
    options.epochs = 2;
    options.batchSize = 32;
    options.learningRate = 3e-3;
    vae::TrainControl control;
    session->train(data, options, control);
    session->saveCheckpoint(path.toStdString());
    return session;
}

std::unique_ptr<vae::MainWindow> openWindowOnModel(const QString& dataFolder, const QString& path, int latent,
                                                   int testCount) {
    auto window = openTestWindow(dataFolder, {});
    if (!window) return nullptr;
    fixtures::files(*window).openModel(path);
    const auto placed = [&] {
        const auto& encoded = fixtures::part<vae::LatentExplorer>(*window)->encoded();
        return encoded && encoded->encodings.latentDim == latent && encoded->epochsTrained == 2 &&
               fixtures::part<vae::LatentMapWidget>(*window)->scatter().count() == testCount;
    };
    // Opening a checkpoint forks the memory-limited probe; under ThreadSanitizer its child can
    // block inside the sanitizer's allocator and is forked again after 20 s (archive_probe.cpp).
    if (!QTest::qWaitFor(placed, kEventTimeoutMs)) {
        const auto& encoded = fixtures::part<vae::LatentExplorer>(*window)->encoded();
        qWarning() << "the test set never reached the map:" << bool(encoded) << (encoded ? encoded->encodings.latentDim : -1)
                   << (encoded ? encoded->epochsTrained : -1) << fixtures::part<vae::LatentMapWidget>(*window)->scatter().count()
                   << fixtures::message(*window);
        return nullptr;
    }
    return window;
}

}  // namespace fixtures
