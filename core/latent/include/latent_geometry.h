#pragma once
// Where the latent map's tiles and clicks sit in latent space, and draws from the prior.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace vae {

// The latent map's default half-width: +-3 prior standard deviations.
constexpr double kDefaultLatentRange = 3.0;

// Tile centres of an n x n grid over [-range, range]^2 as (a, b) pairs, row-major from the
// top-left, so the top row has the largest b (as on a plot). Pixel-exact picking uses latentAt.
std::vector<float> latentGrid(int n, double range);
// The (a, b) point under fraction (fx, fy) of the grid's width and height (0..1, from top-left).
std::pair<float, float> latentAt(double fx, double fy, double range);

// The plane the latent map shows: origin + a*u + b*v, with u and v orthonormal (v is all zeros
// in a 1-D latent space, where the map has one real axis). Every picture of the map (the
// decoded grid, the scattered encodings, ellipses and clicks) goes through one plane.
struct LatentPlane {
    std::vector<float> origin;
    std::vector<float> u;
    std::vector<float> v;

    int dim() const { return int(origin.size()); }
    // Two latent axes through 0 (as the map always was). Throws ConfigError for a missing axis.
    static LatentPlane axes(int latentDim, int axisX, int axisY);
    // The plane through `origin` spanned by two directions, made orthonormal (Gram-Schmidt).
    // Throws ConfigError when they are parallel or zero, or their sizes differ.
    static LatentPlane spanning(std::vector<float> origin, const std::vector<float>& first,
                                const std::vector<float>& second);

    // count x dim latents for count (a, b) pairs.
    std::vector<float> pointsAt(const std::vector<float>& planeCoordinates) const;
    std::vector<float> pointAt(double a, double b) const { return pointsAt({float(a), float(b)}); }
    // (a, b) of the orthogonal projection of each of count x dim latents onto the plane.
    std::vector<float> project(const std::vector<float>& latents) const;
    // The same plane with its origin moved by `offset`, less offset's components along u and v:
    // what the sliders do (they move the plane, never along it).
    LatentPlane movedBy(const std::vector<float>& offset) const;
    // The 2x2 covariance (aa, ab, bb) of a diagonal Gaussian (variances per dimension)
    // projected onto the plane, for drawing a posterior as an ellipse.
    std::vector<double> projectedCovariance(const std::vector<float>& variances) const;

    bool operator==(const LatentPlane& other) const {
        return origin == other.origin && u == other.u && v == other.v;
    }
};

// count x latentDim draws from the N(0, I) prior, reproducible for a seed on any platform's
// std::mt19937_64 (the normal transform is the standard library's).
std::vector<float> priorSamples(int count, int latentDim, std::uint64_t seed);

}  // namespace vae
