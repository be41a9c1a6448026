#include "latent_geometry.h"

#include "errors.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <string>

namespace vae {
namespace {

double dot(const std::vector<float>& x, const std::vector<float>& y) {
    double sum = 0;
    for (std::size_t i = 0; i < x.size(); ++i) sum += double(x[i]) * y[i];
    return sum;
}

// x - (x.d) d for a unit (or zero) d.
void removeComponent(std::vector<float>& x, const std::vector<float>& direction) {
    const double along = dot(x, direction);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = float(x[i] - along * direction[i]);
}

bool normalise(std::vector<float>& x) {
    const double norm = std::sqrt(dot(x, x));
    if (!(norm > 1e-6)) return false;
    for (auto& value : x) value = float(value / norm);
    return true;
}

void requireSize(const std::vector<float>& values, std::size_t multipleOf, const char* what) {
    if (multipleOf == 0 || values.size() % multipleOf != 0)
        throw ConfigError(std::string(what) + ": expected a multiple of " + std::to_string(multipleOf) + " values, got " +
                          std::to_string(values.size()));
}

}  // namespace

std::vector<float> latentGrid(int n, double range) {
    std::vector<float> points;
    points.reserve(std::size_t(std::max(n, 0)) * std::max(n, 0) * 2);
    for (int row = 0; row < n; ++row)
        for (int col = 0; col < n; ++col) {
            const auto [a, b] = latentAt((col + 0.5) / n, (row + 0.5) / n, range);
            points.push_back(a);
            points.push_back(b);
        }
    return points;
}

std::pair<float, float> latentAt(double fx, double fy, double range) {
    return {float((2 * fx - 1) * range), float((1 - 2 * fy) * range)};
}

LatentPlane LatentPlane::axes(int latentDim, int axisX, int axisY) {
    const bool oneAxis = latentDim == 1 && axisX == 0;
    if (latentDim < 1 || axisX < 0 || axisX >= latentDim || (!oneAxis && (axisY < 0 || axisY >= latentDim || axisY == axisX)))
        throw ConfigError("latent axes " + std::to_string(axisX + 1) + " and " + std::to_string(axisY + 1) +
                          " are not two different axes of a " + std::to_string(latentDim) + "-D latent space");
    LatentPlane plane;
    plane.origin.assign(std::size_t(latentDim), 0.0f);
    plane.u = plane.origin;
    plane.v = plane.origin;
    plane.u[std::size_t(axisX)] = 1;
    if (!oneAxis) plane.v[std::size_t(axisY)] = 1;
    return plane;
}

LatentPlane LatentPlane::spanning(std::vector<float> origin, const std::vector<float>& first,
                                  const std::vector<float>& second) {
    if (origin.empty() || first.size() != origin.size() || second.size() != origin.size())
        throw ConfigError("latent plane: origin and directions differ in size");
    LatentPlane plane;
    plane.origin = std::move(origin);
    plane.u = first;
    plane.v = second;
    if (!normalise(plane.u)) throw ConfigError("latent plane: the first direction is zero");
    removeComponent(plane.v, plane.u);
    // In one dimension there is no second direction: the map's vertical axis stays flat.
    if (!normalise(plane.v) && plane.dim() > 1)
        throw ConfigError("latent plane: the two directions are parallel, they span no plane");
    if (plane.dim() == 1) std::fill(plane.v.begin(), plane.v.end(), 0.0f);
    return plane;
}

std::vector<float> LatentPlane::pointsAt(const std::vector<float>& planeCoordinates) const {
    requireSize(planeCoordinates, 2, "plane coordinates");
    const std::size_t count = planeCoordinates.size() / 2, d = origin.size();
    std::vector<float> latents(count * d);
    for (std::size_t i = 0; i < count; ++i) {
        const float a = planeCoordinates[2 * i], b = planeCoordinates[2 * i + 1];
        for (std::size_t k = 0; k < d; ++k) latents[i * d + k] = origin[k] + a * u[k] + b * v[k];
    }
    return latents;
}

std::vector<float> LatentPlane::project(const std::vector<float>& latents) const {
    const std::size_t d = origin.size();
    requireSize(latents, d, "latent points");
    const std::size_t count = latents.size() / d;
    std::vector<float> coordinates(2 * count);
    for (std::size_t i = 0; i < count; ++i) {
        double a = 0, b = 0;
        for (std::size_t k = 0; k < d; ++k) {
            const double centred = double(latents[i * d + k]) - origin[k];
            a += centred * u[k];
            b += centred * v[k];
        }
        coordinates[2 * i] = float(a);
        coordinates[2 * i + 1] = float(b);
    }
    return coordinates;
}

LatentPlane LatentPlane::movedBy(const std::vector<float>& offset) const {
    if (offset.size() != origin.size())
        throw ConfigError("latent offset has " + std::to_string(offset.size()) + " values for a " +
                          std::to_string(origin.size()) + "-D latent space");
    std::vector<float> across = offset;
    removeComponent(across, u);
    removeComponent(across, v);
    LatentPlane moved = *this;
    for (std::size_t k = 0; k < origin.size(); ++k) moved.origin[k] += across[k];
    return moved;
}

std::vector<double> LatentPlane::projectedCovariance(const std::vector<float>& variances) const {
    if (variances.size() != origin.size()) throw ConfigError("posterior variances differ in size from the plane");
    double aa = 0, ab = 0, bb = 0;
    for (std::size_t k = 0; k < variances.size(); ++k) {
        aa += double(u[k]) * u[k] * variances[k];
        ab += double(u[k]) * v[k] * variances[k];
        bb += double(v[k]) * v[k] * variances[k];
    }
    return {aa, ab, bb};
}

std::vector<float> priorSamples(int count, int latentDim, std::uint64_t seed) {
    std::mt19937_64 random(seed);
    std::normal_distribution<float> normal;
    std::vector<float> latents(std::size_t(std::max(count, 0)) * std::max(latentDim, 0));
    for (auto& value : latents) value = normal(random);
    return latents;
}

}  // namespace vae
