#pragma once
// A model's training history in its checkpoint: float64 tables under history.*, read back with
// their sizes checked (a file's claims never size an allocation unchecked).
#include "training.h"

#include <torch/serialize/input-archive.h>
#include <torch/serialize/output-archive.h>

namespace vae {

void writeHistory(torch::serialize::OutputArchive& archive, const TrainingHistory& history);
// Throws DataError naming the table that is missing or malformed.
TrainingHistory readHistory(torch::serialize::InputArchive& archive);

}  // namespace vae
