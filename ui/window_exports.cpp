#include "window_exports.h"

#include "file_export.h"
#include "image_convert.h"
#include "image_panels.h"
#include "latent_explorer.h"
#include "latent_map_widget.h"
#include "latent_replay.h"
#include "latent_walks.h"
#include "command_options.h"
#include "message_bar.h"
#include "training_controller.h"
#include "replay_bar.h"
#include "walk_panel.h"
#include "window_state.h"

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QMenu>

namespace vae {

WindowExports::WindowExports(QWidget* window, const ExportSources& sources, const WindowState& state, MessageBar* messages)
    : QObject(window), window_(window), sources_(sources), state_(state), messages_(messages) {
    setObjectName("exports");
    connectExplorerButtons();
}

QString WindowExports::exportDecodedPoint(const QString& path, int scale) {
    const QImage& decoded = sources_.decoded->image();
    if (decoded.isNull()) return path + ": no decoded point yet (click the latent map)";
    return saveImageAtomically(path, decoded.scaled(decoded.size() * std::max(1, scale), Qt::IgnoreAspectRatio,
                                                    Qt::FastTransformation));
}

QString WindowExports::exportLatentGrid(const QString& path, int tileSize) {
    if (sources_.map->gridImage().isNull()) return path + ": the latent map is empty";
    return saveImageAtomically(path, retileGrid(sources_.map->gridImage(), sources_.map->gridImageTiles(), tileSize));
}

QString WindowExports::exportSamples(const QString& path) {
    if (sources_.samples->image().isNull()) return path + ": no samples yet";
    return saveImageAtomically(path, sources_.samples->image());
}

QString WindowExports::exportReconstructions(const QString& path) {
    if (sources_.reconstructions->image().isNull()) return path + ": no reconstructions yet (load a dataset)";
    return saveImageAtomically(path, sources_.reconstructions->image());
}

QString WindowExports::exportLossHistory(const QString& path) { return writeLossHistory(path, state_.history); }
QString WindowExports::exportLatentMap(const QString& path, int side) { return sources_.explorer->exportMap(path, side); }
QString WindowExports::exportEncodings(const QString& path) { return sources_.explorer->exportEncodings(path); }

void WindowExports::exportModel(const QString& path) {
    const ExportFormat format = path.endsWith(".onnx", Qt::CaseInsensitive) ? ExportFormat::Onnx : ExportFormat::TorchScript;
    sources_.controller->exportModel(path, format, ExportPart::Vae);
}

void WindowExports::exportWebPage(const QString& dir) { sources_.controller->exportWebPage(dir, options::kWebPoints.defaultValue); }

QString WindowExports::askSavePath(const QString& title, const QString& fileName, const QString& filter) {
    const QString path = QFileDialog::getSaveFileName(window_, title, QDir(folder_).filePath(fileName), filter);
    if (!path.isEmpty()) folder_ = QFileInfo(path).absolutePath();
    return path;
}

void WindowExports::report(const QString& error, const QString& path) {
    if (error.isEmpty()) messages_->showStatus(tr("Exported %1").arg(path));
    else messages_->showMessage(error);
}

void WindowExports::addMenu(QMenu* file) {
    QMenu* menu = file->addMenu(tr("&Export"));
    // One entry: its text, its shortcut, and what it asks for before the path.
    const auto add = [this, menu](const QString& text, const QKeySequence& shortcut, auto run) {
        QAction* action = menu->addAction(text, this, run);
        action->setShortcut(shortcut);
        action->setObjectName("export-" + QString(text).remove('&').remove(QString::fromUtf8("…")).section(" (", 0, 0)
                                              .trimmed().toLower().replace(' ', '-'));
    };
    const auto simple = [this](const QString& title, const QString& name, const QString& filter, auto write) {
        return [=] {
            const QString path = askSavePath(title, name, filter);
            if (!path.isEmpty()) report(write(path), path);
        };
    };
    add(tr("Decoded &point (28×28)…"), {}, simple(tr("Export decoded point"), "point.png", "PNG (*.png)",
                                                  [this](const QString& p) { return exportDecodedPoint(p, 1); }));
    add(tr("Decoded point (&upscaled ×8)…"), {}, simple(tr("Export decoded point"), "point-x8.png", "PNG (*.png)",
                                                       [this](const QString& p) { return exportDecodedPoint(p, 8); }));
    add(tr("Latent &grid…"), QKeySequence(Qt::CTRL | Qt::Key_E), [this, simple] {
        bool ok = false;
        const int tile = QInputDialog::getInt(window_, tr("Export latent grid"), tr("Tile size in pixels"),
                                              state_.model.config.imageCols, 4, 512, 1, &ok);
        if (ok) simple(tr("Export latent grid"), "latent_grid.png", "PNG (*.png)",
                       [this, tile](const QString& p) { return exportLatentGrid(p, tile); })();
    });
    add(tr("Latent &map with the data (PNG)…"), {}, [this, simple] {
        bool ok = false;
        const int side = QInputDialog::getInt(window_, tr("Export latent map"), tr("Width and height in pixels"), 1200,
                                              64, 8192, 100, &ok);
        if (ok) simple(tr("Export latent map"), "latent_map.png", "PNG (*.png)",
                       [this, side](const QString& p) { return exportLatentMap(p, side); })();
    });
    add(tr("&Encodings of the test set (CSV)…"), {}, simple(tr("Export encodings"), "encodings.csv", "CSV (*.csv)",
                                                            [this](const QString& p) { return exportEncodings(p); }));
    add(tr("&Samples…"), {}, simple(tr("Export samples"), "samples.png", "PNG (*.png)",
                                    [this](const QString& p) { return exportSamples(p); }));
    add(tr("&Reconstructions…"), {}, simple(tr("Export reconstructions"), "reconstructions.png", "PNG (*.png)",
                                            [this](const QString& p) { return exportReconstructions(p); }));
    add(tr("&Loss history (CSV)…"), {}, simple(tr("Export loss history"), "metrics.csv", "CSV (*.csv)",
                                               [this](const QString& p) { return exportLossHistory(p); }));
    menu->addSeparator();
    add(tr("M&odel (ONNX or TorchScript)…"), {}, [this] {
        const QString path = askSavePath(tr("Export the model"), "model.onnx", "ONNX (*.onnx);;TorchScript (*.pt)");
        if (!path.isEmpty()) exportModel(path);
    });
    add(tr("&Web explorer (a folder)…"), {}, [this] {
        const QString dir = askSavePath(tr("Export a web explorer (a new folder)"), "latent-space", QString());
        if (!dir.isEmpty()) exportWebPage(dir);
    });
    const QList<QAction*> modelExports = menu->actions().mid(menu->actions().size() - 2);
    // Only a trained model, and only while nothing trains (the training thread writes it).
    connect(menu, &QMenu::aboutToShow, this, [this, modelExports] {
        for (QAction* action : modelExports) action->setEnabled(state_.model.epochsTrained > 0 && !sources_.controller->isBusy());
    });
}

// The explorer's own export buttons ask for a path and report as the menu's exports do.
void WindowExports::connectExplorerButtons() {
    connect(sources_.replayBar, &ReplayBar::exportGifClicked, this, [this] {
        const QString path = askSavePath(tr("Export the replay"), "replay.gif", "GIF (*.gif)");
        if (!path.isEmpty()) sources_.replay->exportGif(path);
    });
    connect(sources_.controller, &TrainingController::modelExported, this, [this](const QString& path) { report({}, path); });
    connect(sources_.replay, &LatentReplay::exported, this,
            [this](const QString& path, const QString& error) { report(error, path); });
    connect(sources_.walkPanel, &WalkPanel::exportPngRequested, this, [this] {
        const QString path = askSavePath(tr("Export walk"), "walk.png", "PNG (*.png)");
        if (!path.isEmpty()) report(sources_.walks->exportPng(path), path);
    });
    connect(sources_.walkPanel, &WalkPanel::exportGifRequested, this, [this] {
        const QString path = askSavePath(tr("Export walk"), "walk.gif", "GIF (*.gif)");
        if (!path.isEmpty()) report(sources_.walks->exportGif(path), path);
    });
}

}  // namespace vae
