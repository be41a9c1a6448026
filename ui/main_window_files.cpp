// MainWindow: actions, files (models, data folders, exports), preferences and closing.
#include "dataset.h"
#include "file_export.h"
#include "latent_explorer.h"
#include "latent_replay.h"
#include "replay_bar.h"
#include "latent_walks.h"
#include "likelihood_evaluation.h"
#include "walk_panel.h"
#include "image_panels.h"
#include "preferences.h"
#include "image_convert.h"
#include "latent_map_widget.h"
#include "loss_chart.h"
#include "main_window.h"
#include "run_file.h"
#include "settings_panel.h"

#include <QAction>
#include <QCloseEvent>
#include <QDir>
#include <QFileDialog>
#include <QInputDialog>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>

namespace vae {

void MainWindow::buildActions() {
    auto make = [this](const QString& text, const QKeySequence& shortcut, auto slot) {
        auto* action = new QAction(text, this);
        // "start", "pause", "open-run-settings", ...: for tests and accessibility tools.
        action->setObjectName(QString(text).remove('&').remove(QString::fromUtf8("…")).section(" (", 0, 0)
                                  .trimmed().toLower().replace(' ', '-'));
        action->setShortcut(shortcut);
        action->setToolTip(QString(text).remove('&').remove("…"));
        connect(action, &QAction::triggered, this, slot);
        return action;
    };
    startAction_ = make(tr("&Start"), QKeySequence(Qt::Key_F5), [this] { startTraining(); });
    pauseAction_ = make(tr("&Pause"), QKeySequence(Qt::Key_F6), [this] { togglePause(); });
    stopAction_ = make(tr("S&top"), QKeySequence(Qt::SHIFT | Qt::Key_F5), [this] { stopTraining(); });
    resetAction_ = make(tr("&Reset (new model)"), QKeySequence(Qt::CTRL | Qt::Key_R), [this] {
        if (mayDiscardModel()) resetModel();
    });
    openAction_ = make(tr("&Open model…"), QKeySequence::Open, [this] {
        if (!mayDiscardModel()) return;
        const QString path = QFileDialog::getOpenFileName(this, tr("Open model"), exportFolder_,
                                                          tr("Checkpoints (*.pt);;All files (*)"));
        if (!path.isEmpty()) openModel(path);
    });
    saveAction_ = make(tr("&Save model…"), QKeySequence::Save, [this] {
        const QString path = askExportPath(tr("Save model"), "checkpoint.pt", tr("Checkpoints (*.pt)"));
        if (!path.isEmpty()) saveModel(path);
    });
    auto* openData = make(tr("Open data &folder…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O),
                          [this] { openDataFolder({}); });
    auto report = [this](const QString& error, const QString& path) { reportExport(error, path); };
    auto* exportPoint = make(tr("Decoded &point (28×28)…"), {}, [this, report] {
        const QString path = askExportPath(tr("Export decoded point"), "point.png", "PNG (*.png)");
        if (!path.isEmpty()) report(exportDecodedPoint(path, 1), path);
    });
    auto* exportPointLarge = make(tr("Decoded point (&upscaled ×8)…"), {}, [this, report] {
        const QString path = askExportPath(tr("Export decoded point"), "point-x8.png", "PNG (*.png)");
        if (!path.isEmpty()) report(exportDecodedPoint(path, 8), path);
    });
    auto* exportGrid = make(tr("Latent &grid…"), QKeySequence(Qt::CTRL | Qt::Key_E), [this, report] {
        bool ok = false;
        const int tile = QInputDialog::getInt(this, tr("Export latent grid"), tr("Tile size in pixels"),
                                              model_.config.imageCols, 4, 512, 1, &ok);
        if (!ok) return;
        const QString path = askExportPath(tr("Export latent grid"), "latent_grid.png", "PNG (*.png)");
        if (!path.isEmpty()) report(exportLatentGrid(path, tile), path);
    });
    auto* exportSamples = make(tr("&Samples…"), {}, [this, report] {
        const QString path = askExportPath(tr("Export samples"), "samples.png", "PNG (*.png)");
        if (!path.isEmpty()) report(this->exportSamples(path), path);
    });
    auto* exportRecon = make(tr("&Reconstructions…"), {}, [this, report] {
        const QString path = askExportPath(tr("Export reconstructions"), "reconstructions.png", "PNG (*.png)");
        if (!path.isEmpty()) report(exportReconstructions(path), path);
    });
    auto* exportMap = make(tr("Latent &map with the data (PNG)…"), {}, [this, report] {
        bool ok = false;
        const int side = QInputDialog::getInt(this, tr("Export latent map"), tr("Width and height in pixels"), 1200, 64,
                                              8192, 100, &ok);
        if (!ok) return;
        const QString path = askExportPath(tr("Export latent map"), "latent_map.png", "PNG (*.png)");
        if (!path.isEmpty()) report(exportLatentMap(path, side), path);
    });
    auto* exportEncodings = make(tr("&Encodings of the test set (CSV)…"), {}, [this, report] {
        const QString path = askExportPath(tr("Export encodings"), "encodings.csv", "CSV (*.csv)");
        if (!path.isEmpty()) report(this->exportEncodings(path), path);
    });
    auto* exportHistory = make(tr("&Loss history (CSV)…"), {}, [this, report] {
        const QString path = askExportPath(tr("Export loss history"), "metrics.csv", "CSV (*.csv)");
        if (!path.isEmpty()) report(exportLossHistory(path), path);
    });
    auto* openRun = make(tr("Open &run settings…"), {}, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open run settings"), exportFolder_,
                                                          tr("Run files (*.json);;All files (*)"));
        if (!path.isEmpty()) openRunSettings(path);
    });
    auto* saveRun = make(tr("Save run se&ttings…"), {}, [this, report] {
        const QString path = askExportPath(tr("Save run settings"), "run.json", tr("Run files (*.json)"));
        if (!path.isEmpty()) report(saveRunSettings(path), path);
    });
    auto* quit = make(tr("&Quit"), QKeySequence::Quit, [this] { close(); });
    evaluateAction_ = make(tr("Evaluate &log-likelihood…"), QKeySequence(Qt::CTRL | Qt::Key_L), [this] {
        clearMessage();
        likelihood_->ask(dataset_.testCount);
    });

    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addActions({openAction_, saveAction_, openData});
    file->addSeparator();
    file->addActions({openRun, saveRun});
    QMenu* exports = file->addMenu(tr("&Export"));
    exports->addActions({exportPoint, exportPointLarge, exportGrid, exportMap, exportEncodings, exportSamples, exportRecon,
                         exportHistory});
    file->addSeparator();
    file->addAction(quit);
    QMenu* training = menuBar()->addMenu(tr("&Training"));
    training->addActions({startAction_, pauseAction_, stopAction_, resetAction_});
    training->addSeparator();
    training->addAction(evaluateAction_);
}

