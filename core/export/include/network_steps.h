#pragma once
// A model's computation as a list of plain steps with their weights, read off core's own modules,
// for writers of other formats (TorchScript here, ONNX in base/). Torch-free.
//   decode: z (N x latentDim) -> the decoder's mean images, N x C x H x W in [0,1];
//   encode: images N x C x H x W in [0,1] -> the trunk's features, then the mu and log-variance heads.
#include "decoder.h"
#include "encoder.h"

#include <cstdint>
#include <string>
#include <vector>

namespace vae {

enum class ExportPart { Decoder, Encoder, Vae };
std::string exportPartName(ExportPart part);
ExportPart parseExportPart(const std::string& name);  // "decoder", "encoder" or "vae"; throws ConfigError

struct NetworkStep {
    enum class Kind {
        Dense,           // y = x Wᵀ + b, W out x in
        Conv,            // 2-D convolution, W out x in x k x k
        TransposedConv,  // its transpose, W in x out x k x k
        Relu,
        Tanh,
        Sigmoid,
        Flatten,   // N x ... -> N x features (channel-major)
        ToImages,  // N x features -> N x shape[0] x shape[1] x shape[2]
    };
    Kind kind = Kind::Relu;
    std::vector<std::int64_t> shape;  // the weight's (Dense, Conv, TransposedConv) or the images' (ToImages)
    std::vector<float> weight;        // row-major in torch's layout
    std::vector<float> bias;
    int stride = 1;
    int padding = 0;
    std::vector<int> outputPadding;  // TransposedConv: rows, cols
};

struct NetworkSteps {
    ModelConfig config;
    std::vector<NetworkStep> decode;
    std::vector<NetworkStep> encodeTrunk;  // shared by both heads
    NetworkStep toMu;                      // Dense
    NetworkStep toLogvar;                  // Dense
};

// Throws ConfigError when the weights do not fit their config.
NetworkSteps networkSteps(const DecoderWeights& decoder, const EncoderWeights& encoder);

}  // namespace vae
