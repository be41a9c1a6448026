// Issue 22, defect 14: ThreadSanitizer reported a race inside OpenBLAS (dgemm_oncopy, a memcpy
// into one buffer) between a thread encoding on the training session and the window's encode
// thread. Real, or OpenBLAS's own locking unseen by TSan? Only the app's own threads can tell:
// here they do what the window does at once (the trainer's OpenMP team training, the decode
// thread decoding, the encode thread encoding, and the main thread encoding on the session) and
// every result is compared bit for bit with the same work done alone. Shared BLAS buffers would
// show up as wrong pixels or means. The test counts work done, never time.
#include "decoder.h"
#include "encoder.h"
#include "fixtures.h"
#include "runtime_info.h"
#include "session.h"

#include <QtTest>

#include <atomic>
#include <cstring>
#include <thread>

class TestConcurrentBlas : public QObject {
    Q_OBJECT
private slots:
    void concurrentProductsMatchSerialOnes();
};

namespace {

// The app's shapes: 28x28 images, 512-256 hidden layers, an 8-D latent.
vae::ModelConfig appModel() {
    vae::ModelConfig config;
    config.latentDim = 8;
    return config;
}

std::vector<float> gridLatents(int count, int dim) {
    std::vector<float> latents(std::size_t(count) * dim);
    for (std::size_t i = 0; i < latents.size(); ++i) latents[i] = float(int(i * 7919 % 601) - 300) / 100.0f;
    return latents;
}

bool sameBits(const std::vector<float>& a, const std::vector<float>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

bool sameEncodings(const vae::Encodings& a, const vae::Encodings& b) {
    return sameBits(a.mu, b.mu) && sameBits(a.logvar, b.logvar);
}

// Runs `work` on a helper thread as the window's decode and encode threads run (one BLAS thread
// each) until `enough` rounds are done and `stop` is set; counts rounds and mismatches.
struct Helper {
    std::atomic<int> rounds{0};
    std::atomic<int> mismatches{0};
    std::thread thread;
    template <typename Work>
    void start(std::atomic<bool>& stop, Work work) {
        thread = std::thread([this, &stop, work]() mutable {
            vae::useOneComputeThreadHere();
            while (!stop.load()) {
                if (!work()) ++mismatches;
                ++rounds;
            }
        });
    }
};

}  // namespace

void TestConcurrentBlas::concurrentProductsMatchSerialOnes() {
    vae::setComputeThreads(2);  // the trainer's team, as on the developers' two cores
    const vae::ImageDataset data = fixtures::syntheticDataset(3000, 1000, 28);
    vae::Session session(appModel(), "cpu", 1);
    vae::Decoder decoder(session.decoderWeights());
    vae::Encoder encoder(session.encoderWeights());
    const std::vector<float> latents = gridLatents(400, 8);  // the map's 20x20 grid
    const std::vector<std::uint8_t> pixels = data.testPixels(1000);

    // Alone first: the results every concurrent round must reproduce to the bit.
    vae::Images decodedAlone;
    vae::Encodings encodedAlone;
    std::thread([&] {
        vae::useOneComputeThreadHere();
        decodedAlone = decoder.decode(latents);
        encodedAlone = encoder.encode(pixels.data(), pixels.size());
    }).join();
    const vae::Encodings sessionAlone = session.encodeTestImages(data);

    std::atomic<bool> stop{false};
    Helper decoding, encoding;
    decoding.start(stop, [&] { return sameBits(decoder.decode(latents).values, decodedAlone.values); });
    encoding.start(stop, [&] { return sameEncodings(encoder.encode(pixels.data(), pixels.size()), encodedAlone); });

    // The main thread: the session encodes (the reported stack), then trains (the trainer's team).
    int sessionRounds = 0, sessionMismatches = 0;
    while (sessionRounds < 20 || decoding.rounds < 20 || encoding.rounds < 20) {
        sessionMismatches += !sameEncodings(session.encodeTestImages(data), sessionAlone);
        ++sessionRounds;
    }
    vae::TrainOptions options;
    options.epochs = 1;
    options.batchSize = 128;
    vae::TrainControl control;
    const int before = decoding.rounds + encoding.rounds;
    const vae::TrainResult trained = session.train(data, options, control);
    stop = true;
    decoding.thread.join();
    encoding.thread.join();
    QVERIFY2(trained.status == vae::TrainStatus::Finished, trained.error.c_str());
    qInfo("%d session encodes, %d decodes and %d encodes side by side (%d of them while training)",
          sessionRounds, decoding.rounds.load(), encoding.rounds.load(), decoding.rounds + encoding.rounds - before);
    QCOMPARE(sessionMismatches, 0);
    QCOMPARE(decoding.mismatches.load(), 0);
    QCOMPARE(encoding.mismatches.load(), 0);
}

QTEST_GUILESS_MAIN(TestConcurrentBlas)
#include "tst_concurrentblas.moc"