void MainWindow::openRunSettings(const QString& path) {
    try {
        RunSettings settings = readRunFile(path, settings_->settings());
        // A trained model keeps its shape: only the rest of the file applies to it.
        if (model_.steps > 0) settings.model = model_.config;
        settings_->setSettings(settings);
        if (model_.steps > 0) settings_->showModel(model_.config);
        controller_.loadDataset(settings_->dataSettings());  // a no-op when it is loaded
        clearMessage();
        statusBar()->showMessage(tr("Settings from %1").arg(path), 5000);
    } catch (const std::exception& error) {
        showMessage(QString::fromUtf8(error.what()));
    }
}

QString MainWindow::saveRunSettings(const QString& path) {
    try {
        RunSettings settings = settings_->settings();
        if (model_.steps > 0) settings.model = model_.config;
        return writeRunFile(path, settings);
    } catch (const std::exception& error) {
        return QString::fromUtf8(error.what());
    }
}

bool MainWindow::mayDiscardModel() {
    if (!unsaved_.unsaved() || !askToSaveOnClose_) return true;
    return QMessageBox::question(this, tr("Unsaved model"),
                                 tr("The trained model has not been saved and will be replaced. Continue?"),
                                 QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Cancel) == QMessageBox::Discard;
}

// The explorer's own export buttons (the walk's strip and GIF, the replay's GIF) ask for a path
// and report as the menu's exports do.
void MainWindow::connectExplorerExports() {
    connect(replayBar_, &ReplayBar::exportGifClicked, this, [this] {
        const QString path = askExportPath(tr("Export the replay"), "replay.gif", "GIF (*.gif)");
        if (!path.isEmpty()) replay_->exportGif(path);
    });
    connect(replay_, &LatentReplay::exported, this,
            [this](const QString& path, const QString& error) { reportExport(error, path); });
    connect(walkPanel_, &WalkPanel::exportPngRequested, this, [this] {
        const QString path = askExportPath(tr("Export walk"), "walk.png", "PNG (*.png)");
        if (!path.isEmpty()) reportExport(walks_->exportPng(path), path);
    });
    connect(walkPanel_, &WalkPanel::exportGifRequested, this, [this] {
        const QString path = askExportPath(tr("Export walk"), "walk.gif", "GIF (*.gif)");
        if (!path.isEmpty()) reportExport(walks_->exportGif(path), path);
    });
}

void MainWindow::reportExport(const QString& error, const QString& path) {
    if (error.isEmpty()) statusBar()->showMessage(tr("Exported %1").arg(path), 5000);
    else showMessage(error);
}

