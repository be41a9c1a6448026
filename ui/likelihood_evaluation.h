#pragma once
// The window's Evaluate log-likelihood…: asks for k and the number of test images, runs the
// importance-weighted estimate in the training thread (TrainingController::estimateLikelihood)
// behind a progress dialog that can cancel it, and reports the result in the status bar and as
// a point on the loss chart.
#include "boundary_types.h"

#include <QObject>
#include <QPointer>

QT_BEGIN_NAMESPACE
class QProgressDialog;
class QStatusBar;
class QWidget;
QT_END_NAMESPACE

namespace vae {

class LossChart;
class TrainingController;

class LikelihoodEvaluation : public QObject {
    Q_OBJECT
public:
    LikelihoodEvaluation(TrainingController& controller, LossChart* chart, QStatusBar* status, QWidget* window);

    // The dialog (k, images), then start(). testImages: how many the loaded test set has.
    void ask(int testImages);
    void start(const LikelihoodOptions& options);
    void cancel();  // the progress dialog's Cancel does the same
    // The last result as the status bar said it (empty before the first).
    const QString& lastReport() const { return lastReport_; }

signals:
    void finished(const vae::LikelihoodResult& result);  // done, cancelled or failed
    void failed(const QString& message);                 // one line, for the window's message

private:
    void onProgress(int imagesDone, int imagesTotal);
    void onFinished(const LikelihoodResult& result);

    TrainingController& controller_;
    LossChart* chart_;
    QStatusBar* status_;
    QWidget* window_;
    QPointer<QProgressDialog> progress_;
    LikelihoodOptions running_;
    QString lastReport_;
};

}  // namespace vae
