// libFuzzer target: the checkpoint loader. With the first byte odd the input is taken as a
// whole file; with it even the input is an archive and the target appends a valid checksum
// trailer, so the fuzzer reaches the torch archive reader and our config checks behind it.
// Any input must end in a loaded model or a vae::DataError.
#include "checkpoint_trailer.h"
#include "errors.h"
#include "session.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    std::string file(reinterpret_cast<const char*>(data) + 1, size - 1);
    if ((data[0] & 1) == 0) fuzzing::appendCheckpointTrailer(file);
    try {
        auto session = vae::Session::fromCheckpointData(std::move(file), "fuzz.pt", "cpu");
        // A model that loads must be usable: decoding one point may not crash.
        session.decode(std::vector<float>(std::size_t(session.config().latentDim), 0.5f));
    } catch (const vae::DataError&) {
    }
    return 0;
}
