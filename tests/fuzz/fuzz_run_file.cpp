// libFuzzer target: run files (run.json) through the same parse as `train --config` and the
// window's Open run settings, then the settings' validation (the model's memory estimate
// included). Any input must end in settings or a one-line ConfigError naming the file.
#include "errors.h"
#include "run_file.h"
#include "settings.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    ::setenv("VAE_EXPLORER_MEMORY_LIMIT_MB", "256", 1);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        const auto parsed = vae::parseRunFile(QByteArray(reinterpret_cast<const char*>(data), qsizetype(size)), "run.json");
        vae::validate(parsed.settings);
    } catch (const vae::ConfigError& error) {  // SettingError included
        if (std::string(error.what()).find('\n') != std::string::npos) __builtin_trap();  // one line
    }
    return 0;
}
