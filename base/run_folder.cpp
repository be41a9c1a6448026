#include "run_folder.h"

#include "file_export.h"

#include <QBuffer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTemporaryFile>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace vae {
namespace {

QString stagedName(const QString& name) { return "." + name + ".staged"; }

}  // namespace

RunFolderUpdate::RunFolderUpdate(const QString& folder) : folder_(folder) {}

RunFolderUpdate::~RunFolderUpdate() {
    for (const QString& name : names_) QFile::remove(QDir(folder_).filePath(stagedName(name)));
    if (committed_) return;
    for (const QString& folder : madeFolders_) QDir().rmdir(folder);  // only if empty: never a user's file
}

QString RunFolderUpdate::makeFolder() {
    if (QFileInfo(folder_).isDir()) return {};
    for (QString missing = QFileInfo(folder_).absoluteFilePath(); !QFileInfo::exists(missing);
         missing = QFileInfo(missing).absolutePath()) {
        if (QFileInfo(missing).absolutePath() == missing) break;  // the root
        madeFolders_ << missing;
    }
    if (QDir().mkpath(folder_)) return {};
    return folder_ + ": cannot create folder";
}

QString RunFolderUpdate::stagedPath(const QString& name) {
    names_.removeAll(name);
    names_ << name;
    return QDir(folder_).filePath(stagedName(name));
}

QString RunFolderUpdate::stage(const QString& name, const QByteArray& contents) {
    if (const QString error = makeFolder(); !error.isEmpty()) return error;
    const QString error = writeFileAtomically(stagedPath(name), contents);
    return error.isEmpty() ? QString() : QDir(folder_).filePath(name) + error.mid(error.indexOf(": "));
}

QString RunFolderUpdate::stageImage(const QString& name, const QImage& image) {
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    if (image.isNull() || !image.save(&buffer, "PNG")) return QDir(folder_).filePath(name) + ": PNG encoding failed";
    return stage(name, png);
}

QString RunFolderUpdate::commit() {
    if (const QString error = makeFolder(); !error.isEmpty()) return error;
    const QDir dir(folder_);
    while (!names_.isEmpty()) {
        const QString name = names_.takeFirst();
        if (std::rename(QFile::encodeName(dir.filePath(stagedName(name))).constData(),
                        QFile::encodeName(dir.filePath(name)).constData()) != 0)
            return dir.filePath(name) + ": cannot replace (" + QString::fromLocal8Bit(std::strerror(errno)) + ")";
        committed_ = true;  // a file is in place: the folder is the run's now
    }
    return {};
}

QString RunFolderUpdate::checkWritable(const QString& folder) {
    QFileInfo info(folder);
    if (info.exists() && !info.isDir()) return folder + " exists and is not a folder";
    if (info.exists()) {
        QTemporaryFile probe(QDir(folder).filePath(".write-test-XXXXXX"));
        return probe.open() ? QString() : "folder " + folder + " is not writable";
    }
    // The nearest folder above that exists must take a new folder.
    QString above = QFileInfo(info.absoluteFilePath()).absolutePath();
    while (!QFileInfo(above).exists() && QFileInfo(above).absolutePath() != above) above = QFileInfo(above).absolutePath();
    if (!QFileInfo(above).isDir()) return "cannot create folder " + folder + " (" + above + " is not a folder)";
    // Tried, not inferred from permission bits (root passes those everywhere, /proc included).
    QTemporaryDir probe(QDir(above).filePath(".vae-explorer-XXXXXX"));
    if (!probe.isValid()) return "cannot create folder " + folder + " (" + above + " is not writable)";
    return {};
}

}  // namespace vae
