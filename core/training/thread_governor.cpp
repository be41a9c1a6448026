#include "thread_governor.h"

#include <algorithm>

namespace vae {

ThreadGovernor::ThreadGovernor(int configuredThreads)
    : configured_(std::max(1, configuredThreads)), current_(configured_) {}

double ThreadGovernor::median(std::vector<double> values) {
    std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
    return values[values.size() / 2];
}

void ThreadGovernor::finishProbe(bool otherIsFaster) {
    if (otherIsFaster) {
        current_ = other();
        currentMedian_ = median(window_);
        ++switches_;
    }
    // On one thread, look back soon for the other process to have gone; on the configured count,
    // a slowdown shows by itself, so a periodic check is only a backstop.
    recheckEvery_ = current_ == configured_ ? kLongestRecheck
                    : otherIsFaster         ? kFirstRecheck
                                            : std::min(2 * recheckEvery_, kLongestRecheck);
    probing_ = false;
    settling_ = kSettle;  // the count changes back (or stays changed) with the next step
    window_.clear();
    recent_.clear();
    stepsSinceCheck_ = 0;
}

void ThreadGovernor::stepTook(double seconds) {
    if (configured_ == 1) return;  // nothing to choose between
    if (settling_ > 0) {
        --settling_;
        return;
    }
    if (probing_) {
        window_.push_back(seconds);
        const bool losing = seconds > 2 * currentMedian_ ||
                            (window_.size() >= 3 && median(window_) > 1.3 * currentMedian_);
        if (losing) {
            finishProbe(false);  // keeps the current median
        } else if (int(window_.size()) == kWindow) {
            finishProbe(median(window_) < 0.9 * currentMedian_);  // a clear win only: no flapping
        }
        return;
    }
    if (!measuredCurrent_) {
        window_.push_back(seconds);
        if (int(window_.size()) < kWindow) return;
        currentMedian_ = median(window_);
        measuredCurrent_ = true;
        window_.clear();
        probing_ = true;  // the first comparison follows at once
        settling_ = kSettle;
        return;
    }
    recent_.push_back(seconds);
    if (int(recent_.size()) > kWindow) recent_.pop_front();
    ++stepsSinceCheck_;
    const bool full = int(recent_.size()) == kWindow;
    const double recentMedian = full ? median({recent_.begin(), recent_.end()}) : currentMedian_;
    if (full && (recentMedian > 2 * currentMedian_ || stepsSinceCheck_ >= recheckEvery_)) {
        currentMedian_ = recentMedian;  // what the current count costs now
        probing_ = true;
        settling_ = kSettle;
    }
}

}  // namespace vae
