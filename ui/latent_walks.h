#pragma once
// The walks of the Walk tab: interpolations between two endpoints (shown on the map as a path),
// morphs along class directions, analogies, traversals, and the drawn digit or a picture of the
// user's placed on the map.
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
    // The traversal of one dimension alone (the Factors tab's cell).
    void traverseDimension(int dimension);
    QString exportPng(const QString& path) const;
    QString exportGif(const QString& path) const;
    // A picture file prepared as the data set's images, encoded and placed on the map in place of
    // the drawing (drawingPlaced when it is there). Returns "FILE: problem" when it cannot be,
    // and then keeps whatever was placed before.
    QString placePicture(const QString& path);

    const QVector<QImage>& frames() const { return frames_; }  // the last walk's decoded images
    const std::vector<float>& walkLatents() const { return walk_; }
    std::optional<std::vector<float>> drawnLatent() const { return drawnMu_; }
    QString message() const { return message_; }

signals:
    void resultShown();  // a walk, morph, analogy or traversal is in the panel
    void drawingPlaced();  // the drawn digit's or the picture's encoding reached the map

private:
    void runWalk();
    void request(const std::vector<float>& latents, int columns, const QString& caption, bool animatable);
    void onBatchDecoded(quint64 id, const QVector<QImage>& images);
    void onDrawingChanged();
    void encodeDrawing();
    void encodePlaced(const QImage& prepared);
    void forgetPlaced(const QString& why);
    void onImageEncoded(quint64 id, const Encodings& encoding);
    void reproject();
    void say(const QString& text);
    void traverseDimensions(std::vector<int> dimensions, const QString& order);
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
    bool drawingIsCurrent_ = false;  // drawn or placed since the last click on the map
    QString placedName_;             // "the drawn digit" or "the picture NAME"
    QString picturePath_;            // the placed picture's file; empty while the drawing is placed
    ModelConfig config_;             // the model's, as modelChanged said
    std::string fit_ = "crop";       // how the data set's pictures were squared
    QString message_;
    quint64 generation_ = 0;  // the model the endpoints and the walk belong to
};

}  // namespace vae
