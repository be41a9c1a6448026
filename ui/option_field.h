#pragma once
// A spin box that shows a command option's row (base/command_options.h): its range, its default
// and its help, the same as the CLI's.
#include "command_options.h"

#include <QSpinBox>

namespace vae {

inline void showOptionRow(QSpinBox* field, const IntegerOptionRow& row) {
    field->setRange(row.min, row.max);
    field->setValue(row.defaultValue);
    field->setToolTip(QString::fromUtf8(row.help));
}

}  // namespace vae
