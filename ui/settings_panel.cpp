#include "settings_panel.h"

#include "errors.h"
#include "image_folder.h"

#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLineEdit>
#include <QRegularExpressionValidator>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

namespace vae {
namespace {

const char* const kOpenFolder = "Open folder…";

QLineEdit* widthsField(const QString& tooltip) {
    auto* field = new QLineEdit;
    field->setValidator(new QRegularExpressionValidator(QRegularExpression("^\\d{1,5}(,\\d{1,5})*$"), field));
    field->setToolTip(tooltip);
    return field;
}

// Ranges and labels come from the settings table (core's settings.h), as the CLI's do.
const Setting& spec(const char* key) { return *findSetting(key); }
QString label(const char* key) { return QString::fromStdString(spec(key).label); }

QSpinBox* integerField(const char* key) {
    auto* field = new QSpinBox;
    field->setRange(int(spec(key).min), int(std::min<double>(spec(key).max, std::numeric_limits<int>::max())));
    field->setToolTip(QString::fromStdString(spec(key).help));
    return field;
}

// A spin box cannot exclude its minimum: an exclusive 0 becomes the smallest step it shows.
QDoubleSpinBox* numberField(const char* key, int decimals, double step) {
    auto* field = new QDoubleSpinBox;
    field->setDecimals(decimals);
    field->setRange(spec(key).minExclusive ? spec(key).min + std::pow(10.0, -decimals) : spec(key).min, spec(key).max);
    field->setSingleStep(step);
    field->setToolTip(QString::fromStdString(spec(key).help));
    return field;
}

QComboBox* choiceField(const char* key) {
    auto* field = new QComboBox;
    for (const auto& choice : spec(key).choices) field->addItem(QString::fromStdString(choice), QString::fromStdString(choice));
    field->setToolTip(QString::fromStdString(spec(key).help));
    return field;
}

}  // namespace

SettingsPanel::SettingsPanel(QWidget* parent) : QWidget(parent) {
    preset_ = new QComboBox;
    preset_->addItem(tr("Custom"), QString());
    for (const auto& name : presetNames()) preset_->addItem(QString::fromStdString(name), QString::fromStdString(name));
    preset_->setToolTip(tr("pytorch-example: 784-400-20 as in pytorch/examples; paper: IWAE's 784-200-200-50 tanh on "
                           "binarized MNIST; conv: a convolutional VAE; seed: the seed article's network"));

    dataset_ = new QComboBox;
    dataset_->addItem("MNIST", "mnist");
    dataset_->addItem("Fashion-MNIST", "fashion-mnist");
    dataset_->addItem(tr(kOpenFolder), QString());
    imageSize_ = integerField("image_size");
    testFraction_ = numberField("test_fraction", 3, 0.05);

    latentDim_ = integerField("latent_dim");
    hidden_ = widthsField(tr("Encoder widths, comma separated; the decoder mirrors them"));
    architecture_ = choiceField("arch");
    convChannels_ = widthsField(QString::fromStdString(spec("conv_channels").help));
    activation_ = choiceField("activation");
    likelihood_ = new QComboBox;
    likelihood_->addItem(tr("Bernoulli"), "bernoulli");
    likelihood_->addItem(tr("Gaussian (fixed σ)"), "gaussian");
    sigma_ = numberField("sigma", 3, 0.01);
    beta_ = numberField("beta", 2, 0.1);
    warmupEpochs_ = integerField("warmup_epochs");
    freeBits_ = numberField("free_bits", 2, 0.1);
    binarize_ = choiceField("binarize");
    epochs_ = integerField("epochs");
    batchSize_ = integerField("batch_size");
    learningRate_ = numberField("lr", 5, 0.0001);
    lrDecay_ = numberField("lr_decay", 3, 0.05);
    lrDecayEvery_ = integerField("lr_decay_every");
    seed_ = integerField("seed");

    auto* data = new QGroupBox(tr("Data"));
    auto* dataForm = new QFormLayout(data);
    dataForm->addRow(label("dataset"), dataset_);
    dataForm->addRow(label("image_size"), imageSize_);
    dataForm->addRow(label("test_fraction"), testFraction_);
    auto* model = new QGroupBox(tr("Model"));
    auto* modelForm = new QFormLayout(model);
    modelForm->addRow(tr("Preset"), preset_);
    modelForm->addRow(label("latent_dim"), latentDim_);
    modelForm->addRow(label("arch"), architecture_);
    modelForm->addRow(label("conv_channels"), convChannels_);
    modelForm->addRow(label("hidden"), hidden_);
    modelForm->addRow(label("activation"), activation_);
    modelForm->addRow(label("likelihood"), likelihood_);
    modelForm->addRow(label("sigma"), sigma_);
    auto* training = new QGroupBox(tr("Training"));
    auto* trainingForm = new QFormLayout(training);
    trainingForm->addRow(label("beta"), beta_);
    trainingForm->addRow(label("warmup_epochs"), warmupEpochs_);
    trainingForm->addRow(label("free_bits"), freeBits_);
    trainingForm->addRow(label("binarize"), binarize_);
    trainingForm->addRow(label("epochs"), epochs_);
    trainingForm->addRow(label("batch_size"), batchSize_);
    trainingForm->addRow(label("lr"), learningRate_);
    trainingForm->addRow(label("lr_decay"), lrDecay_);
    trainingForm->addRow(label("lr_decay_every"), lrDecayEvery_);
    trainingForm->addRow(label("seed"), seed_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(data);
    layout->addWidget(model);
    layout->addWidget(training);
    layout->addStretch();

    // Names for tests and accessibility tools.
    hidden_->setObjectName("hidden");
    learningRate_->setObjectName("learningRate");
    beta_->setObjectName("beta");
    architecture_->setObjectName("architecture");
    imageSize_->setObjectName("imageSize");
    testFraction_->setObjectName("testFraction");
    seed_->setObjectName("seed");
    modelFields_ = {preset_, latentDim_, architecture_, convChannels_, hidden_, activation_, likelihood_, sigma_};
    // β stays editable while training: a change reaches the trainer at its next batch.
    trainingFields_ = {dataset_, warmupEpochs_, freeBits_, binarize_, epochs_, batchSize_, learningRate_, lrDecay_, lrDecayEvery_, seed_};
    setSettings(RunSettings{});

    connect(preset_, &QComboBox::activated, this, [this] { applyPreset(preset_->currentData().toString()); });
    connect(likelihood_, &QComboBox::currentIndexChanged, this, [this] { setModelLocked(modelLocked_); });
    connect(architecture_, &QComboBox::currentIndexChanged, this, [this] { setModelLocked(modelLocked_); });
    connect(beta_, &QDoubleSpinBox::editingFinished, this, [this] {
        if (trainingLocked_ || !shownRun_.training.betaChanges.empty()) emit betaEdited(beta_->value());
    });
    connect(dataset_, &QComboBox::activated, this, [this] {
        enableFolderFields();
        if (dataset().isEmpty()) emit openFolderRequested();
        else emit dataChosen();
    });
    // The seed draws a folder's split; the data is reloaded only when what it names changes.
    for (QAbstractSpinBox* field : std::initializer_list<QAbstractSpinBox*>{imageSize_, testFraction_, seed_})
        connect(field, &QAbstractSpinBox::editingFinished, this, &SettingsPanel::dataChosen);
}

void SettingsPanel::applyPreset(const QString& name) {
    if (name.isEmpty()) return;
    RunSettings current = settings();
    vae::applyPreset(name.toStdString(), current.model, current.training);
    setSettings(current);
    preset_->setCurrentIndex(preset_->findData(name));
}

RunSettings SettingsPanel::dataSettings() const {
    RunSettings out = shownRun_;  // what the panel does not show (threads, device) stays as set
    out.dataset = dataset().toStdString();
    out.imageSize = imageSize_->value();
    out.testFraction = testFraction_->value();
    out.training.seed = std::uint64_t(seed_->value());
    return out;
}

RunSettings SettingsPanel::settings() const {
    RunSettings out = dataSettings();
    out.model.latentDim = latentDim_->value();
    spec("hidden").set(out, hidden_->text().toStdString());  // throws SettingError: "Hidden: ..."
    if (out.model.encoderHidden == shownModel_.encoderHidden) out.model.decoderHidden = shownModel_.decoderHidden;
    spec("arch").set(out, architecture_->currentData().toString().toStdString());
    spec("conv_channels").set(out, convChannels_->text().toStdString());
    spec("activation").set(out, activation_->currentData().toString().toStdString());
    out.model.likelihood = parseLikelihood(likelihood_->currentData().toString().toStdString());
    out.model.gaussianSigma = sigma_->value();
    // Once β has changed during a run, the field shows its latest target; the run starts from its own.
    if (shownRun_.training.betaChanges.empty()) out.training.beta = beta_->value();
    out.training.warmupEpochs = warmupEpochs_->value();
    out.training.freeBits = freeBits_->value();
    spec("binarize").set(out, binarize_->currentData().toString().toStdString());
    out.training.epochs = epochs_->value();
    out.training.batchSize = batchSize_->value();
    out.training.learningRate = learningRate_->value();
    out.training.lrDecay = lrDecay_->value();
    out.training.lrDecayEvery = lrDecayEvery_->value();
    validate(out);
    return out;
}

void SettingsPanel::setSettings(const RunSettings& s) {
    shownRun_ = s;
    setDataset(QString::fromStdString(s.dataset));
    imageSize_->setValue(s.imageSize);
    testFraction_->setValue(s.testFraction);
    showModel(s.model);
    beta_->setValue(s.training.betaChanges.empty() ? s.training.beta : s.training.betaChanges.back().beta);
    warmupEpochs_->setValue(s.training.warmupEpochs);
    freeBits_->setValue(s.training.freeBits);
    binarize_->setCurrentIndex(binarize_->findData(QString::fromStdString(binarizationName(s.training.binarize))));
    epochs_->setValue(s.training.epochs);
    batchSize_->setValue(s.training.batchSize);
    learningRate_->setValue(s.training.learningRate);
    lrDecay_->setValue(s.training.lrDecay);
    lrDecayEvery_->setValue(s.training.lrDecayEvery);
    showBetaChanges();
    seed_->setValue(int(std::min<std::uint64_t>(s.training.seed, std::numeric_limits<int>::max())));
}

void SettingsPanel::showModel(const ModelConfig& config) {
    shownModel_ = config;
    latentDim_->setValue(config.latentDim);
    hidden_->setText(QString::fromStdString(widthsText(config.encoderHidden)));
    architecture_->setCurrentIndex(architecture_->findData(QString::fromStdString(architectureName(config.architecture))));
    convChannels_->setText(QString::fromStdString(widthsText(config.convChannels)));
    activation_->setCurrentIndex(activation_->findData(QString::fromStdString(activationName(config.activation))));
    likelihood_->setCurrentIndex(likelihood_->findData(QString::fromStdString(likelihoodName(config.likelihood))));
    sigma_->setValue(config.gaussianSigma);
    // A preset's decoder may not mirror its encoder (the seed network); say so in the tooltip.
    std::vector<int> mirrored(config.encoderHidden.rbegin(), config.encoderHidden.rend());
    hidden_->setToolTip(config.decoderHidden == mirrored
                            ? tr("Encoder widths, comma separated; the decoder mirrors them")
                            : tr("Encoder widths; this model's decoder is %1").arg(QString::fromStdString(widthsText(config.decoderHidden))));
    preset_->setCurrentIndex(0);
}

void SettingsPanel::setModelLocked(bool locked) {
    modelLocked_ = locked;
    for (QWidget* field : modelFields_) field->setEnabled(!locked);
    sigma_->setEnabled(!locked && likelihood_->currentData() == "gaussian");
    convChannels_->setEnabled(!locked && architecture_->currentData() == "conv");
}

void SettingsPanel::setTrainingLocked(bool locked) {
    trainingLocked_ = locked;
    for (QWidget* field : trainingFields_) field->setEnabled(!locked);
    enableFolderFields();
}

void SettingsPanel::enableFolderFields() {
    const QString spec = dataset();
    const bool folder = !spec.isEmpty() && !isBuiltInDataset(spec);
    imageSize_->setEnabled(folder && !trainingLocked_);
    testFraction_->setEnabled(folder && !trainingLocked_);
}

void SettingsPanel::recordBetaChange(const BetaChange& change) {
    shownRun_.training.addBetaChange(change);
    const QSignalBlocker quiet(beta_);
    beta_->setValue(change.beta);
    showBetaChanges();
}

void SettingsPanel::showBetaChanges() {
    QString text = QString::fromStdString(spec("beta").help);
    const auto& changes = shownRun_.training.betaChanges;
    if (!changes.empty())
        text += tr("\nChanged while training (kept in the run settings, applied again by a repeated run): %1")
                    .arg(QString::fromStdString(spec("beta_changes").get(shownRun_)));
    beta_->setToolTip(text);
}

void SettingsPanel::showLoadedData(const DatasetInfo& info) {
    const QSignalBlocker quiet(this);  // shown, not chosen: it is loaded already
    setDataset(info.spec);
    imageSize_->setValue(info.imageSize);
    testFraction_->setValue(info.testFraction);
    seed_->setValue(int(std::min<quint64>(info.seed, std::numeric_limits<int>::max())));
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
    enableFolderFields();
}

}  // namespace vae
