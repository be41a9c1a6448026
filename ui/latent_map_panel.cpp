#include "latent_map_panel.h"

#include "latent_map_widget.h"

#include <QCheckBox>
#include <QComboBox>
#include <QSignalBlocker>
#include <QDoubleSpinBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QMimeData>
#include <QSlider>
#include <QSpinBox>
#include <QIcon>
#include <QPixmap>
#include <QVBoxLayout>

namespace vae {

LatentMapPanel::LatentMapPanel(LatentMapWidget* map, QWidget* parent)
    : QGroupBox(tr("Latent map — click or drag to decode a point, click a data point to select it, drop a picture "
                   "to place it"),
                parent) {
    setAcceptDrops(true);
    gridSize_ = new QSpinBox;
    gridSize_->setRange(2, 60);
    gridSize_->setValue(GridSpec{}.size);
    gridSize_->setPrefix(tr("grid "));
    gridRange_ = new QDoubleSpinBox;
    gridRange_->setRange(0.1, 20);
    gridRange_->setSingleStep(0.5);
    gridRange_->setValue(GridSpec{}.range);
    gridRange_->setPrefix(tr("range ±"));
    planeMode_ = new QComboBox;
    planeMode_->addItem(tr("Two axes"), int(PlaneMode::Axes));
    planeMode_->addItem(tr("PCA of the data"), int(PlaneMode::Pca));
    planeMode_->addItem(tr("Through two points"), int(PlaneMode::ThroughPoints));
    planeMode_->setToolTip(tr("The plane through latent space the map shows. 'Through two points' uses the last two "
                              "test images you selected and the centre of the data."));
    axisX_ = new QSpinBox;
    axisY_ = new QSpinBox;
    axisX_->setPrefix(tr("x: z"));
    axisY_->setPrefix(tr("y: z"));
    for (QSpinBox* axis : {axisX_, axisY_}) axis->setRange(1, 2);
    axisY_->setValue(2);
    axisX_->setToolTip(tr("The latent axes the map spans; the sliders set the other dimensions"));
    axisY_->setToolTip(axisX_->toolTip());
    planeMessage_ = new QLabel;
    planeMessage_->setStyleSheet("color: #9a3412;");
    planeMessage_->hide();

    for (QAbstractSpinBox* box : std::initializer_list<QAbstractSpinBox*>{gridSize_, gridRange_})
        connect(box, &QAbstractSpinBox::editingFinished, this, &LatentMapPanel::gridChanged);
    connect(gridSize_, &QSpinBox::valueChanged, this, &LatentMapPanel::gridChanged);
    connect(gridRange_, &QDoubleSpinBox::valueChanged, this, &LatentMapPanel::gridChanged);
    for (QSpinBox* box : {axisX_, axisY_}) connect(box, &QSpinBox::valueChanged, this, &LatentMapPanel::planeChanged);
    connect(planeMode_, &QComboBox::currentIndexChanged, this, [this] {
        const bool axes = planeChoice().mode == PlaneMode::Axes;
        axisX_->setVisible(axes);
        axisY_->setVisible(axes);
        emit planeChanged();
    });

    showPoints_ = new QCheckBox(tr("Data"));
    showPoints_->setChecked(true);
    showPoints_->setToolTip(tr("The encoded test set (posterior means), coloured by label"));
    showImages_ = new QCheckBox(tr("Images"));
    showImages_->setToolTip(tr("A few hundred test images, chosen evenly, drawn where they encode"));
    showGrid_ = new QCheckBox(tr("Decoded grid"));
    showGrid_->setChecked(true);
    colourBy_ = new QComboBox;
    colourBy_->setObjectName("colourBy");
    colourBy_->setToolTip(tr("What colours the points: the class, or a factor of variation on a colour bar"));
    colourBy_->addItem(tr("colour: class"), -1);
    colourBy_->setVisible(false);
    connect(colourBy_, &QComboBox::currentIndexChanged, this, &LatentMapPanel::styleChanged);
    count_ = new QSpinBox;
    count_->setRange(100, 60000);
    count_->setSingleStep(1000);
    count_->setValue(10000);
    count_->setPrefix(tr("points "));
    count_->setToolTip(tr("How many test images to encode and show (at most the test set)"));
    pointSize_ = new QSpinBox;
    pointSize_->setRange(1, 20);
    pointSize_->setValue(ScatterStyle{}.pointSize);
    pointSize_->setPrefix(tr("size "));
    opacity_ = new QSlider(Qt::Horizontal);
    opacity_->setRange(5, 100);
    opacity_->setValue(int(ScatterStyle{}.opacity * 100));
    opacity_->setMaximumWidth(90);
    opacity_->setToolTip(tr("Opacity of the data points"));
    for (QCheckBox* box : {showPoints_, showImages_, showGrid_})
        connect(box, &QCheckBox::toggled, this, &LatentMapPanel::styleChanged);
    connect(pointSize_, &QSpinBox::valueChanged, this, &LatentMapPanel::styleChanged);
    connect(opacity_, &QSlider::valueChanged, this, &LatentMapPanel::styleChanged);
    connect(count_, &QSpinBox::editingFinished, this, &LatentMapPanel::countChanged);

    filterRow_ = new QWidget;
    auto* filterLayout = new QGridLayout(filterRow_);
    filterLayout->setContentsMargins(0, 0, 0, 0);
    filterLayout->setHorizontalSpacing(6);
    filterLayout->setVerticalSpacing(0);

    auto* planeRow = new QHBoxLayout;
    for (QWidget* control : std::initializer_list<QWidget*>{gridSize_, gridRange_, planeMode_, axisX_, axisY_})
        planeRow->addWidget(control);
    planeRow->addWidget(planeMessage_, 1);
    planeRow->addStretch();
    auto* dataRow = new QHBoxLayout;
    for (QWidget* control : std::initializer_list<QWidget*>{showPoints_, showImages_, showGrid_, colourBy_, count_, pointSize_})
        dataRow->addWidget(control);
    dataRow->addWidget(new QLabel(tr("opacity")));
    dataRow->addWidget(opacity_);
    dataRow->addStretch();
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(planeRow);
    layout->addLayout(dataRow);
    layout->addWidget(filterRow_);
    layout->addWidget(map, 1);
}

int LatentMapPanel::gridSize() const { return gridSize_->value(); }
double LatentMapPanel::range() const { return gridRange_->value(); }
bool LatentMapPanel::showGrid() const { return showGrid_->isChecked(); }
int LatentMapPanel::encodedCount() const { return count_->value(); }

PlaneChoice LatentMapPanel::planeChoice() const {
    PlaneChoice choice;
    choice.mode = PlaneMode(planeMode_->currentData().toInt());
    choice.axisX = axisX_->value() - 1;
    choice.axisY = axisY_->value() - 1;
    choice.pointA = pointA_;
    choice.pointB = pointB_;
    return choice;
}

ScatterStyle LatentMapPanel::scatterStyle() const {
    ScatterStyle style;
    style.points = showPoints_->isChecked();
    style.images = showImages_->isChecked();
    style.pointSize = pointSize_->value();
    style.opacity = opacity_->value() / 100.0;
    style.colourBy = colourBy_->currentData().toInt();
    return style;
}

QVector<bool> LatentMapPanel::visibleLabels() const {
    QVector<bool> visible;
    for (const QCheckBox* button : labelButtons_) visible << button->isChecked();
    return visible;
}

void LatentMapPanel::setLatentDim(int latentDim) {
    for (QSpinBox* axis : {axisX_, axisY_}) {
        axis->setRange(1, std::max(2, latentDim));
        axis->setEnabled(latentDim > 2);
    }
}

void LatentMapPanel::setFactorNames(const std::vector<std::string>& names) {
    QStringList offered;
    for (int i = 1; i < colourBy_->count(); ++i) offered << colourBy_->itemText(i);
    QStringList wanted;
    for (const auto& name : names) wanted << tr("colour: %1").arg(QString::fromStdString(name));
    colourBy_->setVisible(!names.empty());
    if (offered == wanted) return;  // the same factors keep the choice
    const QSignalBlocker quiet(colourBy_);
    while (colourBy_->count() > 1) colourBy_->removeItem(1);
    for (int i = 0; i < wanted.size(); ++i) colourBy_->addItem(wanted[i], i);
    colourBy_->setCurrentIndex(0);
}

void LatentMapPanel::setColourBy(int factor) { colourBy_->setCurrentIndex(std::max(0, colourBy_->findData(factor))); }

void LatentMapPanel::setClassNames(const QStringList& names) {
    QStringList shown;
    for (const QCheckBox* button : labelButtons_) shown << button->property("className").toString();
    if (shown == names) return;  // the same classes keep their filter
    qDeleteAll(labelButtons_);
    labelButtons_.clear();
    auto* layout = static_cast<QGridLayout*>(filterRow_->layout());
    while (QLayoutItem* item = layout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    layout->addWidget(new QLabel(tr("Show:")), 0, 0);
    // Short names (digits) in one row; longer ones (Fashion-MNIST's, the emoji groups) in rows of
    // about 66 characters, so the map's column never grows wider than the window.
    qsizetype longest = 1;
    for (const QString& name : names) longest = std::max(longest, name.size());
    const int perRow = names.join("").size() <= 30 ? std::max(1, int(names.size()))
                                                   : int(std::clamp<qsizetype>(66 / (longest + 4), 1, 5));
    for (int label = 0; label < names.size(); ++label) {
        // A class name's '&' ("Smileys & Emotion") is a character, not a shortcut marker.
        auto* button = new QCheckBox(QString(names[label]).replace('&', "&&"));
        button->setProperty("className", names[label]);
        button->setChecked(true);
        button->setToolTip(tr("Show or hide label %1 on the map").arg(names[label].toHtmlEscaped()));  // tooltips render rich text
        QPixmap swatch(12, 12);
        swatch.fill(ScatterLayer::labelColour(label));
        button->setIcon(QIcon(swatch));
        connect(button, &QCheckBox::toggled, this, &LatentMapPanel::styleChanged);
        layout->addWidget(button, label / perRow, 1 + label % perRow);
        labelButtons_ << button;
    }
    layout->setColumnStretch(perRow + 1, 1);
}

void LatentMapPanel::setPlanePoints(int first, int second) {
    pointA_ = first;
    pointB_ = second;
    if (planeChoice().mode == PlaneMode::ThroughPoints) emit planeChanged();
}

void LatentMapPanel::setPlaneMode(PlaneMode mode) { planeMode_->setCurrentIndex(planeMode_->findData(int(mode))); }

void LatentMapPanel::setPlaneMessage(const QString& text) {
    planeMessage_->setText(text);
    planeMessage_->setVisible(!text.isEmpty());
}

void LatentMapPanel::setShowPoints(bool show) { showPoints_->setChecked(show); }
void LatentMapPanel::setShowImages(bool show) { showImages_->setChecked(show); }
void LatentMapPanel::addBelowMap(QWidget* widget) { layout()->addWidget(widget); }

namespace {

// The first local file a drag carries: what a file manager or a browser's saved image gives.
QString droppedFile(const QMimeData* data) {
    for (const QUrl& url : data->urls())
        if (url.isLocalFile()) return url.toLocalFile();
    return {};
}

}  // namespace

void LatentMapPanel::dragEnterEvent(QDragEnterEvent* event) {
    if (!droppedFile(event->mimeData()).isEmpty()) event->acceptProposedAction();
}

void LatentMapPanel::dropEvent(QDropEvent* event) {
    const QString path = droppedFile(event->mimeData());
    if (path.isEmpty()) return;
    event->acceptProposedAction();
    emit pictureDropped(path);
}

}  // namespace vae
