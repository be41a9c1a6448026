#include "setting_fields.h"

#include "builtin_datasets.h"
#include "presets.h"
#include "settings.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QRegularExpressionValidator>
#include <QSpinBox>
#include <QStringList>

#include <algorithm>
#include <cmath>
#include <limits>

namespace vae {
namespace {

QString text(const std::string& s) { return QString::fromStdString(s); }

}  // namespace

QLineEdit* widthsField(const Setting& row) {
    auto* field = new QLineEdit;
    const QString digits = QString("\\d{1,%1}").arg(QString::number(qlonglong(row.max)).size());
    field->setValidator(new QRegularExpressionValidator(QRegularExpression("^" + digits + "(," + digits + ")*$"), field));
    return field;
}

QSpinBox* spinField(const Setting& row) {
    auto* field = new QSpinBox;
    field->setRange(int(row.min), int(std::min<double>(row.max, std::numeric_limits<int>::max())));
    field->setSingleStep(int(row.step));
    return field;
}

QDoubleSpinBox* decimalField(const Setting& row) {
    auto* field = new QDoubleSpinBox;
    field->setDecimals(row.decimals);
    field->setRange(row.minExclusive ? row.min + std::pow(10.0, -row.decimals) : row.min, row.max);
    field->setSingleStep(row.step);
    return field;
}

QComboBox* choiceField(const Setting& row) {
    auto* field = new QComboBox;
    for (std::size_t i = 0; i < row.choices.size(); ++i)
        field->addItem(text(i < row.choiceLabels.size() ? row.choiceLabels[i] : row.choices[i]), text(row.choices[i]));
    return field;
}

QComboBox* presetField() {
    auto* preset = new QComboBox;
    preset->setObjectName("preset");
    preset->addItem(QComboBox::tr("Custom"), QString());
    QStringList tips;
    for (const Preset& row : presetTable()) {
        preset->addItem(text(row.name), text(row.name));
        tips << text(row.name + ": " + row.summary);
    }
    preset->setToolTip(tips.join('\n'));
    return preset;
}

QComboBox* dataSourceField() {
    auto* dataset = new QComboBox;
    for (const BuiltInDataset& set : builtInDatasets()) dataset->addItem(text(set.title), text(set.name));
    dataset->addItem(QComboBox::tr("Open folder…"), QString());
    return dataset;
}

}  // namespace vae
