#include "latent_map_widget.h"

#include <QMouseEvent>
#include <QPainter>

#include <cmath>

namespace vae {
namespace {
constexpr int kMargin = 28;  // room for the axis labels
}

LatentMapWidget::LatentMapWidget(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setCursor(Qt::CrossCursor);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    // No tooltip: the hover box names what is under the cursor, and a tooltip would cover the map.
}

void LatentMapWidget::setGrid(const DecodedGrid& grid) {
    if (!(grid.spec.plane == spec_.plane) || grid.spec.range != spec_.range) scatterDirty_ = true;
    spec_ = grid.spec;
    image_ = grid.image;
    pixmap_ = QPixmap::fromImage(grid.image);
    update();
}

void LatentMapWidget::setSpec(const GridSpec& spec) {
    if (!(spec.plane == spec_.plane) || spec.range != spec_.range) scatterDirty_ = true;
    spec_ = spec;
    update();
}

void LatentMapWidget::setAxisLabels(const QString& x, const QString& y) {
    xLabel_ = x;
    yLabel_ = y;
    update();
}

void LatentMapWidget::setMarker(std::optional<QPointF> planePoint) {
    marker_ = planePoint;
    update();
}

void LatentMapWidget::setShowGrid(bool show) {
    showGrid_ = show;
    update();
}

void LatentMapWidget::scatterChanged() {
    scatterDirty_ = true;
    if (hoverPoint_ && *hoverPoint_ >= scatter_.count()) hoverPoint_.reset();
    if (selected_ && *selected_ >= scatter_.count()) selected_.reset();
    update();
}

void LatentMapWidget::setScatterStyle(const ScatterStyle& style) {
    style_ = style;
    scatterChanged();
}

void LatentMapWidget::setLegend(const QStringList& classNames) {
    legend_ = classNames;
    update();
}

void LatentMapWidget::setSelection(std::optional<int> index, const std::vector<double>& covariance) {
    selected_ = index;
    selectedCovariance_ = covariance;
    update();
}

QRect LatentMapWidget::mapRectIn(const QSize& size) {
    const int side = std::max(10, std::min(size.width(), size.height()) - 2 * kMargin);
    return {(size.width() - side) / 2, (size.height() - side) / 2, side, side};
}

std::optional<QPointF> LatentMapWidget::latentAt(const QPointF& position) const {
    const QRectF rect = mapRect();
    if (!rect.contains(position)) return std::nullopt;
    const auto [a, b] = vae::latentAt((position.x() - rect.left()) / rect.width(),
                                      (position.y() - rect.top()) / rect.height(), spec_.range);
    return QPointF(a, b);
}

QPointF LatentMapWidget::positionIn(const QRectF& rect, const QPointF& planePoint) const {
    return {rect.left() + (planePoint.x() / spec_.range + 1) / 2 * rect.width(),
            rect.top() + (1 - planePoint.y() / spec_.range) / 2 * rect.height()};
}

std::optional<int> LatentMapWidget::dataPointAt(const QPointF& position) const {
    if (!style_.points && !style_.images) return std::nullopt;
    const QRectF area = mapRect();
    return scatter_.nearest(position, kPickRadius, [&](QPointF p) { return positionIn(area, p); });
}

QImage LatentMapWidget::render(const QSize& size) const {
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(palette().window().color());
    QPainter painter(&image);
    paintMap(painter, size, false);
    return image;
}

void LatentMapWidget::resizeEvent(QResizeEvent*) { scatterDirty_ = true; }

void LatentMapWidget::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    paintMap(painter, size(), true);
}

