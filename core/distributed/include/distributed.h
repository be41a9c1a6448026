#pragma once
// Data-parallel training across processes on PyTorch's own distributed runtime (c10d's TCPStore
// for the rendezvous, ProcessGroupGloo for the collectives, over TCP). Torch-free interface.
//
// Every rank holds the whole model and steps the same optimizer on the same averaged gradient,
// so the weights stay identical; each rank computes its slice of every global batch (trainer.cpp).
#include "errors.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace vae {

// A rank could not join, another rank died or stopped answering, or the ranks disagree. One line.
struct DistributedError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Where this process stands in the job, and where the rendezvous is.
struct ProcessGroupSpec {
    int rank = 0;
    int worldSize = 1;
    int localRank = 0;       // among the ranks on this machine
    int localWorldSize = 1;  // ranks on this machine (for the default thread count)
    std::string masterAddress;
    int masterPort = 0;
    // torchrun's agent already hosts the store on masterPort (TORCHELASTIC_USE_AGENT_STORE):
    // every rank connects as a client, under "/worker/attempt_<restartCount>" as torch does.
    bool agentStore = false;
    int restartCount = 0;
    std::string launcher;  // what set it, for messages: "torchrun", "mpirun", "slurm", "--world-size"
    // How long a rank waits for the others, at the rendezvous and in every collective.
    double timeoutSeconds = 60;

    bool distributed() const { return worldSize > 1; }
    // The rendezvous is on this machine's loopback: every rank runs here.
    bool masterIsLoopback() const;
    // The compute threads a rank uses by default: the cores shared among the local ranks.
    int defaultThreads(int cores) const;
    // For messages: "HOST:PORT"; the timeout as "60 s"; what named the master's address and port
    // ("--master" when given by option, else MASTER_ADDR / MASTER_PORT); who hosts the store.
    std::string where() const;
    std::string timeoutText() const;
    std::string addressSource() const;
    std::string portSource() const;
    std::string storeHost() const;
};

// Rank `rank`'s contiguous share [begin, end) of `total` items split among `world` ranks: the
// first total % world ranks take one more. A share may be empty when total < world.
std::pair<std::int64_t, std::int64_t> shareOf(std::int64_t total, int rank, int world);

// The launcher's variables, looked up through `env` (null: unset): torchrun's RANK/WORLD_SIZE/
// MASTER_ADDR/MASTER_PORT/LOCAL_RANK/LOCAL_WORLD_SIZE, then Open MPI's OMPI_COMM_WORLD_*, then
// Slurm's SLURM_PROCID/SLURM_NTASKS/SLURM_LOCALID (with MASTER_ADDR/MASTER_PORT). Nothing set:
// std::nullopt. Throws ConfigError naming the variable for a missing or malformed one.
using EnvironmentLookup = std::function<const char*(const char*)>;
std::optional<ProcessGroupSpec> launcherSpec(const EnvironmentLookup& env);
// "--master HOST:PORT" split and checked; throws ConfigError naming the option.
void parseMasterAddress(const std::string& text, ProcessGroupSpec& spec);

// A joined process group. Construction is the rendezvous: every rank must arrive within the
// timeout, and all must agree on `agreement` (a hash of the run's settings and the model's
// step), else DistributedError names the ranks that did not arrive or disagree.
class ProcessGroup {
public:
    ProcessGroup(const ProcessGroupSpec& spec, const std::string& agreement);
    ~ProcessGroup();
    ProcessGroup(const ProcessGroup&) = delete;
    ProcessGroup& operator=(const ProcessGroup&) = delete;

    int rank() const;
    int worldSize() const;
    const ProcessGroupSpec& spec() const;

    struct Impl;
    Impl& impl() { return *impl_; }

private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace vae
