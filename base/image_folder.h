#pragma once
// Datasets from folders of ordinary images, the torchvision ImageFolder convention: one subfolder
// per class of PNG, JPEG or BMP files, decoded here with Qt's image readers (core stays Qt-free
// and receives the pixels). Every other dataset goes to core's IDX loader.
#include "dataset.h"
#include "image_decode.h"
#include "settings.h"

#include <QString>
#include <QStringList>

namespace vae {

struct LoadedDataset {
    ImageDataset dataset;
    QString note;  // one line about skipped, unreadable images; empty when none
};

// A built-in set's name (core's builtInDatasets()): a name, never a folder, even where a folder of
// that name exists; such a folder is reached as ./NAME.
bool isBuiltInDataset(const QString& spec);
// One line saying which was meant when `spec` names a built-in set and a folder of that name is
// here too; empty otherwise. Every command that takes a data set prints it.
QString datasetNameNote(const QString& spec);

// True for a folder with class subfolders and no IDX files of its own.
bool isImageFolder(const QString& dir);

// The run's dataset: an image folder (grey, resized to settings.imageSize, its test/ subfolder
// as the test set, else settings.testFraction split off with the run's seed) or, for anything
// else, ImageDataset::load. Throws DataError naming the folder: no readable image at all, a test
// set or a training set left empty.
LoadedDataset loadDataset(const RunSettings& settings);

// One picture of the user's, prepared as the model's data set prepared its images, for the picture
// placed on the map and `encode --image`: decoded within image_decode's bound, squared to the
// model's side by `fit` ("crop" or "squash"), in the model's channels, transparent pixels on the
// folders' background. A null image and the problem (without the file's name) when it cannot be.
DecodedImage preparePicture(const std::string& nativePath, const ModelConfig& model, const std::string& fit);

// What tells apart the data loadDataset gives for these settings: the dataset alone for IDX files;
// for an image folder also the image size, and the test fraction and seed when the split is drawn
// (no test/ subfolder). Data already loaded is kept while this stays the same.
QString datasetIdentity(const RunSettings& settings);

}  // namespace vae
