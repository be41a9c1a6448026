#include "latent_explorer.h"

#include "data_point_panel.h"
#include "errors.h"
#include "file_export.h"
#include "kl_chart.h"
#include "latent_map_panel.h"
#include "latent_map_widget.h"
#include "latent_sliders.h"
#include "training_controller.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace vae {

LatentExplorer::LatentExplorer(TrainingController& controller, const Parts& parts, QObject* parent)
    : QObject(parent), controller_(controller), parts_(parts) {
    connect(&controller_, &TrainingController::testSetEncoded, this, &LatentExplorer::onEncoded);
    connect(&controller_, &TrainingController::pointDecoded, this, &LatentExplorer::onPointDecoded);
    connect(&controller_, &TrainingController::gridDecoded, this, [this](const DecodedGrid& grid) {
        if (grid.complete) {
            gridComing_ = false;
            gridMilliseconds_ = grid.decodeMilliseconds;
            gridArrived_.start();
        }
        if (!replaying_) showGrid(grid);
    });
    connect(parts_.map, &LatentMapWidget::pointPicked, this, &LatentExplorer::decodeAt);
    connect(parts_.map, &LatentMapWidget::dataPointClicked, this, &LatentExplorer::selectDataPoint);
    connect(parts_.panel, &LatentMapPanel::gridChanged, this, [this] {
        parts_.sliders->setLatentDim(latentDim_, parts_.panel->range());
        updatePlane();
    });
    connect(parts_.panel, &LatentMapPanel::planeChanged, this, &LatentExplorer::updatePlane);
    connect(parts_.sliders, &LatentSliders::offsetChanged, this, &LatentExplorer::updatePlane);
    connect(parts_.panel, &LatentMapPanel::styleChanged, this, &LatentExplorer::applyStyle);
    connect(parts_.panel, &LatentMapPanel::countChanged, this,
            [this] { controller_.setEncodedCount(parts_.panel->encodedCount()); });
    connect(parts_.dataPoint, &DataPointPanel::cleared, this, [this] {
        selectedIndex_ = -1;
        decodingDataPoint_ = false;
        updateSelection();
    });
    parts_.map->scatter().setImages([this](int index) { return dataset_.testImage(index); });
    controller_.setEncodedCount(parts_.panel->encodedCount());
    applyStyle();
}

void LatentExplorer::modelChanged(const ModelInfo& info, bool newShape) {
    latentDim_ = info.config.latentDim;
    config_ = info.config;
    parts_.panel->setLatentDim(latentDim_);
    parts_.sliders->setLatentDim(latentDim_, parts_.panel->range());
    if (newShape) {
        // Another latent space: nothing drawn or selected in the old one means anything here.
        encoded_.reset();
        selected2d_.reset();
        selectedIndex_ = previousIndex_ = -1;
        decodingDataPoint_ = false;
        parts_.map->setMarker(std::nullopt);
        parts_.map->scatter().clear();
        parts_.map->scatterChanged();
        parts_.klChart->clear();
        parts_.dataPoint->clear();
        if (latentDim_ > 2 && parts_.panel->planeChoice().mode == PlaneMode::Axes) parts_.panel->setPlaneMode(PlaneMode::Pca);
    }
    updatePlane();
}

void LatentExplorer::datasetLoaded(const DatasetInfo& info) {
    dataset_ = info;
    parts_.panel->setClassNames(info.classNames);
    parts_.panel->setFactorNames(info.factorNames);
    parts_.map->setLegend(info.classNames);
    applyStyle();
}

void LatentExplorer::refresh() {
    if (liveGridDue()) requestGrid();
    redecode();
}

bool LatentExplorer::liveGridDue() const {
    constexpr qint64 kLostAfterMs = 10000;  // a request the decoder dropped (a model changed under it)
    if (gridComing_ && gridAsked_.isValid() && gridAsked_.elapsed() < kLostAfterMs) return false;
    return !gridArrived_.isValid() || gridArrived_.elapsed() >= 3 * gridMilliseconds_;
}

void LatentExplorer::redecode() {
    if (decodingDataPoint_) updateSelection();
    else if (selected2d_) decodeAt(*selected2d_);
}

GridSpec LatentExplorer::gridSpec() const {
    GridSpec spec;
    spec.size = parts_.panel->gridSize();
    spec.range = parts_.panel->range();
    spec.plane = plane_.plane;
    return spec;
}

void LatentExplorer::requestGrid() {
    const GridSpec spec = gridSpec();
    parts_.map->setSpec(spec);
    controller_.requestGrid(spec);
    gridComing_ = true;
    gridAsked_.start();
}

void LatentExplorer::showGrid(const DecodedGrid& grid) { parts_.map->setGrid(grid); }

