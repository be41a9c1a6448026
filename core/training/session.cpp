#include "session.h"

#include "dataset_data.h"
#include "errors.h"
#include "latent_geometry.h"
#include "likelihood_estimate.h"
#include "model_copies.h"
#include "process_group.h"
#include "runtime_info.h"
#include "session_impl.h"

#include <cmath>
#ifdef _OPENMP
#include <omp.h>
#endif

namespace vae {
namespace {

// ConfigError naming the dataset when its images are not the size the model takes.
void requireModelImageSize(const ImageDataset& data, const ModelConfig& config) {
    if (data.rows() != config.imageRows || data.cols() != config.imageCols || data.channels() != config.imageChannels)
        throw ConfigError(data.name() + ": images are " + imageShapeText(data.rows(), data.cols(), data.channels()) +
                          " but the model takes " + imageShapeText(config.imageRows, config.imageCols, config.imageChannels));
}

}  // namespace

torch::Device resolveDevice(const std::string& spec) {
    if (spec == "cpu") return torch::kCPU;
    if (spec == "cuda") {
        if (!torch::cuda::is_available())
            throw ConfigError("--device cuda: no CUDA device is available (this LibTorch build " +
                              std::string(torch::cuda::device_count() == 0 ? "sees no GPU" : "cannot use it") +
                              "); use --device cpu or auto");
        return torch::kCUDA;
    }
    if (spec == "auto") return torch::cuda::is_available() ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
    throw ConfigError("--device: '" + spec + "' is not auto, cpu or cuda");
}

Session::Impl::Impl(const ModelConfig& modelConfig, torch::Device dev, std::optional<std::uint64_t> seed)
    : config(modelConfig), device(dev), model(modelConfig, seed) {
    model->to(device);
    makeOptimizer(learningRate);
}

void Session::Impl::makeOptimizer(double lr) {
    learningRate = lr;
    optimizer = std::make_unique<FusedAdam>(model->parameters(), torch::optim::AdamOptions(lr));
}

torch::Tensor Session::Impl::toInput(const torch::Tensor& uint8Rows) const {
    return uint8Rows.to(device, torch::kFloat32).div_(255);
}

Session::Session(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Session::Session(const ModelConfig& config, const std::string& device, std::uint64_t seed) {
    config.validate();
    const auto dev = resolveDevice(device);
    impl_ = std::make_unique<Impl>(config, dev, seed);  // the seed draws the initial weights
    impl_->run.model = config;
    impl_->run.training.seed = seed;
    impl_->run.device = device;
}

Session::~Session() = default;
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;

const ModelConfig& Session::config() const { return impl_->config; }
int Session::epochsTrained() const { return impl_->epochsTrained; }
std::int64_t Session::stepsTrained() const { return impl_->steps; }
std::string Session::deviceName() const { return impl_->device.str(); }
const TrainingHistory& Session::history() const { return impl_->history; }
const RunSettings& Session::runSettings() const { return impl_->run; }
void Session::setRunSettings(const RunSettings& settings) { impl_->run = settings; }
const std::string& Session::datasetIdentity() const { return impl_->datasetIdentity; }
void Session::setDatasetIdentity(const std::string& identity) { impl_->datasetIdentity = identity; }
const std::vector<ReplaySnapshot>& Session::timeline() const { return impl_->timeline; }
void Session::setTimeline(std::vector<ReplaySnapshot> snapshots) { impl_->timeline = std::move(snapshots); }

LossTerms Session::evaluate(const ImageDataset& data, std::uint64_t seed) {
    return impl_->testLoss(data, seed, nullptr, impl_->run.training.binarize);
}

torch::Tensor Session::Impl::testImages(const ImageDataset& data, Binarization binarize) const {
    const auto& images = data.data().testImages;
    return binarize == Binarization::None ? images : binarizeImages(images, kTestBinarizationSeed);
}

LossTerms Session::Impl::testLoss(const ImageDataset& data, std::uint64_t seed, ProcessGroup* group, Binarization binarize) {
    torch::NoGradGuard noGrad;
    model->eval();
    const auto images = testImages(data, binarize);
    const std::int64_t count = images.size(0);
    // Chunks of the test set, each with its own seeded noise, dealt out to the ranks in turn:
    // the result does not depend on how many ranks share the work.
    constexpr std::int64_t kChunk = 1000;
    const int rank = group ? group->rank() : 0, world = group ? group->worldSize() : 1;
    auto generator = at::make_generator<at::CPUGeneratorImpl>(seed);
    double recon = 0, kl = 0;
    for (std::int64_t chunk = rank, start = chunk * kChunk; start < count; chunk += world, start = chunk * kChunk) {
        const auto x = toInput(images.slice(0, start, std::min(count, start + kChunk)));
        generator.set_current_seed(noiseSeed(seed, std::uint64_t(chunk)));
        const auto eps = torch::randn({x.size(0), config.latentDim}, generator).to(device);
        const auto terms = negativeElboTerms(model->forward(x, eps), x, config);
        recon += terms.recon.item<double>() * double(x.size(0));
        kl += terms.kl.item<double>() * double(x.size(0));
    }
    model->train();
    if (group) {
        const auto sums = sumOverRanks(*group, {recon, kl}, "the test loss's sum over the ranks");
        recon = sums[0];
        kl = sums[1];
    }
    LossTerms out;
    out.recon = recon / double(count);
    out.kl = kl / double(count);
    out.loss = out.recon + out.kl;
    return out;
}

LikelihoodEstimate Session::estimateLikelihood(const ImageDataset& data, const LikelihoodOptions& options,
                                               const LikelihoodProgress& progress) {
    options.validate();
    requireModelImageSize(data, impl_->config);
    const auto images = impl_->testImages(data, impl_->run.training.binarize);
    const std::int64_t count = options.images < 0 ? images.size(0) : std::min<std::int64_t>(options.images, images.size(0));
    return vae::estimateLikelihood(impl_->model, impl_->toInput(images.slice(0, 0, count)), options, progress);
}

Images Session::decode(const std::vector<float>& latents) {
    const int dim = impl_->config.latentDim;
    if (latents.empty() || latents.size() % std::size_t(dim) != 0)
        throw ConfigError("decode: expected a multiple of " + std::to_string(dim) + " latent values");
    torch::NoGradGuard noGrad;
    const std::int64_t count = std::int64_t(latents.size()) / dim;
    const auto z = torch::from_blob(const_cast<float*>(latents.data()), {count, dim}, torch::kFloat32)
                       .to(impl_->device);
    return toImages(decodeMean(impl_->model, z), impl_->config);
}

DecoderWeights Session::decoderWeights() const { return copyDecoderWeights(impl_->model); }
EncoderWeights Session::encoderWeights() const { return copyEncoderWeights(impl_->model); }

Encodings Session::encodeTestImages(const ImageDataset& data, int count) {
    requireModelImageSize(data, impl_->config);
    const auto images = impl_->testImages(data, impl_->run.training.binarize);
    const std::int64_t n = count < 0 ? images.size(0) : std::min<std::int64_t>(count, images.size(0));
    return encodeRows(impl_->model, images.slice(0, 0, n), impl_->device);
}

Images Session::reconstruct(const Images& inputs) {
    if (inputs.rows != impl_->config.imageRows || inputs.cols != impl_->config.imageCols ||
        inputs.channels != impl_->config.imageChannels)
        throw ConfigError("reconstruct: images are not the model's size");
    torch::NoGradGuard noGrad;
    const auto x = torch::from_blob(const_cast<float*>(inputs.values.data()),
                                    {inputs.count, std::int64_t(inputs.valuesPerImage())}, torch::kFloat32)
                       .to(impl_->device);
    const auto mu = impl_->model->encode(x).first.to(torch::kCPU).contiguous();
    return decode(std::vector<float>(mu.data_ptr<float>(), mu.data_ptr<float>() + mu.numel()));
}

Images Session::samplePrior(int count, std::uint64_t seed) {
    return decode(priorSamples(count, impl_->config.latentDim, seed));
}

void useOneComputeThreadHere() {
    at::get_num_threads();  // runs torch's per-thread lazy initialisation first, so it cannot undo this
#ifdef _OPENMP
    omp_set_num_threads(1);  // OpenMP's thread count is a per-thread setting
#endif
}

void setComputeThreads(int threads) {
    if (threads <= 0) threads = int(std::max(1u, std::thread::hardware_concurrency()));
    torch::set_num_threads(threads);
}

}  // namespace vae
