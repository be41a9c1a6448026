#pragma once
#include <torch/torch.h>

#include <string>
#include <vector>

namespace vae {

struct DatasetData {
    std::string name;
    int rows = 0;
    int cols = 0;
    int channels = 1;  // 1 (grey: IDX files, grey folders) or 3 (RGB)
    // uint8, N x channels*rows*cols (each image channel-major, as torch's C x H x W), contiguous; batches are index slices converted to float on the fly
    // (a quarter of the memory of a float copy, and the conversion is negligible).
    torch::Tensor trainImages;
    torch::Tensor testImages;
    std::vector<int> trainLabels;  // one per image; 0 where the data came without labels
    std::vector<int> testLabels;
    std::vector<std::string> classNames;  // label -> name, as long as the largest label + 1
    // A binary set too large as bytes (sprites: 737,280 images) keeps its training images one bit
    // a pixel: trainImages is then N x ceil(pixels / 8), most significant bit first, and
    // trainRows() unpacks the rows a batch needs.
    bool trainPackedBits = false;
    // Named factors of variation, one row per image (N x factorNames.size()), where the data has
    // them (sprites, an image folder's factors.csv).
    std::vector<std::string> factorNames;
    std::vector<float> trainFactors;
    std::vector<float> testFactors;
};

// The training images at `index` as bytes (N x channels*rows*cols), unpacked when packed.
torch::Tensor trainRows(const DatasetData& data, const torch::Tensor& trainImages, const torch::Tensor& index);
// Rows of bits (most significant first) to bytes of 0 or 255, `pixels` a row.
torch::Tensor unpackBits(const torch::Tensor& packed, std::int64_t pixels);

}  // namespace vae
