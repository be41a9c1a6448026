#include "gif_palette.h"

#include <libimagequant.h>

#include <algorithm>
#include <cstring>
#include <memory>

namespace vae {
namespace {

bool allGrey(const QVector<QImage>& frames) {
    return std::all_of(frames.begin(), frames.end(), [](const QImage& frame) {
        return frame.format() == QImage::Format_Grayscale8 || frame.allGray();
    });
}

// Rows of `image` (one byte a pixel, or four) without Qt's padding at each row's end.
QByteArray packedRows(const QImage& image, int bytesPerPixel) {
    const int rowBytes = image.width() * bytesPerPixel;
    QByteArray out(qsizetype(rowBytes) * image.height(), Qt::Uninitialized);
    for (int y = 0; y < image.height(); ++y) std::memcpy(out.data() + qsizetype(y) * rowBytes, image.constScanLine(y), std::size_t(rowBytes));
    return out;
}

IndexedFrames greyFrames(const QVector<QImage>& frames) {
    IndexedFrames out;
    for (int level = 0; level < 256; ++level) out.palette << qRgb(level, level, level);
    for (const QImage& frame : frames) out.indices << packedRows(frame.convertToFormat(QImage::Format_Grayscale8), 1);
    return out;
}

struct LiqFree {
    void operator()(liq_attr* attr) const { liq_attr_destroy(attr); }
    void operator()(liq_histogram* histogram) const { liq_histogram_destroy(histogram); }
    void operator()(liq_image* image) const { liq_image_destroy(image); }
    void operator()(liq_result* result) const { liq_result_destroy(result); }
};

IndexedFrames colourFrames(const QVector<QImage>& frames) {
    IndexedFrames out;
    const auto failed = [&out](const char* step, liq_error error) {
        out = {};
        out.error = QString("libimagequant: %1 failed (error %2)").arg(step).arg(int(error));
        return out;
    };
    std::unique_ptr<liq_attr, LiqFree> attr(liq_attr_create());
    std::unique_ptr<liq_histogram, LiqFree> histogram(liq_histogram_create(attr.get()));
    // One histogram over every frame: a single palette for the whole animation.
    QVector<QByteArray> rgba;  // liq_image reads these until the frames are remapped
    std::vector<std::unique_ptr<liq_image, LiqFree>> images;
    for (const QImage& frame : frames) {
        rgba << packedRows(frame.convertToFormat(QImage::Format_RGBA8888), 4);
        images.emplace_back(liq_image_create_rgba(attr.get(), rgba.back().constData(), frame.width(), frame.height(), 0));
        if (!images.back()) return failed("liq_image_create_rgba", LIQ_OUT_OF_MEMORY);
        if (const liq_error error = liq_histogram_add_image(histogram.get(), attr.get(), images.back().get()); error != LIQ_OK)
            return failed("liq_histogram_add_image", error);
    }
    liq_result* quantized = nullptr;
    if (const liq_error error = liq_histogram_quantize(histogram.get(), attr.get(), &quantized); error != LIQ_OK)
        return failed("liq_histogram_quantize", error);
    std::unique_ptr<liq_result, LiqFree> result(quantized);
    // No dithering: dither noise differs from frame to frame and shimmers in an animation.
    liq_set_dithering_level(result.get(), 0);
    for (std::size_t i = 0; i < images.size(); ++i) {
        QByteArray indices(qsizetype(frames[int(i)].width()) * frames[int(i)].height(), Qt::Uninitialized);
        if (const liq_error error = liq_write_remapped_image(result.get(), images[i].get(), indices.data(), std::size_t(indices.size()));
            error != LIQ_OK)
            return failed("liq_write_remapped_image", error);
        out.indices << indices;
    }
    const liq_palette* palette = liq_get_palette(result.get());  // read after remapping, which may refine it
    for (unsigned int i = 0; i < palette->count; ++i)
        out.palette << qRgb(palette->entries[i].r, palette->entries[i].g, palette->entries[i].b);
    return out;
}

}  // namespace

IndexedFrames indexFrames(const QVector<QImage>& frames) { return allGrey(frames) ? greyFrames(frames) : colourFrames(frames); }

}  // namespace vae
