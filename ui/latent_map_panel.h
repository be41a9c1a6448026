#pragma once
// The latent map with its controls: grid size, range, and the two latent axes it spans (the
// other dimensions stay at 0).
#include "boundary_types.h"

#include <QGroupBox>

QT_BEGIN_NAMESPACE
class QDoubleSpinBox;
class QSpinBox;
QT_END_NAMESPACE

namespace vae {

class LatentMapWidget;

class LatentMapPanel : public QGroupBox {
    Q_OBJECT
public:
    explicit LatentMapPanel(LatentMapWidget* map, QWidget* parent = nullptr);
    GridSpec spec() const;  // what the controls ask for
    void setLatentDim(int latentDim);

signals:
    void specChanged();

private:
    QSpinBox* gridSize_;
    QDoubleSpinBox* gridRange_;
    QSpinBox* axisX_;
    QSpinBox* axisY_;
};

}  // namespace vae
