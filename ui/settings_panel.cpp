#include "settings_panel.h"

#include "builtin_datasets.h"
#include "errors.h"
#include "generated_dataset.h"
#include "image_folder.h"
#include "presets.h"
#include "setting_fields.h"
#include "settings.h"

#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

namespace vae {
namespace {

QString text(const std::string& s) { return QString::fromStdString(s); }
const Setting& row(const char* key) { return *findSetting(key); }
// β as the run now has it: its last change while training, else its start.
double latestBeta(const TrainOptions& training) {
    return training.betaChanges.empty() ? training.beta : training.betaChanges.back().beta;
}

}  // namespace

SettingsPanel::SettingsPanel(QWidget* parent) : QWidget(parent) {
    preset_ = presetField();
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    std::map<SettingGroup, QFormLayout*> forms;
    const std::pair<SettingGroup, QString> sections[] = {
        {SettingGroup::Run, tr("Data")}, {SettingGroup::Model, tr("Model")}, {SettingGroup::Training, tr("Training")}};
    for (const auto& [group, title] : sections) {
        auto* box = new QGroupBox(title);
        forms[group] = new QFormLayout(box);
        layout->addWidget(box);
    }
    // The rows the table marks advanced, whatever their group, under one collapsed section.
    advancedToggle_ = new QToolButton;
    advancedToggle_->setObjectName("advanced");
    advancedToggle_->setText(tr("Advanced"));
    advancedToggle_->setCheckable(true);
    advancedToggle_->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    advancedToggle_->setArrowType(Qt::RightArrow);
    advancedToggle_->setAutoRaise(true);
    advancedBox_ = new QGroupBox;
    auto* advancedForm = new QFormLayout(advancedBox_);
    advancedBox_->setVisible(false);
    connect(advancedToggle_, &QToolButton::toggled, this, &SettingsPanel::showAdvanced);
    layout->addWidget(advancedToggle_);
    layout->addWidget(advancedBox_);
    layout->addStretch();
    forms[SettingGroup::Model]->addRow(tr("Preset"), preset_);
    for (const Setting& setting : settingsTable()) {
        if (setting.field == SettingField::Hidden) continue;
        QWidget* field = makeField(setting);
        field->setObjectName(text(setting.key));  // for tests and accessibility tools
        field->setToolTip(text(setting.help));
        (setting.advanced ? advancedForm : forms[setting.group])->addRow(text(setting.label), field);
        fields_[setting.key] = field;
    }
    beta_ = qobject_cast<QDoubleSpinBox*>(field("beta"));
    setSettings(RunSettings{});
    connectRules();
}

QWidget* SettingsPanel::makeField(const Setting& setting) {
    switch (setting.field) {
        case SettingField::Spin: return spinField(setting);
        case SettingField::Decimal: return decimalField(setting);
        case SettingField::Widths: return widthsField(setting);
        case SettingField::Choice: return choiceField(setting);
        case SettingField::DataSource: return dataset_ = dataSourceField();
        case SettingField::Hidden: break;
    }
    throw ConfigError(setting.key + ": no field for this setting");
}

QWidget* SettingsPanel::field(const std::string& key) const {
    const auto found = fields_.find(key);
    return found == fields_.end() ? nullptr : found->second;
}

void SettingsPanel::connectRules() {
    connect(preset_, &QComboBox::activated, this, [this] { applyPreset(preset_->currentData().toString()); });
    // A field enabled by another's choice (σ by the Gaussian likelihood, channels by conv).
    for (const Setting& setting : settingsTable())
        if (auto* choice = qobject_cast<QComboBox*>(field(setting.enabledWithKey)))
            connect(choice, &QComboBox::currentIndexChanged, this, &SettingsPanel::updateEnabled, Qt::UniqueConnection);
    connect(beta_, &QDoubleSpinBox::editingFinished, this, [this] {
        if (!trainingLocked_ && shownRun_.training.betaChanges.empty()) return;
        const double target = betaSent_ ? *betaSent_ : latestBeta(shownRun_.training);
        if (beta_->value() == target) return;  // the same edit finished twice (Enter, then focus out)
        betaSent_ = beta_->value();
        emit betaEdited(beta_->value());
    });
    connect(dataset_, &QComboBox::activated, this, [this] {
        // A built-in set comes at its own size; a trained model's data at the model's.
        if (const BuiltInDataset* set = findBuiltInDataset(dataset().toStdString()))
            qobject_cast<QSpinBox*>(field("image_size"))->setValue(modelLocked_ ? shownModel_.imageRows : set->imageSize);
        updateEnabled();
        if (dataset().isEmpty()) emit openFolderRequested();
        else emit dataChosen();
    });
    // The seed draws a folder's split; the data is reloaded only when what it names changes.
    for (const char* key : {"image_size", "test_fraction", "seed"})
        connect(qobject_cast<QAbstractSpinBox*>(field(key)), &QAbstractSpinBox::editingFinished, this, &SettingsPanel::dataChosen);
}

void SettingsPanel::applyPreset(const QString& name) {
    if (name.isEmpty()) return;
    RunSettings current = settings();
    const std::string dataBefore = current.dataset;
    vae::applyPreset(name.toStdString(), current);
    setSettings(current);
    preset_->setCurrentIndex(preset_->findData(name));
    if (current.dataset != dataBefore) emit dataChosen();  // a preset made for a data set brings it
}

std::string SettingsPanel::fieldText(const Setting& setting) const {
    QWidget* shown = field(setting.key);
    if (auto* spin = qobject_cast<QSpinBox*>(shown)) return std::to_string(spin->value());
    if (auto* decimal = qobject_cast<QDoubleSpinBox*>(shown)) return QString::number(decimal->value(), 'g', 17).toStdString();
    if (auto* line = qobject_cast<QLineEdit*>(shown)) return line->text().toStdString();
    if (auto* choice = qobject_cast<QComboBox*>(shown)) return choice->currentData().toString().toStdString();
    return setting.get(shownRun_);
}

void SettingsPanel::showValue(const Setting& setting, const RunSettings& settings) {
    const QString value = text(setting.get(settings));
    QWidget* shown = field(setting.key);
    if (shown == dataset_) setDataset(value);
    else if (auto* spin = qobject_cast<QSpinBox*>(shown)) spin->setValue(int(std::min<qulonglong>(value.toULongLong(), spin->maximum())));
    else if (auto* decimal = qobject_cast<QDoubleSpinBox*>(shown)) decimal->setValue(value.toDouble());
    else if (auto* line = qobject_cast<QLineEdit*>(shown)) line->setText(value);
    else if (auto* choice = qobject_cast<QComboBox*>(shown)) choice->setCurrentIndex(choice->findData(value));
}

void SettingsPanel::showRows(SettingGroup group, const RunSettings& settings) {
    for (const Setting& setting : settingsTable())
        if (setting.group == group && field(setting.key)) showValue(setting, settings);
}

void SettingsPanel::applyRows(SettingGroup group, RunSettings& settings) const {
    for (const Setting& setting : settingsTable())
        if (setting.group == group && field(setting.key)) setting.set(settings, fieldText(setting));  // throws SettingError
}

RunSettings SettingsPanel::dataSettings() const {
    RunSettings out = shownRun_;  // what the panel does not show (threads, device) stays as set
    applyRows(SettingGroup::Run, out);
    row("seed").set(out, fieldText(row("seed")));
    return out;
}

RunSettings SettingsPanel::settings() const {
    RunSettings out = dataSettings();
    applyRows(SettingGroup::Model, out);
    if (out.model.encoderHidden == shownModel_.encoderHidden) out.model.decoderHidden = shownModel_.decoderHidden;
    const double startBeta = out.training.beta;
    applyRows(SettingGroup::Training, out);
    // Once β has changed during a run, the field shows its latest target; the run starts from its own.
    if (!shownRun_.training.betaChanges.empty()) out.training.beta = startBeta;
    validate(out);
    return out;
}

void SettingsPanel::setSettings(const RunSettings& s) {
    shownRun_ = s;
    betaSent_.reset();
    showRows(SettingGroup::Run, s);
    showModel(s.model);
    showTrainingRows();
}

void SettingsPanel::showTraining(const TrainOptions& training) {
    const std::string epochs = fieldText(row("epochs"));  // as the field reads now, edited or not
    shownRun_.training = training;
    row("epochs").set(shownRun_, epochs);
    showTrainingRows();
}

void SettingsPanel::showTrainingRows() {
    const RunSettings& s = shownRun_;
    showRows(SettingGroup::Training, s);
    beta_->setValue(latestBeta(s.training));
    showBetaChanges();
    // Settings that use an advanced row (a run file with KL warm-up, say) show it: a value
    // that shapes the run is never hidden.
    const RunSettings defaults;
    for (const Setting& setting : settingsTable())
        if (setting.advanced && field(setting.key) && setting.get(s) != setting.get(defaults)) showAdvanced(true);
}

void SettingsPanel::showAdvanced(bool shown) {
    const QSignalBlocker quiet(advancedToggle_);
    advancedToggle_->setChecked(shown);
    advancedToggle_->setArrowType(shown ? Qt::DownArrow : Qt::RightArrow);
    advancedBox_->setVisible(shown);
}

void SettingsPanel::showModel(const ModelConfig& config) {
    shownModel_ = config;
    RunSettings withModel = shownRun_;
    withModel.model = config;
    showRows(SettingGroup::Model, withModel);
    // A preset's decoder may not mirror its encoder (the seed network); say so in the tooltip.
    const std::vector<int> mirrored(config.encoderHidden.rbegin(), config.encoderHidden.rend());
    field("hidden")->setToolTip(config.decoderHidden == mirrored
                                    ? text(row("hidden").help)
                                    : tr("Encoder widths; this model's decoder is %1").arg(text(widthsText(config.decoderHidden))));
    preset_->setCurrentIndex(0);
    updateEnabled();
}

bool SettingsPanel::advancedShown() const { return advancedToggle_->isChecked(); }

void SettingsPanel::setModelLocked(bool locked) {
    modelLocked_ = locked;
    updateEnabled();
}

void SettingsPanel::setTrainingLocked(bool locked) {
    trainingLocked_ = locked;
    updateEnabled();
}

void SettingsPanel::updateEnabled() {
    const QString spec = dataset();
    const bool folder = !spec.isEmpty() && !isBuiltInDataset(spec);
    const bool drawn = findGeneratedSource(spec.toStdString()) != nullptr;
    preset_->setEnabled(!modelLocked_);
    for (const Setting& setting : settingsTable()) {
        QWidget* shown = field(setting.key);
        if (!shown) continue;
        bool enabled = setting.group == SettingGroup::Model ? !modelLocked_
                                                            : setting.editableWhileTraining || !trainingLocked_;
        if (setting.imageFoldersOnly) enabled = enabled && (folder || (drawn && setting.drawnSetsToo));
        if (!setting.enabledWithKey.empty())
            enabled = enabled && fieldText(*findSetting(setting.enabledWithKey)) == setting.enabledWithValue;
        shown->setEnabled(enabled);
    }
}

void SettingsPanel::recordBetaChange(const BetaChange& change) {
    shownRun_.training.addBetaChange(change);
    const QSignalBlocker quiet(beta_);
    beta_->setValue(change.beta);
    showBetaChanges();
}

void SettingsPanel::showBetaChanges() {
    QString tip = text(row("beta").help);
    if (!shownRun_.training.betaChanges.empty())
        tip += tr("\nChanged while training (kept in the run settings, applied again by a repeated run): %1")
                   .arg(text(row("beta_changes").get(shownRun_)));
    beta_->setToolTip(tip);
}

void SettingsPanel::showLoadedData(const DatasetInfo& info) {
    const QSignalBlocker quiet(this);  // shown, not chosen: it is loaded already
    const RunSettings shown = dataSettings();
    RunSettings loaded = shown;
    loaded.dataset = info.spec.toStdString();
    loaded.imageSize = info.imageSize;
    loaded.testFraction = info.testFraction;
    // What the fields name is this data already: a seed or size edited meanwhile that does not
    // change it (an IDX folder's seed, say) stays as the user set it.
    if (datasetIdentity(loaded) == datasetIdentity(shown)) return;
    loaded.training.seed = info.seed;
    showRows(SettingGroup::Run, loaded);
    showValue(row("seed"), loaded);
}

QString SettingsPanel::dataset() const { return dataset_->currentData().toString(); }

void SettingsPanel::setDataset(const QString& spec) {
    int index = dataset_->findData(spec);
    if (index < 0 && !spec.isEmpty()) {
        dataset_->insertItem(dataset_->count() - 1, QDir(spec).dirName() + "/", spec);
        dataset_->setItemData(dataset_->count() - 2, spec, Qt::ToolTipRole);
        index = dataset_->count() - 2;
    }
    if (index >= 0) dataset_->setCurrentIndex(index);
    updateEnabled();
}

}  // namespace vae
