// Reading a launcher's environment into a ProcessGroupSpec (no torch here).
#include "distributed.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <sstream>

namespace vae {
namespace {

// The variables one launcher sets. Null names are ones that launcher does not set.
struct LauncherVariables {
    const char* launcher;
    const char* rank;
    const char* worldSize;
    const char* localRank;
    const char* localWorldSize;
};

// In order of precedence: a torchrun job started under Slurm has both sets, and torchrun's
// describe the worker processes while Slurm's describe the agents.
constexpr LauncherVariables kLaunchers[] = {
    {"torchrun", "RANK", "WORLD_SIZE", "LOCAL_RANK", "LOCAL_WORLD_SIZE"},
    {"mpirun", "OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_LOCAL_RANK",
     "OMPI_COMM_WORLD_LOCAL_SIZE"},
    {"slurm", "SLURM_PROCID", "SLURM_NTASKS", "SLURM_LOCALID", nullptr},
};

int integerVariable(const EnvironmentLookup& env, const char* name, int min, int fallback, bool required) {
    const char* text = name ? env(name) : nullptr;
    if (!text || !*text) {
        if (required) throw ConfigError(std::string(name) + " is not set");
        return fallback;
    }
    int value = 0;
    const char* end = text + std::strlen(text);
    const auto [last, error] = std::from_chars(text, end, value);
    if (error != std::errc() || last != end || value < min)
        throw ConfigError(std::string(name) + "='" + text + "' is not a whole number of at least " + std::to_string(min));
    return value;
}

// Slurm counts the tasks on each node as "2(x3),1"; the first node's count serves.
int slurmTasksOnThisNode(const EnvironmentLookup& env) {
    const char* text = env("SLURM_NTASKS_PER_NODE");
    if (!text) text = env("SLURM_TASKS_PER_NODE");
    return text ? std::max(1, std::atoi(text)) : 1;
}

}  // namespace

bool ProcessGroupSpec::masterIsLoopback() const {
    return masterAddress == "localhost" || masterAddress == "::1" || masterAddress.rfind("127.", 0) == 0;
}

int ProcessGroupSpec::defaultThreads(int cores) const { return std::max(1, cores / std::max(1, localWorldSize)); }

std::string ProcessGroupSpec::where() const { return masterAddress + ":" + std::to_string(masterPort); }

std::string ProcessGroupSpec::timeoutText() const {
    std::ostringstream text;
    text << timeoutSeconds << " s";
    return text.str();
}

std::string ProcessGroupSpec::addressSource() const { return launcher == "--world-size" ? "--master" : "MASTER_ADDR"; }
std::string ProcessGroupSpec::portSource() const { return launcher == "--world-size" ? "--master" : "MASTER_PORT"; }
std::string ProcessGroupSpec::storeHost() const { return agentStore ? "torchrun's agent" : "rank 0"; }

void parseMasterAddress(const std::string& text, ProcessGroupSpec& spec) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0)
        throw ConfigError("--master: '" + text + "' is not HOST:PORT");
    const std::string port = text.substr(colon + 1);
    int value = 0;
    const auto [last, error] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (error != std::errc() || last != port.data() + port.size() || value < 1 || value > 65535)
        throw ConfigError("--master: '" + port + "' is not a port number (1..65535)");
    spec.masterAddress = text.substr(0, colon);
    if (spec.masterAddress.size() > 2 && spec.masterAddress.front() == '[' && spec.masterAddress.back() == ']')
        spec.masterAddress = spec.masterAddress.substr(1, spec.masterAddress.size() - 2);  // [::1]:29500
    spec.masterPort = value;
    // Started by hand on one machine: the ranks share its cores.
    if (spec.masterIsLoopback()) spec.localWorldSize = spec.worldSize;
}

std::optional<ProcessGroupSpec> launcherSpec(const EnvironmentLookup& env) {
    for (const auto& vars : kLaunchers) {
        if (!env(vars.rank) && !env(vars.worldSize)) continue;
        ProcessGroupSpec spec;
        spec.launcher = vars.launcher;
        try {
            spec.worldSize = integerVariable(env, vars.worldSize, 1, 1, true);
            spec.rank = integerVariable(env, vars.rank, 0, 0, true);
            if (spec.rank >= spec.worldSize)
                throw ConfigError(std::string(vars.rank) + "=" + std::to_string(spec.rank) + " is not below " +
                                  vars.worldSize + "=" + std::to_string(spec.worldSize));
            spec.localRank = integerVariable(env, vars.localRank, 0, 0, false);
            spec.localWorldSize = vars.localWorldSize ? integerVariable(env, vars.localWorldSize, 1, 1, false)
                                                      : slurmTasksOnThisNode(env);
            if (!spec.distributed()) return spec;  // one process: no rendezvous to find
            const char* address = env("MASTER_ADDR");
            if (!address || !*address)
                throw ConfigError(std::string("MASTER_ADDR is not set (") + vars.launcher + " sets " + vars.rank +
                                  "; pass the rendezvous host" +
                                  (std::strcmp(vars.launcher, "mpirun") == 0 ? " with -x MASTER_ADDR=HOST)" : ")"));
            spec.masterAddress = address;
            spec.masterPort = integerVariable(env, "MASTER_PORT", 1, 0, true);
            if (spec.masterPort > 65535) throw ConfigError("MASTER_PORT=" + std::to_string(spec.masterPort) + " is not a port");
            if (const char* agent = env("TORCHELASTIC_USE_AGENT_STORE"); agent && std::strcmp(agent, "True") == 0) {
                spec.agentStore = true;
                spec.restartCount = integerVariable(env, "TORCHELASTIC_RESTART_COUNT", 0, 0, false);
            }
        } catch (const ConfigError& error) {
            throw ConfigError(std::string(vars.launcher) + ": " + error.what());
        }
        return spec;
    }
    return std::nullopt;
}

}  // namespace vae
