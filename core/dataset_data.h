#pragma once
#include <torch/torch.h>

#include <string>

namespace vae {

struct DatasetData {
    std::string name;
    int rows = 0;
    int cols = 0;
    // uint8, N x rows*cols, contiguous; batches are index slices converted to float on the fly
    // (a quarter of the memory of a float copy, and the conversion is negligible).
    torch::Tensor trainImages;
    torch::Tensor testImages;
};

}  // namespace vae
