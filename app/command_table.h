#pragma once
// The one table of vae-explorer's commands and their options. Each command's parser and --help,
// the man page, the bash completion and docs/cli.md are all made from it (app/docs_generator),
// so none of them can drift from what the program accepts.
#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QList>
#include <QString>

namespace vae {

struct CommandSpec {
    QString name;      // "train"; empty for the window
    QString synopsis;  // what follows "vae-explorer" on a usage line
    QString summary;   // what it does, one sentence
    QString example;   // one complete command line
    QList<QCommandLineOption> options;  // in help order; --help (and the window's --version) last
};

// The window first, then train, encode, eval and interpolate.
const QList<CommandSpec>& commandTable();
// The row of a command; throws std::out_of_range for a name not in the table.
const CommandSpec& commandSpec(const QString& name);
// A parser for the command: its options, long options with a single dash accepted too.
void addCommandOptions(QCommandLineParser& parser, const CommandSpec& command);
// The command's --help: usage, summary and every option with its value and description.
QString commandHelp(const CommandSpec& command);
// The program's --version: name and version, then the libraries it runs on.
QString versionText();

}  // namespace vae
