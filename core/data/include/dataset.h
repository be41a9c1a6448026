#pragma once
// An image dataset (train and test split) held in memory. Torch-free interface.
#include "images.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace vae {

struct DatasetData;  // torch tensors, defined in dataset_data.h

// Where `--dataset mnist` looks: $VAE_EXPLORER_MNIST_DIR, else
// ${XDG_DATA_HOME:-~/.local/share}/vae-explorer/mnist (filled by scripts/fetch-mnist.sh).
std::string mnistFolder();
// ${XDG_DATA_HOME:-~/.local/share}/vae-explorer: where the app keeps data it fetched or drew.
std::string appDataFolder();
std::string fashionMnistFolder();
// "mnist", "fashion-mnist" or a folder path -> folder. Throws DataError for unknown names.
std::string resolveDatasetFolder(const std::string& spec);

class ImageDataset {
public:
    // Loads the four standard IDX files (raw or .gz) of `spec`. Throws DataError.
    static ImageDataset load(const std::string& spec);
    // Builds a dataset from images already in memory (tests, synthetic data). Labels, one per
    // image, may be left out (all 0 then).
    // Class names, when given, name the labels (an image folder's subfolders).
    static ImageDataset fromImages(const std::string& name, const Images& train, const Images& test,
                                   std::vector<int> trainLabels = {}, std::vector<int> testLabels = {},
                                   std::vector<std::string> classNames = {});

    // The same from bytes, channels x rows x cols an image (channel-major), as a generated set
    // keeps them: no float copy of the whole set on the way.
    static ImageDataset fromPixels(const std::string& name, int channels, int rows, int cols,
                                   const std::vector<std::uint8_t>& train, const std::vector<std::uint8_t>& test,
                                   std::vector<int> trainLabels, std::vector<int> testLabels,
                                   std::vector<std::string> classNames);

    // Binary images of one channel kept one bit a pixel: `trainBits` holds trainCount rows of
    // ceil(rows*cols/8) bytes, most significant bit first; the test set is bytes (0 or 255).
    // The bits are taken over, not copied (737,280 sprites are 377 MB of them).
    static ImageDataset fromPackedBits(const std::string& name, int rows, int cols, std::vector<std::uint8_t> trainBits,
                                       const std::vector<std::uint8_t>& test, std::vector<int> trainLabels,
                                       std::vector<int> testLabels, std::vector<std::string> classNames);
    // The same data with named factors of variation, one row of values per image. Throws DataError
    // when the counts disagree.
    ImageDataset withFactors(std::vector<std::string> names, std::vector<float> trainFactors,
                             std::vector<float> testFactors) const;
    // `count` training images chosen with `seed` (in their order), the test set unchanged; the
    // same data when count is 0 or not smaller than trainCount().
    ImageDataset withTrainSubset(int count, std::uint64_t seed) const;

    const std::string& name() const;
    int trainCount() const;
    int testCount() const;
    int rows() const;
    int cols() const;
    int channels() const;  // 1 (grey) or 3 (RGB)
    Images testImages(int first, int count) const;
    // The first `count` test images as bytes (0..255, channel-major as Images): how they cross threads.
    std::vector<std::uint8_t> testPixels(int count) const;
    const std::vector<int>& testLabels() const;
    const std::vector<std::string>& factorNames() const;  // empty when the data has no factors
    const std::vector<float>& testFactors() const;        // testCount x factorNames().size()
    // Fashion-MNIST's ten class names; an image folder's subfolders; the digits otherwise.
    const std::vector<std::string>& classNames() const;
    // What identifies the data, whatever its folder is called or where it was moved: the image
    // count and shape, and the class names. MNIST and Fashion-MNIST differ in their class names.
    // Resuming a checkpoint on data whose identity differs is refused.
    std::string identity() const;

    const DatasetData& data() const { return *data_; }

private:
    explicit ImageDataset(std::shared_ptr<const DatasetData> data) : data_(std::move(data)) {}
    std::shared_ptr<const DatasetData> data_;
};

}  // namespace vae
