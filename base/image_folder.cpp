#include "image_folder.h"

#include "builtin_datasets.h"
#include "errors.h"
#include "factors_csv.h"
#include "generated_dataset.h"
#include "image_convert.h"
#include "image_decode.h"
#include "one_line.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QColor>
#include <QPainter>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <random>

namespace vae {
namespace {

constexpr int kNamesShown = 3;

// A test/ subfolder is the test set; without one the split is drawn with the run's seed.
bool hasTestFolder(const QDir& dir) { return dir.exists("test"); }

bool namesImageFolder(const QString& spec) { return !isBuiltInDataset(spec) && isImageFolder(spec); }

// Paths are kept as the file system's bytes: a name that is not UTF-8 (a photo copied from an old
// camera card, say) is opened as it is, where Qt's QString would have replaced its bytes.
namespace fs = std::filesystem;

struct Labelled {
    std::string path;
    int label;
};

QString shownName(const fs::path& path) { return oneLine(QString::fromLocal8Bit(path.filename().native())); }

bool hasImageExtension(const fs::path& path) {
    const QString extension = QString::fromLocal8Bit(path.extension().native()).toLower();
    return extension == ".png" || extension == ".jpg" || extension == ".jpeg" || extension == ".bmp";
}

// The class subfolders of `dir` (sorted bytewise, as torchvision sorts them), skipping `skip`.
std::vector<fs::path> classFolders(const fs::path& dir, const std::vector<std::string>& skip = {}) {
    std::vector<fs::path> folders;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(dir, error)) {
        const std::string name = entry.path().filename().native();
        if (entry.is_directory(error) && std::find(skip.begin(), skip.end(), name) == skip.end())
            folders.push_back(entry.path());
    }
    std::sort(folders.begin(), folders.end());
    return folders;
}

// Every image file under each class folder, labelled by the class's index in `classes` (raw
// folder names, added when new). Sorted, so that a seed gives the same split on every machine.
std::vector<Labelled> listImages(const std::vector<fs::path>& folders, std::vector<std::string>& classes) {
    std::vector<Labelled> files;
    for (const fs::path& folder : folders) {
        const std::string name = folder.filename().native();
        auto found = std::find(classes.begin(), classes.end(), name);
        if (found == classes.end()) found = classes.insert(classes.end(), name);
        const int label = int(found - classes.begin());
        std::vector<std::string> paths;
        std::error_code error;
        for (fs::recursive_directory_iterator it(folder, error), end; !error && it != end; it.increment(error))
            if (hasImageExtension(it->path()) && !it->is_directory(error)) paths.push_back(it->path().native());
        std::sort(paths.begin(), paths.end());
        for (std::string& path : paths) files.push_back({std::move(path), label});
    }
    return files;
}

// Transparent pixels are drawn on this (the README says so): icons and emoji keep their shapes.
const QColor kBackground = Qt::white;

// A picture made a size x size square, in its own colours. Qt's smooth scaling works on 32-bit
// pixels: a 7000 x 7000 photo would be copied into 196 MB first. Sampling it down to eight times
// the target (nearest pixel) before the smooth pass keeps the peak at the decoded image, and the
// 64 samples the smooth pass averages per pixel still keep aliasing away. Greying the sampled
// picture is the same as sampling the greyed one, so grey folders read as they always have.
QImage toSquare(QImage picture, int size, bool crop, bool grey) {
    const Qt::AspectRatioMode aspect = crop ? Qt::KeepAspectRatioByExpanding : Qt::IgnoreAspectRatio;
    const int oversampled = 8 * size;
    // A picture far longer than wide is cut to its centre square first: enlarging a 1 x 1,000,000
    // picture's short side to 64 would make its long side 64 million pixels (4 GB).
    const int shortSide = std::min(picture.width(), picture.height()), longSide = std::max(picture.width(), picture.height());
    if (crop && shortSide > 0 && longSide / shortSide > 8)
        picture = picture.copy((picture.width() - shortSide) / 2, (picture.height() - shortSide) / 2, shortSide, shortSide);
    if (std::min(picture.width(), picture.height()) > oversampled ||
        (!crop && std::max(picture.width(), picture.height()) > oversampled))
        picture = picture.scaled(oversampled, oversampled, aspect, Qt::FastTransformation);
    if (picture.hasAlphaChannel()) {
        QImage opaque(picture.size(), QImage::Format_RGB32);
        opaque.fill(kBackground);
        QPainter(&opaque).drawImage(0, 0, picture);
        picture = std::move(opaque);
    }
    picture = picture.convertToFormat(grey ? QImage::Format_Grayscale8 : QImage::Format_RGB888);
    picture = picture.scaled(size, size, aspect, Qt::SmoothTransformation);
    if (picture.width() == size && picture.height() == size) return picture;
    return picture.copy((picture.width() - size) / 2, (picture.height() - size) / 2, size, size);  // the centre
}

// The pictures of a split: grey for --color gray, else colour (auto greys them afterwards when
// no picture had colour).
struct Squares {
    std::vector<QImage> grey, colour;
    bool anyColour = false;
    std::vector<std::size_t> kept;  // the files decoded, by index
};

// Decodes and squares; unreadable files are counted and named, with the reason, in `skipped`.
Squares decode(const std::vector<Labelled>& files, const RunSettings& settings, std::vector<int>& labels,
               QStringList& skipped) {
    Squares squares;
    const bool crop = settings.fit == "crop";
    for (const Labelled& file : files) {
        DecodedImage decoded = decodeImageFile(file.path);
        if (decoded.image.isNull()) {
            skipped << QString("%1: %2").arg(shownName(file.path), decoded.problem);
            continue;
        }
        // auto squares in colour only: greyScales() makes the grey ones if no picture had colour.
        if (settings.color == "gray") squares.grey.push_back(toSquare(decoded.image, settings.imageSize, crop, true));
        else {
            squares.colour.push_back(toSquare(std::move(decoded.image), settings.imageSize, crop, false));
            squares.anyColour = squares.anyColour || !squares.colour.back().allGray();
        }
        labels.push_back(file.label);
        squares.kept.push_back(std::size_t(&file - files.data()));
    }
    return squares;
}

// The grey squares of an auto folder in which no picture had colour: each colour square has
// r = g = b everywhere then, and greying it is exact (the grey path's squares, since greying
// before or after the smooth pass is the same for a grey picture).
std::vector<QImage> greyScales(const std::vector<QImage>& colour) {
    std::vector<QImage> grey;
    grey.reserve(colour.size());
    for (const QImage& square : colour) grey.push_back(square.convertToFormat(QImage::Format_Grayscale8));
    return grey;
}

// The pictures as a data set's bytes: no float copy of the whole folder on the way.
std::vector<std::uint8_t> bytesOf(const std::vector<QImage>& pictures) {
    std::vector<std::uint8_t> pixels;
    for (const QImage& picture : pictures) appendPlanes(pixels, picture);
    return pixels;
}

// Each file's path relative to the folder, '/'-separated: how factors.csv names it.
std::vector<std::string> relativePaths(const std::vector<Labelled>& files, const fs::path& root) {
    std::vector<std::string> paths;
    for (const Labelled& file : files) paths.push_back(fs::path(file.path).lexically_relative(root).generic_string());
    return paths;
}

// The rows, among `rows` (one of `width` values per listed file), of the files decoded: unreadable
// files are skipped, rows and all. `first` is the split's first file in the list.
std::vector<float> keptRows(const std::vector<float>& rows, std::size_t width, std::size_t first,
                            const std::vector<std::size_t>& kept) {
    std::vector<float> values;
    values.reserve(kept.size() * width);
    for (std::size_t index : kept) {
        const auto begin = rows.begin() + std::ptrdiff_t((first + index) * width);
        values.insert(values.end(), begin, begin + std::ptrdiff_t(width));
    }
    return values;
}

ImageDataset loadImageFolder(const QString& folder, const RunSettings& settings, QString& note) {
    const QDir dir(folder);
    const QString name = QDir::cleanPath(dir.absolutePath());
    const fs::path root(QFile::encodeName(name).toStdString());
    std::vector<std::string> classes;
    std::vector<Labelled> trainFiles, testFiles;
    if (hasTestFolder(dir)) {
        // test/ holds the test set; train/ (if there is one) or the other subfolders the rest.
        const fs::path trainDir = dir.exists("train") ? root / "train" : root;
        trainFiles = listImages(classFolders(trainDir, {"test", "train"}), classes);
        testFiles = listImages(classFolders(root / "test"), classes);
    } else {
        auto all = listImages(classFolders(root), classes);
        std::mt19937_64 random(settings.training.seed);
        std::shuffle(all.begin(), all.end(), random);
        const auto testCount = std::size_t(std::lround(double(all.size()) * settings.testFraction));
        testFiles.assign(all.begin(), all.begin() + std::ptrdiff_t(testCount));
        trainFiles.assign(all.begin() + std::ptrdiff_t(testCount), all.end());
    }
    // Checked before any image is decoded: a wrong table is refused at once.
    std::vector<std::string> listed = relativePaths(trainFiles, root), testListed = relativePaths(testFiles, root);
    listed.insert(listed.end(), testListed.begin(), testListed.end());
    const std::optional<FactorTable> factors = readFactorTable(root, listed);  // rows: training files', then test files'

    QStringList skipped;
    std::vector<int> trainLabels, testLabels;
    const Squares trainSquares = decode(trainFiles, settings, trainLabels, skipped);
    const Squares testSquares = decode(testFiles, settings, testLabels, skipped);
    const bool rgb = settings.color == "rgb" || (settings.color == "auto" && (trainSquares.anyColour || testSquares.anyColour));
    const int channels = rgb ? 3 : 1;
    const bool auto_ = settings.color == "auto";
    const std::vector<std::uint8_t> train =
        bytesOf(rgb ? trainSquares.colour : auto_ ? greyScales(trainSquares.colour) : trainSquares.grey);
    const std::vector<std::uint8_t> test = bytesOf(rgb ? testSquares.colour : auto_ ? greyScales(testSquares.colour) : testSquares.grey);
    const std::string where = name.toStdString();
    const QString skippedText = skipped.isEmpty() ? QString()
        : QString("skipped %1 unreadable image%2 (%3%4)")
              .arg(skipped.size()).arg(skipped.size() == 1 ? "" : "s")
              .arg(skipped.mid(0, kNamesShown).join("; "))
              .arg(skipped.size() > kNamesShown ? "; ..." : "");
    // A refusal names what was skipped too: it may be why nothing was left.
    const std::string alsoSkipped = skipped.isEmpty() ? std::string() : "; " + skippedText.toStdString();
    if (trainLabels.empty() && testLabels.empty())
        throw DataError(where + ": no readable PNG, JPEG or BMP image in its class subfolders" + alsoSkipped);
    if (trainLabels.empty()) throw DataError(where + ": the training set has no readable image" + alsoSkipped);
    if (testLabels.empty())
        throw DataError(where + ": the test set has no readable image (add a test/ folder or raise --test-fraction)" +
                        alsoSkipped);
    if (!skipped.isEmpty()) note = name + ": " + skippedText;
    std::vector<std::string> classNames;  // shown in the window and the CSVs: UTF-8, bytes it lacks replaced
    for (const std::string& c : classes) classNames.push_back(QString::fromLocal8Bit(c).toStdString());
    ImageDataset dataset = ImageDataset::fromPixels(where, channels, settings.imageSize, settings.imageSize, train, test,
                                                    std::move(trainLabels), std::move(testLabels), std::move(classNames));
    if (!factors) return dataset;
    const std::size_t width = factors->names.size();
    return dataset.withFactors(factors->names, keptRows(factors->values, width, 0, trainSquares.kept),
                               keptRows(factors->values, width, trainFiles.size(), testSquares.kept));
}

}  // namespace

