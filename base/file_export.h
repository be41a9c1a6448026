#pragma once
// Atomic writes of the files users export: CSV logs and PNG images (QSaveFile underneath).
#include "encoder.h"
#include "images.h"
#include "training.h"

#include <QByteArray>
#include <QFileDevice>
#include <QImage>
#include <QString>
#include <QStringList>

#include <vector>

namespace vae {

// The exact header scripts depend on.
// With beta-TCVAE's split of the training KL as three more columns when withKlSplit.
QByteArray metricsCsvHeader(bool withKlSplit = false);
QByteArray metricsCsv(const std::vector<EpochMetrics>& epochs);

// The training curve: step,epoch,train_loss,train_recon,train_kl,images_per_second.
QByteArray stepsCsv(const std::vector<StepLoss>& steps);

// Encodings as index,label,[factors,]mu_1..mu_d,logvar_1..logvar_d (labels: one per encoding;
// factors, where the data has them: one row of factorNames.size() values per encoding).
QByteArray encodingsCsv(const Encodings& encodings, const std::vector<int>& labels,
                        const std::vector<std::string>& factorNames = {}, const std::vector<float>& factors = {});
// Encodings of pictures as file,mu_1..mu_d,logvar_1..logvar_d (files: one name per encoding,
// quoted as RFC 4180 quotes a field when it holds a comma, a quote or a line break).
QByteArray picturesCsv(const Encodings& encodings, const QStringList& files);

// Why a write or flush of `file` just failed: the system's reason (errno) where Qt's is empty.
// Call it straight after the failure.
QString failedWriteReason(const QFileDevice& file);

// Each returns an empty string on success, else a one-line error naming the file.
QString writeFileAtomically(const QString& path, const QByteArray& contents);
QString saveImageAtomically(const QString& path, const QImage& image);
// A model's loss history: its epochs to `path` (as metrics.csv) and its training curve beside it,
// to <name>-steps.csv.
QString writeLossHistory(const QString& path, const TrainingHistory& history);

}  // namespace vae
