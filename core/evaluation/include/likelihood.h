#pragma once
// The importance-weighted estimate of -log p(x) (Burda, Grosse and Salakhutdinov, "Importance
// Weighted Autoencoders", 2015): with z_1..z_k drawn from q(z|x) and w_j = p(x, z_j) / q(z_j|x),
// log p(x) >= log (1/k sum_j w_j), a bound that tightens as k grows and is the ELBO at k = 1.
// VAE papers report it at k = 5000. Plain values: seen by the CLI and the window.
#include <cstdint>
#include <functional>

namespace vae {

struct LikelihoodOptions {
    int samples = 1000;    // k, importance samples per image: a quick look (papers report k = 5000)
    int images = -1;       // the first N test images; -1: all of them
    int batchImages = 100; // images per batch (each batch decodes batchImages x k latents, in chunks)
    std::uint64_t seed = 1;
    // Throws ConfigError naming the option (--k, --images, --batch-size) and the problem.
    void validate() const;
};

struct LikelihoodEstimate {
    int images = 0;
    int samples = 0;
    double negLogLikelihood = 0;  // -mean_i log (1/k sum_j w_ij), nats per image
    double negElbo = 0;           // -mean_ij log w_ij: the ELBO from the same samples
    double seconds = 0;
    bool cancelled = false;  // the progress callback asked to stop; the figures are then empty
};

// Called after each batch with the images done so far, and between chunks of samples within a
// batch (with the images done before it); returning false stops the estimate.
using LikelihoodProgress = std::function<bool(int imagesDone, int imagesTotal)>;

}  // namespace vae
