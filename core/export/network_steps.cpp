#include "network_steps.h"

#include "errors.h"
#include "model.h"
#include "model_copies.h"

namespace vae {
namespace {

std::vector<float> valuesOf(const torch::Tensor& tensor) {
    const auto cpu = tensor.detach().to(torch::kCPU, torch::kFloat32).contiguous();
    return {cpu.data_ptr<float>(), cpu.data_ptr<float>() + cpu.numel()};
}

NetworkStep weighted(NetworkStep::Kind kind, const torch::Tensor& weight, const torch::Tensor& bias) {
    NetworkStep step;
    step.kind = kind;
    step.shape = weight.sizes().vec();
    step.weight = valuesOf(weight);
    step.bias = valuesOf(bias);
    return step;
}

NetworkStep plain(NetworkStep::Kind kind, std::vector<std::int64_t> shape = {}) {
    NetworkStep step;
    step.kind = kind;
    step.shape = std::move(shape);
    return step;
}

// The first of a 2-D option's values (the model's are the same for rows and columns).
int firstOf(const torch::ExpandingArray<2>& values) { return int((*values)[0]); }
int firstOf(const torch::nn::detail::ConvNdOptions<2>::padding_t& padding) {
    return firstOf(c10::get<torch::ExpandingArray<2>>(padding));
}

// One of the model's modules as a step: what the module is decides the step, and its own options
// (stride, padding, output padding) go with it, so the export follows the model's rules.
NetworkStep stepOf(const std::shared_ptr<torch::nn::Module>& module) {
    using Kind = NetworkStep::Kind;
    if (const auto* dense = module->as<torch::nn::Linear>()) return weighted(Kind::Dense, dense->weight, dense->bias);
    if (const auto* conv = module->as<torch::nn::Conv2d>()) {
        NetworkStep step = weighted(Kind::Conv, conv->weight, conv->bias);
        step.stride = firstOf(conv->options.stride());
        step.padding = firstOf(conv->options.padding());
        return step;
    }
    if (const auto* conv = module->as<torch::nn::ConvTranspose2d>()) {
        NetworkStep step = weighted(Kind::TransposedConv, conv->weight, conv->bias);
        step.stride = firstOf(conv->options.stride());
        step.padding = firstOf(conv->options.padding());
        const auto& extra = *conv->options.output_padding();
        step.outputPadding = {int(extra[0]), int(extra[1])};
        return step;
    }
    if (module->as<torch::nn::ReLU>()) return plain(Kind::Relu);
    if (module->as<torch::nn::Tanh>()) return plain(Kind::Tanh);
    throw ConfigError("export: the model has a layer no format here writes (" + module->name() + ")");
}

// The steps of the model's child `name` (a Sequential, or one weighted module), in order.
std::vector<NetworkStep> stepsOf(Vae& model, const std::string& name) {
    std::vector<NetworkStep> steps;
    for (const auto& child : model->named_children()) {
        if (child.key() != name) continue;
        const auto layers = child.value()->children();
        if (layers.empty()) steps.push_back(stepOf(child.value()));
        for (const auto& layer : layers) steps.push_back(stepOf(layer));
    }
    return steps;
}

void append(std::vector<NetworkStep>& to, std::vector<NetworkStep> from) {
    for (auto& step : from) to.push_back(std::move(step));
}

}  // namespace

std::string exportPartName(ExportPart part) {
    switch (part) {
    case ExportPart::Decoder: return "decoder";
    case ExportPart::Encoder: return "encoder";
    case ExportPart::Vae: return "vae";
    }
    return "vae";
}

ExportPart parseExportPart(const std::string& name) {
    for (ExportPart part : {ExportPart::Decoder, ExportPart::Encoder, ExportPart::Vae})
        if (exportPartName(part) == name) return part;
    throw ConfigError("'" + name + "' is not a part (decoder, encoder or vae)");
}

NetworkSteps networkSteps(const DecoderWeights& decoder, const EncoderWeights& encoder) {
    if (decoder.config != encoder.config) throw ConfigError("export: the encoder and decoder are of different models");
    const ModelConfig& config = decoder.config;
    Vae model(config);
    loadDecoderWeights(model, decoder);
    loadEncoderWeights(model, encoder);
    using Kind = NetworkStep::Kind;
    const bool conv = config.architecture == Architecture::Conv;
    NetworkSteps steps;
    steps.config = config;
    // The model's own reshapes (VaeImpl::encode and decode) between its modules.
    if (!conv) steps.encodeTrunk.push_back(plain(Kind::Flatten));
    append(steps.encodeTrunk, stepsOf(model, "encoder_conv"));
    if (conv) steps.encodeTrunk.push_back(plain(Kind::Flatten));
    append(steps.encodeTrunk, stepsOf(model, "encoder"));
    steps.toMu = stepsOf(model, "to_mu").at(0);
    steps.toLogvar = stepsOf(model, "to_logvar").at(0);
    append(steps.decode, stepsOf(model, "decoder"));
    if (conv) {
        steps.decode.push_back(plain(Kind::ToImages, {config.convChannels.back(), config.convRows(), config.convCols()}));
        append(steps.decode, stepsOf(model, "decoder_conv"));
    }
    steps.decode.push_back(plain(Kind::Sigmoid));
    if (!conv) steps.decode.push_back(plain(Kind::ToImages, {config.imageChannels, config.imageRows, config.imageCols}));
    return steps;
}

}  // namespace vae
