// Where a training step's time goes: the 784-400-20 step of --preset pytorch-example at batch
// 128 on random data, split into its parts and timed at 1 and at all cores' threads, against the
// same products alone (sgemm through ATen). Usage: step_profile [steps]
#include "fused_adam.h"
#include "fused_elbo.h"
#include "model.h"
#include "presets.h"
#include "runtime_info.h"
#include "session.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

namespace {

using Clock = std::chrono::steady_clock;

double millisecondsSince(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

struct Timing {
    std::vector<double> samples;
    double median() {
        std::sort(samples.begin(), samples.end());
        return samples[samples.size() / 2];
    }
};

}  // namespace

int main(int argc, char** argv) {
    const int steps = argc > 1 ? std::atoi(argv[1]) : 300;
    vae::RunSettings run;
    vae::applyPreset("pytorch-example", run);
    const vae::ModelConfig config = run.model;
    const vae::TrainOptions options = run.training;
    const int batch = options.batchSize;
    const auto images = torch::randint(0, 256, {60000, config.inputDim()}, torch::kUInt8);
    std::printf("%s\n", vae::computeBackendReport().c_str());
    for (int threads : {1, int(std::thread::hardware_concurrency())}) {
        torch::set_num_threads(threads);
        torch::manual_seed(1);
        vae::Vae model(config);
        vae::FusedAdam adam(model->parameters(), torch::optim::AdamOptions(1e-3));
        vae::FusedElboStep step(model);
        Timing input, elbo, update, products;
        for (int i = 0; i < steps; ++i) {
            auto start = Clock::now();
            const auto index = torch::randint(0, 60000, {batch}, torch::kLong);
            const auto x = images.index_select(0, index).to(torch::kFloat32).div_(255);
            const auto eps = torch::randn({batch, config.latentDim});
            input.samples.push_back(millisecondsSince(start));
            start = Clock::now();
            step.run(x, eps, 1.0);
            elbo.samples.push_back(millisecondsSince(start));
            start = Clock::now();
            adam.step();
            update.samples.push_back(millisecondsSince(start));
        }
        // The five big products of a step alone, on the same shapes and layouts.
        const auto a = torch::randn({batch, 784}), w1 = torch::randn({400, 784}), h = torch::randn({batch, 400}),
                   w4 = torch::randn({784, 400}), d = torch::randn({batch, 784});
        auto out1 = torch::empty({batch, 400}), out2 = torch::empty({batch, 784}), g4 = torch::empty({784, 400}),
             g1 = torch::empty({400, 784});
        for (int i = 0; i < steps; ++i) {
            const auto start = Clock::now();
            at::mm_out(out1, a, w1.t());
            at::mm_out(out2, h, w4.t());
            at::mm_out(out1, d, w4);
            at::mm_out(g4, d.t(), h);
            at::mm_out(g1, out1.t(), a);
            products.samples.push_back(millisecondsSince(start));
        }
        const double total = input.median() + elbo.median() + update.median();
        std::printf("%d thread(s): step %.2f ms = input %.2f + forward/backward %.2f + Adam %.2f; "
                    "the five big products alone %.2f ms (%.0f GFLOP/s); epoch at this rate %.2f s\n",
                    threads, total, input.median(), elbo.median(), update.median(), products.median(),
                    5 * 2.0 * batch * 784 * 400 / products.median() / 1e6, total * 469 / 1000);
    }
    return 0;
}
