#pragma once
// A hand-written forward and backward pass of the MLP VAE's negative ELBO (internal to core),
// ReLU or tanh.
// Autograd records about a hundred small ops per step and allocates each intermediate; for this
// one model shape the gradients are short enough to write out, which leaves the products in
// the BLAS and each element-wise step as one vectorised ATen pass into reused buffers. The
// trainer uses it whenever it applies (see applies()); tst_fusedelbo checks it against autograd.
#include "model.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace vae {

struct ElboValues {
    double recon = 0;  // per-image means, as negativeElboTerms reports them
    double kl = 0;
};

// The KL weight of each latent dimension for this step, from the batch's KL summed per dimension
// (TrainOptions::klWeights after any sum over ranks). Called once per step, mid-pass.
using KlWeighting = std::function<std::vector<float>(const std::vector<double>& klSumPerDim)>;

class FusedElboStep {
public:
    // CPU float32 MLPs only (a CUDA LibTorch build and conv models keep autograd).
    static bool applies(Vae& model);
    explicit FusedElboStep(Vae& model);

    // x: N x inputDim in [0,1]; eps: N x latentDim standard-normal noise for z = mu + sigma*eps.
    // Returns the -ELBO terms and overwrites every parameter's grad() with the gradient of
    // recon + sum_d w_d kl_d, w from `weightsFor` (nothing needs zeroing first).
    ElboValues run(const torch::Tensor& x, const torch::Tensor& eps, const KlWeighting& weightsFor);
    ElboValues run(const torch::Tensor& x, const torch::Tensor& eps, double beta);  // every w_d = beta

private:
    struct Layer {
        torch::Tensor weight, bias, weightGrad, biasGrad;
    };
    void resize(std::int64_t batch);
    double reconstructionAndGradient(const torch::Tensor& x);  // fills dLogits_, returns the sum
    double klAndGradient(const torch::Tensor& eps, const KlWeighting& weightsFor, double invBatch);

    ModelConfig config_;
    std::vector<Layer> encoder_;  // hidden layers (the activation after each), then to_mu, to_logvar
    std::vector<Layer> decoder_;  // hidden layers (the activation after each), then the output layer
    // Buffers reused while the batch size stays the same: activations after each hidden layer
    // and the gradients flowing back through them.
    std::int64_t batch_ = -1;
    std::vector<torch::Tensor> encoderActivations_, decoderActivations_, encoderGrads_, decoderGrads_;
    torch::Tensor mu_, logvar_, sigma_, z_, logits_, dLogits_, scratch_, dMu_, dLogvar_, dZ_;
};

}  // namespace vae
