#pragma once
// Small IDX files and synthetic images that tests build themselves (no network).
#include "build_flags.h"
#include "dataset.h"
#include "images.h"
#include "model_config.h"

#include <QByteArray>
#include <QProcessEnvironment>
#include <QStringList>
#include <QString>

namespace fixtures {

QByteArray idxImagesBytes(quint32 count, quint32 rows, quint32 cols, const QByteArray& pixels);
QByteArray idxLabelsBytes(const QByteArray& labels);
QByteArray gzip(const QByteArray& raw);
void writeFile(const QString& path, const QByteArray& bytes);

// Blurry bars and blobs on rows x cols: learnable structure, deterministic for a seed.
vae::Images syntheticImages(int count, int rows, int cols, quint32 seed);
QByteArray toBytes(const vae::Images& images);

// The one tiny model the tests train in milliseconds: side x side images, the given encoder
// widths, the decoder mirroring them unless given.
vae::ModelConfig tinyModel(int side = 8, std::vector<int> encoder = {32}, int latent = 2,
                           std::vector<int> decoder = {});
// Synthetic train and test images of side x side (seeds 1 and 2).
vae::ImageDataset syntheticDataset(int trainCount, int testCount, int side);

// Writes the four standard IDX files of a synthetic dataset into `folder`.
void writeIdxDataset(const QString& folder, int trainCount, int testCount, int side, bool gz);

// Peak resident memory of this process from a starting point: resetPeakResidentKb() lowers the
// kernel's high-water mark to the current resident size (Linux >= 4.0) and returns the new mark;
// peakResidentKb() reads the mark, which never falls below that until the next reset. -1 where
// the kernel does not offer them.
qint64 resetPeakResidentKb();
qint64 peakResidentKb();

// Another program run to its end (a runtime, a browser driver, the CLI): its exit code (-1 when it
// crashed or ran past five minutes, and was then ended by its PID) and what it printed.
struct ProgramRun {
    int exitCode = -1;
    QString out;
    QString err;
};
ProgramRun runProgram(const QString& program, const QStringList& arguments,
                      const QProcessEnvironment& environment = QProcessEnvironment());

using vae::kSanitizerBuild;

// A TCP socket listening on a free loopback port until destroyed (a port in use, for tests of
// the rendezvous); freeLoopbackPort() is one that nobody listens on once it returns.
class ListeningPort {
public:
    ListeningPort();
    ~ListeningPort();
    ListeningPort(const ListeningPort&) = delete;
    ListeningPort& operator=(const ListeningPort&) = delete;
    int port() const { return port_; }

private:
    int fd_;
    int port_ = 0;
};
int freeLoopbackPort();

// Sanitizer builds run several times slower: the one limit that is the product's promise (a rank
// whose peer died exits within --dist-timeout and a few seconds) is this many times longer there.
constexpr int kTimeLimitFactor = kSanitizerBuild ? 5 : 1;

// How long a window test waits for an event or for progress before it calls it missing. Tests
// fail on absence, not on slowness: the window trains at nice 10, so with every core busy (as on
// users' laptops and CI's hog step) a second of work can take many seconds of wall time.
constexpr int kEventTimeoutMs = 180000;

}  // namespace fixtures
