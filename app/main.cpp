// vae-explorer: with no subcommand the window; `vae-explorer train ...` trains headless.
#include "train_command.h"

#include <QCoreApplication>

#include <cstdio>
#include <memory>

int main(int argc, char* argv[]) {
    if (argc >= 2 && QByteArray(argv[1]) == "train") {
        QCoreApplication app(argc, argv);
        QCoreApplication::setApplicationName("vae-explorer");
        QStringList arguments = QCoreApplication::arguments();
        arguments.removeAt(1);  // parse "train"'s options as if it were the program
        return vae::runTrainCommand(arguments);
    }
    std::fputs("Usage:\n  vae-explorer train --dataset mnist|fashion-mnist|DIR --out DIR [options]\n"
               "  vae-explorer train --help\n",
               argc >= 2 ? stderr : stdout);
    return argc >= 2 ? 2 : 0;
}
