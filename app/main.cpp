// vae-explorer: with no subcommand the window; `vae-explorer train ...` trains headless.
#include "command_table.h"
#include "main_window.h"
#include "model_commands.h"
#include "train_command.h"

#include <QApplication>
#include <QCoreApplication>
#include <QLoggingCategory>
#include <QDateTime>
#include <QElapsedTimer>
#include <QIcon>
#include <QTimer>

#include <cstdio>

int main(int argc, char* argv[]) {
    // An image that cannot be read is named once, with the reason, in the skipped-images line
    // (base/image_decode); Qt's image readers and libpng would say it again on their own.
    QLoggingCategory::setFilterRules("qt.gui.imageio*=false");
    QCoreApplication::setApplicationName("vae-explorer");
    QCoreApplication::setApplicationVersion(VAE_EXPLORER_VERSION);  // run files record it
    using Command = int (*)(const QStringList&);
    const std::pair<const char*, Command> commands[] = {
        {"train", vae::runTrainCommand}, {"encode", vae::runEncodeCommand}, {"eval", vae::runEvalCommand},
        {"interpolate", vae::runInterpolateCommand}, {"export", vae::runExportCommand}};
    for (const auto& [name, run] : commands)
        if (argc >= 2 && QByteArray(argv[1]) == name) {
            // Headless, but with fonts: a generated data set (emoji) is drawn with QPainter. A command
            // says what it has to say in its own lines; Qt's notes (that XDG_RUNTIME_DIR is unset,
            // say) would be noise in them, so only Qt's critical and fatal messages get through.
            qputenv("QT_QPA_PLATFORM", "offscreen");
            qInstallMessageHandler([](QtMsgType type, const QMessageLogContext&, const QString& message) {
                if (type == QtCriticalMsg || type == QtFatalMsg) std::fprintf(stderr, "%s\n", qPrintable(message));
            });
            QGuiApplication app(argc, argv);
            QStringList arguments = QCoreApplication::arguments();
            arguments.removeAt(1);  // parse the command's options as if it were the program
            return run(arguments);
        }
    // A file to open, as a desktop opens one: `vae-explorer model.pt` or `vae-explorer run.json`.
    const QString fileToOpen = argc == 2 ? QString::fromLocal8Bit(argv[1]) : QString();
    const bool runFile = fileToOpen.endsWith(".json");
    // --help and --version are answers, not errors: stdout and exit 0; anything else unknown
    // gets one line naming it on stderr and exit 2.
    const bool helpAsked = argc == 2 && (fileToOpen == "--help" || fileToOpen == "-h");
    if (argc == 2 && fileToOpen == "--version") {
        std::fputs(qPrintable(vae::versionText()), stdout);
        return 0;
    }
    if (helpAsked) {
        std::fputs(qPrintable(vae::commandHelp(vae::commandSpec(""))), stdout);
        return 0;
    }
    if (argc > 2 || (argc == 2 && !fileToOpen.endsWith(".pt") && !runFile)) {
        QStringList names;
        for (const auto& command : commands) names << command.first;
        std::fprintf(stderr, "vae-explorer: '%s' is neither a command (%s) nor a MODEL.pt or RUN.json to open "
                             "(see vae-explorer --help)\n", argv[1], qPrintable(names.join(", ")));
        return 2;
    }
    // Qt would abort (exit 134, "Reinstalling the application may fix this problem") where no
    // display is reachable and no other platform was asked for: say so, and what works without.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY") &&
        qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")) {
        QStringList names;
        for (const auto& command : commands) names << command.first;
        std::fprintf(stderr, "vae-explorer: no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset); "
                             "the commands %s work without one (see vae-explorer --help)\n", qPrintable(names.join(", ")));
        return 1;
    }
    QElapsedTimer sinceStart;
    sinceStart.start();
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName("vae-explorer");
    // The desktop file's and the installed icon's name; the built-in icons where none is installed.
    QGuiApplication::setDesktopFileName("org.vaeexplorer.vaeexplorer");
    QIcon fallback;
    for (const int size : {48, 128, 256}) fallback.addFile(QString(":/icons/icon-%1.png").arg(size));
    QApplication::setWindowIcon(QIcon::fromTheme("org.vaeexplorer.vaeexplorer", fallback));
    vae::MainWindow window;
    window.show();
    // A bad file is reported in the window, which opens all the same.
    if (!fileToOpen.isEmpty()) window.openFile(fileToOpen);
    if (qEnvironmentVariableIsSet("VAE_EXPLORER_REPORT_STARTUP")) {
        // Fires once the event loop runs, after the window has been mapped and painted.
        QTimer::singleShot(0, [&sinceStart] {
            std::fprintf(stderr, "window shown at %lld (%lld ms after main)\n",
                         static_cast<long long>(QDateTime::currentMSecsSinceEpoch()),
                         static_cast<long long>(sinceStart.elapsed()));
        });
    }
    return app.exec();
}
