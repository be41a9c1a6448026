#include "chart_axes.h"

#include <QValueAxis>
#include <QXYSeries>

#include <algorithm>
#include <cmath>

namespace vae {
namespace {

// 1, 2 or 5 times a power of ten, near span / 5: round tick labels.
double niceInterval(double span) {
    const double raw = std::max(span, 1e-9) / 5;
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    for (double factor : {1.0, 2.0, 5.0})
        if (factor * power >= raw) return factor * power;
    return 10 * power;
}

}  // namespace

void setNiceRange(QAbstractAxis* axis, double low, double high) {
    auto* linear = qobject_cast<QValueAxis*>(axis);
    if (!linear) return axis->setRange(low, high);
    // Order matters: a small old interval over a large new range (or the reverse) would lay
    // out thousands of ticks for a moment, which measured 270 ms of GUI time.
    const double interval = niceInterval(high - low);
    // As many decimals as the interval needs: 0.5 steps labelled "%.0f" read "2 2 1 1 0".
    const int decimals = std::max(0, int(-std::floor(std::log10(interval) + 1e-9)));
    linear->setLabelFormat(QString("%.%1f").arg(decimals));
    const bool growing = linear->tickType() != QValueAxis::TicksDynamic || interval > linear->tickInterval();
    linear->setTickType(QValueAxis::TicksDynamic);
    if (!growing) linear->setRange(low, high);
    linear->setTickAnchor(std::ceil(low / interval) * interval);
    linear->setTickInterval(interval);
    if (growing) linear->setRange(low, high);
}

QPointF valueRange(std::initializer_list<const QXYSeries*> series, double fromX) {
    double low = 1e300, high = -1e300;
    for (const QXYSeries* one : series)
        for (const QPointF& p : one->points())
            if (p.x() >= fromX) {
                low = std::min(low, p.y());
                high = std::max(high, p.y());
            }
    return low > high ? QPointF(0, 1) : QPointF(low, high);
}

QPointF paddedRange(QPointF data, bool logScale) {
    if (logScale) return {std::max(1e-2, data.x() * 0.8), std::max(1.0, data.y() * 1.25)};
    const double pad = std::max(1.0, (data.y() - data.x()) * 0.05);
    return {data.x() >= 0 ? std::max(0.0, data.x() - pad) : data.x() - pad, data.y() + pad};
}

bool followRange(QPointF& shown, QPointF wanted) {
    const double span = wanted.y() - wanted.x(), shownSpan = shown.y() - shown.x();
    const bool moved = wanted.x() < shown.x() || wanted.y() > shown.y() || span < 0.7 * shownSpan ||
                       wanted.x() > shown.x() + 0.2 * shownSpan;
    if (moved) shown = wanted;
    return moved;
}

}  // namespace vae
