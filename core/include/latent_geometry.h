#pragma once
// Where the latent map's tiles and clicks sit in latent space, and draws from the prior.
#include <cstdint>
#include <utility>
#include <vector>

namespace vae {

// The latent map's default half-width: +-3 prior standard deviations.
constexpr double kDefaultLatentRange = 3.0;

// Tile centres of an n x n grid over [-range, range]^2, row-major from the top-left, so the
// top row has the largest z2 (as on a plot). Pixel-exact picking uses latentAt.
std::vector<float> latentGrid(int n, double range);
// The latent point under fraction (fx, fy) of the grid's width and height (0..1, from top-left).
std::pair<float, float> latentAt(double fx, double fy, double range);
// Places 2-D points on two axes of a latentDim space; every other coordinate is 0.
std::vector<float> embedPoints(const std::vector<float>& points2d, int latentDim, int axisX, int axisY);

// count x latentDim draws from the N(0, I) prior, reproducible for a seed on any platform's
// std::mt19937_64 (the normal transform is the standard library's).
std::vector<float> priorSamples(int count, int latentDim, std::uint64_t seed);

}  // namespace vae
