#pragma once
// Walks through latent space: interpolations (lerp and slerp, as in White's "Sampling Generative
// Networks", 2016), traversals along single dimensions, class directions and analogies.
// Torch-free: plain vectors in, count x dim latents out (row-major), ready for Decoder::decode.
#include <string>
#include <vector>

namespace vae {

enum class Interpolation { Lerp, Slerp };
std::string interpolationName(Interpolation mode);
Interpolation parseInterpolation(const std::string& name);  // throws ConfigError

constexpr int kMinSteps = 2;
constexpr int kMaxSteps = 64;

// `steps` points from `from` to `to` inclusive. Slerp follows the great circle between the two
// directions while the norm goes linearly from |from| to |to| (so a walk between two points
// of the prior's shell stays on it); where the directions are (anti)parallel or a point is 0 it
// falls back to lerp. Throws ConfigError for sizes that differ or steps outside 2..64.
std::vector<float> interpolate(const std::vector<float>& from, const std::vector<float>& to, int steps,
                               Interpolation mode);
// The same path there and back, without repeating the turning points: a seamless loop.
// thereAndBackOrder gives the indices of the points in that order (0, 1, .., n-1, n-2, .., 1).
std::vector<int> thereAndBackOrder(int count);
std::vector<float> thereAndBack(const std::vector<float>& path, int dim);

// One row per dimension in `dimensions`, `columns` points from `low` to `high` along it, the
// other coordinates those of `origin` (the beta-VAE paper's traversal figure).
std::vector<float> traversal(const std::vector<float>& origin, const std::vector<int>& dimensions, int columns,
                             double low, double high);

// Mean of the rows (count x dim) whose label is each of 0..labelCount-1; a label without rows
// gets no mean (empty vector).
std::vector<std::vector<float>> classMeans(const std::vector<float>& latents, int dim, const std::vector<int>& labels,
                                           int labelCount);
// `steps` points from `start` along to - from, scaled so the last point is start + amount*(to-from).
std::vector<float> morph(const std::vector<float>& start, const std::vector<float>& from, const std::vector<float>& to,
                         int steps, double amount = 1.0);
// A is to B as C is to C + (B - A).
std::vector<float> analogy(const std::vector<float>& a, const std::vector<float>& b, const std::vector<float>& c);

// Parses "0.5,-1,2" into exactly `dim` numbers. Throws ConfigError naming `option`.
std::vector<float> parseLatent(const std::string& text, int dim, const std::string& option);

}  // namespace vae
