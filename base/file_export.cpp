#include "file_export.h"

#include <QBuffer>
#include <QSaveFile>

namespace vae {

QByteArray metricsCsvHeader() {
    return "epoch,train_loss,train_recon,train_kl,test_loss,test_recon,test_kl,epoch_seconds,images_per_second\n";
}

QByteArray metricsCsv(const std::vector<EpochMetrics>& epochs) {
    QByteArray csv = metricsCsvHeader();
    for (const auto& m : epochs) {
        csv += QByteArray::number(m.epoch);
        for (double value : {m.train.loss, m.train.recon, m.train.kl, m.test.loss, m.test.recon, m.test.kl})
            csv += ',' + QByteArray::number(value, 'f', 4);
        csv += ',' + QByteArray::number(m.epochSeconds, 'f', 3);
        csv += ',' + QByteArray::number(m.imagesPerSecond, 'f', 1) + '\n';
    }
    return csv;
}

QString writeFileAtomically(const QString& path, const QByteArray& contents) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) return path + ": cannot write (" + file.errorString() + ")";
    if (file.write(contents) != contents.size() || !file.commit())
        return path + ": cannot write (" + file.errorString() + ")";
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

}  // namespace vae
