#pragma once
// A drawing turned into an input the model knows, the way MNIST's digits were made (LeCun et al.):
// cropped to the strokes' bounding box, scaled (aspect kept) to fit 20x20 of a 28x28 image (5/7
// of the side for other sizes), and moved so that the centre of mass of the ink sits at the
// centre of the image.
#include <QImage>
#include <QString>

#include <optional>

namespace vae {

struct PreparedDigit {
    QImage image;    // Grayscale8, rows x cols, white ink on black as in MNIST
    QString error;   // set (and image null) when there is nothing to use
};

// `drawing`: any size, ink brighter than the background (0). rows x cols: the model's image size.
PreparedDigit prepareDigit(const QImage& drawing, int rows, int cols);

}  // namespace vae
