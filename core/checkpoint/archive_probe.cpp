// The forked, memory-limited probe that reads a checkpoint archive before the app does.
#include "archive_probe.h"

#include "build_flags.h"
#include "errors.h"

#include <torch/torch.h>

#include <poll.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>
#include <memory>

namespace vae {
namespace {

// The probe child's memory budget beyond what it inherits (see probeArchiveInChild).
constexpr std::uint64_t kProbeMemoryPerArchiveByte = 2;
constexpr std::uint64_t kProbeMemoryMarginBytes = 512u << 20;

// The address space this process has mapped now (what a child inherits).
std::uint64_t mappedBytes() {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> statm(std::fopen("/proc/self/statm", "r"), &std::fclose);
    unsigned long long pages = 0;
    if (!statm || std::fscanf(statm.get(), "%llu", &pages) != 1) return 0;
    return pages * std::uint64_t(::sysconf(_SC_PAGESIZE));
}

// Sanitizer builds probe without the limit (their allocators report oversized allocations).
constexpr bool kAddressSpaceLimitWorks = !kSanitizerBuild;

constexpr int kProbeOutOfMemory = 3;

// LibTorch reports a failed allocation as an error whose text names its CPU allocator ("can't
// allocate memory" in 1.x, "not enough memory" in 2.x), also when TorchScript code (a class's
// __setstate__) made the allocation and the interpreter rethrows it with a traceback.
bool isOutOfMemory(const std::exception& error) {
    const std::string text = error.what();
    for (const char* sign : {"DefaultCPUAllocator", "not enough memory", "std::bad_alloc"})
        if (text.find(sign) != std::string::npos) return true;
    return false;
}

enum class ChildWait { Ended, TimedOut, Lost };
// A probe is judged by its progress, not by the clock: on a busy machine (or under a sanitizer)
// reading a good checkpoint took over 20 s of wall time. A child that spins is ended by its CPU
// limit (SIGXCPU); one that makes no progress at all for kProbeStallMs is stuck.
constexpr int kProbeCpuSeconds = 20;
constexpr int kProbeStallMs = 30000;
constexpr int kProbeSliceMs = 1000;

// The CPU time the child has used, in clock ticks (-1 when unknown).
long long cpuTicksOf(pid_t child) {
    const std::string path = "/proc/" + std::to_string(child) + "/stat";
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> stat(std::fopen(path.c_str(), "r"), &std::fclose);
    char text[1024] = {};
    if (!stat || !std::fgets(text, sizeof text, stat.get())) return -1;
    const char* fields = std::strrchr(text, ')');  // after the command name, which may hold spaces
    unsigned long long user = 0, system = 0;
    if (!fields || std::sscanf(fields + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &user, &system) != 2)
        return -1;
    return (long long)(user + system);
}

// Waits up to timeoutMs for the child to end. One poll() on a pidfd where the kernel offers
// them: no busy loop, so the wait takes no CPU and answers at once. Elsewhere it polls.
ChildWait waitForChild(pid_t child, int& status, int timeoutMs) {
    const int pidfd = int(::syscall(SYS_pidfd_open, child, 0));
    if (pidfd >= 0) {
        pollfd ended{pidfd, POLLIN, 0};
        int ready = 0;
        do ready = ::poll(&ended, 1, timeoutMs);
        while (ready < 0 && errno == EINTR);
        ::close(pidfd);
        if (ready == 0) return ChildWait::TimedOut;
        return ::waitpid(child, &status, 0) == child ? ChildWait::Ended : ChildWait::Lost;
    }
    for (int waitedMs = 0; waitedMs < timeoutMs; waitedMs += 10) {
        const pid_t done = ::waitpid(child, &status, WNOHANG);
        if (done == child) return ChildWait::Ended;
        if (done < 0) return ChildWait::Lost;
        ::usleep(10000);
    }
    return ChildWait::TimedOut;
}


// Waits for the child while it makes progress (its CPU time grows); TimedOut once it has made
// none for kProbeStallMs.
ChildWait waitWhileProgressing(pid_t child, int& status) {
    long long ticks = cpuTicksOf(child);
    int stalledMs = 0;
    for (;;) {
        const ChildWait waited = waitForChild(child, status, kProbeSliceMs);
        if (waited != ChildWait::TimedOut) return waited;
        const long long now = cpuTicksOf(child);
        stalledMs = now > ticks ? 0 : stalledMs + kProbeSliceMs;
        ticks = now;
        if (stalledMs >= kProbeStallMs) return ChildWait::TimedOut;
    }
}

// Under a sanitizer a probe child can block inside the sanitizer's allocator (a lock another
// thread held at the fork; see kThreadSanitizerBuild), which only a fresh fork escapes. Release
// builds use glibc's malloc, which is fork-safe, so a child stuck there really hung: one attempt.
constexpr int kProbeAttempts = kSanitizerBuild ? 3 : 1;

// Forks a child that reads the archive under the memory limit; its exit status lands in status.
ChildWait readArchiveInChild(const char* archive, std::size_t archiveSize, int& status) {
    const std::uint64_t limit = mappedBytes() + kProbeMemoryPerArchiveByte * archiveSize + kProbeMemoryMarginBytes;
    const pid_t child = ::fork();
    if (child < 0) return ChildWait::Lost;  // no fork available: the in-process scan has already run
    if (child == 0) {
        // Die plainly on a fault: the parent's crash handlers (a test runner's, say) must not run here.
        for (int fault : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT}) std::signal(fault, SIG_DFL);
        const rlimit cpu{kProbeCpuSeconds, kProbeCpuSeconds + 1};
        ::setrlimit(RLIMIT_CPU, &cpu);
        if (kAddressSpaceLimitWorks) {
            const rlimit memory{limit, limit};
            ::setrlimit(RLIMIT_AS, &memory);
        }
        try {
            torch::serialize::InputArchive probe;
            probe.load_from(archive, archiveSize, torch::Device(torch::kCPU));
            for (const auto& key : probe.keys()) {
                c10::IValue value;
                torch::serialize::InputArchive nested;
                if (!probe.try_read(key, value)) probe.try_read(key, nested);
            }
        } catch (const std::bad_alloc&) {
            ::_exit(kProbeOutOfMemory);
        } catch (const std::exception& error) {
            if (isOutOfMemory(error)) ::_exit(kProbeOutOfMemory);
        } catch (...) {
        }
        ::_exit(0);  // other errors are reported by the real load in the parent
    }
    const ChildWait waited = waitWhileProgressing(child, status);
    if (waited == ChildWait::TimedOut) {
        ::kill(child, SIGKILL);
        ::waitpid(child, &status, 0);
    }
    return waited;
}

}  // namespace

