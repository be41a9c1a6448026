#include "window_fixture.h"

#include "settings_panel.h"

#include <QTest>

namespace fixtures {

std::unique_ptr<vae::MainWindow> openTestWindow(const QString& dataFolder, const WindowSettings& wanted) {
    auto window = std::make_unique<vae::MainWindow>();
    window->setAskToSaveOnClose(false);
    window->show();
    if (!QTest::qWaitForWindowExposed(window.get())) return nullptr;
    window->openDataFolder(dataFolder);
    vae::RunSettings settings;
    settings.dataset = dataFolder.toStdString();
    settings.model.encoderHidden = {wanted.hidden};
    settings.model.decoderHidden = {wanted.hidden};
    settings.training.epochs = wanted.epochs;
    settings.training.batchSize = wanted.batchSize;
    settings.training.learningRate = wanted.learningRate;
    window->settingsPanel()->setSettings(settings);
    return window;
}

}  // namespace fixtures
