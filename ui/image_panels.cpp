#include "image_panels.h"

#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace vae {
namespace {

constexpr int kDecodedViewSize = 168;  // 6x a 28-pixel image

QLabel* imageLabel(int minimumSize) {
    auto* label = new QLabel;
    label->setAlignment(Qt::AlignCenter);
    label->setMinimumSize(minimumSize, minimumSize / 2);
    label->setStyleSheet("background: #282828; color: #bbb;");
    return label;
}

QPixmap scaledPixmap(const QImage& image, const QSize& box) {
    if (image.width() > box.width() || image.height() > box.height())
        return QPixmap::fromImage(image.scaled(box, Qt::KeepAspectRatio, Qt::SmoothTransformation));
    // Whole-number nearest-neighbour scaling keeps decoded pixels crisp.
    const int factor = std::max(1, std::min(box.width() / std::max(1, image.width()),
                                            box.height() / std::max(1, image.height())));
    return QPixmap::fromImage(image.scaled(image.size() * factor, Qt::KeepAspectRatio, Qt::FastTransformation));
}

}  // namespace

DecodedPointPanel::DecodedPointPanel(QWidget* parent) : QGroupBox(tr("Decoded point"), parent) {
    view_ = imageLabel(kDecodedViewSize);
    view_->setFixedSize(kDecodedViewSize + 8, kDecodedViewSize + 8);
    view_->setText(tr("Click the map"));
    coordinates_ = new QLabel(tr("no point selected"));
    coordinates_->setAlignment(Qt::AlignCenter);
    coordinates_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Wrapped, and never what sets the column's width: six coordinates on one line pushed the
    // right column past a 1400-px screen.
    coordinates_->setWordWrap(true);
    coordinates_->setObjectName("coordinates");
    auto* scroll = new QScrollArea;
    scroll->setWidget(coordinates_);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setFixedHeight(4 * coordinates_->fontMetrics().lineSpacing() + 4);
    scroll->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(view_, 0, Qt::AlignHCenter);
    layout->addWidget(scroll);
}

void DecodedPointPanel::showPoint(const DecodedPoint& point) {
    image_ = point.image;
    latent_ = point.latent;
    view_->setPixmap(QPixmap::fromImage(
        point.image.scaled(kDecodedViewSize, kDecodedViewSize, Qt::KeepAspectRatio, Qt::FastTransformation)));
    // Every coordinate, zeros too, to the sliders' two decimals; wrapped between pairs, and a
    // long vector (64-D) scrolls in its few lines.
    QStringList coordinates;
    for (std::size_t i = 0; i < point.latent.size(); ++i)
        coordinates << QString("z%1\u00a0=\u00a0%2").arg(i + 1).arg(point.latent[i], 0, 'f', 2);
    coordinates_->setText(coordinates.join("   "));
    view_->repaint();
}

void DecodedPointPanel::clear() {
    image_ = QImage();
    latent_.clear();
    view_->clear();
    view_->setText(tr("Click the map"));
    coordinates_->setText(tr("no point selected"));
}

ImagePanel::ImagePanel(const QString& title, const QString& placeholder, const QString& buttonText, QWidget* parent)
    : QGroupBox(title, parent) {
    view_ = imageLabel(240);
    view_->setText(placeholder);
    auto* button = new QPushButton(buttonText);
    connect(button, &QPushButton::clicked, this, &ImagePanel::buttonClicked);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(view_, 1);
    layout->addWidget(button, 0, Qt::AlignRight);
}

void ImagePanel::setImage(const QImage& image) {
    image_ = image;
    view_->setPixmap(scaledPixmap(image, view_->size()));
}

}  // namespace vae
