// Core-only smoke run for machines with a LibTorch but no Qt (e.g. a CUDA LibTorch): trains a
// small VAE on synthetic images on the given device, checks that the loss falls, round-trips a
// checkpoint and compares decodes. Usage: core_smoke [auto|cpu|cuda] [epochs]
#include "dataset.h"
#include "errors.h"
#include "runtime_info.h"
#include "session.h"

#include <cmath>
#include <cstdio>
#include <random>

namespace {

vae::Images blobs(int count, std::uint32_t seed) {
    std::mt19937 random(seed);
    std::uniform_real_distribution<double> where(0, 16);
    vae::Images images{count, 16, 16, std::vector<float>(std::size_t(count) * 256)};
    for (int i = 0; i < count; ++i) {
        const double cx = where(random), cy = where(random);
        for (int y = 0; y < 16; ++y)
            for (int x = 0; x < 16; ++x)
                images.values[std::size_t(i) * 256 + y * 16 + x] =
                    float(std::exp(-((x - cx) * (x - cx) + (y - cy) * (y - cy)) / 6.0));
    }
    return images;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string device = argc > 1 ? argv[1] : "auto";
    const int epochs = argc > 2 ? std::atoi(argv[2]) : 3;
    try {
        std::printf("%s\n", vae::computeBackendReport().c_str());
        const auto data = vae::ImageDataset::fromImages("blobs", blobs(4096, 1), blobs(512, 2));
        vae::ModelConfig config;
        config.imageRows = config.imageCols = 16;
        config.encoderHidden = {128};
        config.decoderHidden = {128};
        vae::Session session(config, device, 1);
        const double before = session.evaluate(data, 3).loss;
        vae::TrainOptions options;
        options.epochs = epochs;
        vae::TrainControl control;
        vae::TrainCallbacks callbacks;
        callbacks.epochDone = [](const vae::EpochMetrics& m) {
            std::printf("epoch %d  train %.2f  test %.2f (recon %.2f, kl %.2f)  %.3f s  %.0f img/s\n", m.epoch,
                        m.train.loss, m.test.loss, m.test.recon, m.test.kl, m.epochSeconds, m.imagesPerSecond);
        };
        const auto result = session.train(data, options, control, callbacks);
        if (result.status != vae::TrainStatus::Finished) throw std::runtime_error(result.error);
        const double after = result.epochs.back().test.loss;
        std::printf("device %s: test -ELBO %.2f -> %.2f nats\n", session.deviceName().c_str(), before, after);
        if (!(after < 0.9 * before)) throw std::runtime_error("the loss did not fall");

        session.saveCheckpoint("core_smoke.pt");
        auto loaded = vae::Session::fromCheckpoint("core_smoke.pt", device);
        const std::vector<float> points{0.f, 0.f, 1.f, -1.f};
        const auto a = session.decode(points), b = loaded.decode(points);
        for (std::size_t i = 0; i < a.values.size(); ++i)
            if (std::abs(a.values[i] - b.values[i]) > 1e-6f) throw std::runtime_error("checkpoint round trip differs");
        loaded.train(data, options, control);  // resumes on the device with the loaded optimizer
        std::printf("checkpoint round trip and resume on %s: ok\n", loaded.deviceName().c_str());
        return 0;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "core_smoke: %s\n", error.what());
        return 1;
    }
}
