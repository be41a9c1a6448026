#include "latent_geometry.h"

#include "errors.h"

#include <algorithm>
#include <random>
#include <string>

namespace vae {

std::vector<float> latentGrid(int n, double range) {
    std::vector<float> points;
    points.reserve(std::size_t(std::max(n, 0)) * std::max(n, 0) * 2);
    for (int row = 0; row < n; ++row)
        for (int col = 0; col < n; ++col) {
            const auto [z1, z2] = latentAt((col + 0.5) / n, (row + 0.5) / n, range);
            points.push_back(z1);
            points.push_back(z2);
        }
    return points;
}

std::vector<float> priorSamples(int count, int latentDim, std::uint64_t seed) {
    std::mt19937_64 random(seed);
    std::normal_distribution<float> normal;
    std::vector<float> latents(std::size_t(std::max(count, 0)) * std::max(latentDim, 0));
    for (auto& value : latents) value = normal(random);
    return latents;
}

std::pair<float, float> latentAt(double fx, double fy, double range) {
    return {float((2 * fx - 1) * range), float((1 - 2 * fy) * range)};
}

std::vector<float> embedPoints(const std::vector<float>& points2d, int latentDim, int axisX, int axisY) {
    if (axisX < 0 || axisY < 0 || axisX >= latentDim || axisY >= latentDim)
        throw ConfigError("latent axes " + std::to_string(axisX + 1) + " and " + std::to_string(axisY + 1) +
                          " do not exist in a " + std::to_string(latentDim) + "-D latent space");
    const std::size_t count = points2d.size() / 2;
    std::vector<float> latents(count * std::size_t(latentDim), 0.0f);
    for (std::size_t i = 0; i < count; ++i) {
        latents[i * latentDim + axisX] = points2d[2 * i];
        latents[i * latentDim + axisY] = points2d[2 * i + 1];
    }
    return latents;
}

}  // namespace vae
