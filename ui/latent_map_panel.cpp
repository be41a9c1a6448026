#include "latent_map_panel.h"

#include "latent_map_widget.h"

#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QSpinBox>
#include <QVBoxLayout>

namespace vae {

LatentMapPanel::LatentMapPanel(LatentMapWidget* map, QWidget* parent)
    : QGroupBox(tr("Latent map — click or drag to decode a point"), parent) {
    gridSize_ = new QSpinBox;
    gridSize_->setRange(2, 60);
    gridSize_->setValue(GridSpec{}.size);
    gridSize_->setPrefix(tr("grid "));
    gridRange_ = new QDoubleSpinBox;
    gridRange_->setRange(0.1, 20);
    gridRange_->setSingleStep(0.5);
    gridRange_->setValue(GridSpec{}.range);
    gridRange_->setPrefix(tr("range ±"));
    axisX_ = new QSpinBox;
    axisY_ = new QSpinBox;
    axisX_->setPrefix(tr("x: z"));
    axisY_->setPrefix(tr("y: z"));
    for (QSpinBox* axis : {axisX_, axisY_}) axis->setRange(1, 2);
    axisY_->setValue(2);
    axisX_->setToolTip(tr("The latent axes the map spans; the other dimensions stay at 0"));
    axisY_->setToolTip(axisX_->toolTip());
    for (QAbstractSpinBox* box : std::initializer_list<QAbstractSpinBox*>{gridSize_, gridRange_, axisX_, axisY_})
        connect(box, &QAbstractSpinBox::editingFinished, this, &LatentMapPanel::specChanged);
    for (QSpinBox* box : {gridSize_, axisX_, axisY_})
        connect(box, &QSpinBox::valueChanged, this, &LatentMapPanel::specChanged);
    connect(gridRange_, &QDoubleSpinBox::valueChanged, this, &LatentMapPanel::specChanged);

    auto* controls = new QHBoxLayout;
    for (QWidget* control : std::initializer_list<QWidget*>{gridSize_, gridRange_, axisX_, axisY_})
        controls->addWidget(control);
    controls->addStretch();
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(map, 1);
}

GridSpec LatentMapPanel::spec() const {
    GridSpec spec;
    spec.size = gridSize_->value();
    spec.range = gridRange_->value();
    spec.axisX = axisX_->value() - 1;
    spec.axisY = axisY_->value() - 1;
    return spec;
}

void LatentMapPanel::setLatentDim(int latentDim) {
    for (QSpinBox* axis : {axisX_, axisY_}) {
        axis->setRange(1, std::max(2, latentDim));
        axis->setEnabled(latentDim > 2);
    }
}

}  // namespace vae
