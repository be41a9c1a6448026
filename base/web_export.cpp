#include "web_export.h"

#include "dataset.h"
#include "file_export.h"
#include "label_colours.h"
#include "latent_analysis.h"
#include "map_plane.h"
#include "onnx_export.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <algorithm>
#include <cmath>

namespace vae {
namespace {

// The files that make a folder an export of ours.
const char* const kPageFiles[] = {"index.html", "explorer.js", "page-data.js"};


QJsonArray numbers(const std::vector<float>& values) {
    QJsonArray array;
    for (float value : values) array << double(value);
    return array;
}

// The map's plane, chosen as the window first chooses it: the two axes of a 2-D space, else the
// PCA plane of the data.
LatentPlane mapPlane(const Encodings& encodings) {
    PlaneChoice choice;
    choice.mode = encodings.latentDim == 2 ? PlaneMode::Axes : PlaneMode::Pca;
    const LatentSummary summary = summarizeEncodings(encodings);
    return resolvePlane(choice, encodings.latentDim, &encodings, &summary).plane;
}

QByteArray mapJson(const ModelExport& model, const WebMap& map) {
    const LatentPlane plane = mapPlane(map.encodings);
    const std::vector<float> points = plane.project(map.encodings.mu);
    float extent = 3;  // the window's range, widened to the data's
    for (float value : points) extent = std::max(extent, std::ceil(std::abs(value) * 2) / 2);
    QJsonArray coordinates;  // rounded: the page needs pixels, not seven digits
    for (float value : points) coordinates << std::round(value * 1000) / 1000.0;
    QJsonArray labels;
    for (int label : map.labels) labels << label;
    QJsonObject json = exportSettings(model, ExportPart::Decoder);
    json["range"] = double(extent);
    json["plane"] = QJsonObject{{"origin", numbers(plane.origin)}, {"u", numbers(plane.u)}, {"v", numbers(plane.v)},
                                {"kind", map.encodings.latentDim == 2 ? "axes" : "pca"}};
    json["points"] = coordinates;
    json["labels"] = labels;
    // The window's colours, class by class (as many as the labels reach).
    int classes = int(model.labels.classNames.size());
    for (int label : map.labels) classes = std::max(classes, label + 1);
    json["class_colours"] = QJsonArray::fromStringList(labelColourNames(classes));
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

// The page's own files (resources/web, compiled in) and ONNX Runtime Web's.
QString copyPageFiles(const QString& into, const QString& ortFolder) {
    for (const QString& name : {"index.html", "explorer.js", "explorer.css"}) {
        QFile source(":/web/" + name);
        if (!source.open(QIODevice::ReadOnly)) return name + ": missing from the program";
        if (const QString error = writeFileAtomically(into + "/" + name, source.readAll()); !error.isEmpty()) return error;
    }
    const QString runtime = ortFolder + "/" + kOrtWebFiles[0];
    if (!QFile::copy(runtime, into + "/" + kOrtWebFiles[0])) return runtime + ": cannot copy";
    // Its WebAssembly as a script too: a page opened from disk (file://) may not fetch files, so
    // the runtime is handed the binary as a data URL (ort.env.wasm.wasmPaths) instead.
    const QString wasmPath = ortFolder + "/" + kOrtWebFiles[1];
    QFile wasm(wasmPath);
    if (!wasm.open(QIODevice::ReadOnly)) return wasmPath + ": cannot read (" + wasm.errorString() + ")";
    const QByteArray wasmScript = "window.vaeOrtWasm = 'data:application/octet-stream;base64," + wasm.readAll().toBase64() + "';\n";
    if (const QString error = writeFileAtomically(into + "/ort-wasm-simd.js", wasmScript); !error.isEmpty()) return error;
    QFile licence(":/web/ONNXRUNTIME-LICENSE.txt");
    if (!licence.open(QIODevice::ReadOnly)) return "the ONNX Runtime licence is missing from the program";
    return writeFileAtomically(into + "/ONNXRUNTIME-LICENSE.txt", licence.readAll());
}

}  // namespace

WebMap webMapOf(Session& session, const ImageDataset& data, int points) {
    WebMap map;
    map.encodings = session.encodeTestImages(data, std::min(points, data.testCount()));
    map.labels.assign(data.testLabels().begin(), data.testLabels().begin() + map.encodings.count);
    return map;
}

QString ortWebFolder() {
    const auto holds = [](const QString& folder) {
        return !folder.isEmpty() && std::all_of(kOrtWebFiles.begin(), kOrtWebFiles.end(),
                                                [&](const QString& name) { return QFile::exists(folder + "/" + name); });
    };
    const QString candidates[] = {
        qEnvironmentVariable("VAE_EXPLORER_ORT_WEB_DIR"),
        QCoreApplication::applicationDirPath() + "/../share/vae-explorer/onnxruntime-web",
        QString::fromStdString(appDataFolder()) + "/onnxruntime-web",
    };
    for (const QString& folder : candidates)
        if (holds(folder)) return QDir::cleanPath(folder);
    return {};
}

namespace {
// A folder this program exported before: the page's own files are there (--force replaces only that).
bool isWebExport(const QString& dir) {
    const QDir folder(dir);
    return std::all_of(std::begin(kPageFiles), std::end(kPageFiles),
                       [&](const char* name) { return QFileInfo(folder.filePath(name)).isFile(); });
}
}  // namespace

QString writeWebExplorer(const ModelExport& model, const WebMap& map, const QString& dir, bool force) {
    const QFileInfo target(dir);
    // A link is never followed to replace or delete what it points to.
    if (target.isSymLink()) return dir + ": is a link; name the folder itself";
    if (target.exists() && !target.isDir()) return dir + ": is a file; name a folder";
    if (target.isDir() && !QDir(dir).isEmpty() && !force) return dir + ": is not empty (--force replaces an earlier web export)";
    if (target.isDir() && !QDir(dir).isEmpty() && !isWebExport(dir))
        return dir + ": is not a web export of this program; --force replaces only those (index.html, explorer.js, page-data.js)";
    if (!target.absoluteDir().exists()) return dir + ": its folder " + target.absolutePath() + " does not exist";
    const QString ortFolder = ortWebFolder();
    if (ortFolder.isEmpty())
        return dir + QString(": ONNX Runtime Web %1 is not here (scripts/fetch-ort-web.sh fetches it)").arg(kOrtWebVersion);
    // Built beside the target, then renamed into place.
    QTemporaryDir building(target.absolutePath() + "/." + target.fileName() + "-XXXXXX");
    if (!building.isValid()) return dir + ": cannot write in " + target.absolutePath();
    try {
        const NetworkSteps steps = networkSteps(model.decoder, model.encoder);
        const std::string onnx = onnxFile(steps, ExportPart::Decoder, {});
        QString error = writeFileAtomically(building.filePath("decoder.onnx"), QByteArray(onnx.data(), qsizetype(onnx.size())));
        const QByteArray json = mapJson(model, map);
        if (error.isEmpty()) error = writeFileAtomically(building.filePath("data.json"), json);
        // The page reads both through a script of its own: from disk (file://) a browser fetches
        // nothing, and a script tag works from disk and from a server alike.
        const QByteArray pageData = "window.vaeExport = {\"data\": " + json + ", \"decoder\": \"" +
                                    QByteArray(onnx.data(), qsizetype(onnx.size())).toBase64() + "\"};\n";
        if (error.isEmpty()) error = writeFileAtomically(building.filePath("page-data.js"), pageData);
        if (error.isEmpty()) error = copyPageFiles(building.path(), ortFolder);
        if (!error.isEmpty()) return error;
    } catch (const std::exception& error) {
        return dir + ": " + QString::fromUtf8(error.what());
    }
    const QString old = building.path() + "-replaced";
    if (target.exists() && !QDir().rename(dir, old)) return dir + ": cannot be replaced";
    if (!QDir().rename(building.path(), dir)) {
        if (QFileInfo::exists(old)) QDir().rename(old, dir);
        return dir + ": cannot be written";
    }
    building.setAutoRemove(false);
    // QTemporaryDir made it for its owner only; a web folder is for everyone a server shows it to.
    QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner |
                                   QFileDevice::ReadGroup | QFileDevice::ExeGroup | QFileDevice::ReadOther |
                                   QFileDevice::ExeOther);
    if (QFileInfo::exists(old)) QDir(old).removeRecursively();
    return {};
}

}  // namespace vae
