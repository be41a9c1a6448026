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

// Every tensor read from a checkpoint passes here before anything reads its values: a record
// shorter than its shape and dtype need (a CRC-valid file cut or edited) would otherwise be read
// past its end. Throws DataError naming `key`; with `finite`, NaN or infinite values too.
void checkTensorRecord(const torch::Tensor& tensor, const std::string& key, bool finite = false);
// archive.try_read and that check: false when the key is absent.
bool readCheckedTensor(torch::serialize::InputArchive& archive, const std::string& key, torch::Tensor& tensor);

}  // namespace vae
