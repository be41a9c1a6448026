#pragma once
// The replay of how the map formed: keeps the snapshots training sends (ReplayTimeline, bounded),
// shows any of them on the map (its decoder's grid, its encoder's scatter, on the current
// plane), plays them, and exports them as an animated GIF.
#include "boundary_types.h"
#include "replay_timeline.h"

#include <QObject>
#include <QTimer>

namespace vae {

class LatentExplorer;
class LatentMapWidget;
class ReplayBar;
class TrainingController;

class LatentReplay : public QObject {
    Q_OBJECT
public:
    LatentReplay(TrainingController& controller, LatentExplorer& explorer, LatentMapWidget* map, ReplayBar* bar,
                 QObject* parent = nullptr);

    const ReplayTimeline& timeline() const { return timeline_; }
    void show(int position);  // 0..size-1: a snapshot; size: live
    void togglePlay();
    // Writes the replay's grids as a GIF; `exported` says when (and whether) it is written.
    void exportGif(const QString& path, int delayMs = 200);
    bool isReplaying() const;

signals:
    void frameShown(int position);  // the snapshot's grid and scatter are on the map
    void exported(const QString& path, const QString& error);

private:
    void onSnapshot(const ReplaySnapshot& snapshot);
    void onGrids(quint64 id, const QVector<QImage>& grids);
    void onEncoded(quint64 id, const Encodings& encodings);
    void caption();
    void frameDone();

    TrainingController& controller_;
    LatentExplorer& explorer_;
    LatentMapWidget* map_;
    ReplayBar* bar_;
    ReplayTimeline timeline_;
    QTimer player_;
    quint64 modelGeneration_ = 0;
    int shown_ = -1;        // the snapshot on the map, -1 live
    quint64 gridRequest_ = 0;
    quint64 encodeRequest_ = 0;
    int pendingParts_ = 0;  // grid and scatter still to come for the shown snapshot
    quint64 gifRequest_ = 0;
    QString gifPath_;
    int gifDelayMs_ = 200;
};

}  // namespace vae
