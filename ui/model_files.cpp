#include "model_files.h"

#include "dataset.h"
#include "latent_replay.h"
#include "message_bar.h"
#include "preferences.h"
#include "replay_bar.h"
#include "run_file.h"
#include "settings_panel.h"
#include "training_controller.h"
#include "window_exports.h"
#include "window_state.h"

#include <QAction>
#include <QFile>
#include <QFileDialog>
#include <QMenu>
#include <QMessageBox>

namespace vae {

ModelFiles::ModelFiles(QWidget* window, TrainingController& controller, SettingsPanel* settings, WindowState& state,
                       WindowExports* exports, MessageBar* messages, LatentReplay* replay, ReplayBar* replayBar)
    : QObject(window), window_(window), controller_(controller), settings_(settings), state_(state), exports_(exports),
      messages_(messages), replay_(replay), replayBar_(replayBar) {
    setObjectName("files");
    connect(&controller_, &TrainingController::checkpointSaved, this, [this](const QString& path) {
        state_.unsaved.modelSaved();
        messages_->showStatus(tr("Saved %1").arg(path));
        if (!state_.unsaved.saveThenClosePath().isEmpty()) window_->close();
    });
    connect(settings_, &SettingsPanel::openFolderRequested, this, [this] { openDataFolder({}); });
}

void ModelFiles::openModel(const QString& path) {
    messages_->clearMessage();
    controller_.openCheckpoint(path);
}

void ModelFiles::saveModel(const QString& path) { controller_.saveCheckpoint(path, replayToKeep()); }

std::vector<ReplaySnapshot> ModelFiles::replayToKeep() const {
    return replayBar_->keepInSavedModels() ? replay_->timeline().snapshots() : std::vector<ReplaySnapshot>{};
}

void ModelFiles::openDataFolder(const QString& chosen) {
    const QString path = chosen.isEmpty() ? QFileDialog::getExistingDirectory(
                                                window_, tr("Folder of IDX files, or of one subfolder of images per class"),
                                                exports_->folder())
                                          : chosen;
    if (path.isEmpty()) {
        settings_->setDataset(state_.dataset.spec.isEmpty() ? "mnist" : state_.dataset.spec);
        return;
    }
    settings_->setDataset(path);
    messages_->clearMessage();
    controller_.loadDataset(settings_->dataSettings());
}

void ModelFiles::openRunSettings(const QString& path) {
    try {
        const RunFileSettings fromFile = readRunFile(path);
        RunSettings settings = fromFile.settings;
        // A trained model keeps its shape: only the rest of the file applies to it.
        if (state_.model.steps > 0) settings.model = state_.model.config;
        settings_->setSettings(settings);
        if (state_.model.steps > 0) settings_->showModel(state_.model.config);
        controller_.loadDataset(settings_->dataSettings());  // a no-op when it is loaded
        messages_->clearMessage();
        if (fromFile.defaultsNote.isEmpty()) messages_->showStatus(tr("Settings from %1").arg(path));
        else messages_->showMessage(fromFile.defaultsNote);
    } catch (const std::exception& error) {
        messages_->showMessage(QString::fromUtf8(error.what()));
    }
}

QString ModelFiles::saveRunSettings(const QString& path) {
    try {
        RunSettings settings = settings_->settings();
        if (state_.model.steps > 0) settings.model = state_.model.config;
        return writeRunFile(path, settings);
    } catch (const std::exception& error) {
        return QString::fromUtf8(error.what());
    }
}

void ModelFiles::loadPreferences() {
    settings_->setSettings(rememberedRunSettings());
    exports_->setFolder(rememberedExportFolder());
}

void ModelFiles::savePreferences() const {
    try {
        rememberRunSettings(settings_->settings());
    } catch (const std::exception&) {
        // Invalid fields are not remembered; the previous values stay.
    }
    rememberExportFolder(exports_->folder());
}

void ModelFiles::loadDefaultDataset() {
    const QString spec = settings_->dataset();
    const QString folder = spec == "mnist" ? QString::fromStdString(mnistFolder())
                           : spec == "fashion-mnist" ? QString::fromStdString(fashionMnistFolder()) : spec;
    if (spec == "mnist" && !QFile::exists(folder + "/train-images-idx3-ubyte") &&
        !QFile::exists(folder + "/train-images-idx3-ubyte.gz")) {
        messages_->showMessage(tr("MNIST is not installed in %1. Run scripts/fetch-mnist.sh to get it (or scripts/setup.sh), "
                                  "or choose Fashion-MNIST or a folder of IDX files. Opening a saved model works without data.")
                                   .arg(folder));
        return;
    }
    controller_.loadDataset(settings_->dataSettings());
}

bool ModelFiles::mayDiscardModel() {
    if (!state_.unsaved.unsaved() || !state_.askToSaveOnClose) return true;
    // As closing asks: Save, Discard or Cancel.
    const auto answer = QMessageBox::question(window_, tr("Unsaved model"),
                                              tr("The trained model has not been saved and will be replaced. Save it first?"),
                                              QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Cancel) return false;
    if (answer == QMessageBox::Save) {
        const QString path = exports_->askSavePath(tr("Save model"), "checkpoint.pt", tr("Checkpoints (*.pt)"));
        if (path.isEmpty()) return false;
        // The worker takes its calls in order: the model is saved before what replaces it.
        controller_.saveCheckpoint(path, replayToKeep());
    }
    return true;
}

bool ModelFiles::closeRequested() {
    switch (state_.unsaved.closeRequested(state_.askToSaveOnClose)) {
    case UnsavedModel::CloseStep::StayOpen:
        return false;
    case UnsavedModel::CloseStep::Ask: {
        const auto answer = QMessageBox::question(
            window_, tr("Unsaved model"), tr("The trained model has not been saved. Save it before closing?"),
            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
        if (answer == QMessageBox::Cancel) return false;
        if (answer == QMessageBox::Save) {
            const QString path = exports_->askSavePath(tr("Save model"), "checkpoint.pt", tr("Checkpoints (*.pt)"));
            if (path.isEmpty()) return false;
            state_.unsaved.saveThenClose(path);
            if (controller_.isBusy()) controller_.stop();  // saved once the worker is idle
            else controller_.saveCheckpoint(path, replayToKeep());
            return false;
        }
        break;  // Discard
    }
    case UnsavedModel::CloseStep::Close:
        break;
    }
    savePreferences();
    return true;
}

void ModelFiles::saveBeforeClosingIfAsked() {
    if (!state_.unsaved.saveThenClosePath().isEmpty()) controller_.saveCheckpoint(state_.unsaved.saveThenClosePath(), replayToKeep());
}

void ModelFiles::addMenuActions(QMenu* file) {
    open_ = file->addAction(tr("&Open model…"), this, [this] {
        if (!mayDiscardModel()) return;
        const QString path = QFileDialog::getOpenFileName(window_, tr("Open model"), exports_->folder(),
                                                          tr("Checkpoints (*.pt);;All files (*)"));
        if (!path.isEmpty()) openModel(path);
    });
    open_->setShortcut(QKeySequence::Open);
    save_ = file->addAction(tr("&Save model…"), this, [this] {
        const QString path = exports_->askSavePath(tr("Save model"), "checkpoint.pt", tr("Checkpoints (*.pt)"));
        if (!path.isEmpty()) saveModel(path);
    });
    save_->setShortcut(QKeySequence::Save);
    file->addAction(tr("Open data &folder…"), this, [this] { openDataFolder({}); })
        ->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    file->addSeparator();
    file->addAction(tr("Open &run settings…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(window_, tr("Open run settings"), exports_->folder(),
                                                          tr("Run files (*.json);;All files (*)"));
        if (!path.isEmpty()) openRunSettings(path);
    });
    file->addAction(tr("Save run se&ttings…"), this, [this] {
        const QString path = exports_->askSavePath(tr("Save run settings"), "run.json", tr("Run files (*.json)"));
        if (!path.isEmpty()) exports_->report(saveRunSettings(path), path);
    });
    for (QAction* action : file->actions())  // "open-model", ...: for tests and accessibility tools
        action->setObjectName(action->text().remove('&').remove(QString::fromUtf8("…")).trimmed().toLower().replace(' ', '-'));
}

}  // namespace vae
