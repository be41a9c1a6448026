#include "loss_chart.h"

#include "chart_axes.h"
#include "loss_curves.h"

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

constexpr int kRefreshMs = 100;  // at most 10 redraws a second (the data comes at 10 Hz)

// A part of β-TCVAE's KL split: dotted, on the right axis.
QLineSeries* splitSeries(const QString& name, QColor colour) {
    auto* series = new QLineSeries;
    series->setName(name);
    series->setPen(QPen(colour, 2, Qt::DotLine));
    return series;
}

}  // namespace

LossChart::LossChart(QWidget* parent)
    : QChartView(parent), total_(new QLineSeries), recon_(new QLineSeries), kl_(new QLineSeries),
      test_(new QLineSeries), betaMarks_(new QScatterSeries), likelihoodDots_(new QScatterSeries),
      // β-TCVAE's split of the KL. Minibatch-weighted sampling puts multiples of log(batch x data
      // size) into each part (they cancel in the sum): the parts get their own axis, so that
      // they neither squash the loss curves nor go below a log axis's zero.
      splitMi_(splitSeries(tr("index-code MI"), QColor(140, 86, 75))),
      splitTc_(splitSeries(tr("total correlation"), QColor(227, 119, 194))),
      splitDimKl_(splitSeries(tr("dimension-wise KL"), QColor(127, 127, 127))) {
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
    for (auto* series : std::initializer_list<QXYSeries*>{total_, recon_, kl_, test_, betaMarks_, likelihoodDots_,
                                                          splitMi_, splitTc_, splitDimKl_})
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
    showValuesOnHover();
    for (QLineSeries* part : {splitMi_, splitTc_, splitDimKl_})
        connect(part, &QLineSeries::hovered, this, [this](const QPointF&, bool on) {
            setToolTip(on ? tr("β-TCVAE's split of the KL (minibatch-weighted sampling, as Chen et al.'s code): the "
                               "three parts sum to the KL, and each carries an offset of a multiple of log(batch × "
                               "training images), so compare their changes, not their levels")
                          : QString());
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

void LossChart::showHistory(const TrainingHistory& history, bool sameModel) {
    steps_ = history.steps;
    testPoints_.clear();
    if (!sameModel) likelihoodPoints_.clear();  // they belong to the model that was shown
    for (const EpochMetrics& metrics : history.epochs) testPoints_.emplace_back(double(metrics.step), metrics.test.loss);
    xRange_ = yRange_ = splitRange_ = {};
    dirty_ = true;
    refresh();
}

void LossChart::clear() {
    steps_.clear();
    testPoints_.clear();
    likelihoodPoints_.clear();
    betaChanges_.clear();
    xRange_ = yRange_ = splitRange_ = {};
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

// The curves' values under the cursor: the series, its step and its value in nats.
void LossChart::showValuesOnHover() {
    for (QLineSeries* series : {total_, recon_, kl_, test_}) {
        series->setPointLabelsVisible(false);
        connect(series, &QLineSeries::hovered, this, [this, series](const QPointF& point, bool on) {
            if (!on) return setToolTip(QString());
            // The nearest plotted point's value, not the cursor's position between two.
            const QList<QPointF> points = series->points();
            const auto nearest = std::min_element(points.begin(), points.end(), [&](const QPointF& a, const QPointF& b) {
                return std::abs(a.x() - point.x()) < std::abs(b.x() - point.x());
            });
            if (nearest == points.end()) return;
            setToolTip(tr("%1 at step %2: %3 nats/image")
                           .arg(series == test_ ? tr("test −ELBO") : series->name())
                           .arg(qint64(nearest->x()))
                           .arg(nearest->y(), 0, 'f', 2));
        });
    }
}

bool LossChart::testMarkersShown() const { return test_->pointsVisible(); }

int LossChart::plottedTrainPoints() const { return int(total_->count()); }
int LossChart::plottedTestPoints() const { return int(test_->count()); }
int LossChart::plottedBetaMarks() const { return int(betaMarks_->count()); }
int LossChart::plottedLikelihoodPoints() const { return int(likelihoodDots_->count()); }
int LossChart::plottedSplitPoints() const { return int(splitMi_->count()); }
bool LossChart::splitAxisShown() const { return splitAxis_->isVisible(); }

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
    auto* split = new QValueAxis;  // linear whatever the left one is: the parts go below zero
    split->setTitleText(tr("KL split"));  // short: the chart is often 100 px tall
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    chart->addAxis(split, Qt::AlignRight);
    for (QAbstractSeries* series : chart->series()) {
        const bool isSplit = series == splitMi_ || series == splitTc_ || series == splitDimKl_;
        series->attachAxis(x);
        series->attachAxis(isSplit ? static_cast<QAbstractAxis*>(split) : y);
    }
    xAxis_ = x;
    yAxis_ = y;
    splitAxis_ = split;
    splitRange_ = {};
    axesRebuilt_ = true;
}

void LossChart::refresh() {
    if (!dirty_) return;
    dirty_ = false;
    const auto total = smoothedTerm(steps_, &LossTerms::loss);
    total_->replace(total);
    recon_->replace(smoothedTerm(steps_, &LossTerms::recon));
    kl_->replace(smoothedTerm(steps_, &LossTerms::kl));
    splitMi_->replace(smoothedSplit(steps_, &KlSplit::indexCodeMi));
    splitTc_->replace(smoothedSplit(steps_, &KlSplit::totalCorrelation));
    splitDimKl_->replace(smoothedSplit(steps_, &KlSplit::dimensionwiseKl));
    const QList<QPointF> tests(testPoints_.begin(), testPoints_.end());
    test_->replace(tests);
    // The epochs' dots while 12 pixels lie between them; past that (40 epochs on a laptop) they
    // ran together into a band that hid the curves: then the line alone.
    test_->setPointsVisible(tests.size() * 12 <= int(chart()->plotArea().width()) || tests.size() <= 10);
    // The latest test −ELBO as a number, in its legend entry.
    const QString testName = tests.isEmpty() ? tr("test −ELBO (each epoch)")
                                             : tr("test −ELBO (each epoch; last %1)").arg(tests.back().y(), 0, 'f', 2);
    if (test_->name() != testName) test_->setName(testName);
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
    double xMax = 1;
    for (const QAbstractSeries* series : chart()->series())
        for (const QPointF& p : static_cast<const QXYSeries*>(series)->points()) xMax = std::max(xMax, p.x());
    const double ignoreBefore = steps_.size() >= 20 && !logScale_ ? 0.1 * xMax : -1;
    const bool xOutgrown = xMax > xRange_.y() || xMax < 0.5 * xRange_.y();
    if (xOutgrown) xRange_ = {0, std::max(10.0, xMax * 1.2)};
    if (xOutgrown || axesRebuilt_) setNiceRange(xAxis_, xRange_.x(), xRange_.y());
    const QPointF losses = valueRange({total_, recon_, kl_, test_, likelihoodDots_}, ignoreBefore);
    if (followRange(yRange_, paddedRange(losses, logScale_)) || axesRebuilt_) setNiceRange(yAxis_, yRange_.x(), yRange_.y());
    const bool hasSplit = splitMi_->count() > 0;
    splitAxis_->setVisible(hasSplit);
    const QPointF split = valueRange({splitMi_, splitTc_, splitDimKl_}, ignoreBefore);
    if (hasSplit && (followRange(splitRange_, paddedRange(split, false)) || axesRebuilt_))
        setNiceRange(splitAxis_, splitRange_.x(), splitRange_.y());
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
