#pragma once
// Animated GIFs of decoded images (interpolations, morphs, the map's replay), written with
// Debian's giflib and atomically (QSaveFile): a failed write leaves any older file as it was.
#include <QImage>
#include <QString>
#include <QVector>

namespace vae {

struct GifOptions {
    int delayMs = 100;  // per frame; GIF stores hundredths of a second (10 ms steps)
    int loops = 0;      // 0: forever; else how many times it plays
};

// Frames are drawn in 256 grey levels (decoded images are grey; colour frames are converted)
// and must all have the size of the first. Returns an empty string on success, else one line
// naming the file.
QString writeGifAtomically(const QString& path, const QVector<QImage>& frames, const GifOptions& options);

}  // namespace vae
