#pragma once
// Faults the kernel makes for us, for every user: a full disk and an unwritable folder. Root gets
// a small tmpfs (and a read-only one); anyone else the same failures through RLIMIT_FSIZE and
// folder permissions, so the fault tests never skip on a developer's own machine.
#include <QString>

#include <sys/resource.h>

namespace fixtures {

class FullDisk {
public:
    // Writes under `folder` fail past `bytes` for as long as this lives (with RLIMIT_FSIZE: any
    // write of this process and the processes it starts, SIGXFSZ ignored).
    FullDisk(const QString& folder, long bytes);
    ~FullDisk();
    FullDisk(const FullDisk&) = delete;
    FullDisk& operator=(const FullDisk&) = delete;
    // What a failed write reports.
    QString reason() const { return mounted_ ? "No space left on device" : "File too large"; }

private:
    QString folder_;
    bool mounted_ = false;
    rlimit saved_{};
    void (*previousHandler_)(int) = nullptr;
};

class UnwritableFolder {
public:
    explicit UnwritableFolder(const QString& folder);  // root: a read-only tmpfs; else no write permission
    ~UnwritableFolder();
    UnwritableFolder(const UnwritableFolder&) = delete;
    UnwritableFolder& operator=(const UnwritableFolder&) = delete;
    bool ok() const { return ok_; }

private:
    QString folder_;
    bool mounted_ = false;
    bool ok_ = false;
};

}  // namespace fixtures
