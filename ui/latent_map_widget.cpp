#include "latent_map_widget.h"

#include <QMouseEvent>
#include <QPainter>

namespace vae {
namespace {
constexpr int kMargin = 28;  // room for the axis labels
}

LatentMapWidget::LatentMapWidget(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setCursor(Qt::CrossCursor);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setToolTip(tr("Click or drag to decode the latent point under the cursor"));
}

void LatentMapWidget::setGrid(const DecodedGrid& grid) {
    spec_ = grid.spec;
    image_ = grid.image;
    pixmap_ = QPixmap::fromImage(grid.image);
    update();
}

void LatentMapWidget::setSpec(const GridSpec& spec) {
    spec_ = spec;
    update();
}

void LatentMapWidget::setMarker(std::optional<QPointF> latent) {
    marker_ = latent;
    update();
}

QRect LatentMapWidget::mapRect() const {
    const int side = std::max(10, std::min(width(), height()) - 2 * kMargin);
    return {(width() - side) / 2, (height() - side) / 2, side, side};
}

std::optional<QPointF> LatentMapWidget::latentAt(const QPointF& position) const {
    const QRectF rect = mapRect();
    if (!rect.contains(position)) return std::nullopt;
    const auto [z1, z2] = vae::latentAt((position.x() - rect.left()) / rect.width(),
                                        (position.y() - rect.top()) / rect.height(), spec_.range);
    return QPointF(z1, z2);
}

QPointF LatentMapWidget::positionOf(const QPointF& latent) const {
    const QRectF rect = mapRect();
    return {rect.left() + (latent.x() / spec_.range + 1) / 2 * rect.width(),
            rect.top() + (1 - latent.y() / spec_.range) / 2 * rect.height()};
}

void LatentMapWidget::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().window());
    const QRect area = mapRect();
    if (pixmap_.isNull()) {
        painter.fillRect(area, QColor(40, 40, 40));
        painter.setPen(Qt::lightGray);
        painter.drawText(area, Qt::AlignCenter | Qt::TextWordWrap, tr("The latent map appears\nonce a model exists"));
    } else {
        painter.setRenderHint(QPainter::SmoothPixmapTransform, true);
        painter.drawPixmap(area, pixmap_);
    }
    // Axes: the range at the ends, the chosen latent axes as names.
    painter.setPen(palette().color(QPalette::WindowText));
    const QString xName = QString("z%1").arg(spec_.axisX + 1), yName = QString("z%1").arg(spec_.axisY + 1);
    const QString low = QString::number(-spec_.range, 'g', 3), high = QString::number(spec_.range, 'g', 3);
    const QFontMetrics metrics(font());
    painter.drawText(QRect(area.left(), area.bottom() + 4, area.width(), metrics.height()), Qt::AlignHCenter, xName);
    painter.drawText(QRect(area.left(), area.bottom() + 4, area.width(), metrics.height()), Qt::AlignLeft, low);
    painter.drawText(QRect(area.left(), area.bottom() + 4, area.width(), metrics.height()), Qt::AlignRight, high);
    painter.drawText(QRect(0, area.top(), area.left() - 4, metrics.height()), Qt::AlignRight, high);
    painter.drawText(QRect(0, area.bottom() - metrics.height(), area.left() - 4, metrics.height()), Qt::AlignRight, low);
    painter.drawText(QRect(0, area.center().y() - metrics.height() / 2, area.left() - 4, metrics.height()),
                     Qt::AlignRight, yName);

    painter.setRenderHint(QPainter::Antialiasing, true);
    if (marker_) {
        const QPointF at = positionOf(*marker_);
        painter.setPen(QPen(QColor(255, 80, 40), 2));
        painter.setBrush(Qt::NoBrush);
        painter.drawEllipse(at, 7, 7);
        painter.drawLine(at - QPointF(11, 0), at - QPointF(4, 0));
        painter.drawLine(at + QPointF(4, 0), at + QPointF(11, 0));
        painter.drawLine(at - QPointF(0, 11), at - QPointF(0, 4));
        painter.drawLine(at + QPointF(0, 4), at + QPointF(0, 11));
    }
    if (hover_) {
        const QString text = QString("%1 = %2, %3 = %4").arg(xName).arg(hover_->x(), 0, 'f', 3).arg(yName).arg(hover_->y(), 0, 'f', 3);
        QRect box = metrics.boundingRect(text).adjusted(-5, -3, 5, 3);
        box.moveTopLeft(area.topLeft() + QPoint(6, 6));
        painter.setPen(Qt::NoPen);
        painter.setBrush(QColor(0, 0, 0, 170));
        painter.drawRoundedRect(box, 4, 4);
        painter.setPen(Qt::white);
        painter.drawText(box, Qt::AlignCenter, text);
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
    if (event->button() == Qt::LeftButton) pick(event->position());
}

void LatentMapWidget::mouseMoveEvent(QMouseEvent* event) {
    hover_ = latentAt(event->position());
    if (event->buttons() & Qt::LeftButton) pick(event->position());
    else update();
}

void LatentMapWidget::leaveEvent(QEvent*) {
    hover_.reset();
    update();
}

}  // namespace vae
