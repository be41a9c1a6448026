#pragma once
// The real main window, shown (offscreen in tests), on a fixture dataset, with small settings.
#include "main_window.h"

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

}  // namespace fixtures
