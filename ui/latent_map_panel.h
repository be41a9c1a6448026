#pragma once
// The latent map with its controls: grid size and range; the plane it shows (two axes, the
// data's PCA plane, or the plane through two selected test images and the centre of the data);
// and how the encoded test set is drawn (dots, images, the decoded grid, which labels).
#include "map_plane.h"
#include "scatter_layer.h"

#include <QGroupBox>

QT_BEGIN_NAMESPACE
class QCheckBox;
class QComboBox;
class QDragEnterEvent;
class QDropEvent;
class QDoubleSpinBox;
class QLabel;
class QSlider;
class QSpinBox;
QT_END_NAMESPACE

namespace vae {

class LatentMapWidget;

class LatentMapPanel : public QGroupBox {
    Q_OBJECT
public:
    explicit LatentMapPanel(LatentMapWidget* map, QWidget* parent = nullptr);

    int gridSize() const;
    double range() const;
    PlaneChoice planeChoice() const;
    ScatterStyle scatterStyle() const;
    bool showGrid() const;
    int encodedCount() const;  // EncodeService::kAllImages for all
    QVector<bool> visibleLabels() const;

    void setLatentDim(int latentDim);
    void setClassNames(const QStringList& names);
    // The data's factors, offered beside the class as what colours the points (hidden without).
    void setFactorNames(const std::vector<std::string>& names);
    void setColourBy(int factor);  // -1: the class
    // The two test images a plane through points uses (the latest two selected).
    void setPlanePoints(int first, int second);
    void setPlaneMode(PlaneMode mode);
    void setPlaneMessage(const QString& text);  // why the chosen plane is not shown, or empty
    void setShowPoints(bool show);
    void setShowImages(bool show);
    void addBelowMap(QWidget* widget);  // the replay's timeline

signals:
    void gridChanged();    // size or range
    void planeChanged();
    void styleChanged();   // dots, images, grid, filter
    void countChanged();
    void pictureDropped(const QString& path);  // a picture file dropped anywhere on the map's panel

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    QSpinBox* gridSize_;
    QDoubleSpinBox* gridRange_;
    QComboBox* planeMode_;
    QComboBox* colourBy_;
    QSpinBox* axisX_;
    QSpinBox* axisY_;
    QLabel* planeMessage_;
    QCheckBox* showPoints_;
    QCheckBox* showImages_;
    QCheckBox* showGrid_;
    QSpinBox* count_;
    QSpinBox* pointSize_;
    QSlider* opacity_;
    QWidget* filterRow_;
    QList<QCheckBox*> labelButtons_;
    int pointA_ = -1;
    int pointB_ = -1;
};

}  // namespace vae
