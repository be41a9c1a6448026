// MainWindow: the settings column, the map column and the side column with its tabs.
#include "main_window.h"

#include "data_point_panel.h"
#include "image_panels.h"
#include "factors_panel.h"
#include "kl_chart.h"
#include "latent_explorer.h"
#include "latent_map_panel.h"
#include "latent_map_widget.h"
#include "latent_replay.h"
#include "latent_sliders.h"
#include "latent_walks.h"
#include "loss_chart.h"
#include "replay_bar.h"
#include "run_control.h"
#include "settings_panel.h"
#include "walk_panel.h"

#include <QAction>
#include <QCheckBox>
#include <QGridLayout>
#include <QPushButton>
#include <QResizeEvent>
#include <QScrollArea>
#include <QScrollBar>
#include <QTabWidget>
#include <QVBoxLayout>

namespace vae {
namespace {

// The side tabs in the order buildSideColumn adds them (the first two scroll, so are not the panels).
constexpr int kImagesTab = 0;
constexpr int kSelectedImageTab = 1;

// A tab page that scrolls when the window is short, so that its pictures set no minimum height
// on the window (a 1400 x 900 screen must hold it all).
QScrollArea* scrolling(QWidget* page) {
    auto* scroll = new QScrollArea;
    scroll->setWidget(page);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    return scroll;
}

}  // namespace

// The settings scroll; the buttons under them stay in view however tall the form grows.
QWidget* MainWindow::buildSettingsColumn() {
    auto* scroll = new QScrollArea;
    scroll->setWidget(settings_);
    scroll->setWidgetResizable(true);
    auto* buttons = new QGridLayout;
    int column = 0;
    for (QAction* action : run_->buttonActions()) {
        auto* button = new QPushButton;
        auto sync = [button, action] {
            button->setText(action->text().remove('&'));
            button->setEnabled(action->isEnabled());
            button->setToolTip(action->toolTip() + " (" + action->shortcut().toString(QKeySequence::NativeText) + ")");
        };
        sync();
        connect(action, &QAction::changed, button, sync);
        connect(button, &QPushButton::clicked, action, &QAction::trigger);
        buttons->addWidget(button, column / 2, column % 2);
        ++column;
    }
    auto* left = new QWidget;
    auto* layout = new QVBoxLayout(left);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll, 1);
    layout->addLayout(buttons);
    // Wide enough for the form beside a vertical scroll bar, at any font or scale: the column
    // never needs a horizontal one.
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    left->setMinimumWidth(settings_->minimumSizeHint().width() + scroll->verticalScrollBar()->sizeHint().width() +
                          2 * scroll->frameWidth());
    return left;
}

QWidget* MainWindow::buildMapColumn() {
    auto* mapPanel = new LatentMapPanel(map_);
    explorer_ = new LatentExplorer(controller_, {map_, mapPanel, sliders_, klChart_, dataPoint_}, this);
    walks_ = new LatentWalks(controller_, *explorer_, map_, walkPanel_, this);
    connect(mapPanel, &LatentMapPanel::pictureDropped, this, &MainWindow::placePicture);
    replayBar_ = new ReplayBar;
    mapPanel->addBelowMap(replayBar_);
    replay_ = new LatentReplay(controller_, *explorer_, map_, replayBar_, this);
    return mapPanel;
}

QWidget* MainWindow::buildSideColumn() {
    decodedPanel_ = new DecodedPointPanel;
    reconstructionsPanel_ = new ImagePanel(tr("Test images (odd rows) and reconstructions"),
                                           tr("Reconstructions appear once data is loaded"), tr("Refresh"));
    reconstructionsPanel_->setObjectName("reconstructions");
    connect(reconstructionsPanel_, &ImagePanel::buttonClicked, &controller_, &TrainingController::refreshReconstructions);
    samplesPanel_ = new ImagePanel(tr("Samples from the prior"), QString(), tr("New samples"));
    samplesPanel_->setObjectName("samples");
    connect(samplesPanel_, &ImagePanel::buttonClicked, this,
            [this] { controller_.requestSamples(kSampleCount, ++samplesSeed_); });

    auto* logScale = new QCheckBox(tr("Log scale for the loss chart"));
    connect(logScale, &QCheckBox::toggled, chart_, &LossChart::setLogScale);

    auto* images = new QWidget;
    auto* imagesLayout = new QVBoxLayout(images);
    imagesLayout->addWidget(reconstructionsPanel_, 1);
    imagesLayout->addWidget(samplesPanel_, 1);
    sideTabs_ = new QTabWidget;
    sideTabs_->addTab(scrolling(images), tr("Images"));
    sideTabs_->addTab(scrolling(dataPoint_), tr("Selected image"));
    sideTabs_->addTab(sliders_, tr("Sliders"));
    sideTabs_->addTab(walkPanel_, tr("Walk"));
    // Selecting a test image on the map shows it...
    connect(map_, &LatentMapWidget::dataPointClicked, this, [this] {
        // ...unless the user works in the Walk or Sliders tab, where a click chooses a point to use.
        if (sideTabs_->currentIndex() == kImagesTab) sideTabs_->setCurrentIndex(kSelectedImageTab);
    });

    auto* column = new QWidget;
    auto* layout = new QVBoxLayout(column);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(decodedPanel_);
    layout->addWidget(sideTabs_, 1);
    layout->addWidget(logScale);
    return column;
}

void MainWindow::showTab(const QString& name) {
    if (name == "point") sideTabs_->setCurrentIndex(kSelectedImageTab);
    else if (name == "sliders") sideTabs_->setCurrentWidget(sliders_);
    else if (name == "walk") sideTabs_->setCurrentWidget(walkPanel_);
    else if (name == "images") sideTabs_->setCurrentIndex(kImagesTab);
    else if (name == "loss" || name == "kl") {
        QWidget* page = name == "loss" ? static_cast<QWidget*>(chart_) : klChart_;
        bottomTabs_->setCurrentWidget(page);
        if (chartsInSideTabs_) sideTabs_->setCurrentWidget(bottomTabs_);
    }
}

void MainWindow::resizeEvent(QResizeEvent* event) {
    QMainWindow::resizeEvent(event);
    placeCharts(height() < kCompactHeight);
}

void MainWindow::placeCharts(bool inSideTabs) {
    if (inSideTabs == chartsInSideTabs_) return;
    chartsInSideTabs_ = inSideTabs;
    if (inSideTabs) {
        sideTabs_->addTab(bottomTabs_, tr("Charts"));  // the charts' own tabs, whole, as one more side tab
    } else {
        sideTabs_->removeTab(sideTabs_->indexOf(bottomTabs_));
        chartsSplitter_->addWidget(bottomTabs_);
        bottomTabs_->show();
    }
}

}  // namespace vae
