// libFuzzer target: the rendezvous guard's handshake (core/distributed/store_probe.h) against
// bytes from a fake master. The first byte's low bit says whether the master then hangs up; the
// rest is what it sent. The guard must end in a verdict, without reading more than a store's
// answer and without waiting: the bytes are already there, and the deadline is now.
#include "store_probe.h"

#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1 || size > 16384) return 0;  // beyond a socket pair's buffer the write would block
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) return 0;
    if (::write(pair[1], data + 1, size - 1) != ssize_t(size - 1)) __builtin_trap();
    if (data[0] & 1) ::shutdown(pair[1], SHUT_WR);
    const auto exchange = vae::askForKeyCount(pair[0], std::chrono::steady_clock::now());
    // Only exactly eight bytes of a plausible count, with the master still there, is a store.
    if (exchange.answer == vae::StoreAnswer::Store && (size != 9 || (data[0] & 1))) __builtin_trap();
    ::close(pair[0]);
    ::close(pair[1]);
    return 0;
}
