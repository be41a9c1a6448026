// vae-explorer-docs: writes the man page, the bash completion and docs/cli.md from the command
// table (command_table.h), the one place that also drives every command's parser and --help.
// help2man was the alternative: it only wraps one --help text, knows nothing of subcommands, and
// makes no completion, so the generator reads the table itself.
//   vae-explorer-docs --man FILE.1 --bash-completion FILE --markdown FILE.md
#include "builtin_datasets.h"
#include "command_table.h"
#include "presets.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSaveFile>
#include <QStringList>

#include <cstdio>

namespace vae {
namespace {

// The files, environment and exit codes a user meets; they are the same in all three outputs.
const char* const kFiles[][2] = {
    {"$XDG_DATA_HOME/vae-explorer/mnist", "Where --dataset mnist looks for the four MNIST IDX files (without "
                                          "XDG_DATA_HOME: ~/.local/share/vae-explorer/mnist)."},
    {"/usr/share/datasets/fashion-mnist", "Where --dataset fashion-mnist looks (Debian's dataset-fashion-mnist)."},
    {"RUN/run.json", "The run's settings; train --config repeats the run from it, and the window opens it."},
    {"RUN/metrics.csv", "One line of losses per epoch."},
    {"RUN/checkpoint.pt", "The model, its settings and optimiser state, written after every epoch."},
};
const char* const kEnvironment[][2] = {
    {"VAE_EXPLORER_MNIST_DIR", "A folder to read MNIST from instead of the one above."},
    {"RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT", "torchrun's variables: train joins a data-parallel job."},
    {"OMPI_COMM_WORLD_RANK, OMPI_COMM_WORLD_SIZE", "The same under mpirun (with MASTER_ADDR and MASTER_PORT)."},
    {"SLURM_PROCID, SLURM_NTASKS", "The same under Slurm's srun (with MASTER_ADDR and MASTER_PORT)."},
    {"GLOO_SOCKET_IFNAME", "The network interface a distributed job uses."},
};
const char* const kExitCodes[][2] = {
    {"0", "Success, and --help and --version."},
    {"1", "A failure while running: a file could not be read or written, or training failed."},
    {"2", "Bad options, or a checkpoint and a dataset that do not fit together."},
    {"130", "train was interrupted (Ctrl+C); the checkpoint holds the last finished epoch."},
};

// The built-in data sets and the presets, from their tables: "name", "what it is".
QList<QStringList> datasetRows() {
    QList<QStringList> rows;
    for (const BuiltInDataset& set : builtInDatasets())
        rows.append({QString::fromStdString(set.name), QString::fromStdString(set.summary) + "."});
    return rows;
}
QList<QStringList> presetRows() {
    QList<QStringList> rows;
    for (const Preset& preset : presetTable())
        rows.append({QString::fromStdString(preset.name),
                     QString::fromStdString(preset.summary) +
                         (preset.dataset.empty() ? QString(".") : QString("; trains --dataset %1.").arg(QString::fromStdString(preset.dataset)))});
    return rows;
}

// The subcommands' names: "train|encode|eval|interpolate|export".
QString commandNames(const QString& separator) {
    QStringList names;
    for (const CommandSpec& command : commandTable())
        if (!command.name.isEmpty()) names << command.name;
    return names.join(separator);
}

QString optionNames(const QCommandLineOption& option, const QString& dash) {
    QStringList names;
    for (const QString& name : option.names()) names << (name.size() == 1 ? dash : dash + dash) + name;
    return names.join(", ");
}

QString commandLine(const CommandSpec& command) {
    return command.name.isEmpty() ? "vae-explorer" : "vae-explorer " + command.name;
}

// roff: a backslash is \e, a dash in an option is a real minus, and a line may not start with
// a dot or an apostrophe.
QString roff(QString text) {
    text.replace('\\', "\\e");
    if (text.startsWith('.') || text.startsWith('\'')) text.prepend("\\&");
    return text;
}
QString roffOption(const QString& text) { return roff(text).replace('-', "\\-"); }

QString manPage() {
    // The release's date, not the build's: the same source makes the same page.
    QString page = ".TH VAE-EXPLORER 1 \"" VAE_EXPLORER_RELEASE_DATE "\" \"vae-explorer " VAE_EXPLORER_VERSION "\" \"User Commands\"\n"
                   ".SH NAME\nvae-explorer \\- train a variational autoencoder and explore its latent space\n"
                   ".SH SYNOPSIS\n";
    for (const CommandSpec& command : commandTable())
        page += ".B vae-explorer\n" + roffOption(command.synopsis) + "\n.br\n";
    page += ".SH DESCRIPTION\n" + roff(commandSpec("").summary) +
            "\nThe commands below do the same without the window.\n.SH COMMANDS\n";
    for (const CommandSpec& command : commandTable()) {
        page += ".SS " + roffOption(commandLine(command)) + "\n" + roff(command.summary) + "\n.PP\nExample:\n.RS\n.B " +
                roffOption(command.example) + "\n.RE\n";
        for (const QCommandLineOption& option : command.options)
            page += ".TP\n\\fB" + roffOption(optionNames(option, "-")) + "\\fR" +
                    (option.valueName().isEmpty() ? "" : " \\fI" + roffOption(option.valueName()) + "\\fR") + "\n" +
                    roff(option.description()) + "\n";
    }
    const auto section = [&page](const char* title, const char* const(*rows)[2], int count) {
        page += QString(".SH %1\n").arg(title);
        for (int i = 0; i < count; ++i) page += ".TP\n.B " + roffOption(rows[i][0]) + "\n" + roff(rows[i][1]) + "\n";
    };
    for (const auto& [title, rows] : {std::pair{"DATA SETS", datasetRows()}, std::pair{"PRESETS", presetRows()}}) {
        page += QString(".SH %1\n").arg(title);
        for (const QStringList& row : rows) page += ".TP\n.B " + roffOption(row[0]) + "\n" + roff(row[1]) + "\n";
    }
    section("FILES", kFiles, int(std::size(kFiles)));
    section("ENVIRONMENT", kEnvironment, int(std::size(kEnvironment)));
    section("EXIT STATUS", kExitCodes, int(std::size(kExitCodes)));
    page += ".SH COPYRIGHT\nvae-explorer is free software under the GNU General Public License, version 3 or "
            "later (GPL-3.0-or-later).\n";
    return page;
}

// What completes an option's value: the words of "a|b|DIR", files for FILE and .pt/.json/.csv
// values, folders for DIR, nothing for numbers.
QString valueCompletion(const QString& valueName) {
    QStringList words;
    QString files;
    for (const QString& part : valueName.split('|')) {
        if (part == "DIR") files = "dirs";
        else if (part.contains('.') || part.contains("FILE")) files = files.isEmpty() ? "files" : files;
        else if (part == part.toLower()) words << part;
    }
    if (words.isEmpty() && files.isEmpty()) return "return 0";  // a number or a point: nothing to offer
    QString line = "COMPREPLY=($(compgen -W '" + words.join(' ') + "' -- \"$cur\")";
    if (files == "dirs") line += " $(compgen -d -- \"$cur\")";
    if (files == "files") line += " $(compgen -f -- \"$cur\")";
    return line + "); return 0";
}

QString bashCompletion() {
    QString script = "# bash completion for vae-explorer, made from its command table by vae-explorer-docs.\n"
                     "_vae_explorer() {\n"
                     "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} command=\"\" word\n"
                     "    for word in \"${COMP_WORDS[@]:1:COMP_CWORD-1}\"; do\n"
                     "        case $word in " + commandNames("|") + ") command=$word; break ;; esac\n"
                     "    done\n"
                     "    case $command in\n";
    for (const CommandSpec& command : commandTable()) {
        QStringList flags;
        QString values;
        for (const QCommandLineOption& option : command.options) {
            const QString flag = "--" + option.names().constLast();
            flags << flag;
            if (!option.valueName().isEmpty())
                values += "            " + flag + ") " + valueCompletion(option.valueName()) + " ;;\n";
        }
        script += "    " + (command.name.isEmpty() ? QString("\"\"") : command.name) + ")\n"
                  "        case $prev in\n" + values + "        esac\n";
        if (command.name.isEmpty())
            script += "        if [[ $cur != -* ]]; then\n"
                      "            COMPREPLY=($(compgen -W '" + commandNames(" ") + "' -- \"$cur\")"
                      " $(compgen -f -X '!*.@(pt|json)' -- \"$cur\") $(compgen -d -- \"$cur\")); return 0\n"
                      "        fi\n";
        script += "        COMPREPLY=($(compgen -W '" + flags.join(' ') + "' -- \"$cur\")) ;;\n";
    }
    return script + "    esac\n}\ncomplete -o filenames -F _vae_explorer vae-explorer\n";
}

QString markdownTable(const char* title, const char* const(*rows)[2], int count) {
    QString text = QString("\n## %1\n\n| | |\n| --- | --- |\n").arg(title);
    for (int i = 0; i < count; ++i) text += QString("| `%1` | %2 |\n").arg(rows[i][0], rows[i][1]);
    return text;
}

QString markdown() {
    QString text = "# vae-explorer's commands and options\n\n"
                   "Made from the program's command table by `vae-explorer-docs` (a test checks that this file "
                   "is current), as are `man vae-explorer` and the bash completion.\n";
    for (const CommandSpec& command : commandTable()) {
        text += "\n## `" + commandLine(command) + "`\n\n" + command.summary + "\n\n```\nvae-explorer " +
                command.synopsis + "\n" + command.example + "\n```\n\n| option | |\n| --- | --- |\n";
        for (const QCommandLineOption& option : command.options)
            text += "| `" + optionNames(option, "-") +
                    QString(option.valueName().isEmpty() ? "" : " " + option.valueName()).replace('|', "\\|") + "` | " +
                    QString(option.description()).replace('|', "\\|") + " |\n";
    }
    for (const auto& [title, rows] : {std::pair{"Data sets", datasetRows()}, std::pair{"Presets", presetRows()}}) {
        text += QString("\n## %1\n\n| | |\n| --- | --- |\n").arg(title);
        for (const QStringList& row : rows) text += QString("| `%1` | %2 |\n").arg(row[0], row[1]);
    }
    text += markdownTable("Files", kFiles, int(std::size(kFiles)));
    text += markdownTable("Environment", kEnvironment, int(std::size(kEnvironment)));
    return text + markdownTable("Exit status", kExitCodes, int(std::size(kExitCodes)));
}

bool write(const QString& path, const QString& text) {
    QSaveFile file(path);
    if (file.open(QIODevice::WriteOnly) && file.write(text.toUtf8()) >= 0 && file.commit()) return true;
    std::fprintf(stderr, "vae-explorer-docs: %s: %s\n", qPrintable(path), qPrintable(file.errorString()));
    return false;
}

}  // namespace
}  // namespace vae

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription("Writes vae-explorer's man page, bash completion and docs/cli.md.");
    parser.addOptions({{"man", "The man page to write.", "FILE.1"},
                       {"bash-completion", "The bash completion script to write.", "FILE"},
                       {"markdown", "The Markdown reference to write.", "FILE.md"}});
    parser.addHelpOption();
    parser.process(app);
    bool ok = true;
    if (parser.isSet("man")) ok = vae::write(parser.value("man"), vae::manPage()) && ok;
    if (parser.isSet("bash-completion")) ok = vae::write(parser.value("bash-completion"), vae::bashCompletion()) && ok;
    if (parser.isSet("markdown")) ok = vae::write(parser.value("markdown"), vae::markdown()) && ok;
    return ok ? 0 : 1;
}
