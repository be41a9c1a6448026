#include "training_status.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QStatusBar>

namespace vae {

TrainingStatus::TrainingStatus(QStatusBar* bar) : QWidget(bar) {
    progress_ = new QProgressBar;
    progress_->setMaximumWidth(220);
    progress_->setFormat("%p%");
    epoch_ = new QLabel(tr("idle"));
    speed_ = new QLabel;
    eta_ = new QLabel;
    backend_ = new QLabel;
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    for (QWidget* part : std::initializer_list<QWidget*>{progress_, epoch_, speed_, eta_}) layout->addWidget(part);
    bar->addWidget(this);
    bar->addPermanentWidget(backend_);
}

void TrainingStatus::showProgress(const ProgressUpdate& update, int trainImages) {
    const int total = update.epochsOfRun * update.batchesPerEpoch;
    const int done = (update.epochOfRun - 1) * update.batchesPerEpoch + update.batch;
    progress_->setRange(0, total);
    progress_->setValue(done);
    epoch_->setText(tr("epoch %1/%2 · step %3").arg(update.epochOfRun).arg(update.epochsOfRun).arg(update.step));
    // The trainer drops to one thread while another process holds a core (thread_governor.h).
    // The threads training uses now, which the right side's "torch up to N" bounds.
    speed_->setText(update.threads == 1 ? tr("%1 img/s · training on 1 thread").arg(update.imagesPerSecond, 0, 'f', 0)
                                        : tr("%1 img/s · training on %2 threads").arg(update.imagesPerSecond, 0, 'f', 0).arg(update.threads));
    const double imagesPerBatch = trainImages > 0 ? double(trainImages) / update.batchesPerEpoch : 0;
    if (update.imagesPerSecond > 0 && imagesPerBatch > 0) {
        const int seconds = int((total - done) * imagesPerBatch / update.imagesPerSecond);
        eta_->setText(tr("%1:%2 left").arg(seconds / 60).arg(seconds % 60, 2, 10, QChar('0')));
    }
}

void TrainingStatus::showFinished(bool cancelled) {
    epoch_->setText(cancelled ? tr("stopped") : tr("idle"));
    eta_->clear();
}

void TrainingStatus::clear() {
    progress_->setRange(0, 1);
    progress_->setValue(0);
    epoch_->setText(tr("idle"));
    speed_->clear();
    eta_->clear();
}

void TrainingStatus::showPaused() {
    if (!epoch_->text().endsWith(tr(" · paused"))) epoch_->setText(epoch_->text() + tr(" · paused"));
}

void TrainingStatus::showBackend(const QString& device, const QString& report) {
    // "BLAS OpenBLAS 0.3.21 <build flags> (OpenMP, 2 threads) from /usr/lib/...; torch 2 threads"
    const QString blas = report.section(" from ", 0, 0);
    // "torch 2 threads" is the pool's size, not what a run uses now (the left side says that).
    const QString torch = report.section("; ", 1).replace("torch ", tr("torch up to "));
    backend_->setText(tr("device %1 · %2 %3 · %4").arg(device, blas.section(' ', 0, 2), blas.mid(blas.lastIndexOf('(')), torch));
    backend_->setToolTip(report);
}

}  // namespace vae
