#pragma once
// One image file, read and decoded within a memory bound. Every image the app takes from users'
// folders comes through here (and the fuzz target feeds it bytes), so the bound and the reasons
// for a refusal are stated once.
#include <QByteArray>
#include <QImage>
#include <QString>

#include <string>

namespace vae {

// The most a decoded image may take. A 7000 x 7000 photo (196 MB as 32-bit pixels) fits; Qt's
// own default (128 MB) refused it as "unreadable". JPEGs larger than this are decoded at a
// reduced scale (libjpeg does that while decoding); other formats larger than this are refused.
inline constexpr int kDecodeLimitMegabytes = 256;
// A file larger than this is not read at all: no PNG, JPEG or BMP within the decode limit is.
inline constexpr qint64 kImageFileLimitBytes = qint64(kDecodeLimitMegabytes) << 20;

struct DecodedImage {
    QImage image;     // null when refused
    QString problem;  // why, in a few words, for the skipped-images line
};

// Decodes `bytes` (PNG, JPEG, BMP or any format Qt reads).
DecodedImage decodeImageBytes(const QByteArray& bytes);

// Reads the file at `nativePath` (the file system's own bytes, so that names which are not
// UTF-8 are opened as they are) through the regular-file check, then decodes it.
DecodedImage decodeImageFile(const std::string& nativePath);

}  // namespace vae
