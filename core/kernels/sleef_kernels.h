#pragma once
// Plain-pointer kernels over SLEEF's 8-wide AVX2 math (the library LibTorch's own vectorised
// math uses), compiled on their own with -mavx2 -mfma (sleef_kernels_avx2.cpp), and only where
// SLEEF is found. Call them through vector_math.h, which checks the CPU.
#include <cstdint>

namespace vae::avx2 {

// out[r] = sum_j x_j l_j - softplus(l_j) = log p(x | logits) for the `rows` row-major rows of
// `logits`, where row r is scored against target row (firstRow + r) % targetRows (importance
// samples are sample-major: k blocks of the same images; firstRow lets threads take slices).
// All rows have `cols` floats.
void bernoulliLogLikelihoodRows(const float* logits, const float* targets, std::int64_t firstRow, std::int64_t rows,
                                std::int64_t targetRows, std::int64_t cols, float* out);

// data[i] = tanh(data[i]) for `count` floats.
void tanhInPlace(float* data, std::int64_t count);

}  // namespace vae::avx2