void LatentMapWidget::paintMap(QPainter& painter, const QSize& size, bool live) const {
    painter.fillRect(QRect(QPoint(), size), palette().window());
    const QRect area = mapRectIn(size);
    if (pixmap_.isNull()) {
        painter.fillRect(area, QColor(40, 40, 40));
        painter.setPen(Qt::lightGray);
        painter.drawText(area, Qt::AlignCenter | Qt::TextWordWrap, tr("The latent map appears\nonce a model exists"));
    } else if (showGrid_) {
        painter.fillRect(area, Qt::black);
        painter.setRenderHint(QPainter::SmoothPixmapTransform, true);
        // Dimmed under the data, so the coloured points stand out from the white strokes.
        painter.setOpacity(scatter_.count() > 0 && (style_.points || style_.images) ? 0.55 : 1.0);
        painter.drawPixmap(area, pixmap_);
        painter.setOpacity(1.0);
    } else {
        painter.fillRect(area, QColor(24, 24, 24));
    }
    // Axes: the range at the ends, the plane's directions as names.
    painter.setPen(palette().color(QPalette::WindowText));
    const QString low = QString::number(-spec_.range, 'g', 3), high = QString::number(spec_.range, 'g', 3);
    const QFontMetrics metrics(painter.font());
    const QRect below(area.left(), area.bottom() + 4, area.width(), metrics.height());
    painter.drawText(below, Qt::AlignHCenter, xLabel_);
    painter.drawText(below, Qt::AlignLeft, low);
    painter.drawText(below, Qt::AlignRight, high);
    painter.drawText(QRect(0, area.top(), area.left() - 4, metrics.height()), Qt::AlignRight, high);
    painter.drawText(QRect(0, area.bottom() - metrics.height(), area.left() - 4, metrics.height()), Qt::AlignRight, low);
    painter.save();
    painter.translate(area.left() - 6, area.center().y());
    painter.rotate(-90);
    painter.drawText(QRect(-area.height() / 2, -metrics.height(), area.height(), metrics.height()), Qt::AlignHCenter, yLabel_);
    painter.restore();

    painter.setRenderHint(QPainter::Antialiasing, true);
    if (scatter_.count() > 0 && (style_.points || style_.images)) {
        const auto toPixel = [&](QPointF p) { return positionIn(area, p); };
        painter.save();
        painter.setClipRect(area);
        if (live) {
            // The scatter changes far less often than the widget repaints (hover, marker, drags).
            const qreal ratio = devicePixelRatioF();
            if (scatterDirty_ || scatterCache_.size() != size * ratio) {
                scatterCache_ = QPixmap(size * ratio);
                scatterCache_.setDevicePixelRatio(ratio);
                scatterCache_.fill(Qt::transparent);
                QPainter cache(&scatterCache_);
                cache.setClipRect(area);
                scatter_.paint(cache, style_, toPixel);
                scatterDirty_ = false;
            }
            painter.drawPixmap(0, 0, scatterCache_);
        } else {
            scatter_.paint(painter, style_, toPixel);
        }
        painter.restore();
        paintLegend(painter, area);
    }
    paintSelection(painter, area);
    if (marker_) {
        const QPointF at = positionIn(area, *marker_);
        painter.setPen(QPen(QColor(255, 80, 40), 2));
        painter.setBrush(Qt::NoBrush);
        painter.drawEllipse(at, 7, 7);
        painter.drawLine(at - QPointF(11, 0), at - QPointF(4, 0));
        painter.drawLine(at + QPointF(4, 0), at + QPointF(11, 0));
        painter.drawLine(at - QPointF(0, 11), at - QPointF(0, 4));
        painter.drawLine(at + QPointF(0, 4), at + QPointF(0, 11));
    }
    if (live && (hover_ || hoverPoint_)) {
        QString text;
        if (hoverPoint_) {
            const int label = scatter_.labelOf(*hoverPoint_);
            text = tr("test image #%1, label %2").arg(*hoverPoint_).arg(legend_.value(label, QString::number(label)));
        } else {
            text = QString("a = %1, b = %2").arg(hover_->x(), 0, 'f', 3).arg(hover_->y(), 0, 'f', 3);
        }
        QRect box = metrics.boundingRect(text).adjusted(-5, -3, 5, 3);
        box.moveTopLeft(area.topLeft() + QPoint(6, 6));
        painter.setPen(Qt::NoPen);
        painter.setBrush(QColor(0, 0, 0, 170));
        painter.drawRoundedRect(box, 4, 4);
        painter.setPen(Qt::white);
        painter.drawText(box, Qt::AlignCenter, text);
    }
}

