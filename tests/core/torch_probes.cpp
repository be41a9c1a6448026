#include "torch_probes.h"

#include "checkpoint_file.h"
#include "dataset_data.h"
#include "fused_elbo.h"
#include "kl_decomposition.h"
#include "likelihood_estimate.h"
#include "model.h"
#include "session.h"
#include "settings.h"
#include "vector_math.h"

#include <cmath>

namespace probes {

LossValues coreLoss(const std::vector<float>& logits, const std::vector<float>& targets, const std::vector<float>& mu,
                    const std::vector<float>& logvar, int batch, const vae::ModelConfig& config) {
    const auto tensor = [batch](const std::vector<float>& v) {
        return torch::tensor(v).reshape({batch, std::int64_t(v.size()) / batch});
    };
    const vae::VaeOutput out{tensor(logits), tensor(mu), tensor(logvar)};
    const auto terms = vae::negativeElboTerms(out, tensor(targets), config);
    return {terms.recon.item<double>(), terms.kl.item<double>()};
}

vae::KlSplit coreKlSplit(const std::vector<double>& z, const std::vector<double>& mu, const std::vector<double>& logvar,
                         int batch, long long datasetSize) {
    const auto tensor = [batch](const std::vector<double>& v) {
        return torch::tensor(v, torch::kFloat64).reshape({batch, std::int64_t(v.size()) / batch});
    };
    const auto parts = vae::decomposeKl(tensor(z), tensor(mu), tensor(logvar), datasetSize);
    return {parts.indexCodeMi.item<double>(), parts.totalCorrelation.item<double>(), parts.dimensionwiseKl.item<double>()};
}

std::vector<std::uint8_t> trainRowsOf(const vae::ImageDataset& data, const std::vector<long long>& indices) {
    std::vector<std::int64_t> index(indices.begin(), indices.end());
    const auto rows = vae::trainRows(data.data(), data.data().trainImages, torch::tensor(index, torch::kLong)).contiguous();
    return {rows.data_ptr<std::uint8_t>(), rows.data_ptr<std::uint8_t>() + rows.numel()};
}

const std::vector<int>& trainLabelsOf(const vae::ImageDataset& data) { return data.data().trainLabels; }
const std::vector<float>& trainFactorsOf(const vae::ImageDataset& data) { return data.data().trainFactors; }

double monteCarloKl(const std::vector<float>& mu, const std::vector<float>& logvar, int samples) {
    torch::manual_seed(123);
    const auto m = torch::tensor(mu, torch::kFloat64);
    const auto lv = torch::tensor(logvar, torch::kFloat64);
    const auto z = m + torch::exp(0.5 * lv) * torch::randn({samples, std::int64_t(mu.size())}, torch::kFloat64);
    // log q(z) - log p(z); the 0.5 log 2pi terms cancel.
    const auto logQ = -0.5 * (lv + (z - m).pow(2) / lv.exp());
    const auto logP = -0.5 * z.pow(2);
    return (logQ - logP).sum(1).mean().item<double>();
}

void writeMismatchedCheckpoint(const std::string& path, const vae::ModelConfig& claimed, const vae::ModelConfig& actual) {
    vae::Session real(actual, "cpu");
    real.saveCheckpoint(path);
    const auto bytes = vae::checkpointArchiveBytes(vae::readCheckpointFile(path));
    torch::serialize::InputArchive in;
    in.load_from(bytes.data(), bytes.size());
    torch::serialize::OutputArchive out;
    for (const auto& key : in.keys()) {
        if (key == "image_rows" || key == "image_cols" || key.rfind("settings.", 0) == 0) continue;
        c10::IValue value;
        if (in.try_read(key, value)) {
            out.write(key, value);
        } else {
            torch::serialize::InputArchive nested;
            in.read(key, nested);
            // Re-save nested archives through a module with the same parameters.
            vae::Vae donor(actual);
            if (key == "model") {
                donor->load(nested);
                torch::serialize::OutputArchive modelArchive;
                donor->save(modelArchive);
                out.write(key, modelArchive);
            } else {
                torch::optim::Adam optimizer(donor->parameters());
                optimizer.load(nested);
                torch::serialize::OutputArchive optimizerArchive;
                optimizer.save(optimizerArchive);
                out.write(key, optimizerArchive);
            }
        }
    }
    // Format 4: the model is described by the settings and the image shape alone.
    vae::RunSettings claimedRun;
    claimedRun.model = claimed;
    for (const vae::Setting& setting : vae::settingsTable())
        out.write("settings." + setting.key, c10::IValue(setting.get(claimedRun)));
    out.write("image_rows", c10::IValue(std::int64_t(claimed.imageRows)));
    out.write("image_cols", c10::IValue(std::int64_t(claimed.imageCols)));
    vae::writeCheckpointArchive(path, out);
}

std::vector<std::string> checkpointKeys(const std::string& path) {
    const auto bytes = vae::checkpointArchiveBytes(vae::readCheckpointFile(path));
    torch::serialize::InputArchive in;
    in.load_from(bytes.data(), bytes.size());
    return in.keys();
}

void writeForeignArchive(const std::string& path, bool withTrailer) {
    torch::serialize::OutputArchive out;
    out.write("weights", torch::ones({3, 3}));
    if (withTrailer) vae::writeCheckpointArchive(path, out);
    else out.save_to(path);
}

}  // namespace probes

