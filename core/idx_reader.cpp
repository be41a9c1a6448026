#include "idx_reader.h"

#include "errors.h"

#include <zlib.h>

#include <cstdio>
#include <memory>

namespace vae {
namespace {

constexpr std::uint32_t kImagesMagic = 0x00000803;  // uint8, 3 dimensions
constexpr std::uint32_t kLabelsMagic = 0x00000801;  // uint8, 1 dimension
// Largest file we accept: far above MNIST (47 MB) but small enough to never exhaust memory.
constexpr std::uint64_t kMaxFileBytes = 2ull << 30;

std::uint32_t bigEndian32(const std::vector<std::uint8_t>& b, std::size_t at) {
    return (std::uint32_t(b[at]) << 24) | (std::uint32_t(b[at + 1]) << 16) |
           (std::uint32_t(b[at + 2]) << 8) | std::uint32_t(b[at + 3]);
}

[[noreturn]] void fail(const std::string& name, const std::string& problem) {
    throw DataError(name + ": " + problem);
}

void checkMagic(const std::vector<std::uint8_t>& bytes, std::uint32_t expected,
                std::size_t headerBytes, const std::string& name, const char* kind) {
    if (bytes.size() < 4)
        fail(name, "file is too short to be an IDX file (" + std::to_string(bytes.size()) + " bytes)");
    const std::uint32_t magic = bigEndian32(bytes, 0);
    if (magic != expected) {
        char text[64];
        std::snprintf(text, sizeof text, "0x%08X, expected 0x%08X", magic, expected);
        fail(name, std::string("wrong magic number for IDX ") + kind + " (" + text + ")");
    }
    if (bytes.size() < headerBytes)
        fail(name, "truncated IDX header (" + std::to_string(bytes.size()) + " of " +
                       std::to_string(headerBytes) + " bytes)");
}

void checkPayloadSize(std::uint64_t declared, std::uint64_t actual, const std::string& name) {
    if (actual < declared)
        fail(name, "truncated: header declares " + std::to_string(declared) + " data bytes but only " +
                       std::to_string(actual) + " are present");
    if (actual > declared)
        fail(name, "size mismatch: header declares " + std::to_string(declared) + " data bytes but " +
                       std::to_string(actual) + " are present");
}

struct GzCloser {
    void operator()(gzFile f) const { gzclose(f); }
};

}  // namespace

std::vector<std::uint8_t> readMaybeGzip(const std::string& path, std::uint64_t maxBytes) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> probe(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!probe) fail(path, "cannot open file");
    unsigned char head[2] = {0, 0};
    const bool isGzip = std::fread(head, 1, 2, probe.get()) == 2 && head[0] == 0x1f && head[1] == 0x8b;
    probe.reset();

    // gzopen also reads plain files, so one loop serves both; it grows the buffer only
    // as data really arrives instead of trusting any size from a header.
    std::unique_ptr<gzFile_s, GzCloser> in(gzopen(path.c_str(), "rb"));
    if (!in) fail(path, "cannot open file");
    gzbuffer(in.get(), 1 << 17);
    std::vector<std::uint8_t> out;
    std::vector<std::uint8_t> chunk(1 << 17);
    for (;;) {
        const int got = gzread(in.get(), chunk.data(), unsigned(chunk.size()));
        if (got < 0) {
            int code = 0;
            const char* message = gzerror(in.get(), &code);
            fail(path, std::string(isGzip ? "corrupt gzip data: " : "read error: ") + message);
        }
        if (got == 0) break;
        if (out.size() + std::uint64_t(got) > maxBytes)
            fail(path, "file is larger than the " + std::to_string(maxBytes) + " bytes its header allows");
        out.insert(out.end(), chunk.begin(), chunk.begin() + got);
    }
    // zlib reports a truncated gzip stream as a clean end of file; check it explicitly.
    int code = Z_OK;
    gzerror(in.get(), &code);
    if (isGzip && code != Z_OK && code != Z_STREAM_END && code != Z_BUF_ERROR)
        fail(path, "corrupt gzip data");
    if (isGzip && code == Z_BUF_ERROR) fail(path, "truncated gzip stream");
    return out;
}

IdxImages parseIdxImages(const std::vector<std::uint8_t>& bytes, const std::string& name) {
    checkMagic(bytes, kImagesMagic, 16, name, "images");
    IdxImages images;
    images.count = bigEndian32(bytes, 4);
    images.rows = bigEndian32(bytes, 8);
    images.cols = bigEndian32(bytes, 12);
    if (images.rows == 0 || images.cols == 0 || images.rows > 4096 || images.cols > 4096)
        fail(name, "implausible image size " + std::to_string(images.rows) + "x" +
                       std::to_string(images.cols));
    if (images.count == 0) fail(name, "header declares zero images");
    const std::uint64_t declared = std::uint64_t(images.count) * images.rows * images.cols;
    checkPayloadSize(declared, bytes.size() - 16, name);
    images.pixels.assign(bytes.begin() + 16, bytes.end());
    return images;
}

IdxLabels parseIdxLabels(const std::vector<std::uint8_t>& bytes, const std::string& name) {
    checkMagic(bytes, kLabelsMagic, 8, name, "labels");
    const std::uint64_t declared = bigEndian32(bytes, 4);
    if (declared == 0) fail(name, "header declares zero labels");
    checkPayloadSize(declared, bytes.size() - 8, name);
    IdxLabels labels;
    labels.labels.assign(bytes.begin() + 8, bytes.end());
    return labels;
}

IdxImages readIdxImages(const std::string& path) {
    return parseIdxImages(readMaybeGzip(path, kMaxFileBytes), path);
}

IdxLabels readIdxLabels(const std::string& path) {
    return parseIdxLabels(readMaybeGzip(path, kMaxFileBytes), path);
}

}  // namespace vae
