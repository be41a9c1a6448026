#pragma once
// Checked values of command-line options, shared by every command: a bad one is a ConfigError
// whose one line names the option.
#include "command_options.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QString>

namespace vae {

// Throws ConfigError "--OPTION: PROBLEM".
[[noreturn]] void throwOptionError(const QString& option, const QString& problem);
// The option's value as a whole number in min..max; throws (throwOptionError) otherwise.
int integerOption(const QCommandLineParser& parser, const QString& option, int min, int max);
// The same for a row of command_options.h, and the row as a parser option whose help ends in its
// range and default ("(2..64, default 16)"); withDefault false: an opt-in option without one.
int integerOption(const QCommandLineParser& parser, const IntegerOptionRow& row);
QCommandLineOption commandLineOption(const IntegerOptionRow& row, bool withDefault = true);

}  // namespace vae
