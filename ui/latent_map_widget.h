#pragma once
// The latent map: a grid of decoded images over [-range, range]^2 of two latent axes.
// Pressing or dragging picks the exact latent point under the cursor; hovering shows it.
#include "boundary_types.h"

#include <QImage>
#include <QPixmap>
#include <QWidget>

#include <optional>

namespace vae {

class LatentMapWidget : public QWidget {
    Q_OBJECT
public:
    explicit LatentMapWidget(QWidget* parent = nullptr);

    void setGrid(const DecodedGrid& grid);
    void setSpec(const GridSpec& spec);  // the range the mouse maps to, before a grid arrives
    const GridSpec& spec() const { return spec_; }
    const QImage& gridImage() const { return image_; }
    void setMarker(std::optional<QPointF> latent);

    // Where the grid is drawn, and the mapping between widget pixels and latent coordinates.
    QRect mapRect() const;
    std::optional<QPointF> latentAt(const QPointF& position) const;
    QPointF positionOf(const QPointF& latent) const;

    QSize sizeHint() const override { return {520, 520}; }
    QSize minimumSizeHint() const override { return {200, 200}; }

signals:
    void pointPicked(const QPointF& latent);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    void pick(const QPointF& position);

    GridSpec spec_;
    QImage image_;
    QPixmap pixmap_;
    std::optional<QPointF> marker_;
    std::optional<QPointF> hover_;
};

}  // namespace vae
