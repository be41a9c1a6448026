#include "replay_timeline.h"

namespace vae {
namespace {

template <typename Weights>
std::size_t weightBytes(const Weights& weights) {
    std::size_t floats = 0;
    for (const auto& layer : weights.weights) floats += layer.size();
    for (const auto& layer : weights.biases) floats += layer.size();
    return floats * sizeof(float);
}

}  // namespace

std::size_t ReplaySnapshot::bytes() const { return sizeof(*this) + weightBytes(decoder) + weightBytes(encoder); }

bool isReplayStep(std::int64_t step) {
    if (step <= 0) return false;
    if (step <= 100) return step % 10 == 0;
    return step <= 400 && step % 25 == 0;
}

void ReplayTimeline::add(ReplaySnapshot snapshot) {
    if (!snapshots_.empty() && snapshots_.back().step == snapshot.step) {
        bytes_ -= snapshots_.back().bytes();
        snapshots_.pop_back();
    }
    bytes_ += snapshot.bytes();
    snapshots_.push_back(std::move(snapshot));
    while (bytes_ > bound_ && snapshots_.size() > 2) thin();
}

void ReplayTimeline::thin() {
    // Keep the first and the newest, and every other one between them.
    std::vector<ReplaySnapshot> kept;
    kept.reserve(snapshots_.size() / 2 + 2);
    std::size_t bytes = 0;
    for (std::size_t i = 0; i < snapshots_.size(); ++i)
        if (i == 0 || i + 1 == snapshots_.size() || i % 2 == 0) {
            bytes += snapshots_[i].bytes();
            kept.push_back(std::move(snapshots_[i]));
        }
    snapshots_ = std::move(kept);
    bytes_ = bytes;
    ++thinnings_;
}

void ReplayTimeline::assign(std::vector<ReplaySnapshot> snapshots) {
    clear();
    for (auto& snapshot : snapshots) add(std::move(snapshot));
}

void ReplayTimeline::clear() {
    snapshots_.clear();
    bytes_ = 0;
}

}  // namespace vae
