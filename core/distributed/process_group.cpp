// The rendezvous (c10d::TCPStore) and the collectives (c10d::ProcessGroupGloo).
#include "process_group.h"
#include "store_probe.h"

#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroup.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#ifndef VAE_WITHOUT_GLOO
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#endif
#ifdef VAE_HAS_GLOG
#include <glog/logging.h>
#endif
#include <zlib.h>

#include <chrono>
#include <cstdlib>
#include <thread>

namespace vae {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

std::string firstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

std::string rankList(const std::vector<int>& ranks) {
    std::string text = ranks.size() == 1 ? "rank " : "ranks ";
    for (std::size_t i = 0; i < ranks.size(); ++i) text += (i ? ", " : "") + std::to_string(ranks[i]);
    return text;
}

std::vector<uint8_t> bytesOf(const std::string& text) { return {text.begin(), text.end()}; }

#ifndef VAE_WITHOUT_GLOO
// Where to listen for the other ranks' Gloo connections: the interface torch's
// GLOO_SOCKET_IFNAME names, loopback for a job on one machine, else this host's address.
std::shared_ptr<::gloo::transport::Device> glooDevice(const ProcessGroupSpec& spec) {
    if (const char* interface = std::getenv("GLOO_SOCKET_IFNAME"); interface && *interface)
        return c10d::ProcessGroupGloo::createDeviceForInterface(interface);
    if (spec.masterIsLoopback())
        return c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1");
    return c10d::ProcessGroupGloo::createDefaultDevice();
}
#endif

}  // namespace

struct ProcessGroup::Impl {
    ProcessGroupSpec spec;
    c10::intrusive_ptr<c10d::Store> store;  // the rendezvous's keys, under this job's prefix
    c10::intrusive_ptr<c10d::ProcessGroup> gloo;  // a ProcessGroupGloo

    std::string where() const { return spec.where(); }
    milliseconds timeout() const { return milliseconds(static_cast<long long>(spec.timeoutSeconds * 1000)); }
    void connect();
    void meet(const std::string& agreement);
    // Starts a collective and waits for it; any failure becomes a DistributedError.
    void run(const std::function<c10::intrusive_ptr<c10d::Work>()>& start, const std::string& during);
    [[noreturn]] void fail(const std::string& during, const std::string& cause);
};

// Rank 0 hosts the store unless torchrun's agent already does; the others connect to it,
// retrying until the timeout (rank 0 may start later).
void ProcessGroup::Impl::connect() {
    c10d::TCPStoreOptions options;
    options.port = static_cast<std::uint16_t>(spec.masterPort);
    options.isServer = spec.rank == 0 && !spec.agentStore;
    options.waitWorkers = false;  // meet() waits, and names who is missing
    options.timeout = timeout();
    // A client first meets the master through our probe: c10d's own client can abort the process
    // or hang on a port that something else answers (store_probe.h).
    if (!options.isServer) probeRendezvous(spec);
    c10::intrusive_ptr<c10d::Store> tcp;
    try {
        tcp = c10::make_intrusive<c10d::TCPStore>(spec.masterAddress, options);
    } catch (const std::exception& error) {
        if (options.isServer)
            throw DistributedError(spec.portSource() + ": rank 0 cannot listen on " + where() + " (" +
                                   (firstLine(error.what()).find("in use") != std::string::npos
                                        ? std::string("the port is already in use")
                                        : firstLine(error.what())) +
                                   ")");
        throw DistributedError("rendezvous at " + where() + ": nothing answered there within " + spec.timeoutText() +
                               " (" + spec.storeHost() + " hosts it)");
    }
    // torch's own rendezvous keeps each restart's keys apart this way.
    const std::string prefix = spec.agentStore ? "/worker/attempt_" + std::to_string(spec.restartCount) : "vae-explorer";
    store = c10::make_intrusive<c10d::PrefixStore>(prefix, tcp);
}

