#pragma once
// A pad to draw a digit on with the mouse: a thick anti-aliased brush, Clear, and Undo (Ctrl+Z),
// stroke by stroke. The drawing is white ink on black, as MNIST's digits are.
#include <QImage>
#include <QVector>
#include <QWidget>

namespace vae {

class DrawingPad : public QWidget {
    Q_OBJECT
public:
    static constexpr int kSide = 224;  // 8x a 28-pixel image

    explicit DrawingPad(QWidget* parent = nullptr);
    const QImage& drawing() const { return canvas_; }
    bool isEmpty() const;
    void clear();
    void undo();
    // Draws a stroke through these points (pad pixels), as the mouse would: for tests and scripts.
    void drawStroke(const QVector<QPointF>& points);
    // Off, with the reason written on the pad itself (a colour model: the pad draws grey digits);
    // an empty reason turns it on again.
    void setOffReason(const QString& reason);
    QString offReason() const { return offReason_; }

    QSize sizeHint() const override { return {kSide, kSide}; }

signals:
    void drawingChanged();  // while drawing, after each move, and after Clear and Undo

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;

private:
    void lineTo(const QPointF& point);

    QImage canvas_;
    QVector<QImage> undo_;  // the canvas before each stroke
    QPointF last_;
    bool drawing_ = false;
    QString offReason_;
};

}  // namespace vae
