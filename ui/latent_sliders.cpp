#include "latent_sliders.h"

#include "latent_analysis.h"

#include <QGridLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSlider>
#include <QVBoxLayout>

namespace vae {

LatentSliders::LatentSliders(QWidget* parent) : QWidget(parent) {
    auto* content = new QWidget;
    grid_ = new QGridLayout(content);
    grid_->setColumnStretch(1, 1);
    auto* scroll = new QScrollArea;
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    auto* reset = new QPushButton(tr("All to 0"));
    reset->setToolTip(tr("Put the plane back through its own origin"));
    connect(reset, &QPushButton::clicked, this, [this] { setOffset(std::vector<float>(std::size_t(latentDim()), 0.0f)); });
    auto* note = new QLabel(tr("Each slider moves the map's plane along one latent dimension; KL is that "
                               "dimension's mean KL on the test set, in nats."));
    note->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(note);
    layout->addWidget(scroll, 1);
    layout->addWidget(reset);
}

void LatentSliders::setLatentDim(int latentDim, double range) {
    if (latentDim == this->latentDim()) {
        for (QSlider* slider : sliders_) slider->setRange(-int(range * kStepsPerUnit), int(range * kStepsPerUnit));
        return;
    }
    while (QLayoutItem* item = grid_->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    sliders_.clear();
    values_.clear();
    kls_.clear();
    for (int d = 0; d < latentDim; ++d) {
        auto* slider = new QSlider(Qt::Horizontal);
        slider->setRange(-int(range * kStepsPerUnit), int(range * kStepsPerUnit));
        slider->setToolTip(tr("z%1: moves the plane along this dimension").arg(d + 1));
        auto* value = new QLabel;
        value->setMinimumWidth(QFontMetrics(value->font()).horizontalAdvance("-00.00"));
        auto* kl = new QLabel;
        kl->setMinimumWidth(QFontMetrics(kl->font()).horizontalAdvance("KL 000.00 "));
        grid_->addWidget(new QLabel(QString("z%1").arg(d + 1)), d, 0);
        grid_->addWidget(slider, d, 1);
        grid_->addWidget(value, d, 2);
        grid_->addWidget(kl, d, 3);
        sliders_ << slider;
        values_ << value;
        kls_ << kl;
        connect(slider, &QSlider::valueChanged, this, [this, d] {
            showValue(d);
            emit offsetChanged();
        });
        showValue(d);
    }
    grid_->setRowStretch(latentDim, 1);
}

void LatentSliders::setKl(const std::vector<double>& klPerDim, const std::vector<double>& meanVariance) {
    for (int d = 0; d < kls_.size() && d < int(klPerDim.size()); ++d) {
        const bool active = d < int(meanVariance.size()) && meanVariance[std::size_t(d)] > LatentSummary::kActiveThreshold;
        kls_[d]->setText(QString("KL %1").arg(klPerDim[std::size_t(d)], 0, 'f', 2));
        kls_[d]->setStyleSheet(active ? QString() : QString("color: gray;"));
        kls_[d]->setToolTip(active ? tr("active") : tr("inactive: the encoder's mean barely varies along it"));
    }
}

void LatentSliders::setPlaneAxes(const std::vector<bool>& inPlane) {
    for (int d = 0; d < sliders_.size(); ++d) {
        const bool spanned = d < int(inPlane.size()) && inPlane[std::size_t(d)];
        sliders_[d]->setEnabled(!spanned);
        sliders_[d]->setToolTip(spanned ? tr("z%1 is one of the map's axes").arg(d + 1)
                                        : tr("z%1: moves the plane along this dimension").arg(d + 1));
    }
}

std::vector<float> LatentSliders::offset() const {
    std::vector<float> values;
    for (const QSlider* slider : sliders_) values.push_back(float(slider->value()) / kStepsPerUnit);
    return values;
}

void LatentSliders::setOffset(const std::vector<float>& offset) {
    for (int d = 0; d < sliders_.size() && d < int(offset.size()); ++d) {
        const QSignalBlocker quiet(sliders_[d]);
        sliders_[d]->setValue(int(std::lround(offset[std::size_t(d)] * kStepsPerUnit)));
        showValue(d);
    }
    emit offsetChanged();
}

void LatentSliders::showValue(int dimension) {
    values_[dimension]->setText(QString::number(double(sliders_[dimension]->value()) / kStepsPerUnit, 'f', 2));
}

}  // namespace vae
