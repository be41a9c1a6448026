#pragma once
// `vae-explorer export` and the window's File ▸ Export model…: a model as TorchScript (core's
// torchscript_export) or ONNX (onnx_export), with its settings inside: the TorchScript file's
// attributes and extra/settings.json, the ONNX file's metadata_props. Both hold the same keys.
#include "network_steps.h"
#include "session.h"
#include "torchscript_export.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace vae {

enum class ExportFormat { TorchScript, Onnx };
QString exportFormatName(ExportFormat format);
ExportFormat parseExportFormat(const QString& name);  // "torchscript" or "onnx"; throws ConfigError

struct ModelExport {
    DecoderWeights decoder;
    EncoderWeights encoder;
    ExportLabels labels;  // the data set's name and class names (none when its data is not here)
};

// The session's model, labelled with its run's data set and these class names.
ModelExport modelExportOf(const Session& session, std::vector<std::string> classNames);

// latent_dim, image_channels, image_rows, image_cols, likelihood, architecture (ModelConfig::describe),
// dataset, class_names, part, and the app's version.
QJsonObject exportSettings(const ModelExport& model, ExportPart part);

// The file's bytes. Throws ConfigError.
QByteArray exportedModel(const ModelExport& model, ExportFormat format, ExportPart part);

// Written beside `path` and renamed into place (QSaveFile): never a partial file. An existing
// file is replaced (the CLI refuses one without --force before it reads anything; the window's
// save dialog asks). Returns one line naming the file, or empty.
QString writeExportedModel(const ModelExport& model, ExportFormat format, ExportPart part, const QString& path);

}  // namespace vae
