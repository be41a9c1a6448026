#pragma once
// Ties the latent map's parts together: the plane it shows (from the panel's choice, the
// encodings and the sliders), the encoded test set drawn on it, the selected test image, and the
// decoded point. One plane serves the grid, the scatter, the ellipse and the clicks.
#include "boundary_types.h"
#include "map_plane.h"

#include <QElapsedTimer>
#include <QObject>

#include <optional>

namespace vae {

class DataPointPanel;
class KlChart;
class LatentMapPanel;
class LatentMapWidget;
class LatentSliders;
class TrainingController;

class LatentExplorer : public QObject {
    Q_OBJECT
public:
    struct Parts {
        LatentMapWidget* map;
        LatentMapPanel* panel;
        LatentSliders* sliders;
        KlChart* klChart;
        DataPointPanel* dataPoint;
    };
    LatentExplorer(TrainingController& controller, const Parts& parts, QObject* parent = nullptr);

    void modelChanged(const ModelInfo& info, bool newShape);
    void datasetLoaded(const DatasetInfo& info);
    void refresh();  // asks for the grid and the selected point again (newer weights)

    // For the window's actions, tests and benchmarks.
    void decodeAt(const QPointF& planePoint);
    void selectDataPoint(int index);
    const MapPlane& plane() const { return plane_; }  // with the sliders' offset
    const std::optional<EncodedTestSet>& encoded() const { return encoded_; }
    const DatasetInfo& dataset() const { return dataset_; }
    const ModelConfig& modelConfig() const { return config_; }
    std::optional<QPointF> selectedPoint() const { return selected2d_; }
    // The point last chosen on the map, in full: the selected test image's posterior mean, or
    // the decoded spot of the plane; with a few words saying which. Nothing before a choice.
    struct ChosenPoint {
        std::vector<float> latent;
        QString description;
    };
    std::optional<ChosenPoint> chosenPoint() const;
    // A decoded point that only refreshes the selected image's reconstruction, while the decoded
    // point shown is a spot the user clicked since.
    bool isReconstructionOnly(quint64 requestId) const {
        return requestId == reconstructionRequest_ && !decodingDataPoint_;
    }
    QString exportEncodings(const QString& path) const;
    // While the replay shows an earlier snapshot, live grids and encodings do not reach the map;
    // the replay places its own through showGrid and showScatter.
    void setReplaying(bool replaying);
    void showGrid(const DecodedGrid& grid);
    void showScatter(const Encodings& encodings);
    GridSpec gridSpec() const;
    QString exportMap(const QString& path, int side) const;

signals:
    void planeUpdated();
    void scatterUpdated();  // new encodings placed on the map

private:
    void onEncoded(const EncodedTestSet& result);
    void onPointDecoded(const DecodedPoint& point);
    void updatePlane() { placePlane(false); }
    // scatterStale: new encodings, so the scatter is placed again even if the plane only moved
    // across itself.
    void placePlane(bool scatterStale);
    void updateScatter();
    void updateSelection();
    void applyStyle();
    void shadeByFactor(int count);
    void requestGrid();
    void redecode();  // the decoded point again: the spot on the plane, or the selected image's mean

    TrainingController& controller_;
    Parts parts_;
    int latentDim_ = 2;
    ModelConfig config_;
    DatasetInfo dataset_;
    std::optional<EncodedTestSet> encoded_;
    MapPlane plane_{LatentPlane::axes(2, 0, 1), "z1", "z2"};
    std::optional<QPointF> selected2d_;
    int selectedIndex_ = -1;
    int previousIndex_ = -1;
    bool decodingDataPoint_ = false;
    bool replaying_ = false;  // the last click selected a test image (else a spot)
    quint64 reconstructionRequest_ = 0;
    // Live refreshes pace the grid by its cost (liveGridDue): not over one still coming in, and
    // not until 3 decode times after the last whole one, so that a large colour model's grid
    // takes at most about a quarter of a core from training. A small model's grid, decoded in
    // milliseconds, is asked for at every refresh.
    bool liveGridDue() const;
    QElapsedTimer gridAsked_;
    QElapsedTimer gridArrived_;
    double gridMilliseconds_ = 0;
    bool gridComing_ = false;
};

}  // namespace vae
