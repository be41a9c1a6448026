#pragma once
// Walking the latent space: two endpoints and an interpolation between them, class directions
// (morphs) and analogies, traversals of the current point, and a drawing pad. Widgets only; the
// walks themselves are LatentWalks'.
#include "latent_paths.h"

#include <QImage>
#include <QWidget>

QT_BEGIN_NAMESPACE
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QScrollArea;
class QSpinBox;
QT_END_NAMESPACE

namespace vae {

class DrawingPad;

class WalkPanel : public QWidget {
    Q_OBJECT
public:
    explicit WalkPanel(QWidget* parent = nullptr);

    DrawingPad* pad() const { return pad_; }
    int steps() const;
    Interpolation mode() const;
    bool thereAndBack() const;
    int delayMs() const;
    int loops() const;
    int morphFrom() const;
    int morphTo() const;
    double morphAmount() const;
    QVector<int> analogyIndices() const;  // A, B, C test images

    void setEndpointText(int which, const QString& text);  // 0: A, 1: B
    void setClassNames(const QStringList& names);
    void setResult(const QImage& image, const QString& caption);
    void setDrawingStatus(const QImage& prepared, const QImage& reconstruction, const QString& text);
    void scrollToDrawing();  // brings the drawing's (or placed picture's) input and reconstruction into view
    const QImage& result() const { return result_; }

signals:
    void setEndpoint(int which);  // take the current point as endpoint A (0) or B (1)
    void walkOptionsChanged();
    void morphRequested();
    void analogyRequested();
    void traversalRequested();
    void exportPngRequested();
    void exportGifRequested();

private:
    QWidget* buildInterpolation();
    QWidget* buildDirections();
    QWidget* buildDrawing();

    QLabel* endpoints_[2];
    QSpinBox* steps_;
    QComboBox* mode_;
    QCheckBox* thereAndBack_;
    QSpinBox* delay_;
    QSpinBox* loops_;
    QComboBox* morphFrom_;
    QComboBox* morphTo_;
    QDoubleSpinBox* amount_;
    QSpinBox* analogy_[3];
    QLabel* resultView_;
    QLabel* resultCaption_;
    QImage result_;
    DrawingPad* pad_;
    QLabel* prepared_;
    QLabel* reconstruction_;
    QLabel* drawingText_;
    QScrollArea* scroll_;
};

}  // namespace vae
