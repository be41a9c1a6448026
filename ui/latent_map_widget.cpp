#include "latent_map_widget.h"

#include "map_overlays.h"

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
    if (grid.complete) complete_ = grid;
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

void LatentMapWidget::setColourBar(const std::optional<ColourBar>& bar) {
    colourBar_ = bar;
    scatterDirty_ = true;
    update();
}

void LatentMapWidget::setLegend(const QStringList& classNames) {
    legend_ = classNames;
    update();
}

void LatentMapWidget::setPath(const QVector<QPointF>& planePoints) {
    path_ = planePoints;
    update();
}

void LatentMapWidget::setDrawnPoint(std::optional<QPointF> planePoint, const std::vector<double>& covariance) {
    drawn_ = planePoint;
    drawnCovariance_ = covariance;
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
        if (colourBar_) paintColourBar(painter, area, colourBar_->name, colourBar_->low, colourBar_->high);
        else paintLegend(painter, area, legend_, [this](int label) { return scatter_.isLabelVisible(label); });
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
            // Named as the axes are ("z1", "PC1 (88% ...)": its first word).
            text = QString("%1 = %2, %3 = %4").arg(xLabel_.section(' ', 0, 0)).arg(hover_->x(), 0, 'f', 2)
                       .arg(yLabel_.section(' ', 0, 0)).arg(hover_->y(), 0, 'f', 2);
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

void LatentMapWidget::paintSelection(QPainter& painter, const QRect& area) const {
    const double pixelsPerUnit = area.width() / (2 * spec_.range);
    if (selected_ && *selected_ < scatter_.count()) {
        const QPointF centre = positionIn(area, scatter_.positions()[*selected_]);
        paintPosterior(painter, centre, selectedCovariance_, pixelsPerUnit, QColor(255, 220, 60));
        painter.save();
        painter.setBrush(Qt::NoBrush);
        painter.setPen(QPen(QColor(255, 220, 60), 2.5));
        painter.drawEllipse(centre, 5, 5);
        painter.restore();
    }
    if (drawn_) {
        // The drawn digit: a diamond, and its posterior.
        const QPointF centre = positionIn(area, *drawn_);
        paintPosterior(painter, centre, drawnCovariance_, pixelsPerUnit, QColor(80, 220, 255));
        painter.save();
        painter.setPen(QPen(Qt::black, 1));
        painter.setBrush(QColor(80, 220, 255));
        painter.drawPolygon(QPolygonF({centre + QPointF(0, -8), centre + QPointF(8, 0), centre + QPointF(0, 8),
                                       centre + QPointF(-8, 0)}));
        painter.restore();
    }
    if (path_.size() > 1) {
        QPolygonF line;
        for (const QPointF& point : path_) line << positionIn(area, point);
        painter.save();
        painter.setPen(QPen(QColor(255, 255, 255, 220), 2));
        painter.drawPolyline(line);
        painter.setPen(QPen(Qt::black, 1));
        painter.setBrush(QColor(255, 140, 0));
        for (const QPointF& at : line) painter.drawEllipse(at, 3, 3);
        painter.restore();
    }
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
