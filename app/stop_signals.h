#pragma once
// Ctrl-C (SIGINT) and a launcher's SIGTERM stop training between two steps instead of killing
// the process mid-step: mpirun and torchrun pass them on to every rank, and the ranks agree on
// the step to stop at (trainer.cpp). A second signal acts as usual, so a stuck process still dies.
#include <atomic>

namespace vae {

class StopOnSignals {
public:
    explicit StopOnSignals(std::atomic<bool>& stop);  // sets `stop` on SIGINT or SIGTERM
    ~StopOnSignals();                                 // the previous handlers again
    StopOnSignals(const StopOnSignals&) = delete;
    StopOnSignals& operator=(const StopOnSignals&) = delete;
    static bool received();  // a signal arrived since construction
};

}  // namespace vae
