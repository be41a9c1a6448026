#include "gif_writer.h"

#include "file_export.h"
#include "gif_palette.h"

#include <QSaveFile>

#include <gif_lib.h>

#include <array>
#include <memory>

namespace vae {
namespace {

int writeToSaveFile(GifFileType* gif, const GifByteType* bytes, int length) {
    auto* file = static_cast<QSaveFile*>(gif->UserData);
    return int(file->write(reinterpret_cast<const char*>(bytes), length));
}

struct GifCloser {
    void operator()(GifFileType* gif) const {
        int error = 0;
        EGifCloseFile(gif, &error);
    }
};

struct MapFreer {
    void operator()(ColorMapObject* map) const { GifFreeMapObject(map); }
};

}  // namespace

QString writeGifAtomically(const QString& path, const QVector<QImage>& frames, const GifOptions& options) {
    if (frames.isEmpty() || frames.first().isNull()) return path + ": no frames to write";
    const QSize size = frames.first().size();
    for (const QImage& frame : frames)
        if (frame.size() != size) return path + ": frames differ in size";
    if (options.delayMs < 0 || options.delayMs > 655350) return path + QString(": a frame delay of %1 ms is outside 0..655350").arg(options.delayMs);
    if (options.loops < 0 || options.loops > 65535) return path + QString(": %1 loops is outside 0..65535").arg(options.loops);

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) return path + ": " + file.errorString();
    int error = 0;
    std::unique_ptr<GifFileType, GifCloser> gif(EGifOpen(&file, writeToSaveFile, &error));
    if (!gif) return path + ": giflib: " + GifErrorString(error);
    EGifSetGifVersion(gif.get(), true);  // GIF89a: delays and loops

    const IndexedFrames indexed = indexFrames(frames);
    if (!indexed.error.isEmpty()) {
        file.cancelWriting();
        return path + ": " + indexed.error;
    }
    std::array<GifColorType, 256> colours{};  // giflib wants a power of two: the rest stays black
    for (int i = 0; i < indexed.palette.size(); ++i)
        colours[std::size_t(i)] = {GifByteType(qRed(indexed.palette[i])), GifByteType(qGreen(indexed.palette[i])),
                                   GifByteType(qBlue(indexed.palette[i]))};
    std::unique_ptr<ColorMapObject, MapFreer> palette(GifMakeMapObject(256, colours.data()));
    const auto failed = [&] {
        file.cancelWriting();
        return path + ": giflib: " + GifErrorString(gif->Error);
    };
    if (!palette || EGifPutScreenDesc(gif.get(), size.width(), size.height(), 8, 0, palette.get()) == GIF_ERROR)
        return failed();

    // The Netscape extension says how often to play: 0 is forever.
    const GifByteType loopBlock[3] = {1, GifByteType(options.loops & 0xff), GifByteType((options.loops >> 8) & 0xff)};
    if (EGifPutExtensionLeader(gif.get(), APPLICATION_EXT_FUNC_CODE) == GIF_ERROR ||
        EGifPutExtensionBlock(gif.get(), 11, "NETSCAPE2.0") == GIF_ERROR ||
        EGifPutExtensionBlock(gif.get(), 3, loopBlock) == GIF_ERROR || EGifPutExtensionTrailer(gif.get()) == GIF_ERROR)
        return failed();

    GraphicsControlBlock control{};
    control.DisposalMode = DISPOSE_DO_NOT;
    control.DelayTime = (options.delayMs + 5) / 10;
    control.TransparentColor = NO_TRANSPARENT_COLOR;
    GifByteType controlBytes[4];
    const auto controlLength = EGifGCBToExtension(&control, controlBytes);
    for (const QByteArray& indices : indexed.indices) {
        if (EGifPutExtension(gif.get(), GRAPHICS_EXT_FUNC_CODE, int(controlLength), controlBytes) == GIF_ERROR ||
            EGifPutImageDesc(gif.get(), 0, 0, size.width(), size.height(), false, nullptr) == GIF_ERROR)
            return failed();
        for (int row = 0; row < size.height(); ++row)
            if (EGifPutLine(gif.get(), reinterpret_cast<GifPixelType*>(const_cast<char*>(indices.constData())) + qsizetype(row) * size.width(),
                            size.width()) == GIF_ERROR)
                return failed();
    }
    int closeError = 0;
    const int closed = EGifCloseFile(gif.release(), &closeError);
    if (closed == GIF_ERROR) {
        file.cancelWriting();
        return path + ": giflib: " + GifErrorString(closeError);
    }
    // As in writeFileAtomically: commit() would ignore a failed flush (a full disk).
    if (!file.flush()) {
        const QString reason = failedWriteReason(file);
        file.cancelWriting();
        return path + ": cannot write (" + reason + ")";
    }
    if (!file.commit()) return path + ": " + file.errorString();
    return {};
}

}  // namespace vae
