#pragma once
// Reader for the IDX format used by MNIST and Fashion-MNIST (raw or gzip).
// Torch-free so that fuzzers and tests can use it cheaply.
#include <cstdint>
#include <string>
#include <vector>

namespace vae {

struct IdxImages {
    std::uint32_t count = 0;
    std::uint32_t rows = 0;
    std::uint32_t cols = 0;
    std::vector<std::uint8_t> pixels;  // count * rows * cols, row-major
};

struct IdxLabels {
    std::vector<std::uint8_t> labels;
};

// Both throw vae::DataError with a one-line message that names the file.
IdxImages readIdxImages(const std::string& path);
IdxLabels readIdxLabels(const std::string& path);

// Parsers over bytes already in memory; `name` is used in error messages.
IdxImages parseIdxImages(const std::vector<std::uint8_t>& bytes, const std::string& name);
IdxLabels parseIdxLabels(const std::vector<std::uint8_t>& bytes, const std::string& name);

// Reads a whole file, transparently gunzipping when it starts with the gzip magic.
// Stops with an error once more than `maxBytes` have been produced, so neither a hostile
// header nor a compression bomb can make us allocate more than that.
std::vector<std::uint8_t> readMaybeGzip(const std::string& path, std::uint64_t maxBytes);
// The same on bytes in memory (`name` is used in error messages).
std::vector<std::uint8_t> decodeMaybeGzip(std::vector<std::uint8_t> bytes, std::uint64_t maxBytes,
                                          const std::string& name);

}  // namespace vae
