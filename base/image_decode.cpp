#include "image_decode.h"

#include "errors.h"
#include "regular_file.h"

#include <QBuffer>
#include <QImageReader>

#include <cmath>

namespace vae {

DecodedImage decodeImageBytes(const QByteArray& bytes) {
    QByteArray data = bytes;
    QBuffer buffer(&data);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer);
    reader.setAllocationLimit(kDecodeLimitMegabytes);
    const QSize size = reader.size();
    const double megabytes = double(size.width()) * double(size.height()) * 4 / double(1 << 20);
    if (size.isValid() && megabytes > kDecodeLimitMegabytes) {
        if (reader.format() != "jpeg" || !reader.supportsOption(QImageIOHandler::ScaledSize))
            return {{}, QString("%1 x %2 pixels would take %3 MB to decode, more than the %4 MB allowed")
                            .arg(size.width()).arg(size.height()).arg(std::lround(megabytes)).arg(kDecodeLimitMegabytes)};
        const double shrink = std::sqrt(kDecodeLimitMegabytes / megabytes);
        reader.setScaledSize(QSize(std::max(1, int(size.width() * shrink)), std::max(1, int(size.height() * shrink))));
    }
    QImage image = reader.read();
    if (image.isNull()) return {{}, reader.errorString().toLower()};
    return {std::move(image), {}};
}

DecodedImage decodeImageFile(const std::string& nativePath) {
    try {
        RegularFile file = openRegularFile(nativePath, std::uint64_t(kImageFileLimitBytes), "picture");
        QByteArray bytes(qsizetype(file.size), Qt::Uninitialized);
        if (std::fread(bytes.data(), 1, std::size_t(file.size), file.file.get()) != file.size)
            return {{}, "read error"};
        return decodeImageBytes(bytes);
    } catch (const DataError& error) {
        return {{}, QString::fromStdString(error.what())};
    }
}

}  // namespace vae
