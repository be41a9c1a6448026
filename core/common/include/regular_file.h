#pragma once
// Every file the program reads whole (checkpoints, IDX files) is opened through here: it must be
// a regular file no larger than its kind can be, so that a folder, a FIFO, /dev/zero or a sparse
// 5 GB file is refused before a byte is read, and memory stays bounded whatever a file claims.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

namespace vae {

struct RegularFile {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file{nullptr, &std::fclose};
    std::uint64_t size = 0;
};

// Opens `path` for reading without waiting (a FIFO with no writer would block an ordinary open)
// and checks what it is. Throws DataError saying what is wrong ("is a folder, not a file", "is
// 5368709120 bytes, more than a checkpoint can be (4294967296)"); `kind` names the file's kind,
// and callers add the path.
RegularFile openRegularFile(const std::string& path, std::uint64_t maxBytes, const std::string& kind);

}  // namespace vae
