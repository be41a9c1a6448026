#include "model_export.h"

#include "errors.h"
#include "file_export.h"
#include "onnx_export.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

namespace vae {

QString exportFormatName(ExportFormat format) { return format == ExportFormat::Onnx ? "onnx" : "torchscript"; }

ExportFormat parseExportFormat(const QString& name) {
    for (ExportFormat format : {ExportFormat::TorchScript, ExportFormat::Onnx})
        if (exportFormatName(format) == name) return format;
    throw ConfigError(("'" + name + "' is not a format (torchscript or onnx)").toStdString());
}

ModelExport modelExportOf(const Session& session, std::vector<std::string> classNames) {
    return {session.decoderWeights(), session.encoderWeights(), {session.runSettings().dataset, std::move(classNames)}};
}

QJsonObject exportSettings(const ModelExport& model, ExportPart part) {
    const ModelConfig& config = model.decoder.config;
    QJsonArray classNames;
    for (const auto& name : model.labels.classNames) classNames << QString::fromStdString(name);
    return {{"latent_dim", config.latentDim},
            {"image_channels", config.imageChannels},
            {"image_rows", config.imageRows},
            {"image_cols", config.imageCols},
            {"likelihood", QString::fromStdString(likelihoodName(config.likelihood))},
            {"architecture", QString::fromStdString(config.describe())},
            {"dataset", QString::fromStdString(model.labels.dataset)},
            {"class_names", classNames},
            {"part", QString::fromStdString(exportPartName(part))},
            {"program", QCoreApplication::applicationName() + " " + QCoreApplication::applicationVersion()}};
}

QByteArray exportedModel(const ModelExport& model, ExportFormat format, ExportPart part) {
    const NetworkSteps steps = networkSteps(model.decoder, model.encoder);
    const QJsonObject settings = exportSettings(model, part);
    std::string bytes;
    if (format == ExportFormat::TorchScript) {
        bytes = torchScriptFile(steps, part, model.labels,
                                {{"settings.json", QJsonDocument(settings).toJson().toStdString()}});
    } else {
        std::vector<std::pair<std::string, std::string>> metadata;
        for (auto it = settings.begin(); it != settings.end(); ++it) {
            const QJsonValue value = it.value();
            const QString text = value.isArray()    ? QString(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact))
                                 : value.isDouble() ? QString::number(value.toInt())
                                                    : value.toString();
            metadata.push_back({it.key().toStdString(), text.toStdString()});
        }
        bytes = onnxFile(steps, part, metadata);
    }
    return QByteArray(bytes.data(), qsizetype(bytes.size()));
}

QString writeExportedModel(const ModelExport& model, ExportFormat format, ExportPart part, const QString& path) {
    if (QFileInfo(path).isDir()) return path + ": is a folder; name a file";
    try {
        return writeFileAtomically(path, exportedModel(model, format, part));
    } catch (const std::exception& error) {
        return path + ": " + QString::fromUtf8(error.what());
    }
}

}  // namespace vae