#include "fused_adam.h"

namespace probes {

double fusedAdamMaxRelativeDifference(int steps, double weightDecay) {
    torch::manual_seed(5);
    std::vector<torch::Tensor> ours, theirs;
    for (const auto& shape : {std::vector<std::int64_t>{300, 70}, {70}, {3, 5, 7}}) {
        const auto start = torch::randn(shape);
        ours.push_back(start.clone().requires_grad_(true));
        theirs.push_back(start.clone().requires_grad_(true));
    }
    const auto options = torch::optim::AdamOptions(1e-2).weight_decay(weightDecay);
    vae::FusedAdam fused(ours, options);
    torch::optim::Adam reference(theirs, options);
    for (int step = 0; step < steps; ++step) {
        for (std::size_t i = 0; i < ours.size(); ++i) {
            const auto grad = torch::randn(ours[i].sizes()) * (step % 3 + 0.1);
            ours[i].mutable_grad() = grad.clone();
            theirs[i].mutable_grad() = grad.clone();
        }
        fused.step();
        reference.step();
    }
    double worst = 0;
    for (std::size_t i = 0; i < ours.size(); ++i)
        worst = std::max(worst, ((ours[i] - theirs[i]).abs() / (theirs[i].abs() + 1e-1)).max().item<double>());
    return worst;
}

FusedElboDifferences fusedElboDifferences(const vae::ModelConfig& config, int batch, double beta, bool binaryInputs,
                                          bool freeBitsAtMedian) {
    torch::manual_seed(11);
    vae::Vae model(config);
    auto x = torch::rand({batch, config.inputDim()});
    if (binaryInputs) x = (x > 0.7).to(torch::kFloat32);
    const auto eps = torch::randn({batch, config.latentDim});

    const auto [mu, logvar] = model->encode(x);
    const auto z = mu + torch::exp(0.5 * logvar) * eps;
    const auto terms = vae::negativeElboTerms({model->decode(z), mu, logvar}, x, config);
    const auto klPerDim = (-0.5 * (1 + logvar - mu.pow(2) - logvar.exp())).mean(0);
    // Halfway between the two middle values: no dimension sits on the floor, where max() has no
    // single derivative (clamp_min passes the gradient there, the free-bits rule does not).
    const auto sorted = std::get<0>(klPerDim.sort());
    const auto middle = sorted.size(0) / 2;
    const double freeBits =
        freeBitsAtMedian ? 0.5 * (sorted[std::max<std::int64_t>(0, middle - 1)].item<double>() + sorted[middle].item<double>()) : 0;
    FusedElboDifferences out;
    out.clampedDims = freeBitsAtMedian ? int(klPerDim.le(freeBits).sum().item<std::int64_t>()) : 0;
    (terms.recon + beta * (freeBits > 0 ? klPerDim.clamp_min(freeBits).sum() : terms.kl)).backward();
    std::vector<torch::Tensor> autogradGrads;
    for (auto& p : model->parameters()) {
        autogradGrads.push_back(p.grad().clone());
        p.mutable_grad().fill_(12345);  // the fused pass must overwrite, not add
    }

    vae::FusedElboStep fused(model);
    vae::TrainOptions options;
    options.freeBits = freeBits;
    const auto values = fused.run(x, eps, [&](std::vector<double> klSumPerDim) {
        for (double& sum : klSumPerDim) sum /= batch;
        return options.klWeights(klSumPerDim, beta);
    });
    const auto relative = [](double ours, double reference) {
        return std::abs(ours - reference) / std::max(std::abs(reference), 1e-6);
    };
    out.loss = std::max(relative(values.recon, terms.recon.item<double>()), relative(values.kl, terms.kl.item<double>()));
    const auto params = model->parameters();
    for (std::size_t i = 0; i < params.size(); ++i) {
        const double scale = std::max(autogradGrads[i].abs().max().item<double>(), 1e-12);
        out.gradient =
            std::max(out.gradient, (params[i].grad() - autogradGrads[i]).abs().max().item<double>() / scale);
    }
    return out;
}

namespace {

vae::ModelConfig smallModel(int latent, vae::Likelihood likelihood, vae::Activation activation = vae::Activation::Relu) {
    vae::ModelConfig config;
    config.activation = activation;
    config.imageRows = config.imageCols = 8;
    config.encoderHidden = {32};
    config.decoderHidden = {32};
    config.latentDim = latent;
    config.likelihood = likelihood;
    return config;
}

}  // namespace

LikelihoodCheck likelihoodAgainstQuadrature(vae::Likelihood likelihood, int samples, int images,
                                            vae::Activation activation) {
    torch::manual_seed(3);
    const auto config = smallModel(1, likelihood, activation);
    vae::Vae model(config);
    auto x = torch::rand({images, config.inputDim()});
    if (likelihood == vae::Likelihood::Bernoulli) x = (x > 0.5).to(torch::kFloat32);
    vae::LikelihoodOptions options;
    options.samples = samples;
    options.batchImages = 7;  // not a divisor of the image count: the last batch is short
    const auto estimate = vae::estimateLikelihood(model, x, options);

    torch::NoGradGuard noGrad;
    const std::int64_t points = 20001;
    const auto z = torch::linspace(-12, 12, points, torch::kFloat64);
    const double dz = 24.0 / double(points - 1);
    const auto logits = model->decode(z.to(torch::kFloat32).unsqueeze(1));  // points x pixels
    const auto everyPair = logits.unsqueeze(1).expand({points, images, config.inputDim()});
    const auto logPxGivenZ = -vae::reconstructionPerImage(everyPair, x, config).to(torch::kFloat64);
    const auto logPrior = (-0.5 * z.pow(2) - 0.5 * std::log(2 * M_PI)).unsqueeze(1);  // points x 1
    const auto logPx = torch::logsumexp(logPxGivenZ + logPrior, 0) + std::log(dz);  // images
    return {estimate.negLogLikelihood, -logPx.mean().item<double>(), estimate.negElbo};
}

std::vector<double> likelihoodForSampleCounts(const std::vector<int>& samples, int images) {
    torch::manual_seed(4);
    const auto config = smallModel(4, vae::Likelihood::Bernoulli);
    vae::Vae model(config);
    const auto x = (torch::rand({images, config.inputDim()}) > 0.6).to(torch::kFloat32);
    std::vector<double> out;
    for (int k : samples) {
        vae::LikelihoodOptions options;
        options.samples = k;
        options.seed = 100 + std::uint64_t(k);
        out.push_back(vae::estimateLikelihood(model, x, options).negLogLikelihood);
    }
    return out;
}

VectorMathDifferences vectorMathAgainstTorch(int samples, int images, int pixels, double scale) {
    torch::manual_seed(5);
    vae::ModelConfig config;
    config.imageRows = 1;
    config.imageCols = pixels;
    const auto logits = (torch::rand({samples, images, pixels}) * 2 - 1) * scale;
    const auto x = torch::rand({images, pixels});  // grey levels: the formula holds for any x in [0, 1]
    const auto ours = vae::logLikelihoodPerRow(logits, x, config).to(torch::kFloat64);
    const auto reference = (-vae::reconstructionPerImage(logits.to(torch::kFloat64), x.to(torch::kFloat64), config));
    auto activated = logits.clone();
    vae::activateInPlace(activated, vae::Activation::Tanh);
    VectorMathDifferences out;
    out.logLikelihood = (ours - reference).abs().max().item<double>();
    out.largestLogLikelihood = reference.abs().max().item<double>();
    out.tanh = (activated - logits.tanh()).abs().max().item<double>();
    return out;
}

}  // namespace probes
