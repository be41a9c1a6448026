// Fault-injection helper: saves checkpoints of a sizeable model to PATH in a loop, forever,
// printing "ready" before the first save. tst_faults kills it with SIGKILL mid-write.
#include "session.h"

#include <cstdio>
#include <string>

int main(int argc, char** argv) {
    if (argc < 2) return 2;
    vae::ModelConfig config;
    config.encoderHidden = {1000, 1000};  // ~40 MB with the optimizer: each write takes a while
    config.decoderHidden = {1000, 1000};
    config.latentDim = 20;
    vae::Session session(config, "cpu", 1);
    std::puts("ready");
    std::fflush(stdout);
    for (;;) session.saveCheckpoint(argv[1]);
}
