// libFuzzer target: the IDX reader on raw and gzipped bytes. The first byte picks images or
// labels; the rest is the file. Any input must end in a value or a vae::DataError.
#include "errors.h"
#include "idx_reader.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const bool labels = data[0] & 1;
    const std::vector<std::uint8_t> file(data + 1, data + size);
    try {
        // Gzip bombs and absurd headers must be refused without allocating what they declare
        // (the fuzz runs' -malloc_limit_mb makes any such allocation a finding).
        if (labels) {
            const auto parsed = vae::parseIdxLabels(file, "fuzz");
            if (parsed.labels.empty()) __builtin_trap();
        } else {
            const auto parsed = vae::parseIdxImages(file, "fuzz");
            if (std::uint64_t(parsed.count) * parsed.rows * parsed.cols != parsed.pixels.size()) __builtin_trap();
        }
    } catch (const vae::DataError&) {
    }
    return 0;
}