void LatentExplorer::setReplaying(bool replaying) {
    if (replaying == replaying_) return;
    replaying_ = replaying;
    if (!replaying_) {  // back to the model as it is now
        requestGrid();
        updateScatter();
    }
}

void LatentExplorer::placePlane(bool scatterStale) {
    const Encodings* encodings = encoded_ ? &encoded_->encodings : nullptr;
    const LatentSummary* summary = encoded_ ? &encoded_->summary : nullptr;
    const PlaneChoice choice = parts_.panel->planeChoice();
    MapPlane base;
    try {
        base = resolvePlane(choice, latentDim_, encodings, summary);
        parts_.panel->setPlaneMessage({});
    } catch (const std::exception& error) {
        // Until it can be made (no encodings yet, no points chosen), the map shows the first two axes.
        base = resolvePlane(PlaneChoice{}, latentDim_, nullptr, nullptr);
        parts_.panel->setPlaneMessage(QString::fromUtf8(error.what()));
    }
    std::vector<float> offset = parts_.sliders->offset();
    offset.resize(std::size_t(latentDim_), 0.0f);
    const LatentPlane previous = plane_.plane;
    plane_ = {base.plane.movedBy(offset), base.xLabel, base.yLabel};
    // A slider moves the plane across itself: the projections onto it stay, so the scatter need
    // not be placed and drawn again (that would cost a frame on every slider step).
    bool onlyMovedAcross = previous.u == plane_.plane.u && previous.v == plane_.plane.v;
    if (onlyMovedAcross) {
        const std::vector<float> shift = previous.project(plane_.plane.origin);  // (a, b) of the new origin
        onlyMovedAcross = std::abs(shift[0]) < 1e-6f && std::abs(shift[1]) < 1e-6f;
    }
    std::vector<bool> inPlane(static_cast<std::size_t>(latentDim_), false);
    for (int d = 0; d < latentDim_; ++d)
        inPlane[std::size_t(d)] = std::abs(plane_.plane.u[std::size_t(d)]) + std::abs(plane_.plane.v[std::size_t(d)]) > 0.999f;
    parts_.sliders->setPlaneAxes(inPlane);
    parts_.map->setAxisLabels(plane_.xLabel, plane_.yLabel);
    if (!decodingDataPoint_ && selected2d_) decodeAt(*selected2d_);  // first: a click goes before a grid
    requestGrid();
    if (scatterStale || !onlyMovedAcross || parts_.map->scatter().count() != (encoded_ ? encoded_->encodings.count : 0))
        updateScatter();
    emit planeUpdated();
}

void LatentExplorer::updateScatter() {
    if (encoded_ && !replaying_) showScatter(encoded_->encodings);
    updateSelection();
}

void LatentExplorer::showScatter(const Encodings& encodings) {
    if (encodings.latentDim != plane_.plane.dim()) return;
    const auto coordinates = plane_.plane.project(encodings.mu);
    QVector<QPointF> positions(encodings.count);
    for (int i = 0; i < positions.size(); ++i) positions[i] = {coordinates[2 * std::size_t(i)], coordinates[2 * std::size_t(i) + 1]};
    parts_.map->scatter().setPositions(std::move(positions), dataset_.testLabels.mid(0, encodings.count));
    shadeByFactor(encodings.count);
    parts_.map->scatterChanged();
}

void LatentExplorer::onEncoded(const EncodedTestSet& result) {
    if (result.encodings.latentDim != latentDim_) return;  // from the model before this one
    encoded_ = result;
    parts_.klChart->showSummary(result.summary, result.epochsTrained);
    parts_.sliders->setKl(result.summary.klPerDim, result.summary.meanVariance);
    // The PCA plane and the plane through points follow the encodings as the model learns.
    if (parts_.panel->planeChoice().mode != PlaneMode::Axes) placePlane(true);
    else updateScatter();
    emit scatterUpdated();
}

void LatentExplorer::selectDataPoint(int index) {
    if (!encoded_ || index < 0 || index >= encoded_->encodings.count) return;
    if (index != selectedIndex_) {
        previousIndex_ = selectedIndex_;
        selectedIndex_ = index;
        if (previousIndex_ >= 0) parts_.panel->setPlanePoints(previousIndex_, selectedIndex_);
    }
    decodingDataPoint_ = true;
    updateSelection();
}

