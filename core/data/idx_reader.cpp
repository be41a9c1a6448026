#include "idx_reader.h"

#include "errors.h"
#include "regular_file.h"

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

std::vector<std::uint8_t> readFileBytes(const std::string& path, std::uint64_t maxBytes) {
    RegularFile opened;
    try {
        opened = openRegularFile(path, maxBytes, "IDX file");
    } catch (const DataError& error) {
        fail(path, error.what());
    }
    std::FILE* file = opened.file.get();
    std::vector<std::uint8_t> bytes;
    std::vector<std::uint8_t> chunk(1 << 17);
    std::size_t got = 0;
    while ((got = std::fread(chunk.data(), 1, chunk.size(), file)) > 0) {
        if (bytes.size() + got > maxBytes) fail(path, "file is larger than " + std::to_string(maxBytes) + " bytes");
        bytes.insert(bytes.end(), chunk.begin(), chunk.begin() + std::ptrdiff_t(got));
    }
    if (std::ferror(file)) fail(path, "read error");
    return bytes;
}

namespace {

// A file's content: its bytes as they are, or inflated from gzip only as far as it is read, so
// that a gzipped IDX file is inflated exactly as far as its header says and never further.
class IdxContent {
public:
    IdxContent(const std::vector<std::uint8_t>& file, const std::string& name) : file_(file), name_(name) {
        gzip_ = file.size() >= 2 && file[0] == 0x1f && file[1] == 0x8b;
        if (!gzip_) return;
        if (inflateInit2(&stream_, 15 + 16) != Z_OK) fail(name, "cannot initialise zlib");
        stream_.next_in = const_cast<Bytef*>(file.data());
        stream_.avail_in = uInt(std::min<std::size_t>(file.size(), std::numeric_limits<uInt>::max()));
    }
    ~IdxContent() {
        if (gzip_) inflateEnd(&stream_);
    }
    IdxContent(const IdxContent&) = delete;
    IdxContent& operator=(const IdxContent&) = delete;

    // Appends up to `count` bytes to `out`; fewer only where the content ends.
    void read(std::vector<std::uint8_t>& out, std::uint64_t count) {
        if (!gzip_) {
            const std::uint64_t take = std::min<std::uint64_t>(count, file_.size() - rawAt_);
            out.insert(out.end(), file_.begin() + std::ptrdiff_t(rawAt_), file_.begin() + std::ptrdiff_t(rawAt_ + take));
            rawAt_ += take;
            return;
        }
        // Deflate expands at most ~1032:1, so more than that cannot be in this file.
        out.reserve(out.size() + std::size_t(std::min<std::uint64_t>(count, 1032 * std::uint64_t(file_.size()))));
        std::uint8_t chunk[1 << 16];
        while (count > 0 && !ended_) {
            const std::size_t want = std::size_t(std::min<std::uint64_t>(count, sizeof chunk));
            const std::size_t got = inflateSome(chunk, want);
            out.insert(out.end(), chunk, chunk + got);
            count -= got;
        }
    }
    // Whether content remains after what has been read (inflates at most one more byte).
    bool hasMore() {
        if (!gzip_) return rawAt_ < file_.size();
        std::uint8_t probe = 0;
        return inflateSome(&probe, 1) == 1;
    }
    // The content's size where it is known without inflating (raw files).
    bool sizeKnown() const { return !gzip_; }
    std::uint64_t remainingRaw() const { return file_.size() - rawAt_; }

private:
    std::size_t inflateSome(std::uint8_t* into, std::size_t want) {
        std::size_t produced = 0;
        while (produced < want && !ended_) {
            stream_.next_out = into + produced;
            stream_.avail_out = uInt(want - produced);
            const int status = inflate(&stream_, Z_NO_FLUSH);
            produced = want - stream_.avail_out;
            if (status == Z_STREAM_END) {
                // gzip allows several members one after another; anything else after the end is junk.
                if (stream_.avail_in == 0) {
                    ended_ = true;
                } else if (stream_.avail_in >= 2 && stream_.next_in[0] == 0x1f && stream_.next_in[1] == 0x8b) {
                    inflateReset(&stream_);
                } else {
                    fail(name_, "corrupt gzip data: trailing bytes after the compressed stream");
                }
                continue;
            }
            if (status == Z_BUF_ERROR && stream_.avail_in == 0) fail(name_, "truncated gzip stream");
            if (status != Z_OK && status != Z_BUF_ERROR)
                fail(name_, std::string("corrupt gzip data: ") + (stream_.msg ? stream_.msg : "inflate failed"));
        }
        return produced;
    }

