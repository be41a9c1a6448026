#pragma once
// The latent map: a grid of decoded images over [-range, range]^2 of a plane through latent
// space, with the encoded test set drawn over it. Pressing or dragging picks the exact point
// under the cursor; clicking near a data point selects that test image instead (Shift+click
// always picks the spot). Hovering names the point or the coordinates under the cursor.
#include "boundary_types.h"
#include "scatter_layer.h"

#include <QImage>
#include <QPixmap>
#include <QWidget>

#include <optional>

namespace vae {

class LatentMapWidget : public QWidget {
    Q_OBJECT
public:
    static constexpr double kPickRadius = 6;  // pixels around a data point that select it

    explicit LatentMapWidget(QWidget* parent = nullptr);

    // A grid still coming in (complete false) is drawn, but gridImage() stays the last whole one.
    void setGrid(const DecodedGrid& grid);
    void setSpec(const GridSpec& spec);  // the range the mouse maps to, before a grid arrives
    const GridSpec& spec() const { return spec_; }
    const QImage& gridImage() const { return complete_.image; }
    int gridImageTiles() const { return complete_.spec.size; }  // gridImage()'s tiles a side
    void setAxisLabels(const QString& x, const QString& y);
    void setMarker(std::optional<QPointF> planePoint);
    void setShowGrid(bool show);

    // The scatter: set its positions through scatter(), then call scatterChanged().
    ScatterLayer& scatter() { return scatter_; }
    void scatterChanged();
    void setScatterStyle(const ScatterStyle& style);
    const ScatterStyle& scatterStyle() const { return style_; }
    void setLegend(const QStringList& classNames);
    // Points coloured by a factor: its bar replaces the class legend (nothing: the legend again).
    struct ColourBar {
        QString name;
        double low = 0;
        double high = 1;
    };
    void setColourBar(const std::optional<ColourBar>& bar);
    const std::optional<ColourBar>& colourBar() const { return colourBar_; }
    // The selected test image with its posterior projected on the plane: covariance (aa, ab, bb).
    void setSelection(std::optional<int> index, const std::vector<double>& covariance = {});
    std::optional<int> selection() const { return selected_; }
    // A walk's points (plane coordinates), drawn as a line with dots; empty: none.
    void setPath(const QVector<QPointF>& planePoints);
    const QVector<QPointF>& path() const { return path_; }
    // The drawn digit's posterior mean and covariance on the plane; nullopt: none.
    void setDrawnPoint(std::optional<QPointF> planePoint, const std::vector<double>& covariance = {});
    std::optional<QPointF> drawnPoint() const { return drawn_; }

    // Where the grid is drawn, and the mapping between widget pixels and plane coordinates.
    QRect mapRect() const { return mapRectIn(size()); }
    std::optional<QPointF> latentAt(const QPointF& position) const;
    QPointF positionOf(const QPointF& planePoint) const { return positionIn(mapRect(), planePoint); }
    std::optional<int> dataPointAt(const QPointF& position) const;

    // The map as drawn (grid, scatter, legend, selection and axes), at any size, for export.
    QImage render(const QSize& size) const;

    QSize sizeHint() const override { return {520, 520}; }
    QSize minimumSizeHint() const override { return {200, 200}; }

signals:
    void pointPicked(const QPointF& planePoint);
    void dataPointClicked(int index);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    static QRect mapRectIn(const QSize& size);
    QPointF positionIn(const QRectF& area, const QPointF& planePoint) const;
    void paintMap(QPainter& painter, const QSize& size, bool live) const;
    void paintSelection(QPainter& painter, const QRect& area) const;
    void pick(const QPointF& position);

    GridSpec spec_;
    DecodedGrid complete_;  // the last grid decoded whole
    QPixmap pixmap_;
    QString xLabel_ = "z1", yLabel_ = "z2";
    bool showGrid_ = true;
    std::optional<QPointF> marker_;
    std::optional<QPointF> hover_;
    std::optional<int> hoverPoint_;

    ScatterLayer scatter_;
    ScatterStyle style_;
    QStringList legend_;
    std::optional<ColourBar> colourBar_;
    mutable QPixmap scatterCache_;  // the scatter alone, redrawn only when it or the view changes
    mutable bool scatterDirty_ = true;
    std::optional<int> selected_;
    std::vector<double> selectedCovariance_;
    bool dragging_ = false;
    QVector<QPointF> path_;
    std::optional<QPointF> drawn_;
    std::vector<double> drawnCovariance_;
};

}  // namespace vae
