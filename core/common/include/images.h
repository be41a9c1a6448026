#pragma once
// Images as plain values: what decoding and reconstructing return.
#include <cstddef>
#include <string>
#include <vector>

namespace vae {

// Images as floats in [0,1]: `count` images of channels x rows x cols, each image channel-major
// (all of red, then green, then blue; one plane for grey), each plane row-major. Torch's
// N x C x H x W, flattened.
struct Images {
    int count = 0;
    int rows = 0;
    int cols = 0;
    std::vector<float> values;
    int channels = 1;  // 1 (grey) or 3 (RGB); last, so that {count, rows, cols, values} stays grey

    std::size_t valuesPerImage() const { return std::size_t(channels) * rows * cols; }
    const float* image(int index) const { return values.data() + std::size_t(index) * valuesPerImage(); }
};

// "28x28" for grey, "32x32 RGB" for colour: how every message names an image shape.
inline std::string imageShapeText(int rows, int cols, int channels) {
    return std::to_string(rows) + "x" + std::to_string(cols) + (channels == 3 ? " RGB" : "");
}

}  // namespace vae
