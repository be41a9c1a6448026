#include "torchscript_export.h"

#include "errors.h"

#include <torch/script.h>

#include <sstream>

namespace vae {
namespace {

std::string list(const std::vector<std::int64_t>& values) {
    std::string text = "[";
    for (std::size_t i = 0; i < values.size(); ++i) text += (i ? ", " : "") + std::to_string(values[i]);
    return text + "]";
}

// Writes steps as TorchScript statements on `h`, registering each weight as a parameter.
class ScriptWriter {
public:
    explicit ScriptWriter(torch::jit::Module& module) : module_(module) {}

    std::string statements(const std::vector<NetworkStep>& steps) {
        std::string body;
        for (const NetworkStep& step : steps) body += "        h = " + expression(step, "h") + "\n";
        return body;
    }

    std::string expression(const NetworkStep& step, const std::string& input) {
        using Kind = NetworkStep::Kind;
        const std::string s = std::to_string(step.stride), p = std::to_string(step.padding);
        switch (step.kind) {
        case Kind::Dense: return "torch.addmm(" + bias(step) + ", " + input + ", " + weight(step) + ".t())";
        case Kind::Conv:
            return "torch.conv2d(" + input + ", " + weight(step) + ", " + bias(step) + ", [" + s + ", " + s + "], [" + p +
                   ", " + p + "])";
        case Kind::TransposedConv:
            return "torch.conv_transpose2d(" + input + ", " + weight(step) + ", " + bias(step) + ", [" + s + ", " + s +
                   "], [" + p + ", " + p + "], [" + std::to_string(step.outputPadding.at(0)) + ", " +
                   std::to_string(step.outputPadding.at(1)) + "])";
        case Kind::Relu: return "torch.relu(" + input + ")";
        case Kind::Tanh: return "torch.tanh(" + input + ")";
        case Kind::Sigmoid: return "torch.sigmoid(" + input + ")";
        case Kind::Flatten: return input + ".flatten(1)";
        case Kind::ToImages: return input + ".reshape([-1, " + list(step.shape).substr(1) + ")";
        }
        throw ConfigError("export: a step TorchScript cannot write");
    }

private:
    std::string weight(const NetworkStep& step) { return parameter(step.weight, step.shape); }
    std::string bias(const NetworkStep& step) { return parameter(step.bias, {std::int64_t(step.bias.size())}); }
    std::string parameter(const std::vector<float>& values, const std::vector<std::int64_t>& shape) {
        const std::string name = "p" + std::to_string(count_++);
        auto tensor = torch::from_blob(const_cast<float*>(values.data()), {std::int64_t(values.size())}, torch::kFloat32)
                          .clone()
                          .reshape(shape);
        module_.register_parameter(name, tensor, /*is_buffer=*/false);
        return "self." + name;
    }

    torch::jit::Module& module_;
    int count_ = 0;
};

void addAttributes(torch::jit::Module& module, const ModelConfig& config, ExportPart part, const ExportLabels& labels) {
    module.register_attribute("latent_dim", c10::IntType::get(), config.latentDim);
    module.register_attribute("image_channels", c10::IntType::get(), config.imageChannels);
    module.register_attribute("image_rows", c10::IntType::get(), config.imageRows);
    module.register_attribute("image_cols", c10::IntType::get(), config.imageCols);
    module.register_attribute("likelihood", c10::StringType::get(), likelihoodName(config.likelihood));
    module.register_attribute("dataset", c10::StringType::get(), labels.dataset);
    module.register_attribute("part", c10::StringType::get(), exportPartName(part));
    c10::List<std::string> names;
    for (const auto& name : labels.classNames) names.push_back(name);
    module.register_attribute("class_names", c10::ListType::ofStrings(), names);
}

}  // namespace

std::string torchScriptFile(const NetworkSteps& steps, ExportPart part, const ExportLabels& labels,
                            const std::map<std::string, std::string>& extraFiles) {
    torch::jit::Module module("__torch__.vae_explorer.Model");
    addAttributes(module, steps.config, part, labels);
    ScriptWriter writer(module);
    std::string source;
    const bool decodes = part != ExportPart::Encoder, encodes = part != ExportPart::Decoder;
    if (decodes) source += "    def decode(self, z):\n        h = z\n" + writer.statements(steps.decode) + "        return h\n";
    if (encodes)
        source += "    def encode(self, x):\n        h = x\n" + writer.statements(steps.encodeTrunk) + "        return (" +
                  writer.expression(steps.toMu, "h") + ", " + writer.expression(steps.toLogvar, "h") + ")\n";
    if (part == ExportPart::Decoder) source += "    def forward(self, z):\n        return self.decode(z)\n";
    if (part == ExportPart::Encoder) source += "    def forward(self, x):\n        return self.encode(x)\n";
    if (part == ExportPart::Vae)
        source += "    def forward(self, x):\n        mu, logvar = self.encode(x)\n"
                  "        return (self.decode(mu), mu, logvar)\n";
    module.define(source);
    module.eval();
    std::ostringstream out;
    torch::jit::ExtraFilesMap extra(extraFiles.begin(), extraFiles.end());
    module.save(out, extra);
    return out.str();
}

}  // namespace vae
