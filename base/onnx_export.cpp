#include "onnx_export.h"

#include "errors.h"

#include <onnx/onnx_pb.h>

namespace vae {
namespace {

// Writes steps as graph nodes, each weight an initializer, each output a fresh name.
class GraphWriter {
public:
    explicit GraphWriter(onnx::GraphProto& graph) : graph_(graph) {}

    std::string steps(const std::vector<NetworkStep>& steps, std::string input) {
        for (const NetworkStep& step : steps) input = node(step, input);
        return input;
    }

    // One step from `input`; returns its output's name (`output` when given).
    std::string node(const NetworkStep& step, const std::string& input, std::string output = {}) {
        using Kind = NetworkStep::Kind;
        if (output.empty()) output = "t" + std::to_string(count_++);
        auto* node = graph_.add_node();
        node->add_input(input);
        node->add_output(output);
        switch (step.kind) {
        case Kind::Dense:
            node->set_op_type("Gemm");
            addWeights(*node, step);
            ints(*node, "transB", {1}, /*single=*/true);
            break;
        case Kind::Conv:
        case Kind::TransposedConv: {
            node->set_op_type(step.kind == Kind::Conv ? "Conv" : "ConvTranspose");
            addWeights(*node, step);
            ints(*node, "kernel_shape", {step.shape.at(2), step.shape.at(3)});
            ints(*node, "strides", {step.stride, step.stride});
            ints(*node, "pads", {step.padding, step.padding, step.padding, step.padding});
            if (step.kind == Kind::TransposedConv) ints(*node, "output_padding", {step.outputPadding.at(0), step.outputPadding.at(1)});
            break;
        }
        case Kind::Relu: node->set_op_type("Relu"); break;
        case Kind::Tanh: node->set_op_type("Tanh"); break;
        case Kind::Sigmoid: node->set_op_type("Sigmoid"); break;
        case Kind::Flatten:
            node->set_op_type("Flatten");
            ints(*node, "axis", {1}, true);
            break;
        case Kind::ToImages: {
            node->set_op_type("Reshape");
            std::vector<std::int64_t> shape{-1};
            shape.insert(shape.end(), step.shape.begin(), step.shape.end());
            node->add_input(initializer(shape));
            break;
        }
        }
        return output;
    }

private:
    void addWeights(onnx::NodeProto& node, const NetworkStep& step) {
        node.add_input(initializer(step.weight, step.shape));
        node.add_input(initializer(step.bias, {std::int64_t(step.bias.size())}));
    }

    static void ints(onnx::NodeProto& node, const std::string& name, const std::vector<std::int64_t>& values, bool single = false) {
        auto* attribute = node.add_attribute();
        attribute->set_name(name);
        if (single) {
            attribute->set_type(onnx::AttributeProto::INT);
            attribute->set_i(values.at(0));
            return;
        }
        attribute->set_type(onnx::AttributeProto::INTS);
        for (std::int64_t value : values) attribute->add_ints(value);
    }

    std::string initializer(const std::vector<float>& values, const std::vector<std::int64_t>& dims) {
        auto* tensor = addInitializer(dims);
        tensor->set_data_type(onnx::TensorProto::FLOAT);
        for (float value : values) tensor->add_float_data(value);
        return tensor->name();
    }

    std::string initializer(const std::vector<std::int64_t>& values) {
        auto* tensor = addInitializer({std::int64_t(values.size())});
        tensor->set_data_type(onnx::TensorProto::INT64);
        for (std::int64_t value : values) tensor->add_int64_data(value);
        return tensor->name();
    }

    onnx::TensorProto* addInitializer(const std::vector<std::int64_t>& dims) {
        auto* tensor = graph_.add_initializer();
        tensor->set_name("w" + std::to_string(count_++));
        for (std::int64_t dim : dims) tensor->add_dims(dim);
        return tensor;
    }

    onnx::GraphProto& graph_;
    int count_ = 0;
};

// A float tensor of shape (N, dims...) with the batch N left open.
void addValue(google::protobuf::RepeatedPtrField<onnx::ValueInfoProto>& values, const std::string& name,
              const std::vector<std::int64_t>& dims) {
    auto* value = values.Add();
    value->set_name(name);
    auto* tensor = value->mutable_type()->mutable_tensor_type();
    tensor->set_elem_type(onnx::TensorProto::FLOAT);
    tensor->mutable_shape()->add_dim()->set_dim_param("N");
    for (std::int64_t dim : dims) tensor->mutable_shape()->add_dim()->set_dim_value(dim);
}

}  // namespace

std::string onnxFile(const NetworkSteps& steps, ExportPart part,
                     const std::vector<std::pair<std::string, std::string>>& metadata) {
    onnx::ModelProto model;
    model.set_ir_version(onnx::IR_VERSION);
    model.set_producer_name("vae-explorer");
    auto* opset = model.add_opset_import();
    opset->set_domain("");
    opset->set_version(kOnnxOpset);
    for (const auto& [key, value] : metadata) {
        auto* entry = model.add_metadata_props();
        entry->set_key(key);
        entry->set_value(value);
    }
    auto& graph = *model.mutable_graph();
    graph.set_name("vae_explorer_" + exportPartName(part));
    const ModelConfig& config = steps.config;
    const std::vector<std::int64_t> imageDims{config.imageChannels, config.imageRows, config.imageCols};
    const std::vector<std::int64_t> latentDims{config.latentDim};
    GraphWriter writer(graph);
    const auto decodeFrom = [&](const std::string& latents) {  // its last step writes "images"
        auto decode = steps.decode;
        const NetworkStep last = decode.back();
        decode.pop_back();
        writer.node(last, writer.steps(decode, latents), "images");
    };
    if (part == ExportPart::Decoder) {
        addValue(*graph.mutable_input(), "z", latentDims);
        decodeFrom("z");
    } else {
        addValue(*graph.mutable_input(), "x", imageDims);
        const std::string features = writer.steps(steps.encodeTrunk, "x");
        writer.node(steps.toMu, features, "mu");
        writer.node(steps.toLogvar, features, "logvar");
        if (part == ExportPart::Vae) decodeFrom("mu");
    }
    if (part != ExportPart::Encoder) addValue(*graph.mutable_output(), "images", imageDims);
    if (part != ExportPart::Decoder) {
        addValue(*graph.mutable_output(), "mu", latentDims);
        addValue(*graph.mutable_output(), "logvar", latentDims);
    }
    std::string bytes;
    if (!model.SerializeToString(&bytes)) throw DataError("export: the ONNX model could not be serialized");
    return bytes;
}

}  // namespace vae
