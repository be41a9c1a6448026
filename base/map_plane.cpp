#include "map_plane.h"

#include "errors.h"

namespace vae {
namespace {

void requireEncodings(const Encodings* encodings, const LatentSummary* summary, int latentDim, const char* what) {
    if (!encodings || !summary || encodings->latentDim != latentDim || summary->latentDim != latentDim)
        throw ConfigError(std::string(what) + " needs the encoded test set, which is not there yet");
}

}  // namespace

MapPlane resolvePlane(const PlaneChoice& choice, int latentDim, const Encodings* encodings,
                      const LatentSummary* summary) {
    switch (choice.mode) {
    case PlaneMode::Axes:
        return {LatentPlane::axes(latentDim, choice.axisX, choice.axisY), QString("z%1").arg(choice.axisX + 1),
                latentDim > 1 ? QString("z%1").arg(choice.axisY + 1) : QString()};
    case PlaneMode::Pca: {
        requireEncodings(encodings, summary, latentDim, "The PCA plane");
        const auto percent = [](double fraction) { return QString::number(100 * fraction, 'f', 1) + "%"; };
        return {summary->pcaPlane(), QString("PC1 (%1 of the variance)").arg(percent(summary->explained1)),
                latentDim > 1 ? QString("PC2 (%1)").arg(percent(summary->explained2)) : QString()};
    }
    case PlaneMode::ThroughPoints: {
        requireEncodings(encodings, summary, latentDim, "A plane through two points");
        const int count = encodings->count;
        if (choice.pointA < 0 || choice.pointB < 0 || choice.pointA >= count || choice.pointB >= count)
            throw ConfigError("A plane through two points: select two test images on the map first");
        if (choice.pointA == choice.pointB)
            throw ConfigError("A plane through two points: the two test images are the same one");
        std::vector<float> first = encodings->muOf(choice.pointA), second = encodings->muOf(choice.pointB);
        for (int k = 0; k < latentDim; ++k) {
            first[std::size_t(k)] -= summary->mean[std::size_t(k)];
            second[std::size_t(k)] -= summary->mean[std::size_t(k)];
        }
        return {LatentPlane::spanning(summary->mean, first, second),
                QString("towards #%1").arg(choice.pointA), QString("towards #%1 (made orthogonal)").arg(choice.pointB)};
    }
    }
    throw ConfigError("unknown plane");
}

}  // namespace vae
