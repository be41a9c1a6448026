#pragma once
// Data sets the app draws itself instead of reading files: one home for their rendering, their
// cache, their identity and the built-in list. A new generated set (sprites with known factors,
// say) adds only its drawing: a GeneratedSource.
//
// Each is drawn once per image size into $XDG_DATA_HOME/vae-explorer/generated/NAME-SIZE and read
// from there afterwards. A checksum of its source files decides when to draw it again. Drawing
// needs a QGuiApplication (fonts); the CLI runs on the offscreen platform for that.
#include "dataset.h"

#include <QString>

#include <functional>
#include <string>
#include <vector>

namespace vae {

// What a source draws: every image at one size, its label, and the key that keeps near-duplicates
// (variants of one picture) on the same side of the test split.
struct DrawnImages {
    int size = 0;
    int channels = 3;
    int count = 0;
    // count x channels x size x size, channel-major per image; with packedBits (binary, one
    // channel) each image is ceil(size*size/8) bytes, one bit a pixel, most significant first.
    std::vector<std::uint8_t> pixels;
    bool packedBits = false;
    std::vector<int> labels;
    std::vector<std::string> splitKeys;
    std::vector<std::string> classNames;
    // Where a source says which images are the test set itself (else the split keys decide).
    std::vector<bool> inTest;
    std::vector<int> testOrder;  // and the order of the test set (else the images' own order)
    std::vector<std::string> factorNames;
    std::vector<float> factors;  // count x factorNames.size()
};

struct GeneratedSource {
    std::string name;                      // the --dataset name: its row in core's builtInDatasets()
    std::vector<std::string> sourceFiles;  // read by the drawing; their checksum keys the cache
    std::string missingHint;               // what to install when a source file is missing
    std::function<DrawnImages(int size)> draw;
    // For a large set whose labels, factors and split follow from each image's place: fills them
    // in after the pixels are drawn or read, so the cache keeps only the pixels.
    std::function<void(DrawnImages&)> annotate;
    std::string drawingVersion = "1";  // part of the cache's key: a changed drawing draws again
};

// The generated sets, by name: emoji (base/emoji_source.cpp) and sprites (base/sprites_source.cpp).
const std::vector<GeneratedSource>& generatedSources();
const GeneratedSource* findGeneratedSource(const std::string& name);

// The set at `size`, from the cache or drawn now; the test split is about one sixth of the split
// keys, chosen by a salted hash of each (the same set for everyone, as MNIST's split is). Throws
// DataError.
ImageDataset loadGenerated(const GeneratedSource& source, int size);

// Where the drawn sets are kept.
QString generatedCacheFolder();

}  // namespace vae
