#pragma once
// The replay's snapshots in a checkpoint (internal to core): three tensors, marks (step, epoch)
// and one row of flattened decoder and encoder weights per snapshot.
#include "model.h"
#include "replay_timeline.h"

#include <torch/torch.h>

#include <vector>

namespace vae {

void writeTimeline(torch::serialize::OutputArchive& archive, const std::vector<ReplaySnapshot>& snapshots);
// An empty timeline when the archive holds none. Throws DataError when it holds one that does
// not fit `model` (another shape) or is malformed.
std::vector<ReplaySnapshot> readTimeline(torch::serialize::InputArchive& archive, Vae& model);

}  // namespace vae
