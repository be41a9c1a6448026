#include "image_folder.h"

#include "errors.h"

#include <QDir>
#include <QDirIterator>
#include <QImage>
#include <QImageReader>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

namespace vae {
namespace {

const QStringList kImagePatterns{"*.png", "*.jpg", "*.jpeg", "*.bmp", "*.PNG", "*.JPG", "*.JPEG", "*.BMP"};
constexpr int kNamesShown = 3;

// A test/ subfolder is the test set; without one the split is drawn with the run's seed.
bool hasTestFolder(const QDir& dir) { return dir.exists("test"); }

bool namesImageFolder(const QString& spec) { return !isBuiltInDataset(spec) && isImageFolder(spec); }

struct Labelled {
    QString path;
    int label;
};

// The class subfolders of `dir` (sorted, as torchvision sorts them), skipping `skip`.
QStringList classFolders(const QDir& dir, const QStringList& skip = {}) {
    QStringList names = dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QString& name : skip) names.removeAll(name);
    return names;
}

// Every image file under each class folder, labelled by the class's index in `classes` (added
// when new). Sorted, so that a seed gives the same split on every machine.
std::vector<Labelled> listImages(const QDir& dir, const QStringList& folders, QStringList& classes) {
    std::vector<Labelled> files;
    for (const QString& folder : folders) {
        int label = int(classes.indexOf(folder));
        if (label < 0) {
            classes << folder;
            label = int(classes.size()) - 1;
        }
        QStringList paths;
        QDirIterator it(dir.filePath(folder), kImagePatterns, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) paths << it.next();
        paths.sort();
        for (const QString& path : paths) files.push_back({path, label});
    }
    return files;
}

// Decodes, converts to grey and resizes; unreadable files are counted and named in `skipped`.
GrayImages decode(const std::vector<Labelled>& files, int size, std::vector<int>& labels, QStringList& skipped) {
    GrayImages images;
    images.rows = images.cols = size;
    images.count = 0;
    for (const Labelled& file : files) {
        QImageReader reader(file.path);
        QImage image = reader.read();
        if (image.isNull()) {
            skipped << QFileInfo(file.path).fileName();
            continue;
        }
        image = image.convertToFormat(QImage::Format_Grayscale8)
                    .scaled(size, size, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
        for (int y = 0; y < size; ++y) {
            const uchar* row = image.constScanLine(y);
            for (int x = 0; x < size; ++x) images.values.push_back(float(row[x]) / 255.f);
        }
        ++images.count;
        labels.push_back(file.label);
    }
    return images;
}

ImageDataset loadImageFolder(const QString& folder, const RunSettings& settings, QString& note) {
    const QDir dir(folder);
    const QString name = QDir::cleanPath(dir.absolutePath());
    QStringList classes;
    std::vector<Labelled> trainFiles, testFiles;
    if (hasTestFolder(dir)) {
        // test/ holds the test set; train/ (if there is one) or the other subfolders the rest.
        const QDir trainDir(dir.exists("train") ? dir.filePath("train") : folder);
        trainFiles = listImages(trainDir, classFolders(trainDir, {"test", "train"}), classes);
        const QDir testDir(dir.filePath("test"));
        testFiles = listImages(testDir, classFolders(testDir), classes);
    } else {
        auto all = listImages(dir, classFolders(dir), classes);
        std::mt19937_64 random(settings.training.seed);
        std::shuffle(all.begin(), all.end(), random);
        const auto testCount = std::size_t(std::lround(double(all.size()) * settings.testFraction));
        testFiles.assign(all.begin(), all.begin() + std::ptrdiff_t(testCount));
        trainFiles.assign(all.begin() + std::ptrdiff_t(testCount), all.end());
    }
    QStringList skipped;
    std::vector<int> trainLabels, testLabels;
    const GrayImages train = decode(trainFiles, settings.imageSize, trainLabels, skipped);
    const GrayImages test = decode(testFiles, settings.imageSize, testLabels, skipped);
    const std::string where = name.toStdString();
    if (train.count + test.count == 0)
        throw DataError(where + ": no readable PNG, JPEG or BMP image in its class subfolders" +
                        (skipped.isEmpty() ? std::string() : " (" + std::to_string(skipped.size()) + " unreadable)"));
    if (train.count == 0) throw DataError(where + ": the training set has no readable image");
    if (test.count == 0) throw DataError(where + ": the test set has no readable image (add a test/ folder or raise --test-fraction)");
    if (!skipped.isEmpty())
        note = QString("%1: skipped %2 unreadable image%3 (%4%5)")
                   .arg(name).arg(skipped.size()).arg(skipped.size() == 1 ? "" : "s")
                   .arg(skipped.mid(0, kNamesShown).join(", "))
                   .arg(skipped.size() > kNamesShown ? ", ..." : "");
    std::vector<std::string> classNames;
    for (const QString& c : classes) classNames.push_back(c.toStdString());
    return ImageDataset::fromImages(where, train, test, std::move(trainLabels), std::move(testLabels), std::move(classNames));
}

}  // namespace

bool isBuiltInDataset(const QString& spec) { return spec == "mnist" || spec == "fashion-mnist"; }

bool isImageFolder(const QString& dir) {
    const QDir folder(dir);
    if (!folder.exists() || classFolders(folder).isEmpty()) return false;
    return folder.entryList({"*-idx3-ubyte", "*-idx3-ubyte.gz", "*-idx1-ubyte", "*-idx1-ubyte.gz"}, QDir::Files).isEmpty();
}

LoadedDataset loadDataset(const RunSettings& settings) {
    const QString spec = QString::fromStdString(settings.dataset);
    if (namesImageFolder(spec)) {
        QString note;
        ImageDataset dataset = loadImageFolder(spec, settings, note);
        return {std::move(dataset), note};
    }
    return {ImageDataset::load(settings.dataset), {}};
}

QString datasetIdentity(const RunSettings& settings) {
    const QString spec = QString::fromStdString(settings.dataset);
    if (!namesImageFolder(spec)) return spec;
    QString identity = QString("%1 at %2 px").arg(spec).arg(settings.imageSize);
    if (!hasTestFolder(QDir(spec)))
        identity += QString(", test fraction %1 split with seed %2").arg(settings.testFraction).arg(settings.training.seed);
    return identity;
}

}  // namespace vae
