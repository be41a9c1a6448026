#include "scatter_layer.h"

#include "label_colours.h"

#include <QHash>
#include <QPainter>

#include <algorithm>
#include <array>
#include <limits>

namespace vae {

QColor ScatterLayer::labelColour(int label) { return vae::labelColour(label); }

QColor ScatterLayer::shadeColour(double t) {
    static const std::array<QColor, 5> anchors{QColor("#440154"), QColor("#3B528B"), QColor("#21918C"), QColor("#5EC962"),
                                               QColor("#FDE725")};
    const double at = std::clamp(t, 0.0, 1.0) * double(anchors.size() - 1);
    const auto low = std::size_t(std::min(at, double(anchors.size() - 2)));
    const double f = at - double(low);
    const QColor& a = anchors[low];
    const QColor& b = anchors[low + 1];
    return QColor::fromRgbF(float(a.redF() + f * (b.redF() - a.redF())), float(a.greenF() + f * (b.greenF() - a.greenF())),
                            float(a.blueF() + f * (b.blueF() - a.blueF())));
}

int ScatterLayer::dotKey(int index) const {
    if (shades_.size() != positions_.size()) return labels_[index];
    return kShadeKeyBase + int(std::clamp(shades_[index], 0.0f, 1.0f) * (kShadeLevels - 1) + 0.5f);
}

QColor ScatterLayer::colourOf(int index) const {
    const int key = dotKey(index);
    return key >= kShadeKeyBase ? shadeColour(double(key - kShadeKeyBase) / (kShadeLevels - 1)) : labelColour(key);
}

void ScatterLayer::setPositions(QVector<QPointF> planeCoordinates, QVector<int> labels) {
    positions_ = std::move(planeCoordinates);
    labels_ = std::move(labels);
    labels_.resize(positions_.size());
}

void ScatterLayer::clear() {
    positions_.clear();
    labels_.clear();
    shades_.clear();
}

void ScatterLayer::setVisibleLabels(QVector<bool> visible) { visible_ = std::move(visible); }

std::optional<int> ScatterLayer::nearest(const QPointF& pixel, double radius,
                                         const std::function<QPointF(QPointF)>& toPixel) const {
    std::optional<int> best;
    double bestDistance = radius * radius;
    for (int i = 0; i < positions_.size(); ++i) {
        if (!isLabelVisible(labels_[i])) continue;
        const QPointF offset = toPixel(positions_[i]) - pixel;
        const double distance = offset.x() * offset.x() + offset.y() * offset.y();
        if (distance <= bestDistance) bestDistance = distance, best = i;
    }
    return best;
}

void ScatterLayer::paint(QPainter& painter, const ScatterStyle& style, const std::function<QPointF(QPointF)>& toPixel) const {
    if (positions_.isEmpty()) return;
    painter.save();
    painter.setOpacity(style.opacity);
    if (style.points) {
        // One small pre-drawn dot per label, copied to each position: ten thousand antialiased
        // ellipses would take several frames.
        const int side = style.pointSize + 2;
        QHash<int, QPixmap> dots;
        const qreal ratio = painter.device()->devicePixelRatioF();
        auto dotFor = [&](int index) -> const QPixmap& {
            const int key = dotKey(index);
            auto found = dots.find(key);
            if (found != dots.end()) return *found;
            QPixmap dot(int(side * ratio), int(side * ratio));
            dot.setDevicePixelRatio(ratio);
            dot.fill(Qt::transparent);
            QPainter draw(&dot);
            draw.setRenderHint(QPainter::Antialiasing);
            draw.setPen(QPen(QColor(0, 0, 0, 200), 0.8));
            draw.setBrush(colourOf(index));
            draw.drawEllipse(QRectF(1, 1, style.pointSize, style.pointSize));
            return *dots.insert(key, dot);
        };
        const double half = side / 2.0;
        for (int i = 0; i < positions_.size(); ++i) {
            if (!isLabelVisible(labels_[i])) continue;
            const QPointF at = toPixel(positions_[i]);
            painter.drawPixmap(QPointF(at.x() - half, at.y() - half), dotFor(i));
        }
    }
    if (style.images && imageOf_) {
        // Over the dots. Evenly through the test set, so every class shows up in proportion.
        const int shown = std::min(style.imageCount, int(positions_.size()));
        const double half = style.imageSize / 2.0;
        for (int k = 0; k < shown; ++k) {
            const int i = int(qint64(k) * positions_.size() / shown);
            if (!isLabelVisible(labels_[i])) continue;
            const QImage image = imageOf_(i);
            if (image.isNull()) continue;
            const QPointF at = toPixel(positions_[i]);
            const QRectF target(at.x() - half, at.y() - half, style.imageSize, style.imageSize);
            painter.drawImage(target, image);
            painter.setPen(QPen(colourOf(i), 1.5));
            painter.setBrush(Qt::NoBrush);
            painter.drawRect(target);
        }
    }
    painter.restore();
}

}  // namespace vae
