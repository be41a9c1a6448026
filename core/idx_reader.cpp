#include "idx_reader.h"

#include "errors.h"

#include <zlib.h>

#include <cstdio>
#include <limits>
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

}  // namespace

std::vector<std::uint8_t> decodeMaybeGzip(std::vector<std::uint8_t> bytes, std::uint64_t maxBytes,
                                          const std::string& name) {
    if (bytes.size() < 2 || bytes[0] != 0x1f || bytes[1] != 0x8b) return bytes;
    z_stream stream{};
    if (inflateInit2(&stream, 15 + 16) != Z_OK) fail(name, "cannot initialise zlib");
    std::unique_ptr<z_stream, int (*)(z_streamp)> guard(&stream, &inflateEnd);
    stream.next_in = bytes.data();
    stream.avail_in = uInt(std::min<std::size_t>(bytes.size(), std::numeric_limits<uInt>::max()));
    std::vector<std::uint8_t> out;
    std::vector<std::uint8_t> chunk(1 << 17);
    for (;;) {
        stream.next_out = chunk.data();
        stream.avail_out = uInt(chunk.size());
        const int status = inflate(&stream, Z_NO_FLUSH);
        const std::size_t produced = chunk.size() - stream.avail_out;
        if (out.size() + produced > maxBytes)
            fail(name, "decompresses to more than " + std::to_string(maxBytes) + " bytes");
        out.insert(out.end(), chunk.begin(), chunk.begin() + std::ptrdiff_t(produced));
        if (status == Z_STREAM_END) {
            // gzip allows several members one after another; anything else after the end is junk.
            if (stream.avail_in == 0) break;
            if (stream.avail_in >= 2 && stream.next_in[0] == 0x1f && stream.next_in[1] == 0x8b) {
                inflateReset(&stream);
                continue;
            }
            fail(name, "corrupt gzip data: trailing bytes after the compressed stream");
        }
        if (status == Z_BUF_ERROR && stream.avail_in == 0) fail(name, "truncated gzip stream");
        if (status != Z_OK && status != Z_BUF_ERROR)
            fail(name, std::string("corrupt gzip data: ") + (stream.msg ? stream.msg : "inflate failed"));
    }
    return out;
}

std::vector<std::uint8_t> readMaybeGzip(const std::string& path, std::uint64_t maxBytes) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!file) fail(path, "cannot open file");
    std::vector<std::uint8_t> bytes;
    std::vector<std::uint8_t> chunk(1 << 17);
    std::size_t got = 0;
    while ((got = std::fread(chunk.data(), 1, chunk.size(), file.get())) > 0) {
        if (bytes.size() + got > maxBytes) fail(path, "file is larger than " + std::to_string(maxBytes) + " bytes");
        bytes.insert(bytes.end(), chunk.begin(), chunk.begin() + std::ptrdiff_t(got));
    }
    if (std::ferror(file.get())) fail(path, "read error");
    return decodeMaybeGzip(std::move(bytes), maxBytes, path);
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
