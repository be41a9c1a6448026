// The decode thread's grid: whole and equal to a plain decode, in rows when slow, with a click
// answered between two rows and a newer grid replacing the one in progress. The requests made
// "during" a grid are posted from a direct connection on its first partial result, in the decode
// thread itself, so their timing depends on nothing but the service's own order.
#include "decode_service.h"
#include "fixtures.h"
#include "latent_geometry.h"
#include "session.h"

#include <QtTest>

namespace {

// A 64x64 colour conv model: its 30x30 grid takes well over kGridProgressAfterMs on any CPU.
vae::ModelConfig slowColourModel() {
    vae::ModelConfig config = fixtures::tinyModel(64, {128}, 3);
    config.architecture = vae::Architecture::Conv;
    config.convChannels = {32, 64};
    config.imageChannels = 3;
    return config;
}

vae::GridSpec gridOf(int size, double range) {
    vae::GridSpec spec;
    spec.size = size;
    spec.range = range;
    spec.plane = vae::LatentPlane::axes(3, 0, 2);
    return spec;
}

// The largest difference of one channel of one pixel. A row decoded on its own may round a level
// differently from the same row in a 900-image batch (the convolutions block the batch apart).
int largestDifference(const QImage& a, const QImage& b) {
    if (a.size() != b.size() || a.format() != b.format()) return 256;
    int largest = 0;
    for (int y = 0; y < a.height(); ++y)
        for (int x = 0; x < a.width() * a.depth() / 8; ++x)  // not the padding at a line's end
            largest = std::max(largest, std::abs(int(a.constScanLine(y)[x]) - int(b.constScanLine(y)[x])));
    return largest;
}

struct Heard {
    QStringList order;  // "part", "whole", "point", in the order the service sent them
    QVector<vae::DecodedGrid> grids;
};

}  // namespace

class TestDecodeService : public QObject {
    Q_OBJECT
private slots:
    void wholeGridEqualsAPlainDecode();
    void clickGoesBetweenRows();
    void newerGridReplacesTheOneInProgress();
    void aModelOfTallImagesDecodesAtItsAspect();

private:
    // Starts a service on the slow model, asks for `first`, and runs `duringFirst` in the decode
    // thread at the first partial grid; returns once a whole grid of `last` arrived.
    Heard run(const vae::GridSpec& first, const vae::GridSpec& last,
              const std::function<void(vae::DecodeService&)>& duringFirst);
    vae::Session session_{slowColourModel(), "cpu", 7};
};

Heard TestDecodeService::run(const vae::GridSpec& first, const vae::GridSpec& last,
                             const std::function<void(vae::DecodeService&)>& duringFirst) {
    Heard heard;
    QObject receiver;  // declared first, gone last: no queued result outlives `heard`
    vae::DecodeService service;
    bool interrupted = false;
    connect(&service, &vae::DecodeService::gridDecoded, &service, [&](const vae::DecodedGrid& grid) {
        if (!grid.complete && !interrupted) {
            interrupted = true;
            duringFirst(service);
        }
    }, Qt::DirectConnection);
    connect(&service, &vae::DecodeService::gridDecoded, &receiver, [&](const vae::DecodedGrid& grid) {
        heard.order << (grid.complete ? "whole" : "part");
        heard.grids << grid;
    });
    connect(&service, &vae::DecodeService::pointDecoded, &receiver, [&] { heard.order << "point"; });
    service.start();
    service.setWeights(session_.decoderWeights());
    service.requestGrid(first);
    const bool done = QTest::qWaitFor([&] {
        return !heard.grids.isEmpty() && heard.grids.last().complete && heard.grids.last().spec == last;
    }, 300000);
    if (!done) qWarning() << "no whole grid; heard" << heard.order;
    return heard;
}

