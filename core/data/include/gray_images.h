#pragma once
// Images as plain values: what decoding and reconstructing return.
#include <cstddef>
#include <vector>

namespace vae {

// Images as floats in [0,1], row-major, `count` images of rows x cols.
struct GrayImages {
    int count = 0;
    int rows = 0;
    int cols = 0;
    std::vector<float> values;

    const float* image(int index) const { return values.data() + std::size_t(index) * rows * cols; }
};

}  // namespace vae
