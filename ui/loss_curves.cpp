#include "loss_curves.h"

#include <optional>

namespace vae {
namespace {

constexpr double kSmoothing = 0.3;  // weight of the newest point in the moving average
// Stroking lines is most of a redraw's cost; more points than pixels adds nothing visible.
constexpr std::size_t kMaxPlottedPoints = 600;

// The curve of `value` over the steps that have one, as a moving average, thinned to about
// kMaxPlottedPoints points.
template <typename Value>
QList<QPointF> smoothed(const std::vector<StepLoss>& steps, Value value) {
    QList<QPointF> points;
    const std::size_t stride = steps.size() / kMaxPlottedPoints + 1;
    points.reserve(qsizetype(steps.size() / stride + 2));
    double average = 0;
    bool first = true;
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const std::optional<double> v = value(steps[i]);
        if (!v) continue;
        average = first ? *v : kSmoothing * *v + (1 - kSmoothing) * average;
        first = false;
        if (i % stride == 0 || i + 1 == steps.size()) points.append(QPointF(double(steps[i].step), average));
    }
    return points;
}

}  // namespace

QList<QPointF> smoothedTerm(const std::vector<StepLoss>& steps, double LossTerms::*term) {
    return smoothed(steps, [term](const StepLoss& s) { return std::optional<double>(s.train.*term); });
}

QList<QPointF> smoothedSplit(const std::vector<StepLoss>& steps, double KlSplit::*part) {
    return smoothed(steps, [part](const StepLoss& s) {
        return s.klSplit ? std::optional<double>((*s.klSplit).*part) : std::nullopt;
    });
}

}  // namespace vae
