#include "progress_line.h"

#include <unistd.h>

#include <cstdio>

namespace vae {
namespace {

constexpr qint64 kRedrawMs = 100;  // a terminal's line at most ten times a second

QString duration(double seconds) {
    const auto whole = static_cast<long long>(seconds + 0.5);
    return whole >= 3600 ? QString("%1:%2:%3").arg(whole / 3600).arg(whole / 60 % 60, 2, 10, QChar('0')).arg(whole % 60, 2, 10, QChar('0'))
                         : QString("%1:%2").arg(whole / 60).arg(whole % 60, 2, 10, QChar('0'));
}

}  // namespace

ProgressLine::ProgressLine(QString task, QString unit, bool quiet)
    : task_(std::move(task)), unit_(std::move(unit)), quiet_(quiet), terminal_(::isatty(STDERR_FILENO) == 1) {
    sinceStart_.start();
    sinceDrawn_.start();
}

ProgressLine::~ProgressLine() { finish(); }

QString ProgressLine::text(long long done, long long total) const {
    const double seconds = sinceStart_.elapsed() / 1000.0;
    QString line = QString("%1: %2/%3 %4").arg(task_).arg(done).arg(total).arg(unit_);
    if (total > 0) line += QString(" (%1%)").arg(100 * done / total);
    if (seconds > 0.2 && done > 0) {
        const double rate = done / seconds;
        line += QString(", %1 %2/s").arg(rate, 0, 'f', rate < 10 ? 2 : 0).arg(unit_);
        if (total > done) line += QString(", %1 left").arg(duration((total - done) / rate));
    }
    return line;
}

void ProgressLine::update(long long done, long long total) {
    if (quiet_) return;
    if (terminal_) {
        if (drawn_ && sinceDrawn_.elapsed() < kRedrawMs && done < total) return;
        std::fprintf(stderr, "\r\033[K%s", qPrintable(text(done, total)));
        drawn_ = true;
        sinceDrawn_.restart();
    } else if (const int tenth = total > 0 ? int(10 * done / total) : 10; tenth > lastTenth_) {
        lastTenth_ = tenth;
        std::fprintf(stderr, "%s\n", qPrintable(text(done, total)));
    }
    std::fflush(stderr);
}

void ProgressLine::finish() {
    if (!terminal_ || !drawn_) return;
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
    drawn_ = false;
}

}  // namespace vae
