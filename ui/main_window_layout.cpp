// MainWindow: the map column and the side column with its tabs.
#include "main_window.h"

#include "data_point_panel.h"
#include "image_panels.h"
#include "kl_chart.h"
#include "latent_explorer.h"
#include "latent_map_panel.h"
#include "latent_map_widget.h"
#include "latent_replay.h"
#include "latent_sliders.h"
#include "latent_walks.h"
#include "loss_chart.h"
#include "replay_bar.h"
#include "walk_panel.h"

#include <QCheckBox>
#include <QTabWidget>
#include <QVBoxLayout>

namespace vae {

QWidget* MainWindow::buildMapColumn() {
    mapPanel_ = new LatentMapPanel(map_);
    explorer_ = new LatentExplorer(controller_, {map_, mapPanel_, sliders_, klChart_, dataPoint_}, this);
    walks_ = new LatentWalks(controller_, *explorer_, map_, walkPanel_, this);
    replayBar_ = new ReplayBar;
    mapPanel_->addBelowMap(replayBar_);
    replay_ = new LatentReplay(controller_, *explorer_, map_, replayBar_, this);
    connectExplorerExports();
    return mapPanel_;
}

QWidget* MainWindow::buildSideColumn() {
    decodedPanel_ = new DecodedPointPanel;
    reconstructionsPanel_ = new ImagePanel(tr("Test images (odd rows) and reconstructions"),
                                           tr("Reconstructions appear once data is loaded"), tr("Refresh"));
    connect(reconstructionsPanel_, &ImagePanel::buttonClicked, &controller_, &TrainingController::refreshReconstructions);
    samplesPanel_ = new ImagePanel(tr("Samples from the prior"), QString(), tr("New samples"));
    connect(samplesPanel_, &ImagePanel::buttonClicked, this,
            [this] { controller_.requestSamples(kSampleCount, ++samplesSeed_); });

    logScale_ = new QCheckBox(tr("Log scale for the loss chart"));
    connect(logScale_, &QCheckBox::toggled, chart_, &LossChart::setLogScale);

    auto* images = new QWidget;
    auto* imagesLayout = new QVBoxLayout(images);
    imagesLayout->addWidget(reconstructionsPanel_, 1);
    imagesLayout->addWidget(samplesPanel_, 1);
    sideTabs_ = new QTabWidget;
    sideTabs_->addTab(images, tr("Images"));
    sideTabs_->addTab(dataPoint_, tr("Selected image"));
    sideTabs_->addTab(sliders_, tr("Sliders"));
    sideTabs_->addTab(walkPanel_, tr("Walk"));
    // Selecting a test image on the map shows it...
    connect(map_, &LatentMapWidget::dataPointClicked, this, [this] {
        // ...unless the user works in the Walk or Sliders tab, where a click chooses a point to use.
        if (sideTabs_->currentIndex() == 0) sideTabs_->setCurrentWidget(dataPoint_);
    });

    auto* column = new QWidget;
    auto* layout = new QVBoxLayout(column);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(decodedPanel_);
    layout->addWidget(sideTabs_, 1);
    layout->addWidget(logScale_);
    return column;
}

void MainWindow::showTab(const QString& name) {
    if (name == "point") sideTabs_->setCurrentWidget(dataPoint_);
    else if (name == "sliders") sideTabs_->setCurrentWidget(sliders_);
    else if (name == "walk") sideTabs_->setCurrentWidget(walkPanel_);
    else if (name == "images") sideTabs_->setCurrentIndex(0);
    else if (name == "loss") bottomTabs_->setCurrentWidget(chart_);
    else if (name == "kl") bottomTabs_->setCurrentWidget(klChart_);
}

}  // namespace vae
