#include "loss_chart.h"

#include <QChart>
#include <QGraphicsLayout>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace vae {
namespace {

constexpr double kSmoothing = 0.3;  // weight of the newest point in the moving average
constexpr int kRefreshMs = 100;     // at most 10 redraws a second (the data comes at 10 Hz)
// Stroking lines is most of a redraw's cost; more points than pixels adds nothing visible.
constexpr std::size_t kMaxPlottedPoints = 600;

QList<QPointF> smoothed(const std::vector<StepLoss>& steps, double LossTerms::*term) {
    QList<QPointF> points;
    const std::size_t stride = steps.size() / kMaxPlottedPoints + 1;
    points.reserve(qsizetype(steps.size() / stride + 2));
    double average = 0;
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const double value = steps[i].train.*term;
        average = i == 0 ? value : kSmoothing * value + (1 - kSmoothing) * average;
        if (i % stride == 0 || i + 1 == steps.size()) points.append(QPointF(double(steps[i].step), average));
    }
    return points;
}

// 1, 2 or 5 times a power of ten, near span / 5: round tick labels.
double niceInterval(double span) {
    const double raw = std::max(span, 1e-9) / 5;
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    for (double factor : {1.0, 2.0, 5.0})
        if (factor * power >= raw) return factor * power;
    return 10 * power;
}

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

}  // namespace

LossChart::LossChart(QWidget* parent)
    : QChartView(parent), total_(new QLineSeries), recon_(new QLineSeries), kl_(new QLineSeries),
      test_(new QLineSeries), betaMarks_(new QScatterSeries),
      likelihoodDots_(new QScatterSeries) {
    QChart* chart = this->chart();  // the view's own: a replacement via setChart() would leak it
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->legend()->setAlignment(Qt::AlignTop);
    total_->setName(tr("train −ELBO"));
    recon_->setName(tr("reconstruction"));
    kl_->setName(tr("KL"));
    test_->setName(tr("test −ELBO (each epoch)"));
    test_->setPointsVisible(true);  // one series, one colour: the epochs' points on their line
    test_->setMarkerSize(7);
    betaMarks_->setName(tr("β changed"));
    betaMarks_->setMarkerShape(QScatterSeries::MarkerShapeTriangle);
    betaMarks_->setMarkerSize(11);
    betaMarks_->setColor(QColor(148, 103, 189));
    likelihoodDots_->setName(tr("−log p(x) (IWAE)"));
    likelihoodDots_->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
    likelihoodDots_->setMarkerSize(9);
    likelihoodDots_->setColor(QColor(23, 190, 207));
    const QColor colors[] = {QColor(31, 119, 180), QColor(44, 160, 44), QColor(214, 39, 40), QColor(255, 127, 14)};
    total_->setPen(QPen(colors[0], 1));
    recon_->setPen(QPen(colors[1], 1));
    kl_->setPen(QPen(colors[2], 1));
    test_->setPen(QPen(colors[3], 1, Qt::DashLine));
    for (auto* series : std::initializer_list<QXYSeries*>{total_, recon_, kl_, test_, betaMarks_, likelihoodDots_})
        chart->addSeries(series);
    // Hovering a marker says what it marks.
    connect(betaMarks_, &QScatterSeries::hovered, this, [this](const QPointF& point, bool on) {
        for (const BetaChange& change : betaChanges_)
            if (on && double(change.step) == point.x())
                setToolTip(tr("step %1: β set to %2").arg(change.step).arg(change.beta));
        if (!on) setToolTip(QString());
    });
    connect(likelihoodDots_, &QScatterSeries::hovered, this, [this](const QPointF& point, bool on) {
        setToolTip(on ? tr("step %1: −log p(x) ≈ %2 nats").arg(qint64(point.x())).arg(point.y(), 0, 'f', 2) : QString());
    });
    setRenderHint(QPainter::Antialiasing, false);  // antialiased stroking costs a GUI-thread core
    setMinimumHeight(200);
    // Clicking a legend entry toggles its series.
    for (QLegendMarker* marker : chart->legend()->markers()) {
        connect(marker, &QLegendMarker::clicked, this, [marker] {
            marker->series()->setVisible(!marker->series()->isVisible());
            marker->setVisible(true);
            marker->setLabelBrush(marker->series()->isVisible() ? QBrush(Qt::black) : QBrush(Qt::gray));
        });
    }
    rebuildAxes();
    dirty_ = true;
    refresh();  // the empty chart's axes get their ranges and labels too
    refreshTimer_.setInterval(kRefreshMs);
    connect(&refreshTimer_, &QTimer::timeout, this, &LossChart::refresh);
    refreshTimer_.start();
}

