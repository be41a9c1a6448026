// Writes the committed seed corpus (tests/fuzz/corpus/{idx,checkpoint}) from real files the
// core itself produces: tiny valid IDX files raw and gzipped, odd headers, and checkpoints.
#include "checkpoint_file.h"
#include "session.h"

#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

std::string bigEndian(std::uint32_t v) {
    return {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
}

std::string gzip(const std::string& raw) {
    z_stream stream{};
    deflateInit2(&stream, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    std::string out(deflateBound(&stream, uLong(raw.size())), '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
    stream.avail_in = uInt(raw.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = uInt(out.size());
    deflate(&stream, Z_FINISH);
    out.resize(stream.total_out);
    deflateEnd(&stream);
    return out;
}

void write(const std::string& path, const std::string& bytes) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path, std::ios::binary) << bytes;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string dir = argc > 1 ? argv[1] : "corpus";
    const std::string images = bigEndian(0x803) + bigEndian(2) + bigEndian(3) + bigEndian(3) + std::string(18, '\x80');
    const std::string labels = bigEndian(0x801) + bigEndian(3) + std::string("\1\2\3");
    // The first byte selects images (even) or labels (odd), as in fuzz_idx.cpp.
    write(dir + "/idx/images-raw", std::string(1, '\0') + images);
    write(dir + "/idx/images-gz", std::string(1, '\0') + gzip(images));
    write(dir + "/idx/labels-raw", "\1" + labels);
    write(dir + "/idx/labels-gz", "\1" + gzip(labels));
    write(dir + "/idx/huge-count", std::string(1, '\0') + bigEndian(0x803) + bigEndian(0x80000000u) + bigEndian(28) + bigEndian(28));
    write(dir + "/idx/zero-rows", std::string(1, '\0') + bigEndian(0x803) + bigEndian(1) + bigEndian(0) + bigEndian(28));

    vae::ModelConfig config;
    config.imageRows = config.imageCols = 2;
    config.encoderHidden = {3};
    config.decoderHidden = {3};
    config.latentDim = 1;
    const std::string path = dir + "/tiny.pt.tmp";
    vae::Session(config, "cpu", 1).saveCheckpoint(path);
    const std::string file = vae::readCheckpointFile(path);
    std::remove(path.c_str());
    // Odd first byte: the whole file; even: the archive alone (the target adds the trailer).
    write(dir + "/checkpoint/tiny-file", "\1" + file);
    write(dir + "/checkpoint/tiny-archive", std::string(1, '\0') + vae::checkpointArchiveBytes(file));
    write(dir + "/checkpoint_archive/tiny-archive", vae::checkpointArchiveBytes(file));  // no selector byte there
    config.likelihood = vae::Likelihood::Gaussian;
    config.decoderHidden = {};
    vae::Session(config, "cpu", 2).saveCheckpoint(path);
    const std::string gaussian = vae::checkpointArchiveBytes(vae::readCheckpointFile(path));
    write(dir + "/checkpoint/gaussian-archive", std::string(1, '\0') + gaussian);
    write(dir + "/checkpoint_archive/gaussian-archive", gaussian);
    std::remove(path.c_str());
    return 0;
}
