#pragma once
// What the encodings of a dataset say about the latent space: how much each dimension carries
// (KL, active units) and its principal plane. Torch-free interface; torch does the work.
#include "encoder.h"
#include "latent_geometry.h"

#include <vector>

namespace vae {

struct LatentSummary {
    // Burda, Grosse & Salakhutdinov (2015): a dimension is active when the variance over x of
    // E_q[z_d | x] exceeds 0.01.
    static constexpr double kActiveThreshold = 0.01;

    int count = 0;
    int latentDim = 0;
    std::vector<double> klPerDim;        // mean over x of KL(q(z_d|x) || N(0,1)), nats
    std::vector<double> meanVariance;    // variance over x of mu_d
    int activeUnits = 0;
    std::vector<float> mean;             // mean of the encodings' mu: the centre of the data
    std::vector<float> pc1, pc2;         // unit principal directions of mu (pc2 zero in 1-D)
    double explained1 = 0, explained2 = 0;  // fractions of mu's total variance along them

    // The latent map's PCA plane: through the centre of the data, spanned by pc1 and pc2.
    LatentPlane pcaPlane() const;
    // Dimensions (0-based) by KL, largest first.
    std::vector<int> dimensionsByKl() const;
    bool collapsed() const { return 2 * activeUnits < latentDim; }  // fewer than half active
};

// Throws ConfigError for no encodings or inconsistent sizes. PCA is torch's SVD of the centred
// means.
LatentSummary summarizeEncodings(const Encodings& encodings);

}  // namespace vae
