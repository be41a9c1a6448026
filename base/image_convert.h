#pragma once
// Images (core value type) -> QImage, and tiled grids of them.
#include "images.h"

#include <QImage>
#include <QVector>

#include <cstdint>
#include <vector>

namespace vae {

QImage toQImage(const Images& images, int index);
// Appends a Grayscale8 or RGB888 picture to `pixels` as planes, channel-major (torch's C x H x W):
// how pictures become a data set's bytes.
void appendPlanes(std::vector<std::uint8_t>& pixels, const QImage& picture);
// Lays images out `columns` per row, each scaled to tileSize pixels wide and as tall as its aspect
// makes it (a 14 x 56 model's images stay four times as tall as wide; nearest neighbour, so pixels
// stay crisp), with `gap` pixels of background between tiles.
QImage tileImages(const Images& images, int columns, int tileSize, int gap = 0);
QImage tileImages(const QVector<QImage>& images, int columns, int tileSize, int gap = 0);
// Stacks `top` above `bottom` row by row: top images in even rows, bottom ones below them.
QImage pairedRows(const Images& top, const Images& bottom, int columns, int tileSize, int gap);

}  // namespace vae

namespace vae {
// Re-tiles an n x n grid image (square tiles) so every tile is tileSize pixels, tile by tile,
// so tile borders stay exact for any size.
QImage retileGrid(const QImage& grid, int n, int tileSize);
}  // namespace vae
