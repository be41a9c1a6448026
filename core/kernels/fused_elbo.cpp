// The MLP VAE's -ELBO and its gradient, written out (see fused_elbo.h).
//
// Forward: h = f(x W^T + b) for each hidden layer (f: ReLU or tanh), mu and logvar from the last one,
// z = mu + exp(logvar / 2) * eps, the decoder likewise, then logits. Backward: the reconstruction
// term's gradient at the logits (dLogits_, without the 1/N of the batch mean: that factor rides
// on the first products as their alpha), then each layer's weight gradient (dY^T X), bias
// gradient (column sums) and input gradient (dY W) times f' (from f's output), down to z; there the KL
// term's own gradient joins, and the same runs through the encoder.
#include "fused_elbo.h"

#include "vector_math.h"

#include <cmath>

namespace vae {
namespace {

// The layer's input for layer i of a stack whose activations are `activations`.
const torch::Tensor& inputOf(std::size_t i, const torch::Tensor& first, const std::vector<torch::Tensor>& activations) {
    return i == 0 ? first : activations[i - 1];
}

// Weight and bias gradient of a layer y = x W^T + b from dY: alpha * dY^T x and alpha * sum(dY).
void layerParameterGrads(const torch::Tensor& dY, const torch::Tensor& input, double alpha, torch::Tensor& weightGrad,
                         torch::Tensor& biasGrad) {
    at::addmm_out(weightGrad, weightGrad, dY.t(), input, /*beta=*/0, alpha);
    at::sum_out(biasGrad, dY, {0});
    if (alpha != 1) biasGrad.mul_(alpha);
}

// dX times the activation's derivative, from its output a: ReLU's mask (a > 0), or tanh's 1 - a^2.
void activationBackward(torch::Tensor& dX, const torch::Tensor& activated, Activation activation) {
    if (activation == Activation::Tanh) at::tanh_backward_out(dX, dX, activated);
    else at::threshold_backward_out(dX, dX, activated, 0);
}

// dX = alpha * dY W, then back through the activation that made the layer's input.
void inputGrad(const torch::Tensor& dY, const torch::Tensor& weight, double alpha, const torch::Tensor& activated,
               Activation activation, torch::Tensor& dX) {
    at::addmm_out(dX, dX, dY, weight, /*beta=*/0, alpha);
    activationBackward(dX, activated, activation);
}

torch::Tensor& gradOf(torch::Tensor& parameter) {
    if (!parameter.grad().defined()) parameter.mutable_grad() = torch::zeros_like(parameter);
    return parameter.mutable_grad();
}

}  // namespace

bool FusedElboStep::applies(Vae& model) {
    if (model->config().architecture != Architecture::Mlp) return false;
    for (const auto& p : model->parameters())
        if (!p.device().is_cpu() || p.scalar_type() != torch::kFloat32 || !p.is_contiguous()) return false;
    return true;
}

FusedElboStep::FusedElboStep(Vae& model) : config_(model->config()) {
    const auto wrap = [](const std::vector<WeightedLayer>& weighted) {
        std::vector<Layer> layers;
        for (const auto& layer : weighted) layers.push_back({layer.weight, layer.bias, {}, {}});
        return layers;
    };
    encoder_ = wrap(encoderLayers(model));
    decoder_ = wrap(decoderLayers(model));
}

void FusedElboStep::resize(std::int64_t batch) {
    if (batch == batch_) return;
    batch_ = batch;
    const auto rows = [batch](std::int64_t cols) { return torch::empty({batch, cols}, torch::kFloat32); };
    encoderActivations_.clear();
    encoderGrads_.clear();
    for (int width : config_.encoderHidden) {
        encoderActivations_.push_back(rows(width));
        encoderGrads_.push_back(rows(width));
    }
    decoderActivations_.clear();
    decoderGrads_.clear();
    for (int width : config_.decoderHidden) {
        decoderActivations_.push_back(rows(width));
        decoderGrads_.push_back(rows(width));
    }
    for (auto* latent : {&mu_, &logvar_, &sigma_, &z_, &dMu_, &dLogvar_, &dZ_}) *latent = rows(config_.latentDim);
    for (auto* image : {&logits_, &dLogits_, &scratch_}) *image = rows(config_.inputDim());
}

double FusedElboStep::reconstructionAndGradient(const torch::Tensor& x) {
    at::sigmoid_out(dLogits_, logits_);
    if (config_.likelihood == Likelihood::Bernoulli) {
        // -log p(x|z) = sum softplus(l) - l x, with softplus(l) = relu(l) + log1p(exp(-|l|))
        // and relu(l) = (l + |l|) / 2; its gradient at the logits is sigmoid(l) - x.
        at::abs_out(scratch_, logits_);
        const double sumAbs = scratch_.sum().item<double>();
        scratch_.neg_().exp_().log1p_();
        const double sumSoftplusTail = scratch_.sum().item<double>();
        const double sumLogits = logits_.sum().item<double>();
        const double sumLogitsTimesX = at::dot(logits_.view(-1), x.reshape(-1)).item<double>();
        dLogits_.sub_(x);
        return 0.5 * (sumLogits + sumAbs) + sumSoftplusTail - sumLogitsTimesX;
    }
    // Gaussian around the sigmoid mean (negativeElboTerms): sum (s - x)^2 / (2 sigma^2) + const;
    // its gradient at the logits is (s - x) s (1 - s) / sigma^2.
    const double variance = config_.gaussianSigma * config_.gaussianSigma;
    at::sub_out(scratch_, dLogits_, x);
    const double squared = at::dot(scratch_.view(-1), scratch_.view(-1)).item<double>();
    at::addcmul_out(dLogits_, dLogits_, dLogits_, dLogits_, -1);  // s - s^2
    dLogits_.mul_(scratch_).mul_(1 / variance);
    const double constant = double(x.numel()) * (std::log(config_.gaussianSigma) + 0.5 * std::log(2 * M_PI));
    return squared / (2 * variance) + constant;
}

double FusedElboStep::klAndGradient(const torch::Tensor& eps, const KlWeighting& weightsFor, double invBatch) {
    // KL(N(mu, sigma^2) || N(0, 1)) summed = -1/2 sum(1 + logvar - mu^2 - sigma^2). Its gradient
    // (times each dimension's weight / N) joins the decoder's dZ: through z = mu + sigma eps,
    // dMu = dZ and dLogvar = dZ eps sigma / 2.
    const auto n = mu_.numel();
    const auto dims = mu_.size(1);
    const float* mu = mu_.data_ptr<float>();
    const float* logvar = logvar_.data_ptr<float>();
    const float* sigma = sigma_.data_ptr<float>();
    const float* noise = eps.data_ptr<float>();
    const float* dZ = dZ_.data_ptr<float>();
    float* dMu = dMu_.data_ptr<float>();
    float* dLogvar = dLogvar_.data_ptr<float>();
    std::vector<double> klPerDim(std::size_t(dims), 0.0);
    for (std::int64_t i = 0; i < n; ++i)
        klPerDim[std::size_t(i % dims)] += -0.5 * (1.0 + logvar[i] - double(mu[i]) * mu[i] - double(sigma[i]) * sigma[i]);
    const auto weights = weightsFor(klPerDim);
    std::vector<float> klScale(weights.size());
    for (std::int64_t d = 0; d < dims; ++d) klScale[std::size_t(d)] = float(weights.at(std::size_t(d)) * invBatch);
    for (std::int64_t i = 0; i < n; ++i) {
        const float variance = sigma[i] * sigma[i];
        const float scale = klScale[std::size_t(i % dims)];
        dMu[i] = dZ[i] + scale * mu[i];
        dLogvar[i] = 0.5f * (dZ[i] * noise[i] * sigma[i] + scale * (variance - 1));
    }
    double kl = 0;
    for (double value : klPerDim) kl += value;
    return kl;
}

ElboValues FusedElboStep::run(const torch::Tensor& x, const torch::Tensor& eps, double beta) {
    return run(x, eps, [beta](const std::vector<double>& klSumPerDim) {
        return std::vector<float>(klSumPerDim.size(), float(beta));
    });
}

ElboValues FusedElboStep::run(const torch::Tensor& x, const torch::Tensor& eps, const KlWeighting& weightsFor) {
    torch::NoGradGuard noGrad;  // the out= variants refuse inputs that record gradients
    const std::int64_t batch = x.size(0);
    resize(batch);
    // An optimizer may have replaced a gradient (LibTorch 2's zero_grad sets them to none).
    for (auto* stack : {&encoder_, &decoder_})
        for (auto& layer : *stack) {
            layer.weightGrad = gradOf(layer.weight);
            layer.biasGrad = gradOf(layer.bias);
        }
    const double invBatch = 1.0 / double(batch);
    const auto input = x.contiguous();
    const auto noise = eps.contiguous();
    const std::size_t hiddenEncoder = encoderActivations_.size(), hiddenDecoder = decoderActivations_.size();

    // Forward.
    for (std::size_t i = 0; i < hiddenEncoder; ++i) {
        at::addmm_out(encoderActivations_[i], encoder_[i].bias, inputOf(i, input, encoderActivations_),
                      encoder_[i].weight.t());
        activateInPlace(encoderActivations_[i], config_.activation);
    }
    const auto& encoded = inputOf(hiddenEncoder, input, encoderActivations_);
    const Layer& toMu = encoder_[hiddenEncoder];
    const Layer& toLogvar = encoder_[hiddenEncoder + 1];
    at::addmm_out(mu_, toMu.bias, encoded, toMu.weight.t());
    at::addmm_out(logvar_, toLogvar.bias, encoded, toLogvar.weight.t());
    sigma_.copy_(logvar_).mul_(0.5).exp_();
    at::addcmul_out(z_, mu_, sigma_, noise);
    for (std::size_t j = 0; j < hiddenDecoder; ++j) {
        at::addmm_out(decoderActivations_[j], decoder_[j].bias, inputOf(j, z_, decoderActivations_),
                      decoder_[j].weight.t());
        activateInPlace(decoderActivations_[j], config_.activation);
    }
    const Layer& output = decoder_[hiddenDecoder];
    const auto& decoded = inputOf(hiddenDecoder, z_, decoderActivations_);
    at::addmm_out(logits_, output.bias, decoded, output.weight.t());

    ElboValues values;
    values.recon = reconstructionAndGradient(input) * invBatch;

    // Backward through the decoder, down to dZ (scaled by 1/N from here on).
    auto& outputLayer = decoder_[hiddenDecoder];
    layerParameterGrads(dLogits_, decoded, invBatch, outputLayer.weightGrad, outputLayer.biasGrad);
    if (hiddenDecoder == 0) {
        at::addmm_out(dZ_, dZ_, dLogits_, outputLayer.weight, 0, invBatch);
    } else {
        inputGrad(dLogits_, outputLayer.weight, invBatch, decoderActivations_[hiddenDecoder - 1], config_.activation,
                  decoderGrads_[hiddenDecoder - 1]);
        for (std::size_t j = hiddenDecoder; j-- > 0;) {
            auto& layer = decoder_[j];
            layerParameterGrads(decoderGrads_[j], inputOf(j, z_, decoderActivations_), 1, layer.weightGrad,
                                layer.biasGrad);
            if (j == 0)
                at::mm_out(dZ_, decoderGrads_[0], layer.weight);
            else
                inputGrad(decoderGrads_[j], layer.weight, 1, decoderActivations_[j - 1], config_.activation,
                          decoderGrads_[j - 1]);
        }
    }

    // The KL term, then backward through the encoder.
    values.kl = klAndGradient(noise, weightsFor, invBatch) * invBatch;
    auto& muLayer = encoder_[hiddenEncoder];
    auto& logvarLayer = encoder_[hiddenEncoder + 1];
    layerParameterGrads(dMu_, encoded, 1, muLayer.weightGrad, muLayer.biasGrad);
    layerParameterGrads(dLogvar_, encoded, 1, logvarLayer.weightGrad, logvarLayer.biasGrad);
    if (hiddenEncoder == 0) return values;
    auto& dEncoded = encoderGrads_[hiddenEncoder - 1];
    at::mm_out(dEncoded, dMu_, muLayer.weight);
    at::addmm_out(dEncoded, dEncoded, dLogvar_, logvarLayer.weight);
    activationBackward(dEncoded, encoderActivations_[hiddenEncoder - 1], config_.activation);
    for (std::size_t i = hiddenEncoder; i-- > 0;) {
        auto& layer = encoder_[i];
        layerParameterGrads(encoderGrads_[i], inputOf(i, input, encoderActivations_), 1, layer.weightGrad,
                            layer.biasGrad);
        if (i > 0)
            inputGrad(encoderGrads_[i], layer.weight, 1, encoderActivations_[i - 1], config_.activation, encoderGrads_[i - 1]);
    }
    return values;
}

}  // namespace vae
