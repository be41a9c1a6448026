#include "data_point_panel.h"

#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>

namespace vae {
namespace {

constexpr int kViewSize = 84;  // 3x a 28-pixel image

QLabel* imageView() {
    auto* view = new QLabel;
    view->setFixedSize(kViewSize + 4, kViewSize + 4);
    view->setAlignment(Qt::AlignCenter);
    view->setStyleSheet("background: #282828; color: #bbb;");
    return view;
}

QPixmap enlarged(const QImage& image) {
    return QPixmap::fromImage(image.scaled(kViewSize, kViewSize, Qt::KeepAspectRatio, Qt::FastTransformation));
}

}  // namespace

DataPointPanel::DataPointPanel(QWidget* parent) : QGroupBox(tr("Selected test image"), parent) {
    caption_ = new QLabel(tr("Click a data point on the map"));
    caption_->setTextFormat(Qt::PlainText);  // it quotes class names, which come from folder names
    caption_->setWordWrap(true);
    image_ = imageView();
    reconstruction_ = imageView();
    table_ = new QTableWidget(0, 3);
    table_->setHorizontalHeaderLabels({tr("dim"), tr("μ"), tr("σ")});
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setMinimumHeight(90);
    auto* clear = new QPushButton(tr("Clear"));
    connect(clear, &QPushButton::clicked, this, [this] {
        this->clear();
        emit cleared();
    });
    auto* layout = new QGridLayout(this);
    layout->addWidget(caption_, 0, 0, 1, 3);
    layout->addWidget(new QLabel(tr("image")), 1, 0, Qt::AlignHCenter);
    layout->addWidget(new QLabel(tr("reconstruction")), 1, 1, Qt::AlignHCenter);
    layout->addWidget(image_, 2, 0, Qt::AlignHCenter);
    layout->addWidget(reconstruction_, 2, 1, Qt::AlignHCenter);
    layout->addWidget(clear, 2, 2, Qt::AlignBottom);
    layout->addWidget(table_, 3, 0, 1, 3);
    layout->setRowStretch(3, 1);
}

void DataPointPanel::showPoint(int index, const QString& label, const QImage& image, const std::vector<float>& mu,
                               const std::vector<float>& sigma) {
    index_ = index;
    caption_->setText(tr("Test image #%1, label %2. The dashed ellipse on the map is its posterior's ±2σ.")
                          .arg(index)
                          .arg(label));
    image_->setPixmap(enlarged(image));
    reconstruction_->clear();
    table_->setRowCount(int(mu.size()));
    for (int d = 0; d < int(mu.size()); ++d) {
        table_->setItem(d, 0, new QTableWidgetItem(QString("z%1").arg(d + 1)));
        table_->setItem(d, 1, new QTableWidgetItem(QString::number(mu[std::size_t(d)], 'f', 3)));
        table_->setItem(d, 2, new QTableWidgetItem(QString::number(sigma[std::size_t(d)], 'f', 3)));
    }
}

void DataPointPanel::setReconstruction(const QImage& image) { reconstruction_->setPixmap(enlarged(image)); }

void DataPointPanel::clear() {
    index_ = -1;
    caption_->setText(tr("Click a data point on the map"));
    image_->clear();
    reconstruction_->clear();
    table_->setRowCount(0);
}

QString DataPointPanel::caption() const { return caption_->text(); }

}  // namespace vae
