#pragma once
// Atomic writes of the files users export: CSV logs and PNG images (QSaveFile underneath).
#include "gray_images.h"
#include "training.h"

#include <QByteArray>
#include <QImage>
#include <QString>

#include <vector>

namespace vae {

// The exact header scripts depend on.
QByteArray metricsCsvHeader();
QByteArray metricsCsv(const std::vector<EpochMetrics>& epochs);

// Each returns an empty string on success, else a one-line error naming the file.
QString writeFileAtomically(const QString& path, const QByteArray& contents);
QString saveImageAtomically(const QString& path, const QImage& image);

}  // namespace vae
