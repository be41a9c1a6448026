#include "latent_replay.h"

#include "gif_writer.h"
#include "latent_explorer.h"
#include "latent_map_widget.h"
#include "replay_bar.h"
#include "training_controller.h"

namespace vae {
namespace {
constexpr int kPlayIntervalMs = 250;
}

LatentReplay::LatentReplay(TrainingController& controller, LatentExplorer& explorer, LatentMapWidget* map,
                           ReplayBar* bar, QObject* parent)
    : QObject(parent), controller_(controller), explorer_(explorer), map_(map), bar_(bar) {
    connect(&controller_, &TrainingController::snapshotTaken, this, &LatentReplay::onSnapshot);
    connect(&controller_, &TrainingController::replayGridsDecoded, this, &LatentReplay::onGrids);
    connect(&controller_, &TrainingController::replayEncoded, this, &LatentReplay::onEncoded);
    connect(&controller_, &TrainingController::modelChanged, this, [this](const ModelInfo& info) {
        if (info.generation == modelGeneration_) return;  // the same model, trained on
        modelGeneration_ = info.generation;
        player_.stop();
        bar_->setPlaying(false);
        timeline_.clear();
        bar_->setCount(0);
        show(0);  // live
    });
    connect(&explorer_, &LatentExplorer::planeUpdated, this, [this] {
        if (shown_ >= 0) show(shown_);  // the same moment on the new plane
    });
    connect(bar_, &ReplayBar::positionChanged, this, &LatentReplay::show);
    connect(bar_, &ReplayBar::playClicked, this, &LatentReplay::togglePlay);
    player_.setInterval(kPlayIntervalMs);
    connect(&player_, &QTimer::timeout, this, [this] {
        const int next = bar_->position() + 1;
        bar_->setPosition(std::min(next, timeline_.size()));
        if (next >= timeline_.size()) togglePlay();  // the end: live again
    });
    caption();
}

bool LatentReplay::isReplaying() const { return shown_ >= 0; }

void LatentReplay::onSnapshot(const ReplaySnapshot& snapshot) {
    timeline_.add(snapshot);
    bar_->setCount(timeline_.size());
    caption();
}

void LatentReplay::show(int position) {
    if (position < 0 || position >= timeline_.size()) {
        shown_ = -1;
        explorer_.setReplaying(false);
        caption();
        return;
    }
    shown_ = position;
    explorer_.setReplaying(true);
    const ReplaySnapshot& snapshot = timeline_.at(position);
    // Newer requests replace pending ones in both threads, so scrubbing never queues up work.
    gridRequest_ = controller_.decodeReplayGrids({snapshot.decoder}, explorer_.gridSpec());
    encodeRequest_ = controller_.encodeForReplay(snapshot.encoder);
    pendingParts_ = 2;
    caption();
}

void LatentReplay::onGrids(quint64 id, const QVector<QImage>& grids) {
    if (id == gifRequest_) {
        const QString error = grids.size() == timeline_.size() && !grids.isEmpty()
                                  ? writeGifAtomically(gifPath_, grids, {gifDelayMs_, 0})
                                  : gifPath_ + ": the replay changed while it was being drawn; export it again";
        gifRequest_ = 0;
        emit exported(gifPath_, error);
        return;
    }
    if (id != gridRequest_ || shown_ < 0 || grids.isEmpty()) return;
    explorer_.showGrid({explorer_.gridSpec(), grids.first(), 0});
    frameDone();
}

void LatentReplay::onEncoded(quint64 id, const Encodings& encodings) {
    if (id != encodeRequest_ || shown_ < 0) return;
    explorer_.showScatter(encodings);
    frameDone();
}

void LatentReplay::frameDone() {
    if (--pendingParts_ == 0) emit frameShown(shown_);
}

void LatentReplay::togglePlay() {
    if (player_.isActive()) {
        player_.stop();
        bar_->setPlaying(false);
        return;
    }
    if (timeline_.isEmpty()) return;
    if (bar_->isLive()) bar_->setPosition(0);  // from the start
    player_.start();
    bar_->setPlaying(true);
}

void LatentReplay::exportGif(const QString& path, int delayMs) {
    if (timeline_.isEmpty()) return emit exported(path, path + ": there is no replay yet: train the model first");
    QVector<DecoderWeights> decoders;
    for (int i = 0; i < timeline_.size(); ++i) decoders << timeline_.at(i).decoder;
    gifPath_ = path;
    gifDelayMs_ = delayMs;
    gifRequest_ = controller_.decodeReplayGrids(decoders, explorer_.gridSpec());
}

void LatentReplay::caption() {
    if (shown_ < 0) {
        bar_->setCaption(timeline_.isEmpty() ? tr("live (the replay fills as it trains)")
                                             : tr("live · %1 snapshots, %2 MB").arg(timeline_.size())
                                                   .arg(double(timeline_.bytes()) / (1 << 20), 0, 'f', 0));
        return;
    }
    const ReplaySnapshot& snapshot = timeline_.at(shown_);
    bar_->setCaption(tr("step %1 · epoch %2 · %3/%4").arg(snapshot.step).arg(snapshot.epoch).arg(shown_ + 1).arg(timeline_.size()));
}

}  // namespace vae