bool isBuiltInDataset(const QString& spec) { return findBuiltInDataset(spec.toStdString()) != nullptr; }

QString datasetNameNote(const QString& spec) {
    if (!isBuiltInDataset(spec) || !QFileInfo(spec).isDir()) return {};
    return QString("--dataset %1 is the built-in data set; the folder %1 here is not used (name it ./%1 for that)").arg(spec);
}

DecodedImage preparePicture(const std::string& nativePath, const ModelConfig& model, const std::string& fit) {
    if (model.imageRows != model.imageCols)
        return {{}, QString("the model takes %1 images, and pictures are prepared as squares")
                        .arg(QString::fromStdString(imageShapeText(model.imageRows, model.imageCols, model.imageChannels)))};
    DecodedImage decoded = decodeImageFile(nativePath);
    if (decoded.image.isNull()) return decoded;
    decoded.image = toSquare(std::move(decoded.image), model.imageRows, fit != "squash", model.imageChannels == 1);
    return decoded;
}

bool isImageFolder(const QString& dir) {
    const QDir folder(dir);
    if (!folder.exists() || classFolders(fs::path(QFile::encodeName(folder.path()).toStdString())).empty()) return false;
    return folder.entryList({"*-idx3-ubyte", "*-idx3-ubyte.gz", "*-idx1-ubyte", "*-idx1-ubyte.gz"}, QDir::Files).isEmpty();
}