QString MainWindow::askExportPath(const QString& title, const QString& fileName, const QString& filter) {
    const QString path = QFileDialog::getSaveFileName(this, title, QDir(exportFolder_).filePath(fileName), filter);
    if (!path.isEmpty()) exportFolder_ = QFileInfo(path).absolutePath();
    return path;
}

void MainWindow::openModel(const QString& path) {
    clearMessage();
    controller_.openCheckpoint(path);
}

void MainWindow::saveModel(const QString& path) { controller_.saveCheckpoint(path, replayToKeep()); }

std::vector<ReplaySnapshot> MainWindow::replayToKeep() const {
    return replayBar_->keepInSavedModels() ? replay_->timeline().snapshots() : std::vector<ReplaySnapshot>{};
}

void MainWindow::openDataFolder(const QString& chosen) {
    const QString path = chosen.isEmpty() ? QFileDialog::getExistingDirectory(
                                                this, tr("Folder of IDX files, or of one subfolder of images per class"), exportFolder_)
                                          : chosen;
    if (path.isEmpty()) {
        settings_->setDataset(dataset_.spec.isEmpty() ? "mnist" : dataset_.spec);
        return;
    }
    settings_->setDataset(path);
    clearMessage();
    controller_.loadDataset(settings_->dataSettings());
}

QString MainWindow::exportDecodedPoint(const QString& path, int scale) {
    const QImage& decoded = decodedPanel_->image();
    if (decoded.isNull()) return path + ": no decoded point yet (click the latent map)";
    return saveImageAtomically(path, decoded.scaled(decoded.size() * std::max(1, scale),
                                                          Qt::IgnoreAspectRatio, Qt::FastTransformation));
}

QString MainWindow::exportLatentGrid(const QString& path, int tileSize) {
    if (map_->gridImage().isNull()) return path + ": the latent map is empty";
    return saveImageAtomically(path, retileGrid(map_->gridImage(), map_->spec().size, tileSize));
}

QString MainWindow::exportSamples(const QString& path) {
    if (samplesPanel_->image().isNull()) return path + ": no samples yet";
    return saveImageAtomically(path, samplesPanel_->image());
}

QString MainWindow::exportReconstructions(const QString& path) {
    if (reconstructionsPanel_->image().isNull()) return path + ": no reconstructions yet (load a dataset)";
    return saveImageAtomically(path, reconstructionsPanel_->image());
}

QString MainWindow::exportLossHistory(const QString& path) { return writeLossHistory(path, history_); }
QString MainWindow::exportLatentMap(const QString& path, int side) { return explorer_->exportMap(path, side); }
QString MainWindow::exportEncodings(const QString& path) { return explorer_->exportEncodings(path); }

void MainWindow::loadPreferences() {
    settings_->setSettings(rememberedRunSettings());
    exportFolder_ = rememberedExportFolder();
}

void MainWindow::savePreferences() const {
    try {
        rememberRunSettings(settings_->settings());
    } catch (const std::exception&) {
        // Invalid fields are not remembered; the previous values stay.
    }
    rememberExportFolder(exportFolder_);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    switch (unsaved_.closeRequested(askToSaveOnClose_)) {
    case UnsavedModel::CloseStep::StayOpen:
        return event->ignore();
    case UnsavedModel::CloseStep::Ask: {
        const auto answer = QMessageBox::question(
            this, tr("Unsaved model"), tr("The trained model has not been saved. Save it before closing?"),
            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
        if (answer == QMessageBox::Cancel) return event->ignore();
        if (answer == QMessageBox::Save) {
            const QString path = askExportPath(tr("Save model"), "checkpoint.pt", tr("Checkpoints (*.pt)"));
            if (path.isEmpty()) return event->ignore();
            unsaved_.saveThenClose(path);
            event->ignore();
            if (controller_.isBusy()) controller_.stop();  // saved once the worker is idle
            else controller_.saveCheckpoint(path, replayToKeep());
            return;
        }
        break;  // Discard
    }
    case UnsavedModel::CloseStep::Close:
        break;
    }
    savePreferences();
    event->accept();
}

void MainWindow::checkDefaultDataset() {
    const QString spec = settings_->dataset();
    const QString folder = spec == "mnist" ? QString::fromStdString(mnistFolder())
                           : spec == "fashion-mnist" ? QString::fromStdString(fashionMnistFolder()) : spec;
    if (spec == "mnist" && !QFile::exists(folder + "/train-images-idx3-ubyte") &&
        !QFile::exists(folder + "/train-images-idx3-ubyte.gz")) {
        showMessage(tr("MNIST is not installed in %1. Run scripts/fetch-mnist.sh to get it (or scripts/setup.sh), "
                       "or choose Fashion-MNIST or a folder of IDX files. Opening a saved model works without data.")
                        .arg(folder));
        return;
    }
    controller_.loadDataset(settings_->dataSettings());
}

}  // namespace vae