void TestDecodeService::wholeGridEqualsAPlainDecode() {
    const vae::GridSpec spec = gridOf(30, 2.5);
    const Heard heard = run(spec, spec, [](vae::DecodeService&) {});
    QVERIFY(!heard.grids.isEmpty() && heard.grids.last().complete);
    QVERIFY2(heard.order.count("part") >= 1, "a slow grid shows its rows as they come");
    QCOMPARE(heard.order.count("whole"), 1);
    vae::Decoder decoder(session_.decoderWeights());
    const QImage expected = vae::decodeGrid(decoder, spec);
    QCOMPARE(heard.grids.last().image.format(), QImage::Format_RGB888);
    QCOMPARE(heard.grids.last().image.size(), expected.size());
    QVERIFY(largestDifference(heard.grids.last().image, expected) <= 1);
    // Each part is the whole grid's top rows over a blank (no earlier grid of this shape).
    const QImage part = heard.grids.first().image;
    QCOMPARE(part.size(), expected.size());
    QVERIFY(largestDifference(part.copy(0, 0, part.width(), 64), expected.copy(0, 0, expected.width(), 64)) <= 1);
    QCOMPARE(part.pixelColor(part.width() - 1, part.height() - 1), QColor(Qt::white));
}

void TestDecodeService::clickGoesBetweenRows() {
    const vae::GridSpec spec = gridOf(30, 2.5);
    const Heard heard = run(spec, spec, [](vae::DecodeService& service) { service.requestPoint({0.5f, 0.f, -0.5f}, 1); });
    QVERIFY(heard.order.contains("point"));
    QVERIFY2(heard.order.indexOf("point") < heard.order.indexOf("whole"), qPrintable(heard.order.join(' ')));
    vae::Decoder decoder(session_.decoderWeights());
    QVERIFY(largestDifference(heard.grids.last().image, vae::decodeGrid(decoder, spec)) <= 1);  // the click did not disturb it
}

void TestDecodeService::newerGridReplacesTheOneInProgress() {
    const vae::GridSpec first = gridOf(30, 2.5), newer = gridOf(30, 1.0);
    const Heard heard = run(first, newer, [&](vae::DecodeService& service) { service.requestGrid(newer); });
    QCOMPARE(heard.order.count("whole"), 1);  // the first never finished
    QVERIFY(heard.grids.last().spec == newer);
    vae::Decoder decoder(session_.decoderWeights());
    QVERIFY(largestDifference(heard.grids.last().image, vae::decodeGrid(decoder, newer)) <= 1);
}

// A model of 14 x 56 images (four times as tall as wide), as an IDX folder of them trains: the
// grid's rows are 56 pixels tall, not 14 (the window crashed copying tall tiles into a short grid).
void TestDecodeService::aModelOfTallImagesDecodesAtItsAspect() {
    vae::ModelConfig config = fixtures::tinyModel(8, {16}, 2);
    config.imageCols = 14;
    config.imageRows = 56;
    vae::Session tall(config, "cpu", 3);
    vae::DecodeService service;
    QVector<vae::DecodedGrid> grids;
    connect(&service, &vae::DecodeService::gridDecoded, this, [&](const vae::DecodedGrid& grid) { grids << grid; });
    service.start();
    service.setWeights(tall.decoderWeights());
    vae::GridSpec spec = gridOf(5, 2);
    spec.plane = vae::LatentPlane::axes(2, 0, 1);
    service.requestGrid(spec);
    QTRY_VERIFY_WITH_TIMEOUT(!grids.isEmpty() && grids.last().complete, 60000);
    QCOMPARE(grids.last().image.size(), QSize(5 * 14, 5 * 56));
    vae::Decoder decoder(tall.decoderWeights());
    const QImage expected = vae::decodeGrid(decoder, spec);
    QCOMPARE(expected.size(), QSize(5 * 14, 5 * 56));
    QVERIFY(largestDifference(grids.last().image, expected) <= 1);
}

QTEST_GUILESS_MAIN(TestDecodeService)
#include "tst_decodeservice.moc"
