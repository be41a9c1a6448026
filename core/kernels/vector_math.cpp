#include "vector_math.h"

#ifdef VAE_WITH_SLEEF
#include "sleef_kernels.h"
#endif

namespace vae {
namespace {

#ifdef VAE_WITH_SLEEF
bool kernelsRun(const torch::Tensor& tensor) {
    static const bool cpuHasThem = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    return cpuHasThem && tensor.device().is_cpu() && tensor.scalar_type() == torch::kFloat;
}

// Rows (or elements) per thread's slice: enough to pay for the hand-off.
constexpr std::int64_t kRowsPerSlice = 64;
constexpr std::int64_t kElementsPerSlice = 16384;
#endif

}  // namespace

torch::Tensor logLikelihoodPerRow(const torch::Tensor& logits, const torch::Tensor& x, const ModelConfig& config) {
#ifdef VAE_WITH_SLEEF
    if (config.likelihood == Likelihood::Bernoulli && kernelsRun(logits)) {
        const auto rows = logits.reshape({-1, logits.size(-1)}).contiguous();
        const auto targets = x.to(torch::kFloat).contiguous();
        auto out = torch::empty({rows.size(0)}, torch::kFloat);
        const float* logitData = rows.data_ptr<float>();
        const float* targetData = targets.data_ptr<float>();
        float* outData = out.data_ptr<float>();
        const std::int64_t cols = rows.size(1);
        at::parallel_for(0, rows.size(0), kRowsPerSlice, [&](std::int64_t begin, std::int64_t end) {
            avx2::bernoulliLogLikelihoodRows(logitData + begin * cols, targetData, begin, end - begin,
                                             targets.size(0), cols, outData + begin);
        });
        return out.reshape(logits.sizes().slice(0, logits.dim() - 1));
    }
#endif
    return -reconstructionPerImage(logits, x, config);
}

void activateInPlace(torch::Tensor& values, Activation activation) {
    if (activation == Activation::Relu) {
        values.relu_();
        return;
    }
#ifdef VAE_WITH_SLEEF
    if (kernelsRun(values) && values.is_contiguous()) {
        float* data = values.data_ptr<float>();
        at::parallel_for(0, values.numel(), kElementsPerSlice,
                         [&](std::int64_t begin, std::int64_t end) { avx2::tanhInPlace(data + begin, end - begin); });
        return;
    }
#endif
    values.tanh_();
}

}  // namespace vae
