#pragma once
// The data sets the app knows by name, one row each: the CLI's help and value lists, the man
// page, the window's chooser and the image size a set is drawn at when none is given all read
// this table, so a new set is one row here (and, for a drawn set, its drawing in base/).
// A name is never a path: "mnist" is the built-in MNIST even where ./mnist exists; a folder of
// that name is reached as ./mnist (resolveDatasetFolder, isBuiltInDataset).
#include <string>
#include <vector>

namespace vae {

struct BuiltInDataset {
    std::string name;      // the --dataset value: "mnist"
    std::string title;     // the window's name for it: "MNIST"
    std::string summary;   // one line for --help and the docs
    int imageSize = 28;    // the side it is read or drawn at when no --image-size is given
    int minImageSize = 4;  // the smallest side it can be drawn at (a read set: its own)
    bool colour = false;
    bool drawn = false;    // drawn by the app (base/generated_dataset), not read from IDX files
};

const std::vector<BuiltInDataset>& builtInDatasets();
// Null for a name that is not a built-in set (a folder, say).
const BuiltInDataset* findBuiltInDataset(const std::string& name);
// "mnist|fashion-mnist|emoji|sprites": the names for a value list.
std::string builtInDatasetNames(const std::string& separator);

}  // namespace vae
