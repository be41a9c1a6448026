// Loading a data set as the app does (base's loadDataset): seconds and the resident memory after,
// with the peak. `dataset_load sprites 64` draws dSprites' factors the first time and reads the
// cache after. Prints OPENBLAS_CORETYPE (unused here, printed by every benchmark).
#include "image_folder.h"
#include "settings.h"

#include <QElapsedTimer>
#include <QFile>
#include <QGuiApplication>

#include <cstdio>
#include <cstdlib>

namespace {
double statusMegabytes(const char* field) {
    QFile status("/proc/self/status");
    status.open(QIODevice::ReadOnly);
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith(field)) return line.simplified().split(' ').value(1).toDouble() / 1024;
    return 0;
}
}  // namespace

int main(int argc, char* argv[]) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);  // drawing a generated set needs fonts and a painter
    vae::RunSettings settings;
    settings.dataset = argc > 1 ? argv[1] : "sprites";
    settings.imageSize = argc > 2 ? std::atoi(argv[2]) : 64;
    const char* coretype = std::getenv("OPENBLAS_CORETYPE");
    std::printf("OPENBLAS_CORETYPE=%s\n", coretype ? coretype : "<unset>");
    QElapsedTimer timer;
    timer.start();
    const auto loaded = vae::loadDataset(settings);
    std::printf("%s at %d px: %d train + %d test images, %zu factors, loaded in %.2f s; resident %.0f MB, peak %.0f MB\n",
                settings.dataset.c_str(), settings.imageSize, loaded.dataset.trainCount(), loaded.dataset.testCount(),
                loaded.dataset.factorNames().size(), timer.nsecsElapsed() / 1e9, statusMegabytes("VmRSS:"),
                statusMegabytes("VmHWM:"));
    return 0;
}
