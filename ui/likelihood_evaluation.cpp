#include "likelihood_evaluation.h"

#include "loss_chart.h"
#include "option_field.h"
#include "training_controller.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QProgressDialog>
#include <QSpinBox>
#include <QStatusBar>

namespace vae {
LikelihoodEvaluation::LikelihoodEvaluation(TrainingController& controller, LossChart* chart, QStatusBar* status,
                                           QWidget* window)
    : QObject(window), controller_(controller), chart_(chart), status_(status), window_(window) {
    connect(&controller_, &TrainingController::likelihoodProgress, this, &LikelihoodEvaluation::onProgress);
    connect(&controller_, &TrainingController::likelihoodFinished, this, &LikelihoodEvaluation::onFinished);
}

void LikelihoodEvaluation::ask(int testImages) {
    QDialog dialog(window_);
    dialog.setWindowTitle(tr("Evaluate log-likelihood"));
    auto* samples = new QSpinBox;
    showOptionRow(samples, options::kSamples);
    auto* images = new QSpinBox;
    images->setRange(1, std::max(1, testImages));
    images->setValue(std::max(1, testImages));
    images->setToolTip(tr("The first N test images"));
    auto* note = new QLabel(tr("−log p(x) ≈ −log (1/k Σ p(x, z_j) / q(z_j|x)), z_j from q(z|x): an upper bound "
                               "that tightens as k grows. Runs while nothing trains; Cancel stops it."));
    note->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto* form = new QFormLayout(&dialog);
    form->addRow(tr("Samples per image (k)"), samples);
    form->addRow(tr("Test images"), images);
    form->addRow(note);
    form->addRow(buttons);
    if (dialog.exec() != QDialog::Accepted) return;
    LikelihoodOptions options;
    options.samples = samples->value();
    options.images = images->value();
    start(options);
}

void LikelihoodEvaluation::start(const LikelihoodOptions& options) {
    try {
        options.validate();
    } catch (const std::exception& error) {
        emit failed(QString::fromUtf8(error.what()));
        return;
    }
    if (controller_.isBusy()) return;
    running_ = options;
    if (progress_) progress_->deleteLater();
    progress_ = new QProgressDialog(tr("Estimating −log p(x) with k = %1…").arg(options.samples), tr("Cancel"), 0, 100, window_);
    progress_->setWindowTitle(tr("Evaluate log-likelihood"));
    progress_->setMinimumDuration(0);
    progress_->setAutoClose(false);
    progress_->setAutoReset(false);
    connect(progress_, &QProgressDialog::canceled, this, &LikelihoodEvaluation::cancel);
    progress_->setValue(0);
    controller_.estimateLikelihood(options);
}

void LikelihoodEvaluation::cancel() {
    if (controller_.state() == TrainingController::State::Evaluating) controller_.stop();
}

void LikelihoodEvaluation::onProgress(int imagesDone, int imagesTotal) {
    if (!progress_ || imagesTotal <= 0) return;
    progress_->setMaximum(imagesTotal);
    progress_->setValue(imagesDone);
    progress_->setLabelText(tr("Estimating −log p(x) with k = %1: %2 of %3 images")
                                .arg(running_.samples).arg(imagesDone).arg(imagesTotal));
}

void LikelihoodEvaluation::onFinished(const LikelihoodResult& result) {
    if (progress_) {
        progress_->hide();
        progress_->deleteLater();
    }
    const auto& estimate = result.estimate;
    if (!result.error.isEmpty()) {
        emit failed(result.error);
    } else if (estimate.cancelled) {
        status_->showMessage(tr("Log-likelihood estimate cancelled"), 5000);
    } else {
        lastReport_ = tr("−log p(x) ≈ %1 nats (k = %2, %3 test images, %4 s; −ELBO from the same samples %5) at step %6")
                          .arg(estimate.negLogLikelihood, 0, 'f', 2)
                          .arg(estimate.samples)
                          .arg(estimate.images)
                          .arg(estimate.seconds, 0, 'f', 1)
                          .arg(estimate.negElbo, 0, 'f', 2)
                          .arg(result.step);
        status_->showMessage(lastReport_);  // stays until the next message
        chart_->addLikelihood(result.step, estimate.negLogLikelihood);
    }
    emit finished(result);
}

}  // namespace vae
