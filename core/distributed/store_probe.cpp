// The rendezvous probe: plain POSIX sockets with deadlines, no torch (see store_probe.h for why).
#include "store_probe.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>
#include <thread>

namespace vae {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// c10d's TCPStore (LibTorch 1.13 and later): a one-byte query type, GETNUMKEYS = 6, answered by
// the key count as a native int64. Checked against Debian's python3-torch store.
constexpr unsigned char kGetNumKeys = 6;
constexpr std::size_t kReplyBytes = sizeof(std::int64_t);
// A store answers GETNUMKEYS with one write; more bytes after it mean something else is talking.
constexpr milliseconds kTrailingBytesGrace{100};
// More keys than any rendezvous of ours or torchrun's holds: garbage, not a count.
constexpr std::int64_t kMostKeys = 10'000'000;

int millisecondsUntil(ProbeDeadline deadline) {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
    return int(std::clamp<long long>(left, 0, 60'000));
}

StoreExchange judgeReply(const unsigned char* reply, std::size_t have, bool closed) {
    if (have == 0) return {closed ? StoreAnswer::Closed : StoreAnswer::Silent, closed ? "it closed the connection" : ""};
    if (have < kReplyBytes)
        return {StoreAnswer::NotStore, "it sent " + std::to_string(have) + " bytes, then " + (closed ? "closed" : "nothing")};
    if (closed) return {StoreAnswer::NotStore, "it closed the connection after answering"};
    std::int64_t keys = 0;
    std::memcpy(&keys, reply, kReplyBytes);
    if (keys < 0 || keys > kMostKeys) return {StoreAnswer::NotStore, "its answer is not a key count"};
    return {StoreAnswer::Store, std::to_string(keys) + " keys"};
}

struct SocketCloser {
    int fd;
    ~SocketCloser() { ::close(fd); }
};

// A connected socket to `address`, or -1 with `problem` set, never waiting past `deadline`.
int connectBefore(const addrinfo& address, ProbeDeadline deadline, std::string& problem) {
    const int fd = ::socket(address.ai_family, address.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, address.ai_protocol);
    if (fd < 0) {
        problem = std::strerror(errno);
        return -1;
    }
    int error = ::connect(fd, address.ai_addr, address.ai_addrlen) == 0 ? 0 : errno;
    if (error == EINPROGRESS) {
        pollfd writable{fd, POLLOUT, 0};
        int ready;
        do ready = ::poll(&writable, 1, millisecondsUntil(deadline));
        while (ready < 0 && errno == EINTR);
        socklen_t size = sizeof error;
        if (ready <= 0) error = ETIMEDOUT;
        else ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size);
    }
    if (error != 0) {
        problem = error == ETIMEDOUT ? "no answer to the connection attempt" : std::strerror(error);
        ::close(fd);
        return -1;
    }
    return fd;
}

}  // namespace

StoreExchange askForKeyCount(int fd, ProbeDeadline deadline) {
    if (::send(fd, &kGetNumKeys, 1, MSG_NOSIGNAL) != 1) return {StoreAnswer::Closed, std::strerror(errno)};
    unsigned char reply[kReplyBytes + 1];
    std::size_t have = 0;
    bool closed = false;
    ProbeDeadline until = deadline;
    while (!closed) {
        pollfd readable{fd, POLLIN, 0};
        const int ready = ::poll(&readable, 1, millisecondsUntil(until));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) break;  // the deadline (or the grace after a whole reply) passed
        const ssize_t got = ::recv(fd, reply + have, sizeof reply - have, 0);
        if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (got < 0 && have == 0) return {StoreAnswer::Closed, std::strerror(errno)};
        closed = got <= 0;
        have += std::size_t(std::max<ssize_t>(got, 0));
        if (have > kReplyBytes) return {StoreAnswer::NotStore, "it sent more than a store's eight-byte answer"};
        if (have == kReplyBytes) until = std::min(deadline, Clock::now() + kTrailingBytesGrace);
    }
    return judgeReply(reply, have, closed);
}

void probeRendezvous(const ProcessGroupSpec& spec) {
    const std::string where = spec.where();
    const std::string host = spec.masterAddress, port = std::to_string(spec.masterPort);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (const int status = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &found); status != 0)
        throw DistributedError(spec.addressSource() + ": cannot resolve '" + host + "' (" +
                               (status == EAI_SYSTEM ? std::strerror(errno) : ::gai_strerror(status)) + ")");
    const std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, &::freeaddrinfo);
    const std::string otherProgram = " (is " + spec.portSource() + " another program's port?)";
    const auto start = Clock::now();
    const auto deadline = start + milliseconds(static_cast<long long>(spec.timeoutSeconds * 1000));
    std::string problem = "connection refused";
    for (;;) {
        for (const addrinfo* address = found; address; address = address->ai_next) {
            const int fd = connectBefore(*address, deadline, problem);
            if (fd < 0) continue;
            const SocketCloser closer{fd};
            const auto asked = Clock::now();
            const StoreExchange exchange = askForKeyCount(fd, deadline);
            if (exchange.answer == StoreAnswer::Store) return;
            if (exchange.answer == StoreAnswer::NotStore)
                throw DistributedError("rendezvous at " + where + ": what answers there is not a c10d store (" +
                                       exchange.detail + ")" + otherProgram);
            // Silent for most of the timeout: a listener that is not a store. Silent only in the
            // last moments (after earlier tries were refused or hung up on): the deadline came.
            const bool longSilence = (deadline - asked) * 2 >= (deadline - start);
            if (exchange.answer == StoreAnswer::Silent && longSilence)
                throw DistributedError("rendezvous at " + where + ": something accepted the connection but did not "
                                       "answer as a c10d store within " + spec.timeoutText() + otherProgram);
            // Closed: perhaps rank 0 restarting, so try again.
            problem = exchange.answer == StoreAnswer::Silent ? "connected, no answer before the deadline" : exchange.detail;
        }
        if (Clock::now() >= deadline) break;
        std::this_thread::sleep_for(std::min(milliseconds(100), milliseconds(millisecondsUntil(deadline))));
    }
    throw DistributedError("rendezvous at " + where + ": nothing answered there within " + spec.timeoutText() + " (" +
                           spec.storeHost() + " hosts it; last try: " + problem + ")");
}

}  // namespace vae
