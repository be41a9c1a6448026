#pragma once
// Small IDX files and synthetic images that tests build themselves (no network).
#include "types.h"

#include <QByteArray>
#include <QString>

namespace fixtures {

QByteArray idxImagesBytes(quint32 count, quint32 rows, quint32 cols, const QByteArray& pixels);
QByteArray idxLabelsBytes(const QByteArray& labels);
QByteArray gzip(const QByteArray& raw);
void writeFile(const QString& path, const QByteArray& bytes);

// Blurry bars and blobs on rows x cols: learnable structure, deterministic for a seed.
vae::GrayImages syntheticImages(int count, int rows, int cols, quint32 seed);
QByteArray toBytes(const vae::GrayImages& images);

// Writes the four standard IDX files of a synthetic dataset into `folder`.
void writeIdxDataset(const QString& folder, int trainCount, int testCount, int side, bool gz);

}  // namespace fixtures
