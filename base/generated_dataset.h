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
    std::vector<std::uint8_t> pixels;  // count x channels x size x size, channel-major per image
    std::vector<int> labels;
    std::vector<std::string> splitKeys;
    std::vector<std::string> classNames;
};

struct GeneratedSource {
    std::string name;                      // the --dataset name
    std::string title;                     // the window's name for it
    std::vector<std::string> sourceFiles;  // read by the drawing; their checksum keys the cache
    std::string missingHint;               // what to install when a source file is missing
    std::function<DrawnImages(int size)> draw;
};

// The generated sets, by name: today emoji (base/emoji_source.cpp).
const std::vector<GeneratedSource>& generatedSources();
const GeneratedSource* findGeneratedSource(const std::string& name);

// The set at `size`, from the cache or drawn now; the test split is about one sixth of the split
// keys, chosen by a salted hash of each (the same set for everyone, as MNIST's split is). Throws
// DataError.
ImageDataset loadGenerated(const GeneratedSource& source, int size);

// Where the drawn sets are kept.
QString generatedCacheFolder();

}  // namespace vae
