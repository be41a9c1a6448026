#pragma once
// Test helpers that need torch, behind a torch-free header so moc never sees torch.
#include "model_config.h"
#include "dataset.h"
#include "training.h"

#include <string>
#include <vector>

namespace probes {

struct LossValues {
    double recon = 0;
    double kl = 0;
};

// The core's loss on explicit tensors (batch x pixels logits/targets, batch x latent mu/logvar).
LossValues coreLoss(const std::vector<float>& logits, const std::vector<float>& targets, const std::vector<float>& mu,
                    const std::vector<float>& logvar, int batch, const vae::ModelConfig& config);

// β-TCVAE's split of the KL (kl_decomposition.h) on explicit batch x latent z, mu and logvar,
// computed in double precision by the core's function.
vae::KlSplit coreKlSplit(const std::vector<double>& z, const std::vector<double>& mu, const std::vector<double>& logvar,
                         int batch, long long datasetSize);

// The training images at `indices` as the trainer sees them (bytes, unpacked when packed).
std::vector<std::uint8_t> trainRowsOf(const vae::ImageDataset& data, const std::vector<long long>& indices);
const std::vector<int>& trainLabelsOf(const vae::ImageDataset& data);
const std::vector<float>& trainFactorsOf(const vae::ImageDataset& data);

// Monte-Carlo estimate of KL(N(mu, exp(logvar)) || N(0, I)) for one latent vector.
double monteCarloKl(const std::vector<float>& mu, const std::vector<float>& logvar, int samples);

// Writes a checkpoint whose stored config says `claimed` but whose weights are from `actual`.
void writeMismatchedCheckpoint(const std::string& path, const vae::ModelConfig& claimed, const vae::ModelConfig& actual);
// Writes a valid torch archive that is not a vae-explorer checkpoint, with or without our
// checksum trailer (so both the trailer check and the format check are exercised).
void writeForeignArchive(const std::string& path, bool withTrailer);
// The top-level keys of a checkpoint's archive (past its checksum trailer).
std::vector<std::string> checkpointKeys(const std::string& path);

}  // namespace probes

namespace probes {
// Runs vae::FusedAdam and torch::optim::Adam side by side on the same random parameters and
// gradients for `steps` steps; returns the largest difference in the parameters relative to
// max(|p|, 0.1) (float rounding, not a formula difference, is what may remain).
double fusedAdamMaxRelativeDifference(int steps, double weightDecay);

// The fused -ELBO pass (fused_elbo.h) against autograd on one model with random weights, inputs
// in [0,1] (binary ones when `binaryInputs`) and the same noise: the largest difference in
// either loss term relative to its size, and in any parameter's gradient relative to that
// gradient's largest entry.
struct FusedElboDifferences {
    double loss = 0;
    double gradient = 0;
    int clampedDims = 0;
};
// With freeBitsAtMedian the free-bits floor is the median of the batch's per-dimension mean KL,
// halfway between the middle two,
// so that some dimensions fall under it and some do not: the reference objective is then
// recon + beta * sum_d max(floor, KL_d) (clamp_min under autograd), and the fused pass gets
// TrainOptions::klWeights. clampedDims counts the dimensions under the floor.
FusedElboDifferences fusedElboDifferences(const vae::ModelConfig& config, int batch, double beta, bool binaryInputs,
                                          bool freeBitsAtMedian = false);

// The importance-weighted estimate (likelihood_estimate.h) on a model with random weights and a
// one-dimensional latent, for `images` random 8x8 images, against log p(x) integrated over z on
// a grid of 20,001 points in [-12, 12] (exact far below the tolerances used).
struct LikelihoodCheck {
    double estimate = 0;  // -log p(x), importance-weighted, mean over the images
    double exact = 0;     // -log p(x) by quadrature
    double negElbo = 0;   // -ELBO from the same samples
};
LikelihoodCheck likelihoodAgainstQuadrature(vae::Likelihood likelihood, int samples, int images,
                                            vae::Activation activation = vae::Activation::Relu);
// The estimate with k = each of `samples`, on one random model with a 4-D latent and `images`
// random 8x8 images (binary ones), each from its own seed; -log p(x) per k, in order.
std::vector<double> likelihoodForSampleCounts(const std::vector<int>& samples, int images);

// vector_math.h against torch's operators, as the largest absolute difference: Bernoulli
// log p(x | logits) per row of `samples` x `images` x `pixels` random logits (spread over
// +-scale) against grey-level images, and tanh of the same logits.
struct VectorMathDifferences {
    double logLikelihood = 0;  // nats per row
    double largestLogLikelihood = 0;  // the largest |log p| seen, for scale
    double tanh = 0;
};
VectorMathDifferences vectorMathAgainstTorch(int samples, int images, int pixels, double scale);

}  // namespace probes
