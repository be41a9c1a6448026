#include "image_convert.h"

#include "boundary_types.h"

#include <cstring>

#include <QColor>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace vae {
namespace {

// One image from its planes (channel-major, as torch's C x H x W): Grayscale8 for one channel,
// RGB888 (bytes red, green, blue) for three.
template <typename Value, typename ToByte>
QImage fromPlanes(const Value* planes, int rows, int cols, int channels, ToByte toByte) {
    QImage image(cols, rows, channels == 3 ? QImage::Format_RGB888 : QImage::Format_Grayscale8);
    const std::size_t plane = std::size_t(rows) * cols;
    for (int y = 0; y < rows; ++y) {
        uchar* line = image.scanLine(y);
        for (int x = 0; x < cols; ++x)
            for (int c = 0; c < channels; ++c)
                line[x * channels + c] = toByte(planes[c * plane + std::size_t(y) * cols + x]);
    }
    return image;
}

}  // namespace

void appendPlanes(std::vector<std::uint8_t>& pixels, const QImage& picture) {
    const int channels = picture.format() == QImage::Format_RGB888 ? 3 : 1;
    for (int c = 0; c < channels; ++c)
        for (int y = 0; y < picture.height(); ++y) {
            const uchar* line = picture.constScanLine(y);
            for (int x = 0; x < picture.width(); ++x) pixels.push_back(line[x * channels + c]);
        }
}

QImage toQImage(const Images& images, int index) {
    return fromPlanes(images.image(index), images.rows, images.cols, images.channels,
                      [](float value) { return uchar(std::lround(std::clamp(value, 0.0f, 1.0f) * 255.0f)); });
}

QImage tileImages(const QVector<QImage>& images, int columns, int tileSize, int gap) {
    const int count = int(images.size());
    if (count == 0) return {};
    columns = std::max(1, std::min(columns, count));
    const int rows = (count + columns - 1) / columns;
    const bool grey = std::all_of(images.begin(), images.end(),
                                  [](const QImage& tile) { return tile.format() == QImage::Format_Grayscale8; });
    const QSize first = images.front().size();
    const int tileHeight = std::max(1, int(std::lround(double(tileSize) * first.height() / std::max(1, first.width()))));
    QImage grid(columns * tileSize + (columns - 1) * gap, rows * tileHeight + (rows - 1) * gap,
                grey ? QImage::Format_Grayscale8 : QImage::Format_RGB888);
    grid.fill(QColor(64, 64, 64));  // mid-dark gaps separate tiles without competing with the digits
    QPainter painter(&grid);
    for (int i = 0; i < count; ++i) {
        const QRect target((i % columns) * (tileSize + gap), (i / columns) * (tileHeight + gap), tileSize, tileHeight);
        painter.drawImage(target, images[i]);
    }
    return grid;
}

QImage tileImages(const Images& images, int columns, int tileSize, int gap) {
    QVector<QImage> tiles;
    for (int i = 0; i < images.count; ++i) tiles << toQImage(images, i);
    return tileImages(tiles, columns, tileSize, gap);
}

QImage pairedRows(const Images& top, const Images& bottom, int columns, int tileSize, int gap) {
    Images interleaved{0, top.rows, top.cols, {}, top.channels};
    const std::size_t pixels = top.valuesPerImage();
    const int count = std::min(top.count, bottom.count);
    for (int start = 0; start < count; start += columns) {
        const int end = std::min(count, start + columns);
        for (const Images* source : {&top, &bottom})
            for (int i = start; i < end; ++i)
                interleaved.values.insert(interleaved.values.end(), source->image(i), source->image(i) + pixels);
        interleaved.count += 2 * (end - start);
    }
    return tileImages(interleaved, std::min(columns, count), tileSize, gap);
}

}  // namespace vae

namespace vae {

QImage retileGrid(const QImage& grid, int n, int tileSize) {
    if (grid.isNull() || n < 1 || tileSize < 1) return {};
    const int source = grid.width() / n;
    QImage out(n * tileSize, n * tileSize, grid.format());
    QPainter painter(&out);
    for (int row = 0; row < n; ++row)
        for (int col = 0; col < n; ++col)
            painter.drawImage(QRect(col * tileSize, row * tileSize, tileSize, tileSize), grid,
                              QRect(col * source, row * source, source, source));
    return out;
}

}  // namespace vae

namespace vae {

QImage DatasetInfo::testImage(int index) const {
    const qsizetype bytes = qsizetype(channels) * rows * cols;
    if (index < 0 || bytes <= 0 || (index + 1) * bytes > testPixels.size()) return {};
    return fromPlanes(reinterpret_cast<const uchar*>(testPixels.constData()) + index * bytes, rows, cols, channels,
                      [](uchar value) { return value; });
}

}  // namespace vae
