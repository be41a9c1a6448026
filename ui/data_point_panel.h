#pragma once
// The test image selected on the map: the image, its reconstruction (the decoder's mean at the
// posterior mean), its label, and the posterior's mean and standard deviation per dimension.
#include <QGroupBox>
#include <QImage>

#include <vector>

QT_BEGIN_NAMESPACE
class QLabel;
class QTableWidget;
QT_END_NAMESPACE

namespace vae {

class DataPointPanel : public QGroupBox {
    Q_OBJECT
public:
    explicit DataPointPanel(QWidget* parent = nullptr);
    void showPoint(int index, const QString& label, const QImage& image, const std::vector<float>& mu,
                   const std::vector<float>& sigma);
    void setReconstruction(const QImage& image);
    void clear();
    int index() const { return index_; }
    QString caption() const;

signals:
    void cleared();

private:
    QLabel* caption_;
    QLabel* image_;
    QLabel* reconstruction_;
    QTableWidget* table_;
    int index_ = -1;
};

}  // namespace vae
