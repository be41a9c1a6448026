#include "digit_preprocess.h"

#include <QPainter>

#include <cmath>

namespace vae {

PreparedDigit prepareDigit(const QImage& drawing, int rows, int cols) {
    if (rows < 4 || cols < 4) return {{}, QString("the model's images (%1x%2) are too small to draw on").arg(rows).arg(cols)};
    const QImage grey = drawing.convertToFormat(QImage::Format_Grayscale8);
    // The strokes' bounding box (faint anti-aliasing edges below 1/16 of full ink do not count).
    int left = grey.width(), right = -1, top = grey.height(), bottom = -1;
    for (int y = 0; y < grey.height(); ++y) {
        const uchar* line = grey.constScanLine(y);
        for (int x = 0; x < grey.width(); ++x)
            if (line[x] >= 16) {
                left = std::min(left, x), right = std::max(right, x);
                top = std::min(top, y), bottom = std::max(bottom, y);
            }
    }
    if (right < 0) return {{}, "The pad is empty: draw a digit first"};
    const QImage ink = grey.copy(left, top, right - left + 1, bottom - top + 1);

    // Fit the box's longer side into 5/7 of the image (20 of 28), keeping the aspect ratio.
    const double box = 5.0 / 7.0 * std::min(rows, cols);
    const double scale = box / std::max(ink.width(), ink.height());
    const QSize fitted(std::max(1, int(std::lround(ink.width() * scale))), std::max(1, int(std::lround(ink.height() * scale))));
    const QImage small = ink.scaled(fitted, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);

    // Centre of mass of the scaled ink.
    double mass = 0, sumX = 0, sumY = 0;
    for (int y = 0; y < small.height(); ++y) {
        const uchar* line = small.constScanLine(y);
        for (int x = 0; x < small.width(); ++x) {
            mass += line[x];
            sumX += line[x] * (x + 0.5);
            sumY += line[x] * (y + 0.5);
        }
    }
    if (mass <= 0) return {{}, "The drawing is too faint: draw with more ink"};
    // Whole-pixel placement (as MNIST's): the centre of mass lands within half a pixel of the centre.
    const int x0 = int(std::lround(cols / 2.0 - sumX / mass)), y0 = int(std::lround(rows / 2.0 - sumY / mass));
    QImage out(cols, rows, QImage::Format_Grayscale8);
    out.fill(0);
    for (int y = 0; y < small.height(); ++y)
        for (int x = 0; x < small.width(); ++x) {
            const int tx = x + x0, ty = y + y0;
            if (tx >= 0 && ty >= 0 && tx < cols && ty < rows) out.scanLine(ty)[tx] = small.constScanLine(y)[x];
        }
    return {out, {}};
}

}  // namespace vae
