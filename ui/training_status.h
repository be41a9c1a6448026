#pragma once
// The status bar's training part: progress, epoch and step, images per second, time left, and
// (permanently on the right) the device, BLAS and thread counts.
#include "boundary_types.h"

#include <QWidget>

QT_BEGIN_NAMESPACE
class QLabel;
class QProgressBar;
class QStatusBar;
QT_END_NAMESPACE

namespace vae {

class TrainingStatus : public QWidget {
    Q_OBJECT
public:
    explicit TrainingStatus(QStatusBar* bar);

    // trainImages: the dataset's size, for the time left (0: unknown).
    void showProgress(const ProgressUpdate& update, int trainImages);
    void showFinished(bool cancelled);
    void clear();  // another model: no run's progress, speed or time left
    void showPaused();
    void showBackend(const QString& device, const QString& backendReport);

private:
    QProgressBar* progress_;
    QLabel* epoch_;
    QLabel* speed_;
    QLabel* eta_;
    QLabel* backend_;
};

}  // namespace vae