    const std::vector<std::uint8_t>& file_;
    const std::string& name_;
    bool gzip_ = false;
    bool ended_ = false;
    std::uint64_t rawAt_ = 0;
    z_stream stream_{};
};

// Reads the header (magic first, then the rest), and returns it.
std::vector<std::uint8_t> readHeader(IdxContent& content, std::uint32_t magic, std::size_t headerBytes,
                                     const std::string& name, const char* kind) {
    std::vector<std::uint8_t> header;
    content.read(header, 4);
    checkMagic(header, magic, 4, name, kind);
    content.read(header, headerBytes - 4);
    checkMagic(header, magic, headerBytes, name, kind);
    return header;
}

// Reads exactly the `declared` data bytes the header promised, refusing fewer or more.
std::vector<std::uint8_t> readPayload(IdxContent& content, std::uint64_t declared, const std::string& name) {
    if (content.sizeKnown()) checkPayloadSize(declared, content.remainingRaw(), name);
    if (declared > kMaxFileBytes)
        fail(name, "header declares " + std::to_string(declared) + " data bytes, more than the " +
                       std::to_string(kMaxFileBytes) + " a file may hold");
    std::vector<std::uint8_t> payload;
    content.read(payload, declared);
    if (payload.size() < declared) checkPayloadSize(declared, payload.size(), name);
    if (content.hasMore())
        fail(name, "size mismatch: header declares " + std::to_string(declared) + " data bytes but more are present");
    return payload;
}

}  // namespace

IdxImages parseIdxImages(const std::vector<std::uint8_t>& file, const std::string& name,
                         const std::optional<ExpectedCount>& expected) {
    IdxContent content(file, name);
    const auto header = readHeader(content, kImagesMagic, 16, name, "images");
    IdxImages images;
    images.count = bigEndian32(header, 4);
    images.rows = bigEndian32(header, 8);
    images.cols = bigEndian32(header, 12);
    if (images.rows == 0 || images.cols == 0 || images.rows > 4096 || images.cols > 4096)
        fail(name, "implausible image size " + std::to_string(images.rows) + "x" +
                       std::to_string(images.cols));
    if (images.count == 0) fail(name, "header declares zero images");
    if (expected && images.count != expected->count)
        fail(name, "header declares " + std::to_string(images.count) + " images but " + expected->source);
    images.pixels = readPayload(content, std::uint64_t(images.count) * images.rows * images.cols, name);
    return images;
}

IdxLabels parseIdxLabels(const std::vector<std::uint8_t>& file, const std::string& name) {
    IdxContent content(file, name);
    const auto header = readHeader(content, kLabelsMagic, 8, name, "labels");
    const std::uint64_t declared = bigEndian32(header, 4);
    if (declared == 0) fail(name, "header declares zero labels");
    IdxLabels labels;
    labels.labels = readPayload(content, declared, name);
    return labels;
}

IdxImages readIdxImages(const std::string& path, const std::optional<ExpectedCount>& expected) {
    return parseIdxImages(readFileBytes(path, kMaxFileBytes), path, expected);
}

IdxLabels readIdxLabels(const std::string& path) {
    return parseIdxLabels(readFileBytes(path, kMaxFileBytes), path);
}

}  // namespace vae
