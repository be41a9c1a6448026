// libFuzzer target, structure-aware: valid checkpoint archives (format 4, CRC trailer and all)
// whose stored model settings and image shape come from the input, one "key=value" per line, over
// the defaults. What the loader accepts it builds; so it must refuse any model that would not fit
// before allocating it (the run's -malloc_limit_mb=512 makes that a finding: the 341 KB checkpoint
// that asked for 16 layers of 16384 would have been one). VAE_EXPLORER_MEMORY_LIMIT_MB keeps what
// the loader may accept below that limit.
#include "checkpoint_trailer.h"
#include "errors.h"
#include "session.h"
#include "settings.h"

#include <torch/serialize/output-archive.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <sstream>
#include <string>

namespace {

std::map<std::string, std::string> linesOf(const std::string& text) {
    std::map<std::string, std::string> values;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);)
        if (const auto equals = line.find('='); equals != std::string::npos)
            values[line.substr(0, equals)] = line.substr(equals + 1);
    return values;
}

std::int64_t integerOr(const std::map<std::string, std::string>& values, const std::string& key, std::int64_t fallback) {
    const auto found = values.find(key);
    if (found == values.end()) return fallback;
    return std::strtoll(found->second.c_str(), nullptr, 10);
}

std::string archiveFor(const std::map<std::string, std::string>& values) {
    torch::serialize::OutputArchive archive;
    archive.write("vae_explorer_format", c10::IValue(std::string("vae-explorer-checkpoint")));
    archive.write("format_version", c10::IValue(integerOr(values, "format_version", 4)));
    archive.write("image_rows", c10::IValue(integerOr(values, "image_rows", 28)));
    archive.write("image_cols", c10::IValue(integerOr(values, "image_cols", 28)));
    archive.write("epochs_trained", c10::IValue(std::int64_t(1)));
    archive.write("steps", c10::IValue(std::int64_t(1)));
    archive.write("learning_rate", c10::IValue(1e-3));
    const vae::RunSettings defaults;
    for (const vae::Setting& setting : vae::settingsTable()) {
        const auto found = values.find(setting.key);
        archive.write("settings." + setting.key, c10::IValue(found != values.end() ? found->second : setting.get(defaults)));
    }
    std::ostringstream bytes;
    archive.save_to(bytes);
    std::string file = bytes.str();
    fuzzing::appendCheckpointTrailer(file);
    return file;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    ::setenv("VAE_EXPLORER_MEMORY_LIMIT_MB", "256", 1);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string file = archiveFor(linesOf(std::string(reinterpret_cast<const char*>(data), size)));
    try {
        vae::Session::fromCheckpointData(file, "fuzz.pt", "cpu", vae::Session::ArchiveGuard::ScanOnly);
    } catch (const vae::DataError&) {  // the expected end: no weights in these archives
    } catch (const vae::ConfigError&) {
    }
    return 0;
}
