#include "stop_signals.h"

#include <csignal>

namespace vae {
namespace {

// A signal handler may only touch lock-free atomics.
std::atomic<std::atomic<bool>*> gStop{nullptr};
std::atomic<bool> gReceived{false};
struct sigaction gPreviousInt, gPreviousTerm;

void onStopSignal(int) {
    gReceived.store(true);
    if (auto* stop = gStop.load()) stop->store(true);
}

}  // namespace

StopOnSignals::StopOnSignals(std::atomic<bool>& stop) {
    static_assert(std::atomic<bool>::is_always_lock_free && std::atomic<std::atomic<bool>*>::is_always_lock_free);
    gReceived = false;
    gStop = &stop;
    struct sigaction action {};
    action.sa_handler = onStopSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND;  // the second signal takes the default action
    sigaction(SIGINT, &action, &gPreviousInt);
    sigaction(SIGTERM, &action, &gPreviousTerm);
}

StopOnSignals::~StopOnSignals() {
    sigaction(SIGINT, &gPreviousInt, nullptr);
    sigaction(SIGTERM, &gPreviousTerm, nullptr);
    gStop = nullptr;
}

bool StopOnSignals::received() { return gReceived.load(); }

}  // namespace vae
