#include "option_values.h"

#include "errors.h"

namespace vae {

void throwOptionError(const QString& option, const QString& problem) {
    throw ConfigError(QString("--%1: %2").arg(option, problem).toStdString());
}

int integerOption(const QCommandLineParser& parser, const QString& option, int min, int max) {
    const QString text = parser.value(option);
    bool ok = false;
    const qlonglong value = text.toLongLong(&ok);
    if (!ok) throwOptionError(option, QString("'%1' is not a whole number in %2..%3").arg(text).arg(min).arg(max));
    if (value < min || value > max) throwOptionError(option, QString("'%1' is outside %2..%3").arg(text).arg(min).arg(max));
    return int(value);
}

int integerOption(const QCommandLineParser& parser, const IntegerOptionRow& row) {
    return integerOption(parser, row.flag, row.min, row.max);
}

QCommandLineOption commandLineOption(const IntegerOptionRow& row, bool withDefault) {
    const QString defaultText = row.defaultText ? QString(row.defaultText) : QString::number(row.defaultValue);
    const QString help = QString("%1 (%2..%3%4).").arg(row.help).arg(row.min).arg(row.max)
                             .arg(withDefault ? ", default " + defaultText : QString());
    if (!withDefault || row.defaultText) return {row.flag, help, row.valueName};
    return {row.flag, help, row.valueName, QString::number(row.defaultValue)};
}

}  // namespace vae
