#pragma once
// The files of a run folder (run.json, metrics.csv, the PNGs, checkpoint.pt), changed together:
// each is first written beside its final name, and only when all are written are they renamed
// over the old ones, the checkpoint last. A run that fails, fills the disk or is killed midway
// leaves the folder as it was, so the folder always describes its checkpoint; a folder that did
// not exist is made for the staged files and removed again if they are not committed, so a run
// that never finished an epoch leaves none behind.
// (Writing run.json only with the first checkpoint, instead, would still let a later failed
// epoch leave metrics.csv ahead of the checkpoint.)
#include <QDir>
#include <QImage>
#include <QString>
#include <QStringList>

namespace vae {

class RunFolderUpdate {
public:
    explicit RunFolderUpdate(const QString& folder);
    ~RunFolderUpdate();  // removes what was staged and not committed, and folders it made for it
    RunFolderUpdate(const RunFolderUpdate&) = delete;
    RunFolderUpdate& operator=(const RunFolderUpdate&) = delete;

    // Each returns an error naming the final file, or an empty string.
    QString stage(const QString& name, const QByteArray& contents);
    QString stageImage(const QString& name, const QImage& image);  // as PNG
    // Where a writer of its own (the checkpoint's) puts `name`'s new contents; commit renames it.
    QString stagedPath(const QString& name);
    // Renames every staged file over its final name, in the order staged.
    QString commit();

    // Whether a folder could be made or written at `folder` (it, or the nearest folder above it
    // that exists, is a writable folder); an error for the --out option, or an empty string.
    static QString checkWritable(const QString& folder);

private:
    QString makeFolder();

    QString folder_;
    QStringList names_;  // staged, in order
    QStringList madeFolders_;  // made by this update, innermost first; removed again unless committed
    bool committed_ = false;
};

}  // namespace vae
