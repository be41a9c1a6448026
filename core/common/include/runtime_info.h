#pragma once
// What the process runs on and how many threads it computes with: LibTorch's version, the BLAS
// it really loaded, and the thread counts of torch and the OpenMP BLAS. Torch-free.
#include <string>

namespace vae {

// The LibTorch this build runs on: "1.13.1".
std::string libTorchVersion();
// Which BLAS library the process loaded, its threading model and thread count, and torch's.
std::string computeBackendReport();
// Sets torch's intra-op threads (and so the OpenMP BLAS's). 0 = one per core.
void setComputeThreads(int threads);
// Makes torch and BLAS calls from the calling thread run on that thread alone, leaving the
// global setting alone. For helper threads (the GUI's decoder): a second OpenMP team next to
// the trainer's would oversubscribe the cores.
void useOneComputeThreadHere();

}  // namespace vae
