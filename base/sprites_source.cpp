#include "sprites_source.h"

#include "errors.h"

#include <QImage>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <thread>

namespace vae {
namespace {

constexpr std::uint64_t kTestSeed = 20170101;  // the test split's seed: the same set for everyone

double spaced(int i, int count, double low, double high) { return low + (high - low) * i / (count - 1); }

// The shapes on a unit scale around the origin, about 2 across.
QPainterPath shapePath(int shape) {
    QPainterPath path;
    if (shape == 0) {
        path.addRect(QRectF(-0.8, -0.8, 1.6, 1.6));
    } else if (shape == 1) {
        path.addEllipse(QRectF(-1.0, -0.55, 2.0, 1.1));  // elongated, so that orientation shows
    } else {
        path.moveTo(0, 0.95);  // the tip, at the bottom (y grows downwards)
        path.cubicTo(-1.3, 0.05, -0.75, -1.15, 0, -0.4);
        path.cubicTo(0.75, -1.15, 1.3, 0.05, 0, 0.95);
    }
    return path;
}

// Draws the sprites [first, last) into their packed rows.
void drawRange(int size, int first, int last, std::uint8_t* packed, std::size_t rowBytes) {
    const QPainterPath shapes[] = {shapePath(0), shapePath(1), shapePath(2)};
    QImage canvas(size, size, QImage::Format_Grayscale8);
    for (int index = first; index < last; ++index) {
        const SpriteFactors f = spriteFactors(index);
        canvas.fill(0);
        QPainter painter(&canvas);
        painter.setPen(Qt::NoPen);
        painter.setBrush(Qt::white);
        // Centres over the middle 60 % of the image, shapes up to a quarter of it across: the
        // largest stays inside at every position and orientation.
        painter.translate(size * (0.2 + 0.6 * f.x), size * (0.2 + 0.6 * f.y));
        painter.rotate(f.orientation * 180.0 / M_PI);
        painter.scale(f.scale * size * 0.125, f.scale * size * 0.125);
        painter.drawPath(shapes[f.shape]);
        painter.end();
        std::uint8_t* row = packed + std::size_t(index) * rowBytes;
        std::fill(row, row + rowBytes, 0);
        for (int y = 0; y < size; ++y) {
            const uchar* line = canvas.constScanLine(y);
            for (int x = 0; x < size; ++x)
                if (line[x] >= 128) row[(y * size + x) / 8] |= std::uint8_t(0x80 >> ((y * size + x) % 8));
        }
    }
}

DrawnImages drawSprites(int size) {
    // At the smallest scale an ellipse is 0.07 of the image high: under 32 pixels some sprites
    // would cover no pixel at all.
    if (size < kSpriteMinimumSize)
        throw DataError("--dataset sprites is drawn at " + std::to_string(kSpriteMinimumSize) +
                        " pixels or more (--image-size): smaller, the smallest shapes cover no pixel");
    DrawnImages drawn;
    drawn.size = size;
    drawn.channels = 1;
    drawn.packedBits = true;
    const std::size_t rowBytes = (std::size_t(size) * size + 7) / 8;
    drawn.pixels.resize(rowBytes * kSpriteCount);
    // Each thread its own range and painter: QPainter on a QImage is fine off the GUI thread.
    const int threads = int(std::clamp(std::thread::hardware_concurrency(), 1u, 8u));
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t)
        workers.emplace_back(drawRange, size, int(std::int64_t(kSpriteCount) * t / threads),
                             int(std::int64_t(kSpriteCount) * (t + 1) / threads), drawn.pixels.data(), rowBytes);
    for (auto& worker : workers) worker.join();
    return drawn;
}

// Labels (the shape), the five factors and the fixed test split, from each sprite's place.
void annotateSprites(DrawnImages& drawn) {
    drawn.classNames = {"square", "ellipse", "heart"};
    drawn.factorNames = {"shape", "scale", "orientation", "position x", "position y"};
    drawn.labels.resize(kSpriteCount);
    drawn.factors.resize(std::size_t(kSpriteCount) * 5);
    for (int i = 0; i < kSpriteCount; ++i) {
        const SpriteFactors f = spriteFactors(i);
        drawn.labels[std::size_t(i)] = f.shape;
        float* row = drawn.factors.data() + std::size_t(i) * 5;
        row[0] = float(f.shape), row[1] = float(f.scale), row[2] = float(f.orientation), row[3] = float(f.x), row[4] = float(f.y);
    }
    std::vector<int> order(kSpriteCount);
    std::iota(order.begin(), order.end(), 0);
    std::mt19937_64 random(kTestSeed);
    std::shuffle(order.begin(), order.end(), random);
    drawn.inTest.assign(kSpriteCount, false);
    // In the shuffled order: the first test images (the window's reconstructions, the map's
    // first points) are a mix of every factor, not 10,000 squares at the smallest scale first.
    drawn.testOrder.assign(order.begin(), order.begin() + kSpriteTestCount);
    for (int index : drawn.testOrder) drawn.inTest[std::size_t(index)] = true;
}

}  // namespace

SpriteFactors spriteFactors(int index) {
    SpriteFactors f;
    const int y = index % kSpritePositions;
    index /= kSpritePositions;
    const int x = index % kSpritePositions;
    index /= kSpritePositions;
    const int orientation = index % kSpriteOrientations;
    index /= kSpriteOrientations;
    const int scale = index % kSpriteScales;
    f.shape = index / kSpriteScales;
    f.scale = spaced(scale, kSpriteScales, 0.5, 1.0);
    f.orientation = spaced(orientation, kSpriteOrientations, 0.0, 2 * M_PI);
    f.x = spaced(x, kSpritePositions, 0.0, 1.0);
    f.y = spaced(y, kSpritePositions, 0.0, 1.0);
    return f;
}

GeneratedSource spritesSource() {
    GeneratedSource source;
    source.name = "sprites";
    source.draw = drawSprites;
    source.annotate = annotateSprites;
    return source;
}

}  // namespace vae
