#include "latent_walks.h"

#include "digit_preprocess.h"
#include "drawing_pad.h"
#include "file_export.h"
#include "gif_writer.h"
#include "image_convert.h"
#include "image_folder.h"
#include "latent_map_widget.h"
#include "latent_paths.h"
#include "training_controller.h"
#include "walk_panel.h"

#include <QFile>
#include <QFileInfo>

#include <numeric>

namespace vae {
namespace {

constexpr int kTraversalColumns = 11;
constexpr int kTraversalRows = 10;
constexpr double kTraversalRange = 3.0;
constexpr int kGifScale = 4;  // 28-pixel images as 112-pixel frames

}  // namespace

LatentWalks::LatentWalks(TrainingController& controller, LatentExplorer& explorer, LatentMapWidget* map,
                         WalkPanel* panel, QObject* parent)
    : QObject(parent), controller_(controller), explorer_(explorer), map_(map), panel_(panel) {
    connect(&controller_, &TrainingController::batchDecoded, this, &LatentWalks::onBatchDecoded);
    connect(&controller_, &TrainingController::imageEncoded, this, &LatentWalks::onImageEncoded);
    connect(&controller_, &TrainingController::modelChanged, this, [this](const ModelInfo& info) {
        config_ = info.config;  // before the explorer hears of it: the drawing is prepared for this model
        // Endpoints of another model (Reset, or one opened) mean nothing in this one's space; the
        // same model after a run keeps them. A drawing of another size is encoded again below.
        const bool anotherModel = info.generation != generation_;
        generation_ = info.generation;
        for (auto& endpoint : endpoints_)
            if (endpoint && (anotherModel || int(endpoint->latent.size()) != info.config.latentDim)) endpoint.reset();
        if (drawnMu_ && int(drawnMu_->size()) != info.config.latentDim) drawnMu_.reset(), drawingIsCurrent_ = false;
        for (int which : {0, 1}) panel_->setEndpointText(which, endpoints_[which] ? endpoints_[which]->description : tr("not set"));
        if (!endpoints_[0] || !endpoints_[1]) walk_.clear();
        reproject();
        // The drawing or the picture again, through this model.
        if (picturePath_.isEmpty()) encodeDrawing();
        else if (const QString error = placePicture(picturePath_); !error.isEmpty()) forgetPlaced(error);
    });
    connect(&controller_, &TrainingController::datasetLoaded, this, [this](const DatasetInfo& info) {
        panel_->setClassNames(info.classNames);
        fit_ = info.fit;
    });
    connect(&explorer_, &LatentExplorer::planeUpdated, this, &LatentWalks::reproject);
    connect(map_, &LatentMapWidget::pointPicked, this, [this] { drawingIsCurrent_ = false; });
    connect(map_, &LatentMapWidget::dataPointClicked, this, [this] { drawingIsCurrent_ = false; });
    connect(panel_, &WalkPanel::setEndpoint, this, &LatentWalks::setEndpoint);
    connect(panel_, &WalkPanel::walkOptionsChanged, this, &LatentWalks::runWalk);
    connect(panel_, &WalkPanel::morphRequested, this, &LatentWalks::morph);
    connect(panel_, &WalkPanel::analogyRequested, this, &LatentWalks::analogy);
    connect(panel_, &WalkPanel::traversalRequested, this, &LatentWalks::traverse);
    connect(panel_->pad(), &DrawingPad::drawingChanged, this, &LatentWalks::onDrawingChanged);
}

std::optional<LatentExplorer::ChosenPoint> LatentWalks::currentPoint() const {
    if (drawingIsCurrent_ && drawnMu_) return LatentExplorer::ChosenPoint{*drawnMu_, placedName_};
    return explorer_.chosenPoint();
}

void LatentWalks::say(const QString& text) {
    message_ = text;
    panel_->setResult(QImage(), text);
}

void LatentWalks::setEndpoint(int which) {
    const auto point = currentPoint();
    if (!point) return say(tr("Choose a point first: click the map, select a test image, draw a digit or drop a picture"));
    setEndpointLatent(which, point->latent, point->description);
}

void LatentWalks::setEndpointLatent(int which, const std::vector<float>& latent, const QString& description) {
    endpoints_[which] = LatentExplorer::ChosenPoint{latent, description};
    panel_->setEndpointText(which, description);
    runWalk();
}

void LatentWalks::runWalk() {
    if (!endpoints_[0] || !endpoints_[1]) return;
    try {
        walk_ = interpolate(endpoints_[0]->latent, endpoints_[1]->latent, panel_->steps(), panel_->mode());
    } catch (const std::exception& error) {
        return say(QString::fromUtf8(error.what()));
    }
    reproject();
    request(walk_, panel_->steps(),
            tr("%1 from A (%2) to B (%3), %4 steps")
                .arg(QString::fromStdString(interpolationName(panel_->mode())), endpoints_[0]->description,
                     endpoints_[1]->description)
                .arg(panel_->steps()),
            true);
}

void LatentWalks::morph() {
    const auto point = currentPoint();
    const auto& encoded = explorer_.encoded();
    if (!point || !encoded) return say(tr("Morphing needs a chosen point and the encoded test set"));
    const auto& labels = explorer_.dataset().testLabels;
    const auto means = classMeans(encoded->encodings.mu, encoded->encodings.latentDim,
                                  std::vector<int>(labels.begin(), labels.begin() + encoded->encodings.count),
                                  int(explorer_.dataset().classNames.size()));
    const int from = panel_->morphFrom(), to = panel_->morphTo();
    if (from < 0 || to < 0 || from >= int(means.size()) || to >= int(means.size()) || means[from].empty() || means[to].empty())
        return say(tr("Morphing needs test images of both classes"));
    request(vae::morph(point->latent, means[from], means[to], panel_->steps(), panel_->morphAmount()), panel_->steps(),
            tr("%1 moved %2× along mean(%3) − mean(%4)")
                .arg(point->description)
                .arg(panel_->morphAmount())
                .arg(explorer_.dataset().className(to), explorer_.dataset().className(from)),
            true);
}

void LatentWalks::analogy() {
    const auto& encoded = explorer_.encoded();
    if (!encoded) return say(tr("Analogies need the encoded test set"));
    const auto indices = panel_->analogyIndices();
    for (int index : indices)
        if (index >= encoded->encodings.count)
            return say(tr("Test image #%1 is not among the %2 encoded ones").arg(index).arg(encoded->encodings.count));
    const auto a = encoded->encodings.muOf(indices[0]), b = encoded->encodings.muOf(indices[1]),
               c = encoded->encodings.muOf(indices[2]);
    std::vector<float> latents = a;
    for (const auto* part : {&b, &c}) latents.insert(latents.end(), part->begin(), part->end());
    const auto d = vae::analogy(a, b, c);
    latents.insert(latents.end(), d.begin(), d.end());
    request(latents, 4, tr("#%1 : #%2 :: #%3 : ? (the last image, C + B − A)").arg(indices[0]).arg(indices[1]).arg(indices[2]),
            false);
}

void LatentWalks::traverse() {
    std::vector<int> dimensions;
    const auto& encoded = explorer_.encoded();
    const int dim = explorer_.modelConfig().latentDim;
    if (encoded && encoded->summary.latentDim == dim) dimensions = encoded->summary.dimensionsByKl();
    else
        for (int d = 0; d < dim; ++d) dimensions.push_back(d);
    if (int(dimensions.size()) > kTraversalRows) dimensions.resize(kTraversalRows);
    traverseDimensions(dimensions, tr(" (by KL, largest first)"));
}

void LatentWalks::traverseDimension(int dimension) { traverseDimensions({dimension}, QString()); }

// Rows named by their dimension and, with factor scores, the factor each carries most.
void LatentWalks::traverseDimensions(std::vector<int> dimensions, const QString& order) {
    const auto point = currentPoint();
    if (!point) return say(tr("Choose a point to traverse first"));
    const auto& encoded = explorer_.encoded();
    const FactorScores* scores = encoded && encoded->factorScores && encoded->factorScores->latentDim == int(point->latent.size())
                                     ? &*encoded->factorScores : nullptr;
    QStringList names;
    for (int d : dimensions) {
        if (d < 0 || d >= int(point->latent.size())) return;
        const int factor = scores ? scores->factorOfDimension[std::size_t(d)] : -1;
        names << (factor >= 0 ? QString("z%1 (%2)").arg(d + 1).arg(QString::fromStdString(scores->factorNames[std::size_t(factor)]))
                              : QString("z%1").arg(d + 1));
    }
    request(traversal(point->latent, dimensions, kTraversalColumns, -kTraversalRange, kTraversalRange), kTraversalColumns,
            tr("Traversal of %1: rows %2%3, columns −3…+3").arg(point->description, names.join(", "), order), false);
}

void LatentWalks::request(const std::vector<float>& latents, int columns, const QString& caption, bool animatable) {
    pending_ = controller_.decodeBatch(latents);
    pendingColumns_ = columns;
    pendingCaption_ = caption;
    pendingAnimatable_ = animatable;
}

void LatentWalks::onBatchDecoded(quint64 id, const QVector<QImage>& images) {
    if (id == drawnReconstruction_ && !images.isEmpty()) {
        QString name = placedName_;
        name[0] = name[0].toUpper();
        panel_->setDrawingStatus(drawnInput_, images.first(),
                                 tr("%1 is on the map (the diamond); Set A or Set B takes it as an endpoint.").arg(name));
        return;
    }
    if (id != pending_ || images.isEmpty()) return;
    frames_ = images;
    framesAnimatable_ = pendingAnimatable_;
    message_.clear();
    const int side = images.first().width();
    panel_->setResult(tileImages(images, pendingColumns_, side, 2), pendingCaption_);
    emit resultShown();
}

void LatentWalks::reproject() {
    const LatentPlane& plane = explorer_.plane().plane;
    QVector<QPointF> path;
    if (!walk_.empty() && walk_.size() % std::size_t(plane.dim()) == 0) {
        const auto coordinates = plane.project(walk_);
        for (std::size_t i = 0; i + 1 < coordinates.size(); i += 2) path << QPointF(coordinates[i], coordinates[i + 1]);
    }
    map_->setPath(path);
    if (drawnMu_ && int(drawnMu_->size()) == plane.dim()) {
        const auto at = plane.project(*drawnMu_);
        map_->setDrawnPoint(QPointF(at[0], at[1]), plane.projectedCovariance(drawnVariance_));
    } else {
        map_->setDrawnPoint(std::nullopt);
    }
}

void LatentWalks::onDrawingChanged() {
    picturePath_.clear();  // the pad takes the place back
    encodeDrawing();
}

void LatentWalks::forgetPlaced(const QString& why) {
    drawnMu_.reset();
    drawingIsCurrent_ = false;
    reproject();
    panel_->setDrawingStatus({}, {}, why);
}

void LatentWalks::encodeDrawing() {
    // The pad draws grey digits, prepared as MNIST's were: nothing a colour model was trained on.
    const bool grey = config_.imageChannels == 1;
    panel_->pad()->setOffReason(grey ? QString() : tr("Off: the pad draws grey digits, and this model takes colour "
                                                      "images. Drop a picture on the map instead."));
    if (!grey)
        return forgetPlaced(tr("The pad draws grey digits, and this model takes colour images: drawing is off for it. "
                               "Drop a picture on the map instead."));
    const PreparedDigit prepared = prepareDigit(panel_->pad()->drawing(), config_.imageRows, config_.imageCols);
    if (!prepared.error.isEmpty()) return forgetPlaced(prepared.error);
    placedName_ = tr("the drawn digit");
    encodePlaced(prepared.image);
}

QString LatentWalks::placePicture(const QString& path) {
    const DecodedImage picture = preparePicture(QFile::encodeName(path).toStdString(), config_, fit_);
    if (picture.image.isNull()) return path + ": " + picture.problem;
    picturePath_ = path;
    placedName_ = tr("the picture %1").arg(QFileInfo(path).fileName());
    encodePlaced(picture.image);
    return {};
}

void LatentWalks::encodePlaced(const QImage& prepared) {
    drawnInput_ = prepared;
    std::vector<std::uint8_t> planes;
    appendPlanes(planes, prepared);
    drawingRequest_ = controller_.encodeImage(QByteArray(reinterpret_cast<const char*>(planes.data()), qsizetype(planes.size())));
}

void LatentWalks::onImageEncoded(quint64 id, const Encodings& encoding) {
    if (id != drawingRequest_ || encoding.count != 1) return;
    drawnMu_ = encoding.muOf(0);
    drawnVariance_ = encoding.varianceOf(0);
    drawingIsCurrent_ = true;
    reproject();
    drawnReconstruction_ = controller_.decodeBatch(*drawnMu_);
    emit drawingPlaced();
}

QString LatentWalks::exportPng(const QString& path) const {
    if (panel_->result().isNull()) return path + ": there is no walk to export yet";
    return saveImageAtomically(path, panel_->result());
}

QString LatentWalks::exportGif(const QString& path) const {
    if (frames_.isEmpty() || !framesAnimatable_) return path + ": there is no interpolation or morph to animate yet";
    std::vector<int> order(std::size_t(frames_.size()));
    std::iota(order.begin(), order.end(), 0);
    if (panel_->thereAndBack()) order = thereAndBackOrder(int(frames_.size()));
    QVector<QImage> frames;
    for (int i : order) frames << frames_[i].scaled(frames_[i].size() * kGifScale, Qt::IgnoreAspectRatio, Qt::FastTransformation);
    return writeGifAtomically(path, frames, {panel_->delayMs(), panel_->loops()});
}

}  // namespace vae