void LatentMapWidget::paintLegend(QPainter& painter, const QRect& area) const {
    if (legend_.isEmpty()) return;
    const QFontMetrics metrics(painter.font());
    int width = 0;
    for (const QString& name : legend_) width = std::max(width, metrics.horizontalAdvance(name));
    const int row = metrics.height() + 2, swatch = metrics.height() - 4;
    QRect box(0, 0, width + swatch + 18, row * int(legend_.size()) + 8);
    box.moveTopRight(area.topRight() + QPoint(-6, 6));
    painter.save();
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(0, 0, 0, 160));
    painter.drawRoundedRect(box, 4, 4);
    for (int label = 0; label < legend_.size(); ++label) {
        const int y = box.top() + 4 + label * row;
        const bool shown = scatter_.isLabelVisible(label);
        QColor colour = ScatterLayer::labelColour(label);
        if (!shown) colour.setAlpha(60);
        painter.setPen(QPen(QColor(0, 0, 0), 0.8));
        painter.setBrush(colour);
        painter.drawEllipse(QRectF(box.left() + 6, y + 2, swatch, swatch));
        painter.setPen(shown ? Qt::white : Qt::gray);
        painter.drawText(QRect(box.left() + swatch + 12, y, width + 4, row), Qt::AlignVCenter, legend_[label]);
    }
    painter.restore();
}

void LatentMapWidget::paintSelection(QPainter& painter, const QRect& area) const {
    if (!selected_ || *selected_ >= scatter_.count()) return;
    const QPointF centre = positionIn(area, scatter_.positions()[*selected_]);
    painter.save();
    painter.setBrush(Qt::NoBrush);
    if (selectedCovariance_.size() == 3) {
        // The +-2 sigma ellipse of the posterior projected on the plane: the 2x2 covariance's
        // eigenvectors give its axes, twice the root of its eigenvalues their half-lengths.
        const double aa = selectedCovariance_[0], ab = selectedCovariance_[1], bb = selectedCovariance_[2];
        const double mean = (aa + bb) / 2, spread = std::sqrt(std::max(0.0, (aa - bb) * (aa - bb) / 4 + ab * ab));
        const double major = std::sqrt(std::max(0.0, mean + spread)), minor = std::sqrt(std::max(0.0, mean - spread));
        const double angle = 0.5 * std::atan2(2 * ab, aa - bb);
        const double pixelsPerUnit = area.width() / (2 * spec_.range);
        painter.translate(centre);
        painter.rotate(-angle * 180 / M_PI);  // the map's b axis points up, the painter's y down
        painter.setPen(QPen(QColor(255, 220, 60), 2, Qt::DashLine));
        painter.drawEllipse(QPointF(), 2 * major * pixelsPerUnit, 2 * minor * pixelsPerUnit);
        painter.resetTransform();
    }
    painter.setPen(QPen(QColor(255, 220, 60), 2.5));
    painter.drawEllipse(centre, 5, 5);
    painter.restore();
}

void LatentMapWidget::pick(const QPointF& position) {
    if (const auto latent = latentAt(position)) {
        marker_ = latent;
        update();
        emit pointPicked(*latent);
    }
}

void LatentMapWidget::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) return;
    dragging_ = false;
    if (!(event->modifiers() & Qt::ShiftModifier))
        if (const auto index = dataPointAt(event->position())) return emit dataPointClicked(*index);
    dragging_ = true;
    pick(event->position());
}

void LatentMapWidget::mouseMoveEvent(QMouseEvent* event) {
    hover_ = latentAt(event->position());
    hoverPoint_ = dataPointAt(event->position());
    if ((event->buttons() & Qt::LeftButton) && dragging_) pick(event->position());
    else update();
}

void LatentMapWidget::leaveEvent(QEvent*) {
    hover_.reset();
    hoverPoint_.reset();
    update();
}

}  // namespace vae
