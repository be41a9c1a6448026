#pragma once
// The checkpoint file: a torch archive followed by a CRC-32 trailer. Internal to core (and
// its tests, which build deliberately broken files through it).
#include <torch/torch.h>

#include <string>

namespace vae {

// Atomic: temp file in the same folder, fsync, rename. Throws DataError naming the file.
void writeCheckpointArchive(const std::string& path, torch::serialize::OutputArchive& archive);
// The whole file. Throws DataError (message without the path).
std::string readCheckpointFile(const std::string& path);
// The size of the archive at the start of a checkpoint file, after checking its trailer.
// Throws DataError.
std::size_t checkpointArchiveSize(const std::string& fileBytes);
// A copy of that archive (for tools that build files from it).
std::string checkpointArchiveBytes(const std::string& fileBytes);

}  // namespace vae
