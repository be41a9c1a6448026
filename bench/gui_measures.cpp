#include "gui_measures.h"

#include "latent_map_widget.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cstdio>

namespace vae::bench {

QString Stats::summary(const char* unit) const {
    if (values.empty()) return "no samples";
    auto sorted = values;
    std::sort(sorted.begin(), sorted.end());
    const auto at = [&](double q) { return sorted[std::min(sorted.size() - 1, std::size_t(q * sorted.size()))]; };
    return QString("median %1 %4, p95 %2 %4, max %3 %4 (n=%5)")
        .arg(at(0.5), 0, 'f', 2).arg(at(0.95), 0, 'f', 2).arg(sorted.back(), 0, 'f', 2).arg(unit).arg(sorted.size());
}

double Stats::median() const {
    if (values.empty()) return 0;
    auto sorted = values;
    std::sort(sorted.begin(), sorted.end());
    return sorted[sorted.size() / 2];
}

QString StallReport::summary() const {
    auto sorted = gaps.values;
    std::sort(sorted.begin(), sorted.end());
    return QString("longest %1 ms, p99 %2 ms, %3 gaps over 50 ms; steal during it %4 ms")
        .arg(sorted.empty() ? 0 : sorted.back(), 0, 'f', 1)
        .arg(sorted.empty() ? 0.0 : sorted[std::size_t(0.99 * (sorted.size() - 1))], 0, 'f', 1)
        .arg(over50)
        .arg(stealMs, 0, 'f', 0);
}

bool TimedApplication::notify(QObject* receiver, QEvent* event) {
    if (QThread::currentThread() != thread()) return QApplication::notify(receiver, event);
    if (depth_++ > 0) {
        const bool handled = QApplication::notify(receiver, event);
        --depth_;
        return handled;
    }
    QElapsedTimer timer;
    timer.start();
    const int type = event->type();  // the event may be deleted by the handler
    const QString name = receiver->metaObject()->className();
    const bool handled = QApplication::notify(receiver, event);
    --depth_;
    const double ms = timer.nsecsElapsed() / 1e6;
    if (ms > slowest) {
        slowest = ms;
        slowestWhat = QString("event type %1 to %2").arg(type).arg(name);
    }
    return handled;
}

void print(const QString& line) {
    std::printf("%s\n", qPrintable(line));
    std::fflush(stdout);
}

double residentMegabytes() {
    QFile status("/proc/self/status");
    status.open(QIODevice::ReadOnly);
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:")) return line.simplified().split(' ').value(1).toDouble() / 1024;
    return 0;
}

Stats measureClicks(MainWindow& window, int clicks) {
    Stats stats;
    QSignalSpy shown(&window, &MainWindow::decodedPointShown);
    auto* map = part<LatentMapWidget>(window);
    const QRect area = map->mapRect();
    for (int i = 0; i < clicks; ++i) {
        const QPoint at = area.topLeft() + QPoint(QRandomGenerator::global()->bounded(area.width()),
                                                  QRandomGenerator::global()->bounded(area.height()));
        QElapsedTimer timer;
        timer.start();
        QTest::mouseClick(map, Qt::LeftButton, {}, at);
        if (!shown.wait(2000)) continue;
        stats.values.push_back(timer.nsecsElapsed() / 1e6);
        QTest::qWait(20);  // a person clicks a few times a second at most
    }
    return stats;
}

namespace {
GridSpec nudged(const GridSpec& spec, int i) {
    GridSpec changed = spec;
    changed.range = spec.range * (1.0 + 0.001 * (i % 2 ? 1 : -1) * (1 + i % 7));  // a new grid each time
    return changed;
}
}  // namespace

namespace {
// Waits for the grid asked for to arrive whole; the time its first rows were painted (a slow
// grid comes in rows) goes to `firstRowsMs`. False when it never did.
bool waitForWholeGrid(QSignalSpy& decoded, LatentMapWidget* map, const QElapsedTimer& asked, double* firstRowsMs,
                      double* decodeMs) {
    for (;;) {
        if (decoded.isEmpty() && !decoded.wait(5000)) return false;
        const auto grid = decoded.takeFirst().at(0).value<DecodedGrid>();
        if (map) map->repaint();  // the explorer has handed the map the grid (it hears the signal first)
        if (firstRowsMs && *firstRowsMs < 0) *firstRowsMs = asked.nsecsElapsed() / 1e6;
        if (grid.complete) {
            if (decodeMs) *decodeMs = grid.decodeMilliseconds;
            return true;
        }
    }
}
}  // namespace

Stats measureGrids(MainWindow& window, int grids) {
    Stats stats;
    QSignalSpy decoded(&window.controller(), &TrainingController::gridDecoded);
    const GridSpec spec = part<LatentMapWidget>(window)->spec();
    for (int i = 0; i < grids; ++i) {
        decoded.clear();
        QElapsedTimer asked;
        asked.start();
        window.controller().requestGrid(nudged(spec, i));
        double decodeMs = 0;
        if (waitForWholeGrid(decoded, nullptr, asked, nullptr, &decodeMs)) stats.values.push_back(decodeMs);
    }
    return stats;
}

GridTimes measureGridsPainted(MainWindow& window, int grids) {
    GridTimes times;
    QSignalSpy decoded(&window.controller(), &TrainingController::gridDecoded);
    auto* map = part<LatentMapWidget>(window);
    const GridSpec spec = map->spec();
    for (int i = 0; i < grids; ++i) {
        decoded.clear();
        QElapsedTimer asked;
        asked.start();
        window.controller().requestGrid(nudged(spec, i));
        double firstRows = -1;
        if (!waitForWholeGrid(decoded, map, asked, &firstRows, nullptr)) continue;
        times.whole.values.push_back(asked.nsecsElapsed() / 1e6);
        times.firstRows.values.push_back(firstRows);
        QTest::qWait(50);
    }
    return times;
}

namespace {
// CPU time the hypervisor gave to other guests (steal), in ms, from /proc/stat.
double stealMilliseconds() {
    QFile stat("/proc/stat");
    stat.open(QIODevice::ReadOnly);
    const auto fields = stat.readLine().simplified().split(' ');
    return fields.value(8).toDouble() * 1000.0 / 100.0;  // USER_HZ is 100 on Linux
}
}  // namespace

StallReport measureStalls(int milliseconds) {
    StallReport report;
    const double stealBefore = stealMilliseconds();
    QElapsedTimer clock;
    clock.start();
    qint64 last = clock.nsecsElapsed();
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        const double gap = std::max(0.0, (now - last) / 1e6 - 5.0);
        report.gaps.values.push_back(gap);
        report.over50 += gap > 50;
        last = now;
    });
    probe.start(5);
    QEventLoop loop;  // a plain event loop, as in the app (QTest::qWait would add its own sleeps)
    QTimer::singleShot(milliseconds, &loop, &QEventLoop::quit);
    loop.exec();
    report.stealMs = stealMilliseconds() - stealBefore;
    return report;
}

}  // namespace vae::bench
