#pragma once
// How a long task shows it is moving, as users of tqdm and pip know it, on stderr: on a terminal
// one line redrawn in place (done / total, rate, time left) and cleared when the task ends; off a
// terminal (a log, a pipe) a plain line each time another tenth is done, never a carriage
// return. Quiet prints nothing. Every command's long work reports through this one class (Debian
// has no C++ terminal-progress library).
#include <QElapsedTimer>
#include <QString>

namespace vae {

class ProgressLine {
public:
    // `task` names the work ("epoch 3/10", "-log p(x)"), `unit` what is counted ("batches").
    ProgressLine(QString task, QString unit, bool quiet);
    ~ProgressLine();
    ProgressLine(const ProgressLine&) = delete;
    ProgressLine& operator=(const ProgressLine&) = delete;

    void update(long long done, long long total);
    // Clears a terminal's line, so that what is printed next starts on a clean one.
    void finish();

private:
    QString text(long long done, long long total) const;

    QString task_;
    QString unit_;
    bool quiet_;
    bool terminal_;
    bool drawn_ = false;
    int lastTenth_ = 0;
    QElapsedTimer sinceStart_;
    QElapsedTimer sinceDrawn_;
};

}  // namespace vae