void LatentExplorer::updateSelection() {
    if (!encoded_ || selectedIndex_ < 0 || selectedIndex_ >= encoded_->encodings.count) {
        parts_.map->setSelection(std::nullopt);
        return;
    }
    const Encodings& encodings = encoded_->encodings;
    const auto variances = encodings.varianceOf(selectedIndex_);
    parts_.map->setSelection(selectedIndex_, plane_.plane.projectedCovariance(variances));
    std::vector<float> sigma(variances.size());
    for (std::size_t d = 0; d < sigma.size(); ++d) sigma[d] = std::sqrt(variances[d]);
    const auto mu = encodings.muOf(selectedIndex_);
    const int label = dataset_.testLabels.value(selectedIndex_);
    parts_.dataPoint->showPoint(selectedIndex_, dataset_.className(label), dataset_.testImage(selectedIndex_), mu, sigma);
    // Its reconstruction: the decoder's mean at the posterior mean (all of it, not its
    // projection), which is also the decoded point while the data point is what was clicked last.
    reconstructionRequest_ = controller_.decodePoint(mu);
    if (decodingDataPoint_) {
        selected2d_ = parts_.map->scatter().positions().value(selectedIndex_);
        parts_.map->setMarker(selected2d_);
    }
}

void LatentExplorer::onPointDecoded(const DecodedPoint& point) {
    if (point.requestId == reconstructionRequest_ && selectedIndex_ >= 0) parts_.dataPoint->setReconstruction(point.image);
}

void LatentExplorer::decodeAt(const QPointF& planePoint) {
    selected2d_ = planePoint;
    decodingDataPoint_ = false;
    parts_.map->setMarker(planePoint);
    if (plane_.plane.dim() != latentDim_) return;
    const auto latent = plane_.plane.pointAt(planePoint.x(), planePoint.y());
    controller_.decodePoint(latent);
}

std::optional<LatentExplorer::ChosenPoint> LatentExplorer::chosenPoint() const {
    if (decodingDataPoint_ && encoded_ && selectedIndex_ >= 0 && selectedIndex_ < encoded_->encodings.count) {
        const int label = dataset_.testLabels.value(selectedIndex_);
        return ChosenPoint{encoded_->encodings.muOf(selectedIndex_),
                           tr("test image #%1 (%2)").arg(selectedIndex_).arg(dataset_.className(label))};
    }
    if (selected2d_ && plane_.plane.dim() == latentDim_)
        return ChosenPoint{plane_.plane.pointAt(selected2d_->x(), selected2d_->y()),
                           tr("the spot a = %1, b = %2 of the plane").arg(selected2d_->x(), 0, 'f', 2).arg(selected2d_->y(), 0, 'f', 2)};
    return std::nullopt;
}

// The points' places on the colour map of the chosen factor, over its range in the test set.
void LatentExplorer::shadeByFactor(int count) {
    const int factor = parts_.panel->scatterStyle().colourBy;
    const std::size_t factors = dataset_.factorNames.size();
    const std::vector<float>& values = dataset_.testFactors;
    if (factor < 0 || std::size_t(factor) >= factors || values.size() < std::size_t(count) * factors) {
        parts_.map->scatter().setShades({});
        parts_.map->setColourBar(std::nullopt);
        return;
    }
    float low = std::numeric_limits<float>::max(), high = std::numeric_limits<float>::lowest();
    for (std::size_t i = std::size_t(factor); i < values.size(); i += factors)
        low = std::min(low, values[i]), high = std::max(high, values[i]);
    QVector<float> shades(count);
    for (int i = 0; i < count; ++i)
        shades[i] = high > low ? (values[std::size_t(i) * factors + std::size_t(factor)] - low) / (high - low) : 0.5f;
    parts_.map->scatter().setShades(std::move(shades));
    parts_.map->setColourBar(LatentMapWidget::ColourBar{QString::fromStdString(dataset_.factorNames[std::size_t(factor)]), low, high});
}

void LatentExplorer::applyStyle() {
    const ScatterStyle style = parts_.panel->scatterStyle();
    const bool recoloured = style.colourBy != parts_.map->scatterStyle().colourBy;
    parts_.map->scatter().setVisibleLabels(parts_.panel->visibleLabels());
    parts_.map->setShowGrid(parts_.panel->showGrid());
    parts_.map->setScatterStyle(style);
    if (recoloured) {
        updateScatter();  // new colours for the same points
        if (!encoded_) shadeByFactor(0);
    }
}

QString LatentExplorer::exportEncodings(const QString& path) const {
    if (!encoded_) return path + ": the test set has not been encoded yet (load a dataset of the model's image size)";
    const QVector<int> labels = dataset_.testLabels.mid(0, encoded_->encodings.count);
    return writeFileAtomically(path, encodingsCsv(encoded_->encodings, std::vector<int>(labels.begin(), labels.end()),
                                                  dataset_.factorNames, dataset_.testFactors));
}

QString LatentExplorer::exportMap(const QString& path, int side) const {
    if (side < 64 || side > 8192) return path + QString(": a map of %1 pixels is outside 64..8192").arg(side);
    return saveImageAtomically(path, parts_.map->render(QSize(side, side)));
}

}  // namespace vae
