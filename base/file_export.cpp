#include "file_export.h"

#include <QBuffer>
#include <QDir>
#include <QFileInfo>
#include <QSaveFile>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>

namespace vae {

QByteArray metricsCsvHeader(bool withKlSplit) {
    QByteArray header = "epoch,train_loss,train_recon,train_kl,test_loss,test_recon,test_kl,epoch_seconds,images_per_second";
    if (withKlSplit) header += ",train_index_code_mi,train_total_correlation,train_dimensionwise_kl";
    return header + '\n';
}

QByteArray metricsCsv(const std::vector<EpochMetrics>& epochs) {
    const bool withKlSplit = std::any_of(epochs.begin(), epochs.end(), [](const EpochMetrics& m) { return m.klSplit.has_value(); });
    QByteArray csv = metricsCsvHeader(withKlSplit);
    for (const auto& m : epochs) {
        csv += QByteArray::number(m.epoch);
        for (double value : {m.train.loss, m.train.recon, m.train.kl, m.test.loss, m.test.recon, m.test.kl})
            csv += ',' + QByteArray::number(value, 'f', 4);
        csv += ',' + QByteArray::number(m.epochSeconds, 'f', 3);
        csv += ',' + QByteArray::number(m.imagesPerSecond, 'f', 1);
        if (withKlSplit && m.klSplit)
            for (double value : {m.klSplit->indexCodeMi, m.klSplit->totalCorrelation, m.klSplit->dimensionwiseKl})
                csv += ',' + QByteArray::number(value, 'f', 4);
        else if (withKlSplit)
            csv += ",,,";  // an epoch trained with the plain ELBO before the objective changed
        csv += '\n';
    }
    return csv;
}

QByteArray stepsCsv(const std::vector<StepLoss>& steps) {
    QByteArray csv = "step,epoch,train_loss,train_recon,train_kl,images_per_second\n";
    for (const StepLoss& p : steps)
        csv += QByteArray::number(p.step) + ',' + QByteArray::number(p.epoch) + ',' +
               QByteArray::number(p.train.loss, 'f', 4) + ',' + QByteArray::number(p.train.recon, 'f', 4) + ',' +
               QByteArray::number(p.train.kl, 'f', 4) + ',' + QByteArray::number(p.imagesPerSecond, 'f', 1) + '\n';
    return csv;
}

QString writeLossHistory(const QString& path, const TrainingHistory& history) {
    const QFileInfo info(path);
    QString error = writeFileAtomically(path, metricsCsv(history.epochs));
    if (error.isEmpty())
        error = writeFileAtomically(info.dir().filePath(info.completeBaseName() + "-steps.csv"), stepsCsv(history.steps));
    return error;
}

QString failedWriteReason(const QFileDevice& file) {
    const int code = errno;  // the failed write's: Qt's engine left its own error text empty
    const QString said = file.errorString();
    return code != 0 && (said.isEmpty() || said == "Unknown error") ? QString::fromLocal8Bit(std::strerror(code)) : said;
}

QString writeFileAtomically(const QString& path, const QByteArray& contents) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) return path + ": cannot write (" + file.errorString() + ")";
    // Flushed here, not by commit(): Qt 6.4's commit() ignores a failed flush of its buffer, so
    // a full disk gave an empty file and success (encode's CSV on a full tmpfs, strace: ENOSPC).
    if (file.write(contents) != contents.size() || !file.flush()) {
        const QString reason = failedWriteReason(file);
        file.cancelWriting();
        return path + ": cannot write (" + reason + ")";
    }
    if (!file.commit()) return path + ": cannot write (" + file.errorString() + ")";
    return {};
}

QString saveImageAtomically(const QString& path, const QImage& image) {
    if (image.isNull()) return path + ": nothing to save (empty image)";
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    if (!image.save(&buffer, "PNG")) return path + ": PNG encoding failed";
    return writeFileAtomically(path, png);
}

namespace {

// One CSV of encodings: `keyColumns` first (their header names), then mu_1..mu_d, logvar_1..logvar_d.
QByteArray latentsCsv(const Encodings& encodings, const QByteArray& keyColumns,
                      const std::function<QByteArray(int)>& keysOf) {
    QByteArray csv = keyColumns;
    for (const char* name : {"mu", "logvar"})
        for (int k = 1; k <= encodings.latentDim; ++k) csv += QByteArray(",") + name + "_" + QByteArray::number(k);
    csv += '\n';
    const std::size_t d = std::size_t(encodings.latentDim);
    for (int i = 0; i < encodings.count; ++i) {
        csv += keysOf(i);
        for (const auto* values : {&encodings.mu, &encodings.logvar})
            for (std::size_t k = 0; k < d; ++k) csv += ',' + QByteArray::number((*values)[std::size_t(i) * d + k], 'g', 7);
        csv += '\n';
    }
    return csv;
}

QByteArray csvField(const QString& text) {
    QByteArray field = text.toUtf8();
    if (!field.contains(',') && !field.contains('"') && !field.contains('\n') && !field.contains('\r')) return field;
    return '"' + field.replace("\"", "\"\"") + '"';
}

}  // namespace

QByteArray encodingsCsv(const Encodings& encodings, const std::vector<int>& labels,
                        const std::vector<std::string>& factorNames, const std::vector<float>& factors) {
    QByteArray keys = "index,label";
    // Factor columns only with a row of them for every encoding.
    const std::size_t f = factors.size() >= std::size_t(encodings.count) * factorNames.size() ? factorNames.size() : 0;
    for (std::size_t k = 0; k < f; ++k) keys += ',' + csvField(QString::fromStdString(factorNames[k]));
    return latentsCsv(encodings, keys, [&](int i) {
        QByteArray row = QByteArray::number(i) + ',' + QByteArray::number(std::size_t(i) < labels.size() ? labels[std::size_t(i)] : 0);
        for (std::size_t k = 0; k < f; ++k) row += ',' + QByteArray::number(factors[std::size_t(i) * f + k], 'g', 7);
        return row;
    });
}

QByteArray picturesCsv(const Encodings& encodings, const QStringList& files) {
    return latentsCsv(encodings, "file", [&](int i) { return csvField(files.value(i)); });
}

}  // namespace vae
