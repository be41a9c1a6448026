// libFuzzer target: an image folder's factors.csv, parsed against a fixed folder of three
// images. Any input must end in a table with a row for each image or a one-line DataError.
#include "errors.h"
#include "factors_csv.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::vector<std::string> images = {"a/1.png", "b/2.png", "test/a/3.png"};
    try {
        const auto table = vae::parseFactorTable(QByteArray(reinterpret_cast<const char*>(data), qsizetype(size)),
                                                 "factors.csv", images);
        if (table.names.empty() || table.values.size() != images.size() * table.names.size()) __builtin_trap();
    } catch (const vae::DataError& error) {
        if (std::string(error.what()).find('\n') != std::string::npos) __builtin_trap();  // one line
    }
    return 0;
}
