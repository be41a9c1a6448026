#include "map_overlays.h"

#include "scatter_layer.h"

#include <QPainter>

#include <algorithm>
#include <cmath>

namespace vae {

void paintLegend(QPainter& painter, const QRect& area, const QStringList& names, const std::function<bool(int)>& shown) {
    if (names.isEmpty()) return;
    const QFontMetrics metrics(painter.font());
    int width = 0;
    for (const QString& name : names) width = std::max(width, metrics.horizontalAdvance(name));
    const int row = metrics.height() + 2, swatch = metrics.height() - 4;
    QRect box(0, 0, width + swatch + 18, row * int(names.size()) + 8);
    box.moveTopRight(area.topRight() + QPoint(-6, 6));
    painter.save();
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(0, 0, 0, 160));
    painter.drawRoundedRect(box, 4, 4);
    for (int label = 0; label < names.size(); ++label) {
        const int y = box.top() + 4 + label * row;
        const bool visible = shown(label);
        QColor colour = ScatterLayer::labelColour(label);
        if (!visible) colour.setAlpha(60);
        painter.setPen(QPen(QColor(0, 0, 0), 0.8));
        painter.setBrush(colour);
        painter.drawEllipse(QRectF(box.left() + 6, y + 2, swatch, swatch));
        painter.setPen(visible ? Qt::white : Qt::gray);
        painter.drawText(QRect(box.left() + swatch + 12, y, width + 4, row), Qt::AlignVCenter, names[label]);
    }
    painter.restore();
}

void paintColourBar(QPainter& painter, const QRect& area, const QString& name, double low, double high) {
    const QFontMetrics metrics(painter.font());
    const QString top = QString::number(high, 'g', 3), bottom = QString::number(low, 'g', 3);
    const int labels = std::max({metrics.horizontalAdvance(top), metrics.horizontalAdvance(bottom)});
    const int barHeight = std::min(160, area.height() / 2), barWidth = 14;
    QRect box(0, 0, std::max(metrics.horizontalAdvance(name) + 12, barWidth + labels + 22), barHeight + 2 * metrics.height() + 12);
    box.moveTopRight(area.topRight() + QPoint(-6, 6));
    painter.save();
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(0, 0, 0, 160));
    painter.drawRoundedRect(box, 4, 4);
    painter.setPen(Qt::white);
    painter.drawText(QRect(box.left() + 6, box.top() + 4, box.width() - 12, metrics.height()), Qt::AlignLeft, name);
    const QRect bar(box.left() + 8, box.top() + metrics.height() + 8, barWidth, barHeight);
    QLinearGradient gradient(bar.bottomLeft(), bar.topLeft());
    for (int k = 0; k <= 8; ++k) gradient.setColorAt(k / 8.0, ScatterLayer::shadeColour(k / 8.0));
    painter.fillRect(bar, gradient);
    painter.drawText(QRect(bar.right() + 6, bar.top() - 2, labels + 4, metrics.height()), Qt::AlignLeft, top);
    painter.drawText(QRect(bar.right() + 6, bar.bottom() - metrics.height() + 2, labels + 4, metrics.height()), Qt::AlignLeft, bottom);
    painter.restore();
}

void paintPosterior(QPainter& painter, const QPointF& centre, const std::vector<double>& covariance,
                    double pixelsPerUnit, const QColor& colour) {
    if (covariance.size() != 3) return;
    // The 2x2 covariance's eigenvectors give the ellipse's axes, twice the root of its
    // eigenvalues their half-lengths.
    const double aa = covariance[0], ab = covariance[1], bb = covariance[2];
    const double mean = (aa + bb) / 2, spread = std::sqrt(std::max(0.0, (aa - bb) * (aa - bb) / 4 + ab * ab));
    const double major = std::sqrt(std::max(0.0, mean + spread)), minor = std::sqrt(std::max(0.0, mean - spread));
    const double angle = 0.5 * std::atan2(2 * ab, aa - bb);
    painter.save();
    painter.translate(centre);
    painter.rotate(-angle * 180 / M_PI);  // the map's b axis points up, the painter's y down
    painter.setBrush(Qt::NoBrush);
    painter.setPen(QPen(colour, 2, Qt::DashLine));
    painter.drawEllipse(QPointF(), 2 * major * pixelsPerUnit, 2 * minor * pixelsPerUnit);
    painter.restore();
}

}  // namespace vae
