#include "sleef_kernels.h"

#include <immintrin.h>
#include <sleef.h>

#include <cmath>

// Why not torch's operators: LibTorch 1.13's tanh and softplus run at 1.5-3 ns per element on
// this CPU (timed with two threads), and binary_cross_entropy_with_logits on an expanded target
// makes about six passes over the logits with a temporary of their size each; at k = 5000 over
// 10,000 images those were most of an evaluation. Here each element is read once.
namespace vae::avx2 {

// Each row's sum of softplus(l) - x l, written as max(l, 0) - x l + log(1 + exp(-|l|)) so that
// exp never overflows. The logs are taken of products: each lane multiplies up to 64 factors
// 1 + exp(-|l|) in (1, 2] (at most 2^64, far from float's range) and takes one log per 64, since
// a log per element cost more than the exp and the products together (perf, k = 5000). The
// products' rounding (64 x 2^-24 relative) moves a 784-pixel row by well under 1e-4 nats.
void bernoulliLogLikelihoodRows(const float* logits, const float* targets, std::int64_t firstRow, std::int64_t rows,
                                std::int64_t targetRows, std::int64_t cols, float* out) {
    constexpr int kFactorsPerLog = 64;
    const __m256 zero = _mm256_setzero_ps();
    const __m256 one = _mm256_set1_ps(1.0f);
    const __m256 signBit = _mm256_set1_ps(-0.0f);
    const std::int64_t vectorCols = cols - cols % 8;
    for (std::int64_t r = 0; r < rows; ++r) {
        const float* l = logits + r * cols;
        const float* x = targets + ((firstRow + r) % targetRows) * cols;
        __m256 linear = zero, logs = zero, product = one;
        int factors = 0;
        for (std::int64_t j = 0; j < vectorCols; j += 8) {
            const __m256 logit = _mm256_loadu_ps(l + j);
            const __m256 expNegAbs = Sleef_expf8_u10avx2(_mm256_or_ps(logit, signBit));
            product = _mm256_fmadd_ps(product, expNegAbs, product);  // product * (1 + e)
            linear = _mm256_fnmadd_ps(_mm256_loadu_ps(x + j), logit, _mm256_add_ps(linear, _mm256_max_ps(logit, zero)));
            if (++factors == kFactorsPerLog) {
                logs = _mm256_add_ps(logs, Sleef_logf8_u10avx2(product));
                product = one;
                factors = 0;
            }
        }
        logs = _mm256_add_ps(logs, Sleef_logf8_u10avx2(product));
        alignas(32) float lanes[8];
        _mm256_store_ps(lanes, _mm256_add_ps(linear, logs));
        double rowSum = 0;
        for (float lane : lanes) rowSum += lane;
        for (std::int64_t j = vectorCols; j < cols; ++j)
            rowSum += std::fmax(double(l[j]), 0.0) + std::log1p(std::exp(-std::fabs(double(l[j])))) - double(x[j]) * l[j];
        out[r] = float(-rowSum);
    }
}

// The 3.5-ulp tanh: half the cost of the 1-ulp one, and an activation needs no more.
void tanhInPlace(float* data, std::int64_t count) {
    const std::int64_t vectorCount = count - count % 8;
    for (std::int64_t i = 0; i < vectorCount; i += 8)
        _mm256_storeu_ps(data + i, Sleef_tanhf8_u35avx2(_mm256_loadu_ps(data + i)));
    for (std::int64_t i = vectorCount; i < count; ++i) data[i] = std::tanh(data[i]);
}

}  // namespace vae::avx2
