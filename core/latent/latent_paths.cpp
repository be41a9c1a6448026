#include "latent_paths.h"

#include "errors.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace vae {
namespace {

double norm(const std::vector<float>& x) {
    double sum = 0;
    for (float v : x) sum += double(v) * v;
    return std::sqrt(sum);
}

void requireSameSize(const std::vector<float>& a, const std::vector<float>& b, const char* what) {
    if (a.empty() || a.size() != b.size())
        throw ConfigError(std::string(what) + ": the points have " + std::to_string(a.size()) + " and " +
                          std::to_string(b.size()) + " coordinates");
}

void requireSteps(int steps) {
    if (steps < kMinSteps || steps > kMaxSteps)
        throw ConfigError("steps: " + std::to_string(steps) + " is outside " + std::to_string(kMinSteps) + ".." +
                          std::to_string(kMaxSteps));
}

}  // namespace

std::string interpolationName(Interpolation mode) { return mode == Interpolation::Lerp ? "lerp" : "slerp"; }

Interpolation parseInterpolation(const std::string& name) {
    if (name == "lerp") return Interpolation::Lerp;
    if (name == "slerp") return Interpolation::Slerp;
    throw ConfigError("--mode: '" + name + "' is not lerp or slerp");
}

std::vector<float> interpolate(const std::vector<float>& from, const std::vector<float>& to, int steps,
                               Interpolation mode) {
    requireSameSize(from, to, "interpolation");
    requireSteps(steps);
    const std::size_t dim = from.size();
    const double fromNorm = norm(from), toNorm = norm(to);
    double omega = 0;
    if (mode == Interpolation::Slerp && fromNorm > 1e-8 && toNorm > 1e-8) {
        double cosine = 0;
        for (std::size_t k = 0; k < dim; ++k) cosine += double(from[k]) * to[k];
        omega = std::acos(std::clamp(cosine / (fromNorm * toNorm), -1.0, 1.0));
    }
    const bool spherical = std::sin(omega) > 1e-6;
    std::vector<float> path(std::size_t(steps) * dim);
    for (int i = 0; i < steps; ++i) {
        const double t = double(i) / (steps - 1);
        for (std::size_t k = 0; k < dim; ++k) {
            double value;
            if (spherical) {
                // Unit directions along the great circle, then the norm in between.
                const double a = std::sin((1 - t) * omega) / std::sin(omega), b = std::sin(t * omega) / std::sin(omega);
                const double direction = a * from[k] / fromNorm + b * to[k] / toNorm;
                value = direction * ((1 - t) * fromNorm + t * toNorm);
            } else {
                value = (1 - t) * from[k] + t * to[k];
            }
            path[std::size_t(i) * dim + k] = float(value);
        }
    }
    // The endpoints exactly, whatever rounding the formulas did.
    std::copy(from.begin(), from.end(), path.begin());
    std::copy(to.begin(), to.end(), path.end() - std::ptrdiff_t(dim));
    return path;
}

std::vector<int> thereAndBackOrder(int count) {
    std::vector<int> order;
    for (int i = 0; i < count; ++i) order.push_back(i);
    for (int i = count - 2; i >= 1; --i) order.push_back(i);
    return order;
}

std::vector<float> thereAndBack(const std::vector<float>& path, int dim) {
    const std::size_t d = std::size_t(std::max(dim, 1));
    std::vector<float> loop;
    for (int i : thereAndBackOrder(int(path.size() / d)))
        loop.insert(loop.end(), path.begin() + std::ptrdiff_t(std::size_t(i) * d), path.begin() + std::ptrdiff_t((std::size_t(i) + 1) * d));
    return loop;
}

std::vector<float> traversal(const std::vector<float>& origin, const std::vector<int>& dimensions, int columns,
                             double low, double high) {
    if (columns < 2) throw ConfigError("traversal: at least 2 columns");
    std::vector<float> latents;
    for (int dimension : dimensions) {
        if (dimension < 0 || dimension >= int(origin.size()))
            throw ConfigError("traversal: z" + std::to_string(dimension + 1) + " is not a latent dimension");
        for (int c = 0; c < columns; ++c) {
            std::vector<float> point = origin;
            point[std::size_t(dimension)] = float(low + (high - low) * c / (columns - 1));
            latents.insert(latents.end(), point.begin(), point.end());
        }
    }
    return latents;
}

std::vector<std::vector<float>> classMeans(const std::vector<float>& latents, int dim, const std::vector<int>& labels,
                                           int labelCount) {
    std::vector<std::vector<double>> sums(std::size_t(std::max(labelCount, 0)), std::vector<double>(std::size_t(dim)));
    std::vector<int> counts(sums.size());
    const std::size_t count = dim > 0 ? latents.size() / std::size_t(dim) : 0;
    for (std::size_t i = 0; i < count && i < labels.size(); ++i) {
        const int label = labels[i];
        if (label < 0 || label >= labelCount) continue;
        ++counts[std::size_t(label)];
        for (int k = 0; k < dim; ++k) sums[std::size_t(label)][std::size_t(k)] += latents[i * std::size_t(dim) + std::size_t(k)];
    }
    std::vector<std::vector<float>> means(sums.size());
    for (std::size_t label = 0; label < sums.size(); ++label)
        if (counts[label] > 0)
            for (double sum : sums[label]) means[label].push_back(float(sum / counts[label]));
    return means;
}

std::vector<float> morph(const std::vector<float>& start, const std::vector<float>& from, const std::vector<float>& to,
                         int steps, double amount) {
    requireSameSize(from, to, "class direction");
    requireSameSize(start, to, "morph");
    std::vector<float> end = start;
    for (std::size_t k = 0; k < end.size(); ++k) end[k] = float(start[k] + amount * (double(to[k]) - from[k]));
    return interpolate(start, end, steps, Interpolation::Lerp);
}

std::vector<float> analogy(const std::vector<float>& a, const std::vector<float>& b, const std::vector<float>& c) {
    requireSameSize(a, b, "analogy");
    requireSameSize(a, c, "analogy");
    std::vector<float> d(c.size());
    for (std::size_t k = 0; k < d.size(); ++k) d[k] = c[k] + (b[k] - a[k]);
    return d;
}

std::vector<float> parseLatent(const std::string& text, int dim, const std::string& option) {
    std::vector<float> values;
    std::stringstream stream(text);
    std::string item;
    while (std::getline(stream, item, ',')) {
        std::size_t used = 0;
        float value = 0;
        try {
            value = std::stof(item, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used == 0 || used != item.size() || !std::isfinite(value))
            throw ConfigError(option + ": '" + item + "' is not a number");
        values.push_back(value);
    }
    if (int(values.size()) != dim)
        throw ConfigError(option + ": " + std::to_string(values.size()) + " coordinates for a " + std::to_string(dim) +
                          "-D latent space");
    return values;
}

}  // namespace vae
