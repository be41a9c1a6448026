#include "image_convert.h"

#include "boundary_types.h"

#include <cstring>

#include <QPainter>

#include <algorithm>
#include <cmath>

namespace vae {

QImage toQImage(const GrayImages& images, int index) {
    QImage image(images.cols, images.rows, QImage::Format_Grayscale8);
    const float* values = images.image(index);
    for (int y = 0; y < images.rows; ++y) {
        uchar* line = image.scanLine(y);
        for (int x = 0; x < images.cols; ++x)
            line[x] = uchar(std::lround(std::clamp(values[y * images.cols + x], 0.0f, 1.0f) * 255.0f));
    }
    return image;
}

QImage tileImages(const QVector<QImage>& images, int columns, int tileSize, int gap) {
    const int count = int(images.size());
    if (count == 0) return {};
    columns = std::max(1, std::min(columns, count));
    const int rows = (count + columns - 1) / columns;
    QImage grid(columns * tileSize + (columns - 1) * gap, rows * tileSize + (rows - 1) * gap,
                QImage::Format_Grayscale8);
    grid.fill(64);  // mid-dark gaps separate tiles without competing with the digits
    QPainter painter(&grid);
    for (int i = 0; i < count; ++i) {
        const QRect target((i % columns) * (tileSize + gap), (i / columns) * (tileSize + gap), tileSize, tileSize);
        painter.drawImage(target, images[i]);
    }
    return grid;
}

QImage tileImages(const GrayImages& images, int columns, int tileSize, int gap) {
    QVector<QImage> tiles;
    for (int i = 0; i < images.count; ++i) tiles << toQImage(images, i);
    return tileImages(tiles, columns, tileSize, gap);
}

QImage pairedRows(const GrayImages& top, const GrayImages& bottom, int columns, int tileSize, int gap) {
    GrayImages interleaved{0, top.rows, top.cols, {}};
    const std::size_t pixels = std::size_t(top.rows) * top.cols;
    const int count = std::min(top.count, bottom.count);
    for (int start = 0; start < count; start += columns) {
        const int end = std::min(count, start + columns);
        for (const GrayImages* source : {&top, &bottom})
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
    const qsizetype bytes = qsizetype(rows) * cols;
    if (index < 0 || bytes <= 0 || (index + 1) * bytes > testPixels.size()) return {};
    QImage image(cols, rows, QImage::Format_Grayscale8);
    for (int row = 0; row < rows; ++row)
        std::memcpy(image.scanLine(row), testPixels.constData() + index * bytes + qsizetype(row) * cols, std::size_t(cols));
    return image;
}

}  // namespace vae
