#include "fault_injection.h"

#include <QFile>

#include <sys/mount.h>

#include <csignal>

namespace fixtures {

FullDisk::FullDisk(const QString& folder, long bytes) : folder_(folder) {
    const QByteArray options = "size=" + QByteArray::number(qint64(bytes));
    mounted_ = ::mount("tmpfs", folder_.toLocal8Bit().constData(), "tmpfs", 0, options.constData()) == 0;
    if (mounted_) return;
    ::getrlimit(RLIMIT_FSIZE, &saved_);
    previousHandler_ = std::signal(SIGXFSZ, SIG_IGN);
    const rlimit small{rlim_t(bytes), saved_.rlim_max};
    ::setrlimit(RLIMIT_FSIZE, &small);
}

FullDisk::~FullDisk() {
    if (mounted_) {
        ::umount(folder_.toLocal8Bit().constData());
        return;
    }
    ::setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, previousHandler_);
}

UnwritableFolder::UnwritableFolder(const QString& folder) : folder_(folder) {
    // Permissions do not stop root, a read-only mount does.
    mounted_ = ::mount("tmpfs", folder_.toLocal8Bit().constData(), "tmpfs", MS_RDONLY, "size=64k") == 0;
    ok_ = mounted_ || QFile::setPermissions(folder_, QFile::ReadOwner | QFile::ExeOwner);
}

UnwritableFolder::~UnwritableFolder() {
    if (mounted_) ::umount(folder_.toLocal8Bit().constData());
    else QFile::setPermissions(folder_, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
}

}  // namespace fixtures
