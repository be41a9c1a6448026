#include "drawing_pad.h"

#include <QMouseEvent>
#include <QPainter>
#include <QShortcut>

namespace vae {
namespace {
constexpr int kMaxUndo = 50;
// MNIST's strokes are about 2-3 of 28 pixels wide: 20 of 224 here.
constexpr double kBrushWidth = 20;
}  // namespace

DrawingPad::DrawingPad(QWidget* parent) : QWidget(parent), canvas_(kSide, kSide, QImage::Format_Grayscale8) {
    canvas_.fill(0);
    setFixedSize(kSide, kSide);
    setCursor(Qt::CrossCursor);
    setToolTip(tr("Draw a digit with the mouse; Ctrl+Z undoes the last stroke"));
    auto* undoKey = new QShortcut(QKeySequence::Undo, this);
    undoKey->setContext(Qt::WidgetWithChildrenShortcut);
    connect(undoKey, &QShortcut::activated, this, &DrawingPad::undo);
}

bool DrawingPad::isEmpty() const {
    for (int y = 0; y < canvas_.height(); ++y) {
        const uchar* line = canvas_.constScanLine(y);
        for (int x = 0; x < canvas_.width(); ++x)
            if (line[x] != 0) return false;
    }
    return true;
}

void DrawingPad::clear() {
    if (isEmpty()) return;
    undo_.push_back(canvas_);
    canvas_.fill(0);
    update();
    emit drawingChanged();
}

void DrawingPad::undo() {
    if (undo_.isEmpty()) return;
    canvas_ = undo_.takeLast();
    update();
    emit drawingChanged();
}

void DrawingPad::drawStroke(const QVector<QPointF>& points) {
    if (points.isEmpty()) return;
    undo_.push_back(canvas_);
    last_ = points.first();
    lineTo(points.first());
    for (const QPointF& point : points) lineTo(point);
    emit drawingChanged();
}

void DrawingPad::lineTo(const QPointF& point) {
    QPainter painter(&canvas_);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(Qt::white, kBrushWidth, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    painter.drawLine(last_, point);
    last_ = point;
    update();
}

void DrawingPad::setOffReason(const QString& reason) {
    offReason_ = reason;
    setEnabled(reason.isEmpty());
    setToolTip(reason.isEmpty() ? tr("Draw a digit with the mouse; Ctrl+Z undoes the last stroke") : reason);
    update();
}

void DrawingPad::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.drawImage(rect(), canvas_);
    if (!offReason_.isEmpty()) {
        painter.fillRect(rect(), QColor(60, 60, 60));
        painter.setPen(Qt::lightGray);
        painter.drawText(rect().adjusted(12, 12, -12, -12), Qt::AlignCenter | Qt::TextWordWrap, offReason_);
    }
    painter.setPen(QColor(90, 90, 90));
    painter.drawRect(rect().adjusted(0, 0, -1, -1));
}

void DrawingPad::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) return;
    undo_.push_back(canvas_);
    if (undo_.size() > kMaxUndo) undo_.removeFirst();
    drawing_ = true;
    last_ = event->position();
    lineTo(event->position());
    emit drawingChanged();
}

void DrawingPad::mouseMoveEvent(QMouseEvent* event) {
    if (!drawing_) return;
    lineTo(event->position());
    emit drawingChanged();
}

void DrawingPad::mouseReleaseEvent(QMouseEvent*) { drawing_ = false; }

}  // namespace vae
