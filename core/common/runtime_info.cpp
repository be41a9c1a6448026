// Reports the BLAS the process really loaded: Debian's LibTorch calls whatever libblas.so.3
// the alternatives system points at, and that choice changes speed by 10x.
#include "runtime_info.h"

#include <dlfcn.h>
#include <torch/torch.h>
#include <torch/version.h>

#include <climits>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace vae {
namespace {

std::string loadedBlasPath() {
    std::ifstream maps("/proc/self/maps");
    std::string line;
    while (std::getline(maps, line)) {
        const auto slash = line.find('/');
        if (slash == std::string::npos) continue;
        const auto path = line.substr(slash);
        const auto name = path.substr(path.rfind('/') + 1);
        if (name.find("blas") == std::string::npos || name.find("cublas") != std::string::npos) continue;
        char resolved[PATH_MAX];
        return ::realpath(path.c_str(), resolved) ? std::string(resolved) : path;
    }
    return {};
}

}  // namespace

std::string libTorchVersion() { return TORCH_VERSION; }

std::string computeBackendReport() {
    std::ostringstream text;
    const auto path = loadedBlasPath();
    using ConfigFn = char* (*)();
    using IntFn = int (*)();
    const auto config = reinterpret_cast<ConfigFn>(::dlsym(RTLD_DEFAULT, "openblas_get_config"));
    const auto threads = reinterpret_cast<IntFn>(::dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
    const auto parallel = reinterpret_cast<IntFn>(::dlsym(RTLD_DEFAULT, "openblas_get_parallel"));
    if (config) {
        static const char* const models[] = {"sequential", "pthreads", "OpenMP"};
        const int model = parallel ? parallel() : -1;
        text << "BLAS " << config() << " (" << (model >= 0 && model <= 2 ? models[model] : "unknown threading");
        // The OpenMP build sizes each call's team from the calling thread's OpenMP setting (torch's
        // thread count); its own counter only shows the count at start-up.
        if (model == 2) text << ", torch's thread count)";
        else text << ", " << (threads ? threads() : 0) << " threads)";
    } else {
        text << "BLAS " << (path.empty() ? "not loaded" : "reference or unknown");
    }
    if (!path.empty()) text << " from " << path;
    text << "; torch " << torch::get_num_threads() << " threads";
    if (torch::cuda::is_available()) text << ", CUDA available";
    return text.str();
}

}  // namespace vae
