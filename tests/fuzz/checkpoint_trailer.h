#pragma once
// For the checkpoint fuzz targets: the CRC trailer a checkpoint file ends with (see
// core/checkpoint/checkpoint.cpp), so that mutated archives get past the checksum to the archive reader.
#include <zlib.h>

#include <cstdint>
#include <string>

namespace fuzzing {

inline void appendCheckpointTrailer(std::string& archive) {
    auto appendBigEndian = [&archive](std::uint32_t value) {
        for (int shift = 24; shift >= 0; shift -= 8) archive.push_back(char((value >> shift) & 0xff));
    };
    const auto crc = crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(archive.data()), uInt(archive.size()));
    const auto length = std::uint32_t(archive.size());
    archive += "VAEXCRC1";
    appendBigEndian(std::uint32_t(crc));
    appendBigEndian(length);
}

}  // namespace fuzzing
