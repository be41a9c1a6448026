#pragma once
// The data, model and training settings. Model-shaping fields lock while a trained model
// exists (Reset unlocks them), so what the form shows is always what the model is.
#include "boundary_types.h"

#include <QWidget>

QT_BEGIN_NAMESPACE
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;
class QLabel;
QT_END_NAMESPACE

namespace vae {

class SettingsPanel : public QWidget {
    Q_OBJECT
public:
    explicit SettingsPanel(QWidget* parent = nullptr);

    // Throws ConfigError naming the bad field.
    RunSettings settings() const;
    // The fields that choose the data (dataset, an image folder's size and split, the seed that
    // draws it), over the last settings shown; the other fields are not read or checked.
    RunSettings dataSettings() const;
    void setSettings(const RunSettings& settings);
    void showModel(const ModelConfig& config);  // a loaded or trained model's shape
    void setModelLocked(bool locked);
    void setTrainingLocked(bool locked);

    QString dataset() const;
    void setDataset(const QString& spec);  // adds a folder entry when needed
    // The data the training thread holds, with the size, split and seed it was loaded with.
    void showLoadedData(const DatasetInfo& info);
    // A beta set while training, kept with the run's settings (run files, the next run).
    void recordBetaChange(const BetaChange& change);

signals:
    // The data to load changed: a dataset picked, or an image folder's size, split or seed edited.
    void dataChosen();
    void openFolderRequested();
    // The β field was edited while training, or after β was changed during a run: a change at
    // the model's current step (the trainer takes it at its next batch).
    void betaEdited(double beta);

private:
    void applyPreset(const QString& name);
    void showBetaChanges();  // in the β field's tooltip
    void enableFolderFields();  // an image folder's size and split apply to folders only

    QComboBox* preset_;
    QComboBox* dataset_;
    QSpinBox* imageSize_;
    QDoubleSpinBox* testFraction_;
    QSpinBox* latentDim_;
    QLineEdit* hidden_;
    QComboBox* architecture_;
    QLineEdit* convChannels_;
    QComboBox* activation_;
    QComboBox* likelihood_;
    QDoubleSpinBox* sigma_;
    QDoubleSpinBox* beta_;
    QSpinBox* warmupEpochs_;
    QDoubleSpinBox* freeBits_;
    QComboBox* binarize_;
    QSpinBox* epochs_;
    QSpinBox* batchSize_;
    QDoubleSpinBox* learningRate_;
    QDoubleSpinBox* lrDecay_;
    QSpinBox* lrDecayEvery_;
    QSpinBox* seed_;
    ModelConfig shownModel_;  // keeps a non-mirrored decoder (seed preset, checkpoints)
    RunSettings shownRun_;    // keeps what has no field here (threads, device)
    QList<QWidget*> modelFields_;
    QList<QWidget*> trainingFields_;
    bool trainingLocked_ = false;
    bool modelLocked_ = false;
};

}  // namespace vae
