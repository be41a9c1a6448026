#include "regular_file.h"

#include "errors.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace vae {

RegularFile openRegularFile(const std::string& path, std::uint64_t maxBytes, const std::string& kind) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) throw DataError(std::string("cannot open (") + std::strerror(errno) + ")");
    RegularFile opened;
    opened.file.reset(::fdopen(fd, "rb"));
    if (!opened.file) {
        const int error = errno;
        ::close(fd);
        throw DataError(std::string("cannot open (") + std::strerror(error) + ")");
    }
    struct stat info {};
    if (::fstat(fd, &info) != 0) throw DataError(std::string("cannot examine (") + std::strerror(errno) + ")");
    if (S_ISDIR(info.st_mode)) throw DataError("is a folder, not a file");
    if (!S_ISREG(info.st_mode)) throw DataError("is not a regular file (a pipe, socket or device), so not a " + kind);
    opened.size = std::uint64_t(info.st_size);
    if (opened.size > maxBytes)
        throw DataError("is " + std::to_string(opened.size) + " bytes, more than a " + kind + " can be (" +
                        std::to_string(maxBytes) + ")");
    // Reads of a regular file never block; the flag only served the open.
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    return opened;
}

}  // namespace vae
