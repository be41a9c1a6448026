#pragma once
// What the window's parts share about the model and data on screen: the latest news from the
// training thread, kept by MainWindow and read by its run control, file actions and exports.
#include "boundary_types.h"
#include "unsaved_model.h"

namespace vae {

struct WindowState {
    ModelInfo model;
    DatasetInfo dataset;
    TrainingHistory history;  // the model's, as the worker reported it, plus live progress
    UnsavedModel unsaved;
    bool askToSaveOnClose = true;
};

}  // namespace vae
