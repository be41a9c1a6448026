#pragma once
// Reads a checkpoint archive once in a forked child under a memory limit, so that LibTorch
// crashing, hanging or allocating without bound on it makes the app refuse the file instead of
// dying (see archive_probe.cpp). Internal to core.
#include <cstddef>

namespace vae {

// Throws DataError("not a readable checkpoint (...)") when the child crashed, hung, ran out of its
// memory or failed; returns when it read the archive (or no child could be made).
void probeArchiveInChild(const char* archive, std::size_t archiveSize);

}  // namespace vae
