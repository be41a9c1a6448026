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
};

}  // namespace vae
