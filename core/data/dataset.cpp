#include "dataset.h"

#include "builtin_datasets.h"
#include "dataset_data.h"
#include "errors.h"
#include "idx_reader.h"

#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace vae {
namespace {

bool isFile(const std::string& path) {
    struct stat info {};
    return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
}

bool isFolder(const std::string& path) {
    struct stat info {};
    return ::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

// The standard file name, raw or gzipped.
std::string findIdxFile(const std::string& folder, const std::string& base) {
    for (const char* suffix : {"", ".gz"}) {
        const auto path = folder + "/" + base + suffix;
        if (isFile(path)) return path;
    }
    throw DataError(folder + ": missing " + base + " (or " + base + ".gz)");
}

torch::Tensor loadSplit(const std::string& folder, const std::string& prefix, int& rows, int& cols,
                        std::vector<int>& labelsOut) {
    const auto imagesPath = findIdxFile(folder, prefix + "-images-idx3-ubyte");
    const auto labelsPath = findIdxFile(folder, prefix + "-labels-idx1-ubyte");
    // The labels first: their count checks the images' header before any pixel is inflated.
    const auto labels = readIdxLabels(labelsPath);
    auto images = readIdxImages(imagesPath, ExpectedCount{labels.labels.size(), labelsPath + " has " +
                                                                             std::to_string(labels.labels.size()) + " labels"});
    if (rows != 0 && (int(images.rows) != rows || int(images.cols) != cols))
        throw DataError(imagesPath + ": images are " + std::to_string(images.rows) + "x" +
                        std::to_string(images.cols) + " but the training images are " + std::to_string(rows) +
                        "x" + std::to_string(cols));
    rows = int(images.rows);
    cols = int(images.cols);
    auto tensor = torch::empty({std::int64_t(images.count), std::int64_t(rows) * cols}, torch::kUInt8);
    std::memcpy(tensor.data_ptr(), images.pixels.data(), images.pixels.size());
    labelsOut.assign(labels.labels.begin(), labels.labels.end());
    return tensor;
}

torch::Tensor toUint8(const Images& images) {
    if (images.count < 1 || images.rows < 1 || images.cols < 1 || (images.channels != 1 && images.channels != 3) ||
        images.values.size() != std::size_t(images.count) * images.valuesPerImage())
        throw DataError("in-memory images: inconsistent size");
    auto floats = torch::from_blob(const_cast<float*>(images.values.data()),
                                   {images.count, std::int64_t(images.valuesPerImage())}, torch::kFloat32);
    return (floats.clamp(0, 1) * 255).round().to(torch::kUInt8).contiguous();
}

std::vector<int> labelsOrZeros(std::vector<int> labels, int count, const std::string& name, const char* split) {
    if (labels.empty()) return std::vector<int>(std::size_t(count), 0);
    if (int(labels.size()) != count || *std::min_element(labels.begin(), labels.end()) < 0)
        throw DataError(name + ": " + std::to_string(labels.size()) + " " + split + " labels for " +
                        std::to_string(count) + " images (labels must be >= 0)");
    return labels;
}

// Names for labels 0..largest: Fashion-MNIST's classes (its t10k/train label order), else the
// numbers themselves (the digits, for MNIST).
std::vector<std::string> classNamesFor(const std::string& folder, const std::vector<int>& labels) {
    static const std::vector<std::string> fashion{"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                                  "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
    const int largest = labels.empty() ? 0 : *std::max_element(labels.begin(), labels.end());
    if (folder == fashionMnistFolder() && largest < int(fashion.size())) return fashion;
    std::vector<std::string> names;
    for (int label = 0; label <= largest; ++label) names.push_back(std::to_string(label));
    return names;
}

}  // namespace

std::string appDataFolder() {
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) return std::string(xdg) + "/vae-explorer";
    const char* home = std::getenv("HOME");
    return std::string(home ? home : ".") + "/.local/share/vae-explorer";
}

std::string mnistFolder() {
    if (const char* dir = std::getenv("VAE_EXPLORER_MNIST_DIR"); dir && *dir) return dir;
    return appDataFolder() + "/mnist";
}

std::string fashionMnistFolder() { return "/usr/share/datasets/fashion-mnist"; }

std::string resolveDatasetFolder(const std::string& spec) {
    if (spec == "mnist") return mnistFolder();
    if (spec == "fashion-mnist") return fashionMnistFolder();
    if (spec.find('/') == std::string::npos && !isFolder(spec))
        throw DataError("--dataset: unknown dataset '" + spec + "' (use " + builtInDatasetNames(", ") + " or a folder)");
    return spec;
}

ImageDataset ImageDataset::load(const std::string& spec) {
    const auto folder = resolveDatasetFolder(spec);
    if (!isFolder(folder)) {
        const std::string hint = spec == "mnist" ? " (run scripts/fetch-mnist.sh)" :
                                 spec == "fashion-mnist" ? " (install the Debian package dataset-fashion-mnist)" : "";
        throw DataError(folder + ": no such folder" + hint);
    }
    auto data = std::make_shared<DatasetData>();
    data->name = spec;
    data->trainImages = loadSplit(folder, "train", data->rows, data->cols, data->trainLabels);
    data->testImages = loadSplit(folder, "t10k", data->rows, data->cols, data->testLabels);
    std::vector<int> all = data->trainLabels;
    all.insert(all.end(), data->testLabels.begin(), data->testLabels.end());
    data->classNames = classNamesFor(folder, all);
    return ImageDataset(std::move(data));
}

ImageDataset ImageDataset::fromImages(const std::string& name, const Images& train, const Images& test,
                                      std::vector<int> trainLabels, std::vector<int> testLabels,
                                      std::vector<std::string> classNames) {
    if (train.rows != test.rows || train.cols != test.cols || train.channels != test.channels)
        throw DataError(name + ": train and test images differ in size or colour");
    auto data = std::make_shared<DatasetData>();
    data->name = name;
    data->rows = train.rows;
    data->cols = train.cols;
    data->channels = train.channels;
    data->trainImages = toUint8(train);
    data->testImages = toUint8(test);
    data->trainLabels = labelsOrZeros(std::move(trainLabels), train.count, name, "train");
    data->testLabels = labelsOrZeros(std::move(testLabels), test.count, name, "test");
    std::vector<int> all = data->trainLabels;
    all.insert(all.end(), data->testLabels.begin(), data->testLabels.end());
    data->classNames = classNames.empty() ? classNamesFor(name, all) : std::move(classNames);
    return ImageDataset(std::move(data));
}

ImageDataset ImageDataset::fromPixels(const std::string& name, int channels, int rows, int cols,
                                      const std::vector<std::uint8_t>& train, const std::vector<std::uint8_t>& test,
                                      std::vector<int> trainLabels, std::vector<int> testLabels,
                                      std::vector<std::string> classNames) {
    const std::size_t perImage = std::size_t(channels) * rows * cols;
    if ((channels != 1 && channels != 3) || rows < 1 || cols < 1 || train.size() != trainLabels.size() * perImage ||
        test.size() != testLabels.size() * perImage || trainLabels.empty() || testLabels.empty())
        throw DataError(name + ": inconsistent image data");
    const auto tensor = [&](const std::vector<std::uint8_t>& bytes, std::size_t count) {
        return torch::from_blob(const_cast<std::uint8_t*>(bytes.data()), {std::int64_t(count), std::int64_t(perImage)},
                                torch::kUInt8)
            .clone();
    };
    auto data = std::make_shared<DatasetData>();
    data->name = name;
    data->rows = rows;
    data->cols = cols;
    data->channels = channels;
    data->trainImages = tensor(train, trainLabels.size());
    data->testImages = tensor(test, testLabels.size());
    data->trainLabels = std::move(trainLabels);
    data->testLabels = std::move(testLabels);
    data->classNames = std::move(classNames);
    return ImageDataset(std::move(data));
}

ImageDataset ImageDataset::fromPackedBits(const std::string& name, int rows, int cols, std::vector<std::uint8_t> trainBits,
                                          const std::vector<std::uint8_t>& test, std::vector<int> trainLabels,
                                          std::vector<int> testLabels, std::vector<std::string> classNames) {
    const std::int64_t rowBytes = (std::int64_t(rows) * cols + 7) / 8;
    if (rows < 1 || cols < 1 || trainBits.size() != trainLabels.size() * std::size_t(rowBytes) ||
        test.size() != testLabels.size() * std::size_t(rows) * std::size_t(cols) || trainLabels.empty() || testLabels.empty())
        throw DataError(name + ": inconsistent image data");
    auto data = std::make_shared<DatasetData>();
    data->name = name;
    data->rows = rows;
    data->cols = cols;
    auto* owned = new std::vector<std::uint8_t>(std::move(trainBits));
    data->trainImages = torch::from_blob(owned->data(), {std::int64_t(trainLabels.size()), rowBytes},
                                         [owned](void*) { delete owned; }, torch::kUInt8);
    data->trainPackedBits = true;
    data->testImages = torch::from_blob(const_cast<std::uint8_t*>(test.data()), {std::int64_t(testLabels.size()), std::int64_t(rows) * cols},
                                        torch::kUInt8).clone();
    data->trainLabels = std::move(trainLabels);
    data->testLabels = std::move(testLabels);
    data->classNames = std::move(classNames);
    return ImageDataset(std::move(data));
}

ImageDataset ImageDataset::withFactors(std::vector<std::string> names, std::vector<float> trainFactors,
                                       std::vector<float> testFactors) const {
    if (names.empty() || trainFactors.size() != std::size_t(trainCount()) * names.size() ||
        testFactors.size() != std::size_t(testCount()) * names.size())
        throw DataError(name() + ": the factors do not give one value per image and factor");
    auto data = std::make_shared<DatasetData>(*data_);  // the tensors are shared, not copied
    data->factorNames = std::move(names);
    data->trainFactors = std::move(trainFactors);
    data->testFactors = std::move(testFactors);
    return ImageDataset(std::move(data));
}

ImageDataset ImageDataset::withTrainSubset(int count, std::uint64_t seed) const {
    if (count <= 0 || count >= trainCount()) return *this;
    auto generator = at::make_generator<at::CPUGeneratorImpl>(seed);
    const auto chosen = std::get<0>(torch::randperm(trainCount(), generator, torch::kLong).slice(0, 0, count).sort());
    auto data = std::make_shared<DatasetData>(*data_);
    data->trainImages = data_->trainImages.index_select(0, chosen);
    data->trainLabels.clear();
    const std::size_t factorCount = data_->factorNames.size();
    data->trainFactors.clear();
    const auto* picked = chosen.data_ptr<std::int64_t>();
    for (int i = 0; i < count; ++i) {
        const auto at = std::size_t(picked[i]);
        data->trainLabels.push_back(data_->trainLabels[at]);
        for (std::size_t f = 0; f < factorCount; ++f) data->trainFactors.push_back(data_->trainFactors[at * factorCount + f]);
    }
    return ImageDataset(std::move(data));
}

torch::Tensor unpackBits(const torch::Tensor& packed, std::int64_t pixels) {
    // Each byte's eight pixels, looked up: 256 x 8 values of 0 or 255.
    static const torch::Tensor table = [] {
        auto t = torch::empty({256, 8}, torch::kUInt8);
        auto* p = t.data_ptr<std::uint8_t>();
        for (int byte = 0; byte < 256; ++byte)
            for (int bit = 0; bit < 8; ++bit) p[byte * 8 + bit] = (byte >> (7 - bit)) & 1 ? 255 : 0;
        return t;
    }();
    const std::int64_t n = packed.size(0);
    return table.index_select(0, packed.reshape({-1}).to(torch::kLong)).view({n, -1}).slice(1, 0, pixels).contiguous();
}

torch::Tensor trainRows(const DatasetData& data, const torch::Tensor& trainImages, const torch::Tensor& index) {
    const auto rows = trainImages.index_select(0, index);
    return data.trainPackedBits ? unpackBits(rows.cpu(), std::int64_t(data.rows) * data.cols).to(rows.device()) : rows;
}

const std::string& ImageDataset::name() const { return data_->name; }
int ImageDataset::trainCount() const { return int(data_->trainImages.size(0)); }
int ImageDataset::testCount() const { return int(data_->testImages.size(0)); }
int ImageDataset::rows() const { return data_->rows; }
int ImageDataset::cols() const { return data_->cols; }
int ImageDataset::channels() const { return data_->channels; }

Images ImageDataset::testImages(int first, int count) const {
    first = std::clamp(first, 0, testCount());
    count = std::clamp(count, 0, testCount() - first);
    const auto floats = data_->testImages.slice(0, first, first + count).to(torch::kFloat32).div(255).contiguous();
    Images out{count, rows(), cols(), {}, channels()};
    out.values.assign(floats.data_ptr<float>(), floats.data_ptr<float>() + floats.numel());
    return out;
}

std::vector<std::uint8_t> ImageDataset::testPixels(int count) const {
    count = std::clamp(count, 0, testCount());
    const auto rows = data_->testImages.slice(0, 0, count).contiguous();
    return {rows.data_ptr<std::uint8_t>(), rows.data_ptr<std::uint8_t>() + rows.numel()};
}

const std::vector<int>& ImageDataset::testLabels() const { return data_->testLabels; }
const std::vector<std::string>& ImageDataset::factorNames() const { return data_->factorNames; }
const std::vector<float>& ImageDataset::testFactors() const { return data_->testFactors; }
const std::vector<std::string>& ImageDataset::classNames() const { return data_->classNames; }

std::string ImageDataset::identity() const {
    // Grey identities read as before colour existed, so that older checkpoints still resume.
    std::string text = std::to_string(trainCount() + testCount()) + " images of " +
                       imageShapeText(rows(), cols(), channels()) + " in " + std::to_string(classNames().size()) + " classes:";
    for (const auto& name : classNames()) text += " " + name;
    return text;
}

}  // namespace vae
