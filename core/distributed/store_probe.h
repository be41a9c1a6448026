#pragma once
// Our own first contact with the rendezvous, before LibTorch's c10d::TCPStore client makes its.
//
// Why a probe rather than running the client somewhere it can be watched: the client's failures
// escape it in ways no caller can catch (a length_error thrown on a listener thread when the port
// answers with garbage, a system_error when the backlog overflows) or never end (a listener that
// accepts and stays silent holds it past every timeout). Those end the process, so watching would
// mean a child process per rank, with the store's connection then living in the wrong process.
// The probe instead resolves the host, connects with a deadline, and asks what a store answers in
// eight bytes (how many keys it holds); only a peer that answers like a store is handed to c10d.
// What it cannot rule out is a store that turns hostile after answering well.
#include "distributed.h"

#include <chrono>
#include <string>

namespace vae {

using ProbeDeadline = std::chrono::steady_clock::time_point;

// How one exchange with a connected peer went.
enum class StoreAnswer {
    Store,     // eight bytes, a plausible key count, then nothing more
    NotStore,  // bytes no store sends
    Silent,    // nothing by the deadline
    Closed,    // the peer closed or reset the connection before answering
};
struct StoreExchange {
    StoreAnswer answer = StoreAnswer::Silent;
    std::string detail;  // what was seen, for the message
};

// Asks the peer on the connected socket `fd` for its key count and judges the reply, never
// waiting past `deadline`. Reads at most a few bytes more than a store's reply. The fuzz target
// drives this with bytes from a fake master.
StoreExchange askForKeyCount(int fd, ProbeDeadline deadline);

// Resolves spec's master, connects and asks until the store answers or spec.timeoutSeconds run
// out (rank 0 may start later). Throws DistributedError, one line naming the host and port, or
// the variable or option that named an unresolvable host.
void probeRendezvous(const ProcessGroupSpec& spec);

}  // namespace vae
