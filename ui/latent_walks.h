#pragma once
// The walks of the Walk tab: interpolations between two endpoints (shown on the map as a path),
// morphs along class directions, analogies, traversals, and the drawn digit placed on the map.
// Everything decodes in the decode thread (batches) and encodes in the encode thread.
#include "latent_explorer.h"

#include <QObject>
#include <QVector>

#include <optional>

namespace vae {

class LatentMapWidget;
class TrainingController;
class WalkPanel;

class LatentWalks : public QObject {
    Q_OBJECT
public:
    LatentWalks(TrainingController& controller, LatentExplorer& explorer, LatentMapWidget* map, WalkPanel* panel,
                QObject* parent = nullptr);

    // The user's actions, callable without dialogs (tests, scripts).
    void setEndpoint(int which);                    // from the chosen point (or the drawing)
    void setEndpointLatent(int which, const std::vector<float>& latent, const QString& description);
    void morph();
    void analogy();
    void traverse();
    QString exportPng(const QString& path) const;
    QString exportGif(const QString& path) const;

    const QVector<QImage>& frames() const { return frames_; }  // the last walk's decoded images
    const std::vector<float>& walkLatents() const { return walk_; }
    std::optional<std::vector<float>> drawnLatent() const { return drawnMu_; }
    QString message() const { return message_; }

signals:
    void resultShown();  // a walk, morph, analogy or traversal is in the panel
    void drawingPlaced();  // the drawn digit's encoding reached the map

private:
    void runWalk();
    void request(const std::vector<float>& latents, int columns, const QString& caption, bool animatable);
    void onBatchDecoded(quint64 id, const QVector<QImage>& images);
    void onDrawingChanged();
    void onImageEncoded(quint64 id, const Encodings& encoding);
    void reproject();
    void say(const QString& text);
    std::optional<LatentExplorer::ChosenPoint> currentPoint() const;

    TrainingController& controller_;
    LatentExplorer& explorer_;
    LatentMapWidget* map_;
    WalkPanel* panel_;
    std::optional<LatentExplorer::ChosenPoint> endpoints_[2];
    std::vector<float> walk_;  // the path on the map (count x dim)
    quint64 pending_ = 0;
    int pendingColumns_ = 1;
    QString pendingCaption_;
    bool pendingAnimatable_ = false;
    QVector<QImage> frames_;
    bool framesAnimatable_ = false;
    quint64 drawingRequest_ = 0;
    quint64 drawnReconstruction_ = 0;
    QImage drawnInput_;
    std::optional<std::vector<float>> drawnMu_;
    std::vector<float> drawnVariance_;
    bool drawingIsCurrent_ = false;  // drawn since the last click on the map
    QString message_;
};

}  // namespace vae
