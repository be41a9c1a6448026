#pragma once
// What bench/gui_bench measures in the real window, shared by its modes: clicks until the decoded
// point is painted, grid decodes, event-loop stalls (a 5 ms timer probe), the slowest single
// event, and resident memory.
#include "main_window.h"

#include <QApplication>
#include <QString>

#include <vector>

namespace vae::bench {

// The window's parts, by type or object name (MainWindow has no getters for them).
template <typename Part>
Part* part(MainWindow& window, const char* name = nullptr) {
    const auto found = name ? window.findChildren<Part*>(QString::fromLatin1(name)) : window.findChildren<Part*>();
    return found.size() == 1 ? found.first() : nullptr;
}

struct Stats {
    std::vector<double> values;
    QString summary(const char* unit) const;
    double median() const;
};

// Gaps between ticks of a 5 ms timer beyond those 5 ms: how long the event loop could not run.
struct StallReport {
    Stats gaps;
    int over50 = 0;
    double stealMs = 0;  // CPU time the hypervisor gave to other guests meanwhile
    QString summary() const;
};

// Times every event the GUI thread handles, so a stall can be traced to its cause.
class TimedApplication : public QApplication {
public:
    using QApplication::QApplication;
    bool notify(QObject* receiver, QEvent* event) override;
    double slowest = 0;
    QString slowestWhat;

private:
    int depth_ = 0;
};

void print(const QString& line);
double residentMegabytes();
// Random clicks on the map, each timed until the enlarged image has been painted.
Stats measureClicks(MainWindow& window, int clicks);
// The decode thread's time for `grids` 20x20 grids of the map's own plane.
Stats measureGrids(MainWindow& window, int grids);
// From asking for a grid of the map's plane to the map repainted with it whole, and with its
// first rows (a slow grid comes in rows): what a user sees.
struct GridTimes {
    Stats whole;
    Stats firstRows;
};
GridTimes measureGridsPainted(MainWindow& window, int grids);
StallReport measureStalls(int milliseconds);

}  // namespace vae::bench

namespace vae::bench {
// `gui_bench colour SECONDS`: the emoji preset's model at 64x64 (colour), idle and while
// training for SECONDS: click -> painted, 20x20 grid -> painted, stalls (gui_bench_colour.cpp).
int colourBench(MainWindow& window, TimedApplication& app, int seconds);
}  // namespace vae::bench
