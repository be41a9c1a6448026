#pragma once
// Which plane through latent space the map shows, as the user chose it, and its axis names.
// The plane itself is core's LatentPlane; this turns a choice (two axes, the data's PCA plane,
// the plane through two data points and the centre of the data) into one, with labels.
#include "latent_analysis.h"
#include "latent_geometry.h"

#include <QString>
#include <QVector>

#include <optional>

namespace vae {

enum class PlaneMode { Axes, Pca, ThroughPoints };

struct PlaneChoice {
    PlaneMode mode = PlaneMode::Axes;
    int axisX = 0;  // 0-based, for Axes
    int axisY = 1;
    // For ThroughPoints: two test images (their indices) whose posterior means span the plane.
    int pointA = -1;
    int pointB = -1;
};

struct MapPlane {
    LatentPlane plane;
    QString xLabel;
    QString yLabel;
};

// Throws ConfigError (one line) when the choice cannot be made yet: PCA or points without
// encodings of this latent size, points out of range or the same, axes that do not exist.
MapPlane resolvePlane(const PlaneChoice& choice, int latentDim, const Encodings* encodings,
                      const LatentSummary* summary);

}  // namespace vae
