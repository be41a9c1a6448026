#pragma once
// The real main window, shown (offscreen in tests), on a fixture dataset, with small settings.
#include "main_window.h"
#include "session.h"

#include <memory>

namespace fixtures {

struct WindowSettings {
    int epochs = 1;
    int hidden = 32;
    int batchSize = 32;
    double learningRate = 3e-3;
};

// Returns null when the window could not be exposed.
std::unique_ptr<vae::MainWindow> openTestWindow(const QString& dataFolder, const WindowSettings& settings);

// A tiny model of `latent` dimensions trained two epochs by the core on the data in
// `dataFolder` and saved to `path` (once: an existing file is reused). Returns the session.
std::unique_ptr<vae::Session> trainedModel(const QString& dataFolder, const QString& path, int latent);
// A window on that data with the checkpoint opened, once the test set (testCount images) is on
// the map; null (with a warning saying what was missing) otherwise.
std::unique_ptr<vae::MainWindow> openWindowOnModel(const QString& dataFolder, const QString& path, int latent,
                                                   int testCount);

}  // namespace fixtures