void LossChart::addSteps(const QVector<StepLoss>& points) {
    steps_.insert(steps_.end(), points.begin(), points.end());
    dirty_ = true;
}

void LossChart::addEpoch(const EpochMetrics& metrics) {
    testPoints_.emplace_back(double(metrics.step), metrics.test.loss);
    dirty_ = true;
}

void LossChart::markBetaChange(const BetaChange& change) {
    betaChanges_.push_back(change);
    dirty_ = true;
}

void LossChart::showBetaChanges(const std::vector<BetaChange>& changes) {
    betaChanges_ = changes;
    dirty_ = true;
}

void LossChart::addLikelihood(qint64 step, double negLogLikelihood) {
    likelihoodPoints_.emplace_back(double(step), negLogLikelihood);
    dirty_ = true;
    refresh();
}

void LossChart::showHistory(const TrainingHistory& history) {
    steps_ = history.steps;
    testPoints_.clear();
    likelihoodPoints_.clear();  // they belong to the model that was shown
    for (const EpochMetrics& metrics : history.epochs) testPoints_.emplace_back(double(metrics.step), metrics.test.loss);
    xRange_ = yRange_ = {};
    dirty_ = true;
    refresh();
}

void LossChart::clear() {
    steps_.clear();
    testPoints_.clear();
    likelihoodPoints_.clear();
    betaChanges_.clear();
    xRange_ = yRange_ = {};
    dirty_ = true;
    refresh();
}

void LossChart::setLogScale(bool on) {
    if (on == logScale_) return;
    logScale_ = on;
    rebuildAxes();
    dirty_ = true;
    refresh();
}

int LossChart::plottedTrainPoints() const { return int(total_->count()); }
int LossChart::plottedTestPoints() const { return int(test_->count()); }
int LossChart::plottedBetaMarks() const { return int(betaMarks_->count()); }
int LossChart::plottedLikelihoodPoints() const { return int(likelihoodDots_->count()); }

