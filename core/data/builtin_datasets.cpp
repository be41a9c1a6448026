#include "builtin_datasets.h"

namespace vae {

const std::vector<BuiltInDataset>& builtInDatasets() {
    static const std::vector<BuiltInDataset> table = {
        {"mnist", "MNIST", "handwritten digits, 60,000 + 10,000 grey 28-px images (scripts/fetch-mnist.sh)", 28, 28,
         false, false},
        {"fashion-mnist", "Fashion-MNIST",
         "Zalando's clothes, 60,000 + 10,000 grey 28-px images (Debian's dataset-fashion-mnist)", 28, 28, false, false},
        {"emoji", "Emoji (colour)",
         "Debian's Noto Color Emoji in 9 groups, drawn once per image size (32 px unless --image-size)", 32, 4, true,
         true},
        {"sprites", "Sprites (known factors)",
         "dSprites' 737,280 binary shapes with five known factors, drawn once per image size (64 px unless "
         "--image-size; 32 or more)",
         64, 32, false, true},
    };
    return table;
}

const BuiltInDataset* findBuiltInDataset(const std::string& name) {
    for (const BuiltInDataset& set : builtInDatasets())
        if (set.name == name) return &set;
    return nullptr;
}

std::string builtInDatasetNames(const std::string& separator) {
    std::string names;
    for (const BuiltInDataset& set : builtInDatasets()) names += (names.empty() ? "" : separator) + set.name;
    return names;
}

}  // namespace vae
