#pragma once
// The data, model and training settings, built from core's settings table (settings.h): one
// field per row that the table shows in the window, with the row's range, step, tooltip and
// lock. Model-shaping fields lock while a trained model exists (Reset unlocks them), so what the
// form shows is always what the model is. Each field's object name is its row's key.
#include "boundary_types.h"

#include <QWidget>

#include <map>
#include <optional>
#include <string>

QT_BEGIN_NAMESPACE
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QGroupBox;
class QToolButton;
QT_END_NAMESPACE

namespace vae {

struct Setting;

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
    // An opened checkpoint's training settings (β and its changes, objective, rate, ...), as a
    // resumed run continues; --epochs' field keeps its value (it is the next run's length).
    void showTraining(const TrainOptions& training);
    void showModel(const ModelConfig& config);  // a loaded or trained model's shape
    void setModelLocked(bool locked);
    void setTrainingLocked(bool locked);

    QString dataset() const;
    void setDataset(const QString& spec);  // adds a folder entry when needed
    // The data the training thread holds, with the size, split and seed it was loaded with.
    void showLoadedData(const DatasetInfo& info);
    // A beta set while training, kept with the run's settings (run files, the next run).
    void recordBetaChange(const BetaChange& change);

    QWidget* field(const std::string& key) const;  // null for a row the panel does not show
    // The collapsible section of the rows the table marks advanced (collapsed at first).
    void showAdvanced(bool shown);
    bool advancedShown() const;

signals:
    // The data to load changed: a dataset picked, or an image folder's size, split or seed edited.
    void dataChosen();
    void openFolderRequested();
    // The β field was edited while training, or after β was changed during a run: a change at
    // the model's current step (the trainer takes it at its next batch).
    void betaEdited(double beta);

private:
    void showTrainingRows();  // shownRun_'s training settings in their fields
    QWidget* makeField(const Setting& row);
    void connectRules();
    void applyPreset(const QString& name);
    std::string fieldText(const Setting& row) const;
    void showValue(const Setting& row, const RunSettings& settings);
    void showRows(SettingGroup group, const RunSettings& settings);
    void applyRows(SettingGroup group, RunSettings& settings) const;
    void showBetaChanges();  // in the β field's tooltip
    void updateEnabled();    // locks, an image folder's fields, fields that depend on a choice

    QComboBox* preset_;
    QToolButton* advancedToggle_ = nullptr;
    QGroupBox* advancedBox_ = nullptr;
    QComboBox* dataset_ = nullptr;
    QDoubleSpinBox* beta_ = nullptr;
    std::map<std::string, QWidget*> fields_;  // by the row's key
    ModelConfig shownModel_;  // keeps a non-mirrored decoder (seed preset, checkpoints)
    RunSettings shownRun_;    // keeps what has no field here (threads, device)
    bool trainingLocked_ = false;
    bool modelLocked_ = false;
    // The β last sent by betaEdited: Enter and the focus leaving both finish an edit, and one
    // change must be sent (and recorded) once.
    std::optional<double> betaSent_;
};

}  // namespace vae
