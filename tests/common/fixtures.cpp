#include "fixtures.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QtEndian>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <cmath>
#include <stdexcept>

namespace fixtures {
namespace {

QByteArray bigEndian(quint32 value) {
    QByteArray bytes(4, '\0');
    qToBigEndian(value, bytes.data());
    return bytes;
}

}  // namespace

QByteArray idxImagesBytes(quint32 count, quint32 rows, quint32 cols, const QByteArray& pixels) {
    return bigEndian(0x803) + bigEndian(count) + bigEndian(rows) + bigEndian(cols) + pixels;
}

QByteArray idxLabelsBytes(const QByteArray& labels) {
    return bigEndian(0x801) + bigEndian(quint32(labels.size())) + labels;
}

QByteArray gzip(const QByteArray& raw) {
    z_stream stream{};
    // windowBits 15 + 16 selects the gzip wrapper.
    if (deflateInit2(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw std::runtime_error("deflateInit2 failed");
    QByteArray out(int(deflateBound(&stream, uLong(raw.size()))), '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
    stream.avail_in = uInt(raw.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = uInt(out.size());
    deflate(&stream, Z_FINISH);
    out.resize(int(stream.total_out));
    deflateEnd(&stream);
    return out;
}

void writeFile(const QString& path, const QByteArray& bytes) {
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
        throw std::runtime_error(("cannot write fixture " + path).toStdString());
}

vae::Images syntheticImages(int count, int rows, int cols, quint32 seed) {
    QRandomGenerator random(seed);
    vae::Images images{count, rows, cols, std::vector<float>(std::size_t(count) * rows * cols, 0.0f)};
    for (int i = 0; i < count; ++i) {
        float* pixels = images.values.data() + std::size_t(i) * rows * cols;
        const double cx = random.bounded(double(cols)), cy = random.bounded(double(rows));
        const bool vertical = random.bounded(2) == 1;
        for (int y = 0; y < rows; ++y)
            for (int x = 0; x < cols; ++x) {
                const double blob = std::exp(-((x - cx) * (x - cx) + (y - cy) * (y - cy)) / 4.0);
                const double bar = std::exp(-std::pow(vertical ? x - cx : y - cy, 2) / 1.5);
                pixels[y * cols + x] = float(std::min(1.0, 0.6 * blob + 0.7 * bar));
            }
    }
    return images;
}

QByteArray toBytes(const vae::Images& images) {
    QByteArray bytes(int(images.values.size()), '\0');
    for (std::size_t i = 0; i < images.values.size(); ++i)
        bytes[int(i)] = char(uchar(std::lround(images.values[i] * 255.0f)));
    return bytes;
}

void writeIdxDataset(const QString& folder, int trainCount, int testCount, int side, bool gz) {
    QDir().mkpath(folder);
    const char* suffix = gz ? ".gz" : "";
    const auto write = [&](const QString& name, const QByteArray& raw) {
        writeFile(QDir(folder).filePath(name + suffix), gz ? gzip(raw) : raw);
    };
    for (const auto& [prefix, count, seed] : {std::tuple{QString("train"), trainCount, 11u}, {QString("t10k"), testCount, 22u}}) {
        write(prefix + "-images-idx3-ubyte", idxImagesBytes(count, side, side, toBytes(syntheticImages(count, side, side, seed))));
        QByteArray labels(count, 0);
        for (int i = 0; i < count; ++i) labels[i] = char(i % 10);  // every digit, for legends and filters
        write(prefix + "-labels-idx1-ubyte", idxLabelsBytes(labels));
    }
}

namespace {

qint64 statusFieldKb(const QByteArray& field) {
    QFile status("/proc/self/status");
    if (!status.open(QIODevice::ReadOnly)) return -1;
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith(field + ':')) return line.mid(field.size() + 1).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

}  // namespace

vae::ModelConfig tinyModel(int side, std::vector<int> encoder, int latent, std::vector<int> decoder) {
    vae::ModelConfig config;
    config.imageRows = config.imageCols = side;
    config.encoderHidden = encoder;
    config.decoderHidden = decoder.empty() ? std::vector<int>(encoder.rbegin(), encoder.rend()) : decoder;
    config.latentDim = latent;
    return config;
}

vae::ImageDataset syntheticDataset(int trainCount, int testCount, int side) {
    return vae::ImageDataset::fromImages("synthetic", syntheticImages(trainCount, side, side, 1),
                                         syntheticImages(testCount, side, side, 2));
}

qint64 resetPeakResidentKb() {
    QFile clearRefs("/proc/self/clear_refs");
    if (!clearRefs.open(QIODevice::WriteOnly) || clearRefs.write("5") != 1) return -1;
    clearRefs.close();
    // The mark, not VmRSS: another thread (the window's trainer, the allocator returning pages)
    // can shrink the resident size between the reset and a second read, and a baseline above the
    // mark made a refusal that allocated nothing look like "-364 KB" in CI.
    return statusFieldKb("VmHWM");
}

qint64 peakResidentKb() { return statusFieldKb("VmHWM"); }

ListeningPort::ListeningPort() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);  // port 0: the kernel picks a free one
    socklen_t length = sizeof address;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), length) == 0 && ::listen(fd_, 1) == 0 &&
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0)
        port_ = ntohs(address.sin_port);
}

ListeningPort::~ListeningPort() { ::close(fd_); }

int freeLoopbackPort() { return ListeningPort().port(); }

ProgramRun runProgram(const QString& program, const QStringList& arguments, const QProcessEnvironment& environment) {
    QProcess process;
    if (!environment.isEmpty()) process.setProcessEnvironment(environment);
    process.start(program, arguments);
    ProgramRun result;
    if (!process.waitForFinished(300000)) {
        process.kill();
        process.waitForFinished();
        result.err = program + " did not finish in 5 minutes";
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

}  // namespace fixtures
