// The trainer's thread count choice, on simulated machines: the step times below are what a
// 784-400-20 step measured here (about 4 ms with 2 threads, 7 ms with 1), and what a team of 2
// measured beside a CPU hog (20-200 s per epoch, so 40-400 ms per step).
#include "thread_governor.h"

#include <QtTest>

#include <functional>

namespace {

// Runs `steps` steps; stepSeconds(step, threads) says what each takes. Returns the total time.
struct Simulation {
    double seconds = 0;
    int stepsAtConfigured = 0;
};
// The first two steps of a run, and after each change of the count, cost 20 ms more (the team
// and the BLAS set up: 17-34 ms against 6 ms measured here).
Simulation simulate(vae::ThreadGovernor& governor, int steps, const std::function<double(int, int)>& stepSeconds) {
    Simulation result;
    int lastThreads = 0, warmingUp = 0;
    for (int step = 0; step < steps; ++step) {
        const int threads = governor.threads();
        if (threads != lastThreads) warmingUp = 2;
        lastThreads = threads;
        const double seconds = stepSeconds(step, threads) + (warmingUp-- > 0 ? 0.020 : 0);
        result.seconds += seconds;
        if (threads == governor.configuredThreads()) ++result.stepsAtConfigured;
        governor.stepTook(seconds);
    }
    return result;
}

double quiet(int, int threads) { return threads == 2 ? 0.004 : 0.007; }
double hogged(int step, int threads) { return threads == 2 ? 0.04 + 0.36 * ((step * 7919) % 100) / 100.0 : 0.007; }

}  // namespace

class TestThreadGovernor : public QObject {
    Q_OBJECT
private slots:
    void quietMachineKeepsTheTeam() {
        vae::ThreadGovernor governor(2);
        const auto run = simulate(governor, 5000, quiet);
        QCOMPARE(governor.switches(), 0);
        // A probe of one thread stops after three timed steps: one at the start, one after 4096.
        QVERIFY2(run.stepsAtConfigured > 4980, qPrintable(QString::number(run.stepsAtConfigured)));
        QVERIFY2(run.seconds < 1.02 * 5000 * 0.004, qPrintable(QString("%1 s").arg(run.seconds)));
    }
    void busyMachineFallsBackToOneThread() {
        // An epoch of 469 steps beside a hog: within 2x of what one thread alone takes.
        vae::ThreadGovernor governor(2);
        const auto run = simulate(governor, 469, hogged);
        QVERIFY2(run.seconds < 2 * 469 * 0.007, qPrintable(QString("%1 s").arg(run.seconds)));
        QCOMPARE(governor.threads(), 1);
    }
    void reactsWhenAHogArrivesAndLeaves() {
        vae::ThreadGovernor governor(2);
        int slowSteps = 0;
        const auto machine = [&](int step, int threads) {
            const bool hogPresent = step >= 1000 && step < 3000;
            const double seconds = hogPresent ? hogged(step, threads) : quiet(step, threads);
            if (hogPresent && threads == 2) ++slowSteps;
            return seconds;
        };
        simulate(governor, 1000, machine);
        QCOMPARE(governor.threads(), 2);
        simulate(governor, 2000, [&](int step, int threads) { return machine(step + 1000, threads); });
        QCOMPARE(governor.threads(), 1);
        // Noticing takes a window of slow steps; re-checking while the hog stays costs one each.
        QVERIFY2(slowSteps <= vae::ThreadGovernor::kWindow + 8, qPrintable(QString::number(slowSteps)));
        simulate(governor, vae::ThreadGovernor::kLongestRecheck + 2 * vae::ThreadGovernor::kWindow,
                 [&](int step, int threads) { return machine(step + 3000, threads); });
        QCOMPARE(governor.threads(), 2);  // the team is back once the hog has gone
    }
    void nearTiesDoNotFlap() {
        // Two threads barely faster than one: the choice must not swing with noise.
        vae::ThreadGovernor governor(2);
        simulate(governor, 5000, [](int step, int threads) {
            const double noise = 0.0002 * ((step * 104729) % 11 - 5) / 5.0;
            return (threads == 2 ? 0.0060 : 0.0062) + noise;
        });
        QCOMPARE(governor.switches(), 0);
    }
    void oneConfiguredThreadIsLeftAlone() {
        vae::ThreadGovernor governor(1);
        simulate(governor, 1000, hogged);
        QCOMPARE(governor.threads(), 1);
        QCOMPARE(governor.switches(), 0);
    }
};

QTEST_GUILESS_MAIN(TestThreadGovernor)
#include "tst_threadgovernor.moc"
