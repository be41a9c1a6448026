#pragma once
// One slider per latent dimension, with the KL that dimension carries beside it: they move the
// map's plane through the other dimensions (the plane's own directions are projected out).
#include <QVector>
#include <QWidget>

#include <vector>

QT_BEGIN_NAMESPACE
class QGridLayout;
class QLabel;
class QSlider;
QT_END_NAMESPACE

namespace vae {

class LatentSliders : public QWidget {
    Q_OBJECT
public:
    static constexpr int kStepsPerUnit = 100;

    explicit LatentSliders(QWidget* parent = nullptr);

    void setLatentDim(int latentDim, double range);  // rebuilds the sliders, all at 0
    void setKl(const std::vector<double>& klPerDim, const std::vector<double>& meanVariance);
    // Dimensions the plane itself spans (for two axes): their sliders would do nothing.
    void setPlaneAxes(const std::vector<bool>& inPlane);
    std::vector<float> offset() const;
    void setOffset(const std::vector<float>& offset);  // for tests and scripts
    int latentDim() const { return int(sliders_.size()); }

signals:
    void offsetChanged();

private:
    void showValue(int dimension);

    QGridLayout* grid_;
    QList<QSlider*> sliders_;
    QList<QLabel*> values_;
    QList<QLabel*> kls_;
};

}  // namespace vae
