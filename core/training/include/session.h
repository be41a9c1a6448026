#pragma once
// A VAE model with its optimizer on one device: train, decode, save, load.
// Torch-free interface (pimpl) so the CLI and GUI compile without torch headers.
// A session is used by one thread at a time; the GUI keeps it inside its worker thread.
#include "dataset.h"
#include "decoder.h"
#include "distributed.h"
#include "encoder.h"
#include "images.h"
#include "likelihood.h"
#include "model_config.h"
#include "replay_timeline.h"
#include "settings.h"
#include "training.h"

#include <memory>
#include <string>

namespace vae {

class Session {
public:
    // device: "auto", "cpu" or "cuda". Throws ConfigError for a bad config or device.
    Session(const ModelConfig& config, const std::string& device = "auto", std::uint64_t seed = 1);
    // Throws DataError (one line, naming the file) for a missing, corrupt or foreign checkpoint.
    static Session fromCheckpoint(const std::string& path, const std::string& device = "auto");
    // How a checkpoint is guarded against LibTorch's archive reader: an in-process scan of every
    // declared size, then a forked, memory-limited child that reads it first. Only a fuzzer that
    // wants LibTorch's own crashes in-process (and fast) skips the child.
    enum class ArchiveGuard { ScanAndProbe, ScanOnly };
    // The same from a checkpoint file's bytes already in memory (released once read, so pass
    // them with std::move where they are not needed after); `name` is used in errors.
    static Session fromCheckpointData(std::string fileBytes, const std::string& name,
                                      const std::string& device = "auto",
                                      ArchiveGuard guard = ArchiveGuard::ScanAndProbe);
    ~Session();
    Session(Session&&) noexcept;
    Session& operator=(Session&&) noexcept;

    const ModelConfig& config() const;
    int epochsTrained() const;
    std::int64_t stepsTrained() const;
    std::string deviceName() const;
    // Every epoch's metrics and the training curve, across resumed runs (kept in checkpoints).
    const TrainingHistory& history() const;
    // The settings of the run that last trained it (kept in checkpoints under the settings
    // table's keys); a new model, or one from a checkpoint without them, has the defaults.
    const RunSettings& runSettings() const;
    void setRunSettings(const RunSettings& settings);
    // ImageDataset::identity() of the data it was trained on (kept in checkpoints from 0.2.1 on;
    // empty for a new model and for older checkpoints).
    const std::string& datasetIdentity() const;
    void setDatasetIdentity(const std::string& identity);
    // The replay's snapshots its checkpoints carry (none unless set): how its map formed.
    const std::vector<ReplaySnapshot>& timeline() const;
    void setTimeline(std::vector<ReplaySnapshot> snapshots);

    // Atomic (temp file + fsync + rename). Throws DataError naming the file.
    void saveCheckpoint(const std::string& path) const;

    // Never throws: every failure becomes a Failed result. A non-finite loss stops training and
    // restores the last weights that gave a finite loss. Resumes from epochsTrained().
    // With a group (distributed.h), this process is one rank of a data-parallel job: it starts
    // from rank 0's weights, computes its share of every global batch (options.batchSize stays
    // the global batch) and every rank reports the same losses. A cancel on any rank stops all.
    TrainResult train(const ImageDataset& data, const TrainOptions& options, TrainControl& control,
                      const TrainCallbacks& callbacks = {}, ProcessGroup* group = nullptr);

    // Test-set loss with z sampled from q(z|x) (the single-sample ELBO estimate).
    LossTerms evaluate(const ImageDataset& data, std::uint64_t seed);
    // The importance-weighted -log p(x) of the test images (likelihood.h). Throws ConfigError for
    // bad options or images of another size.
    LikelihoodEstimate estimateLikelihood(const ImageDataset& data, const LikelihoodOptions& options,
                                          const LikelihoodProgress& progress = {});

    // latents: count x latentDim, row-major. Returns the decoder's mean images.
    Images decode(const std::vector<float>& latents);
    Images reconstruct(const Images& inputs);  // through the posterior mean
    Images samplePrior(int count, std::uint64_t seed);
    // A copy of the decoder for another thread (see Decoder).
    DecoderWeights decoderWeights() const;
    // q(z|x) of the first `count` test images of `data` (all of them for count < 0). Throws
    // ConfigError naming the dataset when its images are not the model's size.
    Encodings encodeTestImages(const ImageDataset& data, int count = -1);
    // A copy of the encoder for another thread (see Encoder).
    EncoderWeights encoderWeights() const;

    struct Impl;

private:
    explicit Session(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace vae
