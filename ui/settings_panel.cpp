#include "settings_panel.h"

#include "errors.h"

#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLineEdit>
#include <QRegularExpressionValidator>
#include <QSpinBox>
#include <QVBoxLayout>

namespace vae {
namespace {

const char* const kOpenFolder = "Open folder…";

QString widthsText(const std::vector<int>& widths) {
    QStringList parts;
    for (int width : widths) parts << QString::number(width);
    return parts.join(',');
}

}  // namespace

SettingsPanel::SettingsPanel(QWidget* parent) : QWidget(parent) {
    preset_ = new QComboBox;
    preset_->addItem(tr("Custom"), QString());
    for (const auto& name : presetNames()) preset_->addItem(QString::fromStdString(name), QString::fromStdString(name));
    preset_->setToolTip(tr("pytorch-example: 784-400-20 as in pytorch/examples; seed: the seed article's network"));

    dataset_ = new QComboBox;
    dataset_->addItem("MNIST", "mnist");
    dataset_->addItem("Fashion-MNIST", "fashion-mnist");
    dataset_->addItem(tr(kOpenFolder), QString());

    latentDim_ = new QSpinBox;
    latentDim_->setRange(1, 1024);
    hidden_ = new QLineEdit;
    hidden_->setValidator(new QRegularExpressionValidator(QRegularExpression("^\\d{1,5}(,\\d{1,5})*$"), hidden_));
    hidden_->setToolTip(tr("Encoder widths, comma separated; the decoder mirrors them"));
    likelihood_ = new QComboBox;
    likelihood_->addItem(tr("Bernoulli"), "bernoulli");
    likelihood_->addItem(tr("Gaussian (fixed σ)"), "gaussian");
    sigma_ = new QDoubleSpinBox;
    sigma_->setRange(0.01, 10);
    sigma_->setDecimals(3);
    sigma_->setSingleStep(0.01);
    beta_ = new QDoubleSpinBox;
    beta_->setRange(0, 100);
    beta_->setDecimals(2);
    beta_->setSingleStep(0.1);
    epochs_ = new QSpinBox;
    epochs_->setRange(1, 100000);
    batchSize_ = new QSpinBox;
    batchSize_->setRange(1, 65536);
    learningRate_ = new QDoubleSpinBox;
    learningRate_->setDecimals(5);
    learningRate_->setRange(0.00001, 10);
    learningRate_->setSingleStep(0.0001);
    seed_ = new QSpinBox;
    seed_->setRange(0, std::numeric_limits<int>::max());

    auto* data = new QGroupBox(tr("Data"));
    auto* dataForm = new QFormLayout(data);
    dataForm->addRow(tr("Dataset"), dataset_);
    auto* model = new QGroupBox(tr("Model"));
    auto* modelForm = new QFormLayout(model);
    modelForm->addRow(tr("Preset"), preset_);
    modelForm->addRow(tr("Latent dim"), latentDim_);
    modelForm->addRow(tr("Hidden"), hidden_);
    modelForm->addRow(tr("Likelihood"), likelihood_);
    modelForm->addRow(tr("σ (Gaussian)"), sigma_);
    auto* training = new QGroupBox(tr("Training"));
    auto* trainingForm = new QFormLayout(training);
    trainingForm->addRow(tr("β (KL weight)"), beta_);
    trainingForm->addRow(tr("Epochs"), epochs_);
    trainingForm->addRow(tr("Batch size"), batchSize_);
    trainingForm->addRow(tr("Learning rate"), learningRate_);
    trainingForm->addRow(tr("Seed"), seed_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(data);
    layout->addWidget(model);
    layout->addWidget(training);
    layout->addStretch();

    // Names for tests and accessibility tools.
    hidden_->setObjectName("hidden");
    learningRate_->setObjectName("learningRate");
    modelFields_ = {preset_, latentDim_, hidden_, likelihood_, sigma_};
    trainingFields_ = {dataset_, beta_, epochs_, batchSize_, learningRate_, seed_};
    setSettings(TrainingSettings{});

    connect(preset_, &QComboBox::activated, this, [this] { applyPreset(preset_->currentData().toString()); });
    connect(likelihood_, &QComboBox::currentIndexChanged, this,
            [this] { sigma_->setEnabled(likelihood_->currentData() == "gaussian" && latentDim_->isEnabled()); });
    connect(dataset_, &QComboBox::activated, this, [this] {
        const QString spec = dataset_->currentData().toString();
        if (spec.isEmpty()) emit openFolderRequested();
        else emit datasetChosen(spec);
    });
}

void SettingsPanel::applyPreset(const QString& name) {
    if (name.isEmpty()) return;
    TrainingSettings current = settings();
    vae::applyPreset(name.toStdString(), current.model, current.training);
    setSettings(current);
    preset_->setCurrentIndex(preset_->findData(name));
}

TrainingSettings SettingsPanel::settings() const {
    TrainingSettings out;
    out.dataset = dataset();
    out.model.latentDim = latentDim_->value();
    out.model.encoderHidden.clear();
    for (const QString& part : hidden_->text().split(',', Qt::SkipEmptyParts)) {
        bool ok = false;
        const int width = part.trimmed().toInt(&ok);
        if (!ok) throw ConfigError(("Hidden: '" + part + "' is not a whole number").toStdString());
        out.model.encoderHidden.push_back(width);
    }
    out.model.decoderHidden.assign(out.model.encoderHidden.rbegin(), out.model.encoderHidden.rend());
    if (out.model.encoderHidden == shownModel_.encoderHidden) out.model.decoderHidden = shownModel_.decoderHidden;
    out.model.likelihood = parseLikelihood(likelihood_->currentData().toString().toStdString());
    out.model.gaussianSigma = sigma_->value();
    out.training.beta = beta_->value();
    out.training.epochs = epochs_->value();
    out.training.batchSize = batchSize_->value();
    out.training.learningRate = learningRate_->value();
    out.training.seed = std::uint64_t(seed_->value());
    out.model.validate();
    out.training.validate();
    return out;
}

void SettingsPanel::setSettings(const TrainingSettings& s) {
    setDataset(s.dataset);
    showModel(s.model);
    beta_->setValue(s.training.beta);
    epochs_->setValue(s.training.epochs);
    batchSize_->setValue(s.training.batchSize);
    learningRate_->setValue(s.training.learningRate);
    seed_->setValue(int(std::min<std::uint64_t>(s.training.seed, std::numeric_limits<int>::max())));
}

void SettingsPanel::showModel(const ModelConfig& config) {
    shownModel_ = config;
    latentDim_->setValue(config.latentDim);
    hidden_->setText(widthsText(config.encoderHidden));
    likelihood_->setCurrentIndex(likelihood_->findData(QString::fromStdString(likelihoodName(config.likelihood))));
    sigma_->setValue(config.gaussianSigma);
    // A preset's decoder may not mirror its encoder (the seed network); say so in the tooltip.
    std::vector<int> mirrored(config.encoderHidden.rbegin(), config.encoderHidden.rend());
    hidden_->setToolTip(config.decoderHidden == mirrored
                            ? tr("Encoder widths, comma separated; the decoder mirrors them")
                            : tr("Encoder widths; this model's decoder is %1").arg(widthsText(config.decoderHidden)));
    preset_->setCurrentIndex(0);
}

void SettingsPanel::setModelLocked(bool locked) {
    for (QWidget* field : modelFields_) field->setEnabled(!locked);
    sigma_->setEnabled(!locked && likelihood_->currentData() == "gaussian");
}

void SettingsPanel::setTrainingLocked(bool locked) {
    for (QWidget* field : trainingFields_) field->setEnabled(!locked);
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
}

}  // namespace vae
