#include "factors_panel.h"

#include <QMouseEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace vae {
namespace {

constexpr int kMargin = 8;
constexpr int kHeadline = 28;  // the scores' line
constexpr int kColumnHeader = 22;

// White to deep blue over 0..1: a sequential map, readable in grey print too.
QColor shade(double share) {
    const double t = std::clamp(share, 0.0, 1.0);
    return QColor::fromRgbF(float(1 - 0.85 * t), float(1 - 0.65 * t), float(1 - 0.25 * t));
}

}  // namespace

FactorsPanel::FactorsPanel(QWidget* parent) : QWidget(parent) {
    setMinimumHeight(160);
    setMouseTracking(false);
}

void FactorsPanel::setScores(const std::optional<FactorScores>& scores, int images) {
    scores_ = scores;
    images_ = images;
    setToolTip(scores_ ? tr("Click a cell for the traversal of its dimension") : QString());
    update();
}

QString FactorsPanel::headline() const {
    if (!scores_) return tr("This data has no factors of variation. Train on sprites (--dataset sprites), or give an "
                            "image folder a factors.csv, to score which dimension learned which factor.");
    if (scores_->activeDimensions == 0)
        return tr("MIG %1 · FactorVAE score %2 · %3 test images, but every dimension has collapsed (its means "
                  "hardly vary): these measure binning noise, not disentanglement. Train longer or with a smaller β.")
            .arg(scores_->mig, 0, 'f', 3).arg(scores_->factorVaeScore, 0, 'f', 3).arg(images_);
    return tr("MIG %1 (over the %2 active dimensions: %3) · FactorVAE score %4 · %5 test images. Cells: mutual "
              "information in nats (shade: share of the factor's entropy; 20-bin histograms as disentanglement_lib)")
        .arg(scores_->mig, 0, 'f', 3).arg(scores_->activeDimensions).arg(scores_->migActive, 0, 'f', 3)
        .arg(scores_->factorVaeScore, 0, 'f', 3).arg(images_);
}

int FactorsPanel::rowHeaderWidth() const {
    int widest = 0;
    if (scores_)
        for (int d = 0; d < scores_->latentDim; ++d) widest = std::max(widest, fontMetrics().horizontalAdvance(rowLabel(d)));
    return widest + 12;
}

QRect FactorsPanel::gridRect() const {
    const int rowHeader = rowHeaderWidth();
    return QRect(kMargin + rowHeader, kMargin + kHeadline + kColumnHeader, width() - 2 * kMargin - rowHeader,
                 height() - 2 * kMargin - kHeadline - kColumnHeader);
}

QRect FactorsPanel::cellRect(int dimension, int factor) const { return scores_ ? cellIn(gridRect(), dimension, factor) : QRect(); }

QRect FactorsPanel::cellIn(const QRect& grid, int dimension, int factor) const {
    const int columns = int(scores_->factorNames.size()), rows = scores_->latentDim;
    const double w = double(grid.width()) / columns, h = double(grid.height()) / rows;
    return QRectF(grid.left() + factor * w, grid.top() + dimension * h, w, h).toAlignedRect().adjusted(0, 0, -1, -1);
}

QString FactorsPanel::rowLabel(int dimension) const {
    const int factor = scores_->factorOfDimension[std::size_t(dimension)];
    QString label = QString("z%1").arg(dimension + 1);
    if (factor >= 0) label += " · " + QString::fromStdString(scores_->factorNames[std::size_t(factor)]);
    if (scores_->collapsedDimension[std::size_t(dimension)]) label += tr(" (collapsed)");
    return label;
}

void FactorsPanel::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().window());
    painter.setPen(palette().windowText().color());
    painter.drawText(QRect(kMargin, kMargin, width() - 2 * kMargin, kHeadline), Qt::AlignLeft | Qt::AlignVCenter | Qt::TextWordWrap,
                     headline());
    if (!scores_) return;
    const QRect grid = gridRect();  // measures every row label: once a paint, not once a cell
    const int factors = int(scores_->factorNames.size());
    for (int f = 0; f < factors; ++f) {
        const QRect top = cellIn(grid, 0, f);
        QString name = QString::fromStdString(scores_->factorNames[std::size_t(f)]);
        if (scores_->constantFactor[std::size_t(f)]) name += tr(" (constant)");
        painter.drawText(QRect(top.left(), top.top() - kColumnHeader, top.width(), kColumnHeader), Qt::AlignCenter, name);
    }
    for (int d = 0; d < scores_->latentDim; ++d) {
        const QRect left = cellIn(grid, d, 0);
        painter.setPen(palette().windowText().color());
        painter.drawText(QRect(kMargin, left.top(), grid.left() - kMargin - 6, left.height()), Qt::AlignRight | Qt::AlignVCenter,
                         rowLabel(d));
        for (int f = 0; f < factors; ++f) {
            const QRect cell = cellIn(grid, d, f);
            const double entropy = scores_->factorEntropy[std::size_t(f)];
            const double mi = scores_->mutualInformationAt(d, f);
            const double share = entropy > 0 ? mi / entropy : 0;
            // A collapsed row's MI is binned noise: not shaded as if it carried the factor.
            const bool unshaded = scores_->constantFactor[std::size_t(f)] || scores_->collapsedDimension[std::size_t(d)];
            painter.fillRect(cell, unshaded ? palette().mid().color() : shade(share));
            painter.setPen(!unshaded && share > 0.55 ? Qt::white : Qt::black);
            if (cell.height() >= 12) painter.drawText(cell, Qt::AlignCenter, QString::number(mi, 'f', 2));
        }
    }
}

void FactorsPanel::mousePressEvent(QMouseEvent* event) {
    if (!scores_ || event->button() != Qt::LeftButton) return;
    const QRect grid = gridRect();
    for (int d = 0; d < scores_->latentDim; ++d)
        for (int f = 0; f < int(scores_->factorNames.size()); ++f)
            if (cellIn(grid, d, f).contains(event->position().toPoint())) return emit dimensionChosen(d);
}

}  // namespace vae
