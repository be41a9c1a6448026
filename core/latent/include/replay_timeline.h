#pragma once
// How the map formed: copies of the model's encoder and decoder taken while it trained, densely
// over the first few hundred steps (where the map changes most) and then after every epoch.
// Memory is bounded: past the bound, every other snapshot between the first and the newest is
// dropped, so the replay keeps its whole span at a coarser step. Torch-free: plain weight copies.
// A checkpoint can carry one (Session::setTimeline), so that a reopened model replays too.
#include "decoder.h"
#include "encoder.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace vae {

struct ReplaySnapshot {
    std::int64_t step = 0;   // optimizer steps the model had taken
    int epoch = 0;     // epochs it had finished
    DecoderWeights decoder;
    EncoderWeights encoder;  // the scatter of that moment is encoded from it when shown
    std::size_t bytes() const;
};

// Steps at which training takes a snapshot on top of every epoch's end: every 10 steps up to
// 100, every 25 up to 400.
bool isReplayStep(std::int64_t step);

class ReplayTimeline {
public:
    static constexpr std::size_t kDefaultBound = std::size_t(200) << 20;  // 200 MiB

    explicit ReplayTimeline(std::size_t byteBound = kDefaultBound) : bound_(byteBound) {}

    // Appends (snapshots come in step order); a snapshot of a step already held replaces it.
    void add(ReplaySnapshot snapshot);
    void clear();
    void assign(std::vector<ReplaySnapshot> snapshots);  // e.g. a checkpoint's, in step order
    const std::vector<ReplaySnapshot>& snapshots() const { return snapshots_; }

    int size() const { return int(snapshots_.size()); }
    bool isEmpty() const { return snapshots_.empty(); }
    const ReplaySnapshot& at(int index) const { return snapshots_.at(std::size_t(index)); }
    std::size_t bytes() const { return bytes_; }
    std::size_t bound() const { return bound_; }
    int thinnings() const { return thinnings_; }  // how often it has dropped every other snapshot

private:
    void thin();

    std::vector<ReplaySnapshot> snapshots_;
    std::size_t bytes_ = 0;
    std::size_t bound_;
    int thinnings_ = 0;
};

}  // namespace vae
