#include "fused_adam.h"

#include <ATen/Parallel.h>

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
            const float b1 = float(beta1), b2 = float(beta2), eps = float(options.eps());
            const float weightDecay = float(options.weight_decay());
            const float stepSize = float(options.lr() / (1 - std::pow(beta1, state.step())));
            const float invSqrtCorrection2 = float(1 / std::sqrt(1 - std::pow(beta2, state.step())));
            float* param = p.data_ptr<float>();
            const float* grad = p.grad().data_ptr<float>();
            float* m = state.exp_avg().data_ptr<float>();
            float* v = state.exp_avg_sq().data_ptr<float>();
            at::parallel_for(0, p.numel(), 1 << 15, [&](std::int64_t begin, std::int64_t end) {
                for (std::int64_t i = begin; i < end; ++i) {
                    const float g = grad[i] + weightDecay * param[i];
                    const float mi = b1 * m[i] + (1 - b1) * g;
                    const float vi = b2 * v[i] + (1 - b2) * g * g;
                    m[i] = mi;
                    v[i] = vi;
                    param[i] -= stepSize * mi / (std::sqrt(vi) * invSqrtCorrection2 + eps);
                }
            });
        }
    }
    return loss;
}

}  // namespace vae