// Every rank announces itself with its agreement string; all must arrive in time and agree.
void ProcessGroup::Impl::meet(const std::string& agreement) {
    const auto deadline = Clock::now() + timeout();
    std::vector<int> missing;
    try {
        store->set("arrived/" + std::to_string(spec.rank), bytesOf(agreement));
        for (;;) {
            missing.clear();
            for (int r = 0; r < spec.worldSize; ++r)
                if (!store->check({"arrived/" + std::to_string(r)})) missing.push_back(r);
            if (missing.empty() || Clock::now() > deadline) break;
            std::this_thread::sleep_for(milliseconds(20));
        }
    } catch (const std::exception& error) {
        throw DistributedError("rendezvous at " + where() + ": lost the connection to the store (" +
                               firstLine(error.what()) + ")");
    }
    if (!missing.empty())
        throw DistributedError("rendezvous at " + where() + ": " + rankList(missing) + " of " +
                               std::to_string(spec.worldSize) + " did not arrive within " +
                               spec.timeoutText());
    std::vector<int> differ;
    try {
        const auto reference = store->get("arrived/0");
        for (int r = 1; r < spec.worldSize; ++r)
            if (store->get("arrived/" + std::to_string(r)) != reference) differ.push_back(r);
        // Rank 0's process hosts the store: it stays until every rank has read what it needs.
        store->add("compared", 1);
        if (spec.rank == 0 && !spec.agentStore)
            while (store->add("compared", 0) < spec.worldSize && Clock::now() < deadline)
                std::this_thread::sleep_for(milliseconds(5));
    } catch (const std::exception& error) {
        throw DistributedError("rendezvous at " + where() + ": lost the connection to the store (" +
                               firstLine(error.what()) + ")");
    }
    if (!differ.empty())
        throw DistributedError("rendezvous: " + rankList(differ) + " started with other settings or another model than "
                               "rank 0 (run.json and the resumed step must match on every rank)");
#ifndef VAE_WITHOUT_GLOO
    auto options = c10d::ProcessGroupGloo::Options::create(timeout());
    options->devices.push_back(glooDevice(spec));
    try {
        gloo = c10::make_intrusive<c10d::ProcessGroupGloo>(c10::make_intrusive<c10d::PrefixStore>("gloo", store),
                                                           spec.rank, spec.worldSize, options);
    } catch (const std::exception& error) {
        throw DistributedError("rendezvous: the ranks could not connect to each other (" + firstLine(error.what()) + ")");
    }
#else
    throw DistributedError("this build has no Gloo (libgloo-dev's headers were missing): it trains in one process only");
#endif
}

void ProcessGroup::Impl::run(const std::function<c10::intrusive_ptr<c10d::Work>()>& start, const std::string& during) {
    try {
        start()->wait();
    } catch (const std::exception& error) {
        fail(during, firstLine(error.what()));
    }
}

// A collective failed: a rank died (its connections closed) or did not answer in time. The
// survivors mark themselves in the store and give the others a moment to do the same; whoever
// stays unmarked is named. Without the store, rank 0 (its host) is the one gone.
void ProcessGroup::Impl::fail(const std::string& during, const std::string& cause) {
    std::string who;
    try {
        store->set("failed/" + std::to_string(spec.rank), bytesOf("1"));
        std::vector<int> silent;
        const auto deadline = Clock::now() + std::chrono::seconds(3);
        do {
            std::this_thread::sleep_for(milliseconds(100));
            silent.clear();
            for (int r = 0; r < spec.worldSize; ++r)
                if (!store->check({"failed/" + std::to_string(r)})) silent.push_back(r);
        } while (!silent.empty() && Clock::now() < deadline);
        who = silent.empty() ? "another rank" : rankList(silent);
    } catch (const std::exception&) {
        who = "rank 0";
    }
    throw DistributedError(who + " died or stopped answering during " + during + " (rank " + std::to_string(spec.rank) +
                           " of " + std::to_string(spec.worldSize) + " of the job meeting at " + where() +
                           " gives up: " + cause + ")");
}

ProcessGroup::ProcessGroup(const ProcessGroupSpec& spec, const std::string& agreement)
    : impl_(std::make_unique<Impl>()) {
    impl_->spec = spec;
#ifdef VAE_HAS_GLOG
    // c10d logs each socket error on top of the one line we report; keep only fatal ones.
    FLAGS_minloglevel = std::max(FLAGS_minloglevel, int(google::GLOG_FATAL));
#endif
    impl_->connect();
    impl_->meet(agreement);
}

ProcessGroup::~ProcessGroup() = default;
int ProcessGroup::rank() const { return impl_->spec.rank; }
int ProcessGroup::worldSize() const { return impl_->spec.worldSize; }
const ProcessGroupSpec& ProcessGroup::spec() const { return impl_->spec; }

std::pair<std::int64_t, std::int64_t> shareOf(std::int64_t total, int rank, int world) {
    const std::int64_t base = total / world, extra = total % world;
    const std::int64_t begin = rank * base + std::min<std::int64_t>(rank, extra);
    return {begin, begin + base + (rank < extra ? 1 : 0)};
}

