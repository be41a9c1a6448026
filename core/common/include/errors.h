#pragma once
#include <stdexcept>
#include <string>

namespace vae {

// Bad data or files: always a one-line message naming the file and the problem.
struct DataError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Bad settings (model shape, training options, device).
struct ConfigError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace vae
