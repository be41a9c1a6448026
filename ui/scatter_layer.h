#pragma once
// The encoded test set as it is drawn over the latent map: one dot per image, coloured by label
// (a colour-blind-safe palette), or the images themselves, with a label filter. Positions are
// plane coordinates (a, b); the map turns them into pixels.
#include <QColor>
#include <QImage>
#include <QPixmap>
#include <QPointF>
#include <QVector>

#include <functional>
#include <optional>

class QPainter;

namespace vae {

struct ScatterStyle {
    bool points = true;
    bool images = false;
    int pointSize = 4;       // dot diameter in pixels
    double opacity = 0.8;
    int imageCount = 300;   // images drawn, chosen evenly through the test set
    int imageSize = 24;     // pixels per drawn image
    int colourBy = -1;      // -1: by class; else by that factor of the data (a colour bar)
};

class ScatterLayer {
public:
    // Paul Tol's "muted" scheme (designed to be told apart with any common colour blindness),
    // with his pale grey as a tenth colour; labels past ten reuse them.
    static QColor labelColour(int label);
    // A sequential map over [0, 1] (viridis' anchors, dark blue to yellow): a continuous factor.
    static QColor shadeColour(double t);
    static constexpr int kShadeLevels = 64;  // dots are pre-drawn per level, as per label
    static constexpr int kShadeKeyBase = 1000000;  // a dot's key: its label, or this plus its shade level

    void setPositions(QVector<QPointF> planeCoordinates, QVector<int> labels);
    void setImages(std::function<QImage(int)> imageOf) { imageOf_ = std::move(imageOf); }
    void clear();
    void setVisibleLabels(QVector<bool> visible);  // empty: all
    bool isLabelVisible(int label) const { return visible_.isEmpty() || visible_.value(label, true); }

    int count() const { return int(positions_.size()); }
    const QVector<QPointF>& positions() const { return positions_; }
    int labelOf(int index) const { return labels_.value(index); }
    // Each point's place in [0, 1] on the colour map, replacing the label colours; empty: labels.
    void setShades(QVector<float> shades) { shades_ = std::move(shades); }
    const QVector<float>& shades() const { return shades_; }

    // The visible point nearest to `pixel` within `radius` pixels; toPixel maps plane
    // coordinates to pixels.
    std::optional<int> nearest(const QPointF& pixel, double radius, const std::function<QPointF(QPointF)>& toPixel) const;
    void paint(QPainter& painter, const ScatterStyle& style, const std::function<QPointF(QPointF)>& toPixel) const;

private:
    QVector<QPointF> positions_;
    QVector<int> labels_;
    QVector<float> shades_;
    QVector<bool> visible_;
    QColor colourOf(int index) const;
    int dotKey(int index) const;
    std::function<QImage(int)> imageOf_;
};

}  // namespace vae
