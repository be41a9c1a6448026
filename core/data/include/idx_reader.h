#pragma once
// Reader for the IDX format used by MNIST and Fashion-MNIST (raw or gzip).
// Torch-free so that fuzzers and tests can use it cheaply.
#include <cstdint>
#include <optional>
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

// Both throw vae::DataError with a one-line message that names the file. Where the image count
// is known already (from the labels, which are 784 times smaller), a header that declares
// another is refused before the pixels are read or inflated: `expected` names where it is from.
struct ExpectedCount {
    std::uint64_t count;
    std::string source;  // "LABELS_FILE has 1000 labels"
};
IdxImages readIdxImages(const std::string& path, const std::optional<ExpectedCount>& expected = std::nullopt);
IdxLabels readIdxLabels(const std::string& path);

// Parsers over a file's bytes already in memory, raw or gzip; `name` is used in error messages.
// A gzipped file is inflated only as far as its header declares (at most 2 GiB), and extra or
// missing bytes are refused, so neither a hostile header nor a compression bomb can make the
// reader allocate more than the data the header promises and the file really holds.
IdxImages parseIdxImages(const std::vector<std::uint8_t>& file, const std::string& name,
                         const std::optional<ExpectedCount>& expected = std::nullopt);
IdxLabels parseIdxLabels(const std::vector<std::uint8_t>& file, const std::string& name);

// A whole file, refusing one larger than `maxBytes`. Throws DataError naming it.
std::vector<std::uint8_t> readFileBytes(const std::string& path, std::uint64_t maxBytes);

}  // namespace vae