void LossChart::rebuildAxes() {
    QChart* chart = this->chart();
    for (QAbstractAxis* axis : chart->axes()) {
        chart->removeAxis(axis);
        delete axis;
    }
    auto* x = new QValueAxis;
    x->setTitleText(tr("step"));
    x->setLabelFormat("%d");
    QAbstractAxis* y = nullptr;
    if (logScale_) {
        auto* logAxis = new QLogValueAxis;
        logAxis->setBase(10);
        logAxis->setMinorTickCount(8);
        logAxis->setLabelFormat("%g");
        y = logAxis;
    } else {
        auto* linear = new QValueAxis;
        y = linear;
    }
    y->setTitleText(tr("nats/image"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    for (QAbstractSeries* series : chart->series()) {
        series->attachAxis(x);
        series->attachAxis(y);
    }
    xAxis_ = x;
    yAxis_ = y;
    axesRebuilt_ = true;
}

void LossChart::refresh() {
    if (!dirty_) return;
    dirty_ = false;
    const auto total = smoothed(steps_, &LossTerms::loss);
    total_->replace(total);
    recon_->replace(smoothed(steps_, &LossTerms::recon));
    kl_->replace(smoothed(steps_, &LossTerms::kl));
    const QList<QPointF> tests(testPoints_.begin(), testPoints_.end());
    test_->replace(tests);
    likelihoodDots_->replace(QList<QPointF>(likelihoodPoints_.begin(), likelihoodPoints_.end()));
    // Each beta marker sits on the train curve at the first point at or after its step.
    QList<QPointF> marks;
    for (const BetaChange& change : betaChanges_) {
        const auto at = std::find_if(total.begin(), total.end(), [&](const QPointF& p) { return p.x() >= double(change.step); });
        if (at != total.end()) marks.append({double(change.step), at->y()});
    }
    betaMarks_->replace(marks);
    // A series enters the legend with its first point: "β changed" means nothing before one.
    bool legendChanged = false;
    for (QLegendMarker* marker : chart()->legend()->markers()) {
        const bool hasData = static_cast<const QXYSeries*>(marker->series())->count() > 0;
        legendChanged = legendChanged || marker->isVisible() != hasData;
        marker->setVisible(hasData);
    }
    // Qt Charts 6.4 does not lay a shown legend out again when a marker appears.
    if (legendChanged) chart()->legend()->layout()->invalidate();

    // Axes follow the data, with headroom so they change rarely: re-laying out an axis (ticks,
    // labels) costs more than drawing the curves.
    // Like TensorBoard's "ignore outliers": the first tenth of the run (the steep start) does
    // not set the top of the y axis, so the rest of the curve stays readable.
    double xMax = 1, yMin = 1e300, yMax = -1e300;
    const std::initializer_list<const QXYSeries*> plotted{total_, recon_, kl_, test_, likelihoodDots_};
    for (const QXYSeries* series : plotted)
        for (const QPointF& p : series->points()) xMax = std::max(xMax, p.x());
    const double ignoreBefore = steps_.size() >= 20 && !logScale_ ? 0.1 * xMax : -1;
    for (const QXYSeries* series : plotted)
        for (const QPointF& p : series->points())
            if (p.x() >= ignoreBefore) {
                yMin = std::min(yMin, p.y());
                yMax = std::max(yMax, p.y());
            }
    if (yMin > yMax) yMin = 0, yMax = 1;
    QPointF yRange;
    if (logScale_) {
        yRange = {std::max(1e-2, yMin * 0.8), std::max(1.0, yMax * 1.25)};
    } else {
        const double pad = std::max(1.0, (yMax - yMin) * 0.05);
        yRange = {yMin >= 0 ? std::max(0.0, yMin - pad) : yMin - pad, yMax + pad};
    }
    const bool xOutgrown = xMax > xRange_.y() || xMax < 0.5 * xRange_.y();
    if (xOutgrown) xRange_ = {0, std::max(10.0, xMax * 1.2)};
    const double ySpan = yRange.y() - yRange.x(), shownSpan = yRange_.y() - yRange_.x();
    const bool yMoved = yRange.x() < yRange_.x() || yRange.y() > yRange_.y() || ySpan < 0.7 * shownSpan ||
                        yRange.x() > yRange_.x() + 0.2 * shownSpan;
    if (yMoved) yRange_ = yRange;
    if (xOutgrown || axesRebuilt_) setNiceRange(xAxis_, xRange_.x(), xRange_.y());
    if (yMoved || axesRebuilt_) setNiceRange(yAxis_, yRange_.x(), yRange_.y());
    axesRebuilt_ = false;
}

QStringList LossChart::legendEntries() const {
    QStringList names;
    for (QLegendMarker* marker : chart()->legend()->markers())
        if (marker->isVisible()) names << marker->label();
    return names;
}

QStringList LossChart::yTickLabels() const {
    const auto* linear = qobject_cast<const QValueAxis*>(yAxis_);
    if (!linear || linear->tickInterval() <= 0) return {};
    QStringList labels;
    const QByteArray format = linear->labelFormat().toLatin1();
    for (double tick = linear->tickAnchor(); tick <= linear->max() + 1e-9 && labels.size() < 100; tick += linear->tickInterval())
        if (tick >= linear->min() - 1e-9) labels << QString::asprintf(format.constData(), tick);
    return labels;
}

}  // namespace vae
