#pragma once
// What the latent map draws over its grid besides the points: the legend and posterior ellipses.
#include <QColor>
#include <QPointF>
#include <QStringList>

#include <functional>
#include <vector>

class QPainter;
class QRect;

namespace vae {

// A factor's colour bar: the sequential map from `low` (bottom) to `high` (top) with its name.
// Top-right of `area`, where the legend goes for classes.
void paintColourBar(QPainter& painter, const QRect& area, const QString& name, double low, double high);
// One row per class name with its colour; hidden labels dimmed. Top-right of `area`.
void paintLegend(QPainter& painter, const QRect& area, const QStringList& names, const std::function<bool(int)>& shown);
// The +-2 sigma ellipse of a Gaussian whose covariance on the plane is (aa, ab, bb), dashed.
void paintPosterior(QPainter& painter, const QPointF& centre, const std::vector<double>& covariance,
                    double pixelsPerUnit, const QColor& colour);

}  // namespace vae
