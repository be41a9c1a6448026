#pragma once
// The side column's image panels: the decoded point enlarged with its coordinates, and a titled
// image with one button (the reconstructions with Refresh, the prior samples with New samples).
#include "boundary_types.h"

#include <QGroupBox>
#include <QImage>

#include <vector>

QT_BEGIN_NAMESPACE
class QLabel;
QT_END_NAMESPACE

namespace vae {

class DecodedPointPanel : public QGroupBox {
    Q_OBJECT
public:
    explicit DecodedPointPanel(QWidget* parent = nullptr);
    // Shows it and paints at once, so that click-to-image timings include the paint.
    void showPoint(const DecodedPoint& point);
    void clear();  // another model: its point is not this one's
    const QImage& image() const { return image_; }
    const std::vector<float>& latent() const { return latent_; }
    QLabel* view() const { return view_; }

private:
    QLabel* view_;
    QLabel* coordinates_;
    QImage image_;
    std::vector<float> latent_;
};

class ImagePanel : public QGroupBox {
    Q_OBJECT
public:
    ImagePanel(const QString& title, const QString& placeholder, const QString& buttonText, QWidget* parent = nullptr);
    void setImage(const QImage& image);
    const QImage& image() const { return image_; }

signals:
    void buttonClicked();

private:
    QLabel* view_;
    QImage image_;
};

}  // namespace vae
