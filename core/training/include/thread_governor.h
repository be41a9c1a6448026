#pragma once
// Picks the training loop's thread count from the step times it measures (torch-free, so its
// decisions can be tested on made-up timings).
//
// Why: every parallel op ends in a barrier of the OpenMP team. When another process holds one of
// the two cores, the team's second thread is descheduled for a whole time slice at a time, and
// each barrier waits for it: an epoch measured 20-202 s with 2 threads against 2.9 s with 1. So
// the trainer runs with the configured count while that is fastest, and otherwise with one.
//
// How: it times a few steps with each count and keeps the faster, ignoring the first steps after
// each change (the first steps of a run, and of a team that was just resized, measured 3-5 times
// slower here while OpenMP and the BLAS set up). It re-checks at once when the current count's
// steps become twice as slow as they were; on one thread also after 256 steps, then at doubling
// intervals up to 4096 while the answer stays the same (to return once the other process has
// gone); on the configured count every 4096 steps. A probe is abandoned as soon as it is clearly losing (one step over twice the current
// median, or a median over 1.3 times it after three steps), so probing a collapsed team costs
// one slow step, and probing one thread on a quiet machine three.
#include <deque>
#include <vector>

namespace vae {

class ThreadGovernor {
public:
    explicit ThreadGovernor(int configuredThreads);

    // The thread count for the next step.
    int threads() const { return probing_ ? other() : current_; }
    // Reports how long the step run with threads() took, in seconds.
    void stepTook(double seconds);

    int configuredThreads() const { return configured_; }
    int switches() const { return switches_; }  // how often the choice changed (for reports)

    static constexpr int kWindow = 5;              // steps timed per measurement
    static constexpr int kSettle = 2;              // steps left untimed after a change
    static constexpr long kFirstRecheck = 256;     // steps
    static constexpr long kLongestRecheck = 4096;  // steps

private:
    int other() const { return current_ == configured_ ? 1 : configured_; }
    static double median(std::vector<double> values);
    void finishProbe(bool otherIsFaster);

    int configured_;
    int current_;
    bool probing_ = false;
    bool measuredCurrent_ = false;  // currentMedian_ holds a full window's median
    double currentMedian_ = 0;
    int settling_ = kSettle;          // steps still to ignore after the last change
    std::vector<double> window_;      // step times of the measurement in progress
    std::deque<double> recent_;       // the current count's latest step times
    long stepsSinceCheck_ = 0;
    long recheckEvery_ = kFirstRecheck;
    int switches_ = 0;
};

}  // namespace vae
