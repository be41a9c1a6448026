// libFuzzer target: the archive parse behind the checkpoint loader, in-process and fast (thousands
// of inputs a second, where fuzz_checkpoint forks a probe for each). The input is a torch archive.
// Our zip and pickle checks run on it, and LibTorch's unpickler then reads every pickle that
// passed them: together they must end in a value or an error, never a crash or an allocation
// over the fuzz runs' -malloc_limit_mb. LibTorch's TorchScript import (the archive's code/ files)
// is left to fuzz_checkpoint: it crashes on mutated sources in ways no size check can foresee
// (tests/fuzz/regressions/files/torchscript-parser-segv.pt), and only the probe contains that.
#include "archive_bounds.h"
#include "errors.h"

#include <torch/csrc/jit/serialization/pickle.h>

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        vae::checkArchiveBounds(reinterpret_cast<const char*>(data), size,
                                [](const std::string&, const std::string& pickle) {
                                    try {
                                        torch::jit::unpickle(pickle.data(), pickle.size());
                                    } catch (const std::exception&) {  // LibTorch's refusals (c10::Error, ...)
                                    }
                                });
    } catch (const vae::DataError&) {
    }
    return 0;
}
