#pragma once
// Live loss curves: train total, reconstruction and KL per logged step (lightly smoothed),
// and test loss per epoch; for β-TCVAE also the KL's split (index-code MI, total correlation,
// dimension-wise KL) on an axis of its own. Data arrives at any rate; the series are replaced at most 10 times
// a second, never appended point by point.
#include "boundary_types.h"

#include <QChartView>
#include <QTimer>

#include <vector>

QT_BEGIN_NAMESPACE
class QLineSeries;
class QScatterSeries;
class QAbstractAxis;
QT_END_NAMESPACE

namespace vae {

class LossChart : public QChartView {
    Q_OBJECT
public:
    explicit LossChart(QWidget* parent = nullptr);

    void addSteps(const QVector<StepLoss>& points);
    void addEpoch(const EpochMetrics& metrics);
    void clear();
    // Replaces the curves with a model's history (an opened checkpoint's, say). The -log p(x)
    // points stay when it is the same model's (after a run goes on), and go with another model.
    void showHistory(const TrainingHistory& history, bool sameModel = false);
    // A beta set while training: a marker on the train curve at its step.
    void markBetaChange(const BetaChange& change);
    void showBetaChanges(const std::vector<BetaChange>& changes);  // replaces the markers
    // An importance-weighted -log p(x) of the model at `step`: a point beside the test curve.
    void addLikelihood(qint64 step, double negLogLikelihood);
    void setLogScale(bool on);
    bool logScale() const { return logScale_; }

    const std::vector<StepLoss>& steps() const { return steps_; }
    int plottedTrainPoints() const;  // what the chart shows now (for tests)
    int plottedTestPoints() const;
    int plottedBetaMarks() const;
    int plottedLikelihoodPoints() const;
    int plottedSplitPoints() const;  // points of each of the KL split's three curves
    bool splitAxisShown() const;
    bool testMarkersShown() const;  // the epochs' dots, shown while there is room between them
    QStringList legendEntries() const;  // the names the legend shows now
    QStringList yTickLabels() const;    // the y axis's labels, as its label format prints them

private:
    void refresh();
    void rebuildAxes();
    void showValuesOnHover();

    std::vector<StepLoss> steps_;
    std::vector<QPointF> testPoints_;
    std::vector<BetaChange> betaChanges_;
    std::vector<QPointF> likelihoodPoints_;
    QLineSeries* total_;
    QLineSeries* recon_;
    QLineSeries* kl_;
    QLineSeries* test_;
    QScatterSeries* betaMarks_;
    QScatterSeries* likelihoodDots_;
    QLineSeries* splitMi_;
    QLineSeries* splitTc_;
    QLineSeries* splitDimKl_;
    QAbstractAxis* xAxis_ = nullptr;
    QAbstractAxis* yAxis_ = nullptr;
    QAbstractAxis* splitAxis_ = nullptr;
    QTimer refreshTimer_;
    QPointF xRange_;  // shown (min, max)
    QPointF yRange_;
    QPointF splitRange_;
    bool axesRebuilt_ = true;
    bool dirty_ = false;
    bool logScale_ = false;
};

}  // namespace vae