namespace {
LoadedDataset loadWholeDataset(const RunSettings& settings) {
    const QString spec = QString::fromStdString(settings.dataset);
    if (const GeneratedSource* generated = findGeneratedSource(settings.dataset))
        return {loadGenerated(*generated, settings.imageSize), {}};
    if (namesImageFolder(spec)) {
        QString note;
        ImageDataset dataset = loadImageFolder(spec, settings, note);
        return {std::move(dataset), note};
    }
    return {ImageDataset::load(settings.dataset), {}};
}
}  // namespace

LoadedDataset loadDataset(const RunSettings& settings) {
    LoadedDataset loaded = loadWholeDataset(settings);
    loaded.dataset = loaded.dataset.withTrainSubset(settings.subset, settings.training.seed);
    return loaded;
}

QString datasetIdentity(const RunSettings& settings) {
    const QString spec = QString::fromStdString(settings.dataset);
    const QString subset = settings.subset > 0 ? QString(", %1 training images (seed %2)").arg(settings.subset).arg(settings.training.seed) : QString();
    if (findGeneratedSource(settings.dataset)) return QString("%1 at %2 px").arg(spec).arg(settings.imageSize) + subset;
    if (!namesImageFolder(spec)) return spec + subset;
    QString identity = QString("%1 at %2 px, %3, %4").arg(spec).arg(settings.imageSize)
                           .arg(QString::fromStdString(settings.color), QString::fromStdString(settings.fit));
    if (!hasTestFolder(QDir(spec)))
        identity += QString(", test fraction %1 split with seed %2").arg(settings.testFraction).arg(settings.training.seed);
    return identity + subset;
}

}  // namespace vae
