// libFuzzer target: the checkpoint loader. With the first byte odd the input is taken as a
// whole file; with it even the input is an archive and the target appends a valid checksum
// trailer, so the fuzzer reaches the torch archive reader and our config checks behind it.
// Any input must end in a loaded model or a vae::DataError.
#include "checkpoint_file.h"
#include "errors.h"
#include "session.h"

#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace {

void appendBigEndian(std::string& out, std::uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(char((value >> shift) & 0xff));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    std::string file(reinterpret_cast<const char*>(data) + 1, size - 1);
    if ((data[0] & 1) == 0) {
        const auto crc = crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(file.data()), uInt(file.size()));
        const auto length = std::uint32_t(file.size());
        file += "VAEXCRC1";
        appendBigEndian(file, std::uint32_t(crc));
        appendBigEndian(file, length);
    }
    try {
        auto session = vae::Session::fromCheckpointData(file, "fuzz.pt", "cpu");
        // A model that loads must be usable: decoding one point may not crash.
        session.decode(std::vector<float>(std::size_t(session.config().latentDim), 0.5f));
    } catch (const vae::DataError&) {
    }
    return 0;
}
