#pragma once
// The real main window, shown (offscreen in tests), on a fixture dataset, with small settings.
#include "data_point_panel.h"
#include "image_panels.h"
#include "main_window.h"
#include "message_bar.h"
#include "model_files.h"
#include "run_control.h"
#include "session.h"
#include "window_exports.h"

#include <memory>

namespace fixtures {

// The window's parts, reached as a user's tools would: by type, or by object name where a type
// appears more than once (MainWindow has no getters for tests). Null unless exactly one matches.
template <typename Part>
Part* part(vae::MainWindow& window, const char* name = nullptr) {
    const auto found = name ? window.findChildren<Part*>(QString::fromLatin1(name)) : window.findChildren<Part*>();
    return found.size() == 1 ? found.first() : nullptr;
}
inline vae::RunControl& runControl(vae::MainWindow& window) { return *part<vae::RunControl>(window); }
inline vae::ModelFiles& files(vae::MainWindow& window) { return *part<vae::ModelFiles>(window); }
inline vae::WindowExports& exports(vae::MainWindow& window) { return *part<vae::WindowExports>(window); }
inline QString message(vae::MainWindow& window) { return part<vae::MessageBar>(window)->message(); }

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