std::uint64_t noiseSeed(std::uint64_t seed, std::uint64_t counter) {
    // splitmix64's finaliser over both: nearby steps get unrelated streams.
    std::uint64_t x = seed * 0x9E3779B97F4A7C15ull + counter + 0x632BE59BD9B4E019ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

GradientExchange::GradientExchange(ProcessGroup& group, std::vector<torch::Tensor> parameters)
    : group_(group), parameters_(std::move(parameters)) {
    std::int64_t size = 4;  // the totals
    for (const auto& p : parameters_) size += p.numel();
    flat_ = torch::empty({size}, torch::kFloat32);
}

StepTotals GradientExchange::exchange(double share, const StepTotals& local, std::int64_t step) {
    torch::NoGradGuard noGrad;
    std::int64_t offset = 0;
    for (const auto& p : parameters_) {
        auto slot = flat_.slice(0, offset, offset + p.numel());
        if (p.grad().defined()) torch::mul_out(slot, p.grad().reshape({-1}), share);
        else slot.zero_();
        offset += p.numel();
    }
    auto* tail = flat_.data_ptr<float>() + offset;
    tail[0] = float(local.reconSum);
    tail[1] = float(local.klSum);
    tail[2] = float(local.images);
    tail[3] = local.stop ? 1.f : 0.f;
    const auto start = Clock::now();
    std::vector<at::Tensor> buffers{flat_};
    group_.impl().run([&] { return group_.impl().gloo->allreduce(buffers); },
                      "the gradient allreduce of step " + std::to_string(step + 1));
    seconds_ += std::chrono::duration<double>(Clock::now() - start).count();
    offset = 0;
    for (auto& p : parameters_) {
        if (!p.grad().defined()) p.mutable_grad() = torch::zeros_like(p);
        p.grad().copy_(flat_.slice(0, offset, offset + p.numel()).view_as(p));
        offset += p.numel();
    }
    return {tail[0], tail[1], tail[2], tail[3] > 0};
}

void broadcastFromRankZero(ProcessGroup& group, std::vector<torch::Tensor> tensors) {
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> flat;
    for (const auto& t : tensors) flat.push_back(t.detach().reshape({-1}));
    std::vector<at::Tensor> buffers{torch::cat(flat)};  // Gloo takes one tensor per call
    group.impl().run([&] { return group.impl().gloo->broadcast(buffers); }, "the broadcast of rank 0's weights");
    std::int64_t offset = 0;
    for (auto& t : tensors) {
        t.detach().copy_(buffers[0].slice(0, offset, offset + t.numel()).view_as(t));
        offset += t.numel();
    }
}

std::vector<double> sumOverRanks(ProcessGroup& group, const std::vector<double>& values, const char* during) {
    auto buffer = torch::tensor(values, torch::kFloat64);
    std::vector<at::Tensor> buffers{buffer};
    group.impl().run([&] { return group.impl().gloo->allreduce(buffers); }, during);
    return {buffer.data_ptr<double>(), buffer.data_ptr<double>() + buffer.numel()};
}

void requireIdenticalWeights(ProcessGroup& group, const std::vector<torch::Tensor>& parameters, int epoch) {
    uLong crc = crc32(0L, Z_NULL, 0);
    for (const auto& p : parameters) {
        const auto values = p.detach().contiguous();
        crc = crc32(crc, static_cast<const Bytef*>(values.data_ptr()), uInt(values.numel() * values.element_size()));
    }
    std::vector<at::Tensor> mine{torch::tensor({std::int64_t(crc)}, torch::kInt64)};
    std::vector<std::vector<at::Tensor>> all(1);
    for (int r = 0; r < group.worldSize(); ++r) all[0].push_back(torch::empty({1}, torch::kInt64));
    group.impl().run([&] { return group.impl().gloo->allgather(all, mine); },
                     "the weight check after epoch " + std::to_string(epoch));
    std::vector<int> differ;
    for (int r = 1; r < group.worldSize(); ++r)
        if (all[0][r].item<std::int64_t>() != all[0][0].item<std::int64_t>()) differ.push_back(r);
    if (!differ.empty())
        throw DistributedError("after epoch " + std::to_string(epoch) + " the weights on " + rankList(differ) +
                               " differ from rank 0's (checksums disagree); the ranks no longer train one model");
}

}  // namespace vae
