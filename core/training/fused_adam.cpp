#include "fused_adam.h"

#include "build_flags.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <type_traits>

namespace vae {
namespace {

// The key the base class files a parameter's state under: LibTorch 1.x uses the TensorImpl
// address as a string, 2.x the address itself.
template <class Map>
typename Map::key_type stateKey(const torch::Tensor& p) {
    using Key = typename Map::key_type;
    if constexpr (std::is_same_v<Key, std::string>) {
        std::ostringstream text;
        text << p.unsafeGetTensorImpl();
        return text.str();
    } else {
        return Key(p.unsafeGetTensorImpl());
    }
}

bool fusable(const torch::Tensor& p) {
    const auto& grad = p.grad();
    return p.device().is_cpu() && p.scalar_type() == torch::kFloat32 && p.is_contiguous() && grad.defined() &&
           !grad.is_sparse() && grad.scalar_type() == torch::kFloat32 && grad.is_contiguous();
}

struct AdamConstants {
    float beta1, beta2, eps, weightDecay, stepSize, invSqrtCorrection2;
};

// One parameter tensor's share of the step, as a range of a global element index.
struct AdamSpan {
    AdamConstants constants;
    float* param;
    const float* grad;
    float* m;
    float* v;
    std::int64_t begin, end;
};

// The update of elements [from, to) of one span. The loop vectorises (the file is built with
// -fno-math-errno, so sqrt is one instruction); on x86-64 it is also built for AVX2 + FMA and
// picked at load time by an ifunc resolver. Not in sanitizer builds: the resolver runs while
// the program is relocated, before ThreadSanitizer's runtime is up, and crashed every test there.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !VAE_THREAD_SANITIZER && \
    !VAE_ADDRESS_SANITIZER
__attribute__((target_clones("arch=haswell", "default")))
#endif
void adamUpdate(const AdamSpan& span, std::int64_t from, std::int64_t to) {
    const AdamConstants c = span.constants;
    float* __restrict param = span.param;
    const float* __restrict grad = span.grad;
    float* __restrict m = span.m;
    float* __restrict v = span.v;
    for (std::int64_t i = from; i < to; ++i) {
        const float g = grad[i] + c.weightDecay * param[i];
        const float mi = c.beta1 * m[i] + (1 - c.beta1) * g;
        const float vi = c.beta2 * v[i] + (1 - c.beta2) * g * g;
        m[i] = mi;
        v[i] = vi;
        param[i] -= c.stepSize * mi / (std::sqrt(vi) * c.invSqrtCorrection2 + c.eps);
    }
}

}  // namespace

torch::Tensor FusedAdam::step(LossClosure closure) {
    for (const auto& group : param_groups()) {
        const auto& options = static_cast<const torch::optim::AdamOptions&>(group.options());
        if (options.amsgrad()) return torch::optim::Adam::step(closure);
        for (const auto& p : group.params())
            if (p.grad().defined() && !fusable(p)) return torch::optim::Adam::step(closure);
    }
    torch::Tensor loss;
    if (closure) {
        torch::AutoGradMode enableGrad(true);
        loss = closure();
    }
    torch::NoGradGuard noGrad;
    std::vector<AdamSpan> spans;
    for (auto& group : param_groups()) {
        const auto& options = static_cast<const torch::optim::AdamOptions&>(group.options());
        const double beta1 = std::get<0>(options.betas()), beta2 = std::get<1>(options.betas());
        for (auto& p : group.params()) {
            if (!p.grad().defined()) continue;
            const auto key = stateKey<decltype(state_)>(p);
            auto found = state_.find(key);
            if (found == state_.end()) {
                auto fresh = std::make_unique<torch::optim::AdamParamState>();
                fresh->step(0);
                fresh->exp_avg(torch::zeros_like(p, torch::MemoryFormat::Contiguous));
                fresh->exp_avg_sq(torch::zeros_like(p, torch::MemoryFormat::Contiguous));
                found = state_.emplace(key, std::move(fresh)).first;
            }
            auto& state = static_cast<torch::optim::AdamParamState&>(*found->second);
            state.step(state.step() + 1);
            AdamSpan span;
            span.constants = {float(beta1), float(beta2), float(options.eps()), float(options.weight_decay()),
                              float(options.lr() / (1 - std::pow(beta1, state.step()))),
                              float(1 / std::sqrt(1 - std::pow(beta2, state.step())))};
            span.param = p.data_ptr<float>();
            span.grad = p.grad().data_ptr<float>();
            span.m = state.exp_avg().data_ptr<float>();
            span.v = state.exp_avg_sq().data_ptr<float>();
            span.begin = spans.empty() ? 0 : spans.back().end;
            span.end = span.begin + p.numel();
            spans.push_back(span);
        }
    }
    // One parallel region for all parameters: each region is a barrier of the thread team, and a
    // barrier is what costs most when another process holds one of the cores.
    const std::int64_t total = spans.empty() ? 0 : spans.back().end;
    at::parallel_for(0, total, 1 << 15, [&](std::int64_t begin, std::int64_t end) {
        for (const auto& span : spans) {
            const std::int64_t from = std::max(begin, span.begin), to = std::min(end, span.end);
            if (from < to) adamUpdate(span, from - span.begin, to - span.begin);
        }
    });
    return loss;
}

}  // namespace vae
