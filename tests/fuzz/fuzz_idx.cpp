// libFuzzer target: the IDX reader on raw and gzipped bytes. The first byte picks images or
// labels; the rest is the file. Any input must end in a value or a vae::DataError.
#include "errors.h"
#include "idx_reader.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const bool labels = data[0] & 1;
    std::vector<std::uint8_t> bytes(data + 1, data + size);
    try {
        // A small cap keeps gzip bombs cheap; the reader must refuse them, not allocate.
        auto decoded = vae::decodeMaybeGzip(std::move(bytes), 64u << 20, "fuzz");
        if (labels) {
            const auto parsed = vae::parseIdxLabels(decoded, "fuzz");
            if (parsed.labels.size() + 8 != decoded.size()) __builtin_trap();
        } else {
            const auto parsed = vae::parseIdxImages(decoded, "fuzz");
            if (std::uint64_t(parsed.count) * parsed.rows * parsed.cols != parsed.pixels.size()) __builtin_trap();
        }
    } catch (const vae::DataError&) {
    }
    return 0;
}
