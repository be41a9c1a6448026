#pragma once
// One training run, the same for `vae-explorer train` and the window, in the shape of
// qBittorrent's TorrentCreator: a parameters value goes in, typed callbacks come out, and no
// exception gets past run(). It fits the model to the data, sets the compute threads, records the
// run's settings in the model, joins a distributed job, takes the replay's snapshots and, given an
// output folder, writes run.json, metrics.csv and checkpoint.pt after every epoch and the PNGs
// (and the replay GIF) at the end. It runs in the calling thread: the CLI's main thread, the
// window's training thread. Equal parameters and seed give equal losses from either caller.
#include "dataset.h"
#include "distributed.h"
#include "replay_timeline.h"
#include "session.h"
#include "settings.h"

#include <QElapsedTimer>
#include <QString>

#include <functional>
#include <memory>

namespace vae {

struct TrainingRunParameters {
    // Its thread count is used as given (0: one per core, or each rank's share of the cores).
    RunSettings settings;
    QString resumeFrom;             // a checkpoint to continue; empty: the held model or a new one
    bool resumeLoaded = false;      // the session given to prepare() is resumeFrom, already loaded
    bool modelOptionsSet = false;   // the settings name a model shape: a resumed one must match it
    QString outputFolder;           // empty: nothing is written (the window until the user saves)
    bool replaceRun = false;        // --force: outputFolder may hold another run, which this one replaces
    // Replay snapshots at isReplayStep and after each epoch. Decoders are enough for the grid
    // GIF; the window's scatter and a kept timeline need the encoders too. Whatever is asked
    // here, the rank that writes files takes what its replay GIF or kept timeline needs.
    enum class Snapshots { None, Decoders, DecodersAndEncoders };
    Snapshots snapshots = Snapshots::None;
    bool keepTimeline = false;  // the checkpoints carry the snapshots (and a resumed replay goes on)
    QString timelineGif;        // the replay as a GIF, written when the run finishes
    ProcessGroupSpec group;     // worldSize 1: training alone
    // Where a new or resumed model lives; empty: the settings' device. The window keeps its
    // models on the CPU, where its decode and encode threads copy them from.
    std::string modelDevice;
};

struct TrainingRunCallbacks {
    std::function<void(const ProgressInfo&)> progress;  // after every batch
    // After the epoch's files are written (when there is an output folder).
    std::function<void(const EpochMetrics&)> epochFinished;
    std::function<void(const ReplaySnapshot&)> snapshotTaken;
    std::function<void()> paused;  // the trainer really stopped between two batches
    std::function<void(const BetaChange&)> betaChanged;  // a TrainControl::betaRequest took effect
};

struct TrainingRunResult {
    TrainStatus status = TrainStatus::Finished;
    QString error;            // Failed: one line (a training failure, or a file it could not write)
    bool fileFailed = false;  // the error is a file this run could not write
    bool stoppedByAnotherRank = false;  // Cancelled, though nothing here asked for it
    int epochsOfRun = 0;      // epochs finished by this run
    int checkpointEpoch = -1;  // the model's epoch that the folder's checkpoint.pt holds (-1: none written)
    int snapshots = 0;        // in the replay GIF, when one was written
};

// The run folder is written whole (run.json, metrics.csv, the images, checkpoint.pt) after an
// epoch when that keeps the writes within a tenth of the run's time: after the first and the last
// epoch always, and in between once the time since the last write is kWriteCostShare times what
// that write took. A 64-px colour MLP wrote 32 MB after every 0.13-s epoch (a 50-epoch run took
// 49.7 s, of which 6.7 s trained). The folder always describes its checkpoint; an interrupted
// run's checkpoint may be some epochs older than its last epoch (TrainingRunResult says which).
inline constexpr double kWriteCostShare = 9;
bool epochFilesDue(bool firstOrLast, double millisecondsSinceWrite, double millisecondsOfLastWrite);

class TrainingRun {
public:
    explicit TrainingRun(TrainingRunParameters parameters, TrainingRunCallbacks callbacks = {});
    ~TrainingRun();
    TrainingRun(const TrainingRun&) = delete;
    TrainingRun& operator=(const TrainingRun&) = delete;

    // Everything that can be checked is checked here, before the first file is written: the model
    // (`session` keeps a trained model, or one that already fits; else it is replaced by the
    // resumed checkpoint or a new model), the data's image size, the output folder, the
    // rendezvous. Throws ConfigError for options that do not fit, other exceptions for the rest
    // (one line each, naming the file, option or host). `dataset` must outlive the run.
    void prepare(std::unique_ptr<Session>& session, const ImageDataset& dataset);
    // Trains the prepared session. Never throws.
    TrainingRunResult run(TrainControl& control);

    const TrainingRunParameters& parameters() const { return parameters_; }
    // The settings recorded in the model and run.json: the model as built, a folder's absolute path.
    const RunSettings& recordedSettings() const { return recorded_; }
    bool writesFiles() const;           // an output folder was given and this is rank 0
    int worldSize() const;              // 1 when training alone

private:
    void chooseSession(std::unique_ptr<Session>& session, const ImageDataset& dataset);
    void checkOutputFolder() const;
    void checkNothingIsOverwritten() const;
    void requireSameData(const Session& loaded, const ImageDataset& dataset) const;
    void takeSnapshot();
    TrainingRunParameters::Snapshots snapshotsTaken() const;  // the asked-for ones, and what the files need
    QString writeEpochFiles();
    QString writeFinalFiles(TrainStatus status);

    TrainingRunParameters parameters_;
    TrainingRunCallbacks callbacks_;
    RunSettings recorded_;
    Session* session_ = nullptr;
    const ImageDataset* dataset_ = nullptr;
    std::unique_ptr<ProcessGroup> group_;
    ReplayTimeline timeline_;  // kept only for the GIF and a kept timeline
    QElapsedTimer sinceWrite_;  // since the folder was last written (invalid: not yet)
    qint64 lastWriteMs_ = 0;
};

}  // namespace vae