// The second line of defence, for what checkArchiveBounds cannot foresee. LibTorch 1.13's
// unpickler can crash (SIGSEGV) on a crafted archive that still carries a valid checksum (found
// by fuzz_checkpoint), so the archive is read once in a forked child first: a crash, a hang, or
// an allocation past the child's memory limit makes the parent refuse the file instead of
// repeating it. The child may map what it inherited plus kProbeMemoryPerArchiveByte times the
// archive plus kProbeMemoryMarginBytes; reading a real checkpoint needs about one archive's size
// more (see the README). glibc's malloc is fork-safe.
void probeArchiveInChild(const char* archive, std::size_t archiveSize) {
    int status = 0;
    ChildWait waited = ChildWait::TimedOut;
    // A sanitizer's child can also spin on such a lock until its CPU limit ends it (CI saw a TSan
    // child killed so while reading a good checkpoint): that too is retried with a fresh fork.
    const auto stuck = [&] {
        return waited == ChildWait::TimedOut ||
               (kSanitizerBuild && waited == ChildWait::Ended && WIFSIGNALED(status) &&
                (WTERMSIG(status) == SIGXCPU || WTERMSIG(status) == SIGKILL));
    };
    for (int attempt = 0; attempt < kProbeAttempts && stuck(); ++attempt)
        waited = readArchiveInChild(archive, archiveSize, status);
    if (waited == ChildWait::Lost) return;
    if (waited == ChildWait::TimedOut) throw DataError("not a readable checkpoint (the archive reader hung on it)");
    if (WIFSIGNALED(status) && (WTERMSIG(status) == SIGXCPU || WTERMSIG(status) == SIGKILL))
        throw DataError("not a readable checkpoint (the archive reader spun on it for " +
                        std::to_string(kProbeCpuSeconds) + " s of CPU time)");
    if (WIFSIGNALED(status))
        throw DataError("not a readable checkpoint (the archive reader crashed on it: signal " +
                        std::to_string(WTERMSIG(status)) + ")");
    if (WIFEXITED(status) && WEXITSTATUS(status) == kProbeOutOfMemory)
        throw DataError("not a readable checkpoint (reading it needs more memory than a " +
                        std::to_string(archiveSize) + "-byte checkpoint can)");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw DataError("not a readable checkpoint (the archive reader failed on it: exit status " +
                        std::to_string(WEXITSTATUS(status)) + ")");
}

}  // namespace vae
