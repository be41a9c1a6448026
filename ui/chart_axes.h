#pragma once
// Axes that follow a chart's data: round tick steps, and ranges with headroom so that an axis is
// laid out again rarely (laying out ticks and labels costs more than drawing the curves).
#include <QPointF>

#include <initializer_list>

QT_BEGIN_NAMESPACE
class QAbstractAxis;
class QXYSeries;
QT_END_NAMESPACE

namespace vae {

// Sets the range; a linear axis also gets ticks at 1, 2 or 5 times a power of ten, labelled with
// as many decimals as that step needs.
void setNiceRange(QAbstractAxis* axis, double low, double high);

// The smallest and largest y of the series' points at x >= fromX; (0, 1) when there are none.
QPointF valueRange(std::initializer_list<const QXYSeries*> series, double fromX);

// The range to show for data spanning `data`: 5 % headroom (at least one nat), floored at 0 for
// data that is not negative; on a log axis a factor of 1.25 each way.
QPointF paddedRange(QPointF data, bool logScale);

// Moves `shown` to `wanted` when the data left it or would fill under 70 % of it, or its bottom
// rose by a fifth of it; true when it moved.
bool followRange(QPointF& shown, QPointF wanted);

}  // namespace vae
