// Writes the committed seed corpus (tests/fuzz/corpus/*) from real files the core itself
// produces: tiny valid IDX files raw and gzipped, odd headers, checkpoints, a store's answer and
// what other programs send, and stored model settings.
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

    // fuzz_store_reply: first byte odd when the master hangs up after sending the rest.
    const std::int64_t keys = 3;
    write(dir + "/store_reply/store", std::string(1, '\0') + std::string(reinterpret_cast<const char*>(&keys), sizeof keys));
    write(dir + "/store_reply/garbage", "\1" + std::string(4096, '\xff'));
    write(dir + "/store_reply/http", std::string(1, '\0') + "HTTP/1.0 400 Bad request\r\n\r\n");
    write(dir + "/store_reply/hang-up", "\1");
    // fuzz_checkpoint_config: stored settings over the defaults, one key=value per line.
    write(dir + "/checkpoint_config/defaults", "");
    write(dir + "/checkpoint_config/small", "latent_dim=2\nhidden=8\nimage_rows=4\nimage_cols=4\n");
    write(dir + "/checkpoint_config/conv", "arch=conv\nconv_channels=4,8\nhidden=16\n");
    std::string huge = "hidden=16384";
    for (int layer = 1; layer < 16; ++layer) huge += ",16384";
    write(dir + "/checkpoint_config/huge-hidden-layers", huge + "\n");
    write(dir + "/checkpoint_config/huge-image", "image_rows=4096\nimage_cols=4096\n");
    write(dir + "/checkpoint_config/format-3", "format_version=3\n");
    return 0;
}
