#pragma once
// An animation's frames as 8-bit palette indices, with one palette for all of them (so that a
// colour does not flicker between frames). Grey frames keep the exact 256 greys; colour frames
// are quantized by libimagequant (Debian's libimagequant-dev), made for exactly this.
#include <QImage>
#include <QString>
#include <QVector>

namespace vae {

struct IndexedFrames {
    QVector<QRgb> palette;        // at most 256 colours
    QVector<QByteArray> indices;  // per frame, width * height indices, row after row
    QString error;                // set when quantizing failed; the rest is then empty
};

// Frames of one size (checked by the caller).
IndexedFrames indexFrames(const QVector<QImage>& frames);

}  // namespace vae
