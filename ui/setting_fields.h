#pragma once
// The widget of a settings-table row (see SettingField in settings.h): its range, step,
// decimals and choices all come from the row.
#include <QtGlobal>

QT_BEGIN_NAMESPACE
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;
QT_END_NAMESPACE

namespace vae {

struct Setting;

// Layer widths: digits and commas, as many digits as the row's largest width has.
QLineEdit* widthsField(const Setting& row);
QSpinBox* spinField(const Setting& row);
// A spin box cannot exclude its minimum: an exclusive one becomes the smallest step it shows.
QDoubleSpinBox* decimalField(const Setting& row);
// The row's choices as item data, shown by their labels where the row has them.
QComboBox* choiceField(const Setting& row);
// The presets (core's presetTable), after "Custom"; each one's summary in the tooltip.
QComboBox* presetField();
// The built-in data sets (core's builtInDatasets), then "Open folder…" (empty item data).
QComboBox* dataSourceField();

}  // namespace vae
