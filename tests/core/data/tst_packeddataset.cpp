// Data sets kept one bit a pixel (sprites), named factors, and a seeded training subset.
#include "dataset.h"
#include "errors.h"
#include "fixtures.h"
#include "runtime_info.h"
#include "session.h"
#include "torch_probes.h"

#include <QtTest>

namespace {

// Three 3x3 binary images: an X, a plus and a full square, as bytes and as packed bits (9
// pixels: two bytes a row, most significant bit first).
const std::vector<std::vector<int>> kBits{{1, 0, 1, 0, 1, 0, 1, 0, 1}, {0, 1, 0, 1, 1, 1, 0, 1, 0}, {1, 1, 1, 1, 1, 1, 1, 1, 1}};

std::vector<std::uint8_t> packed(const std::vector<std::vector<int>>& images) {
    std::vector<std::uint8_t> out;
    for (const auto& image : images) {
        std::uint8_t row[2] = {0, 0};
        for (std::size_t p = 0; p < image.size(); ++p)
            if (image[p]) row[p / 8] |= std::uint8_t(0x80 >> (p % 8));
        out.insert(out.end(), row, row + 2);
    }
    return out;
}

std::vector<std::uint8_t> bytes(const std::vector<std::vector<int>>& images) {
    std::vector<std::uint8_t> out;
    for (const auto& image : images)
        for (int bit : image) out.push_back(bit ? 255 : 0);
    return out;
}

}  // namespace

class TestPackedDataset : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { vae::setComputeThreads(1); }
    void packedRowsUnpackExactly();
    void trainsAsTheSameImagesInBytes();
    void subsetIsSeededAndKeepsLabelsAndFactors();
    void factorsMustCoverEveryImage();
};

void TestPackedDataset::packedRowsUnpackExactly() {
    const auto data = vae::ImageDataset::fromPackedBits("bits", 3, 3, packed(kBits), bytes({kBits[0]}), {0, 1, 2}, {0}, {"x", "plus", "full"});
    QCOMPARE(data.trainCount(), 3);
    QCOMPARE(probes::trainRowsOf(data, {2, 0, 1}), bytes({kBits[2], kBits[0], kBits[1]}));
}

// A model trained on the packed set and one trained on the same images as bytes, same seeds:
// the same losses, to the last bit.
void TestPackedDataset::trainsAsTheSameImagesInBytes() {
    std::vector<std::vector<int>> images;
    std::vector<int> labels;
    for (int i = 0; i < 96; ++i) {
        images.push_back(kBits[std::size_t(i % 3)]);
        images.back()[std::size_t(i % 9)] ^= 1;  // a flipped pixel, so that the images differ
        labels.push_back(i % 3);
    }
    const std::vector<std::vector<int>> test(kBits.begin(), kBits.end());
    const auto asBits = vae::ImageDataset::fromPackedBits("bits", 3, 3, packed(images), bytes(test), labels, {0, 1, 2}, {});
    const auto asBytes = vae::ImageDataset::fromPixels("bytes", 1, 3, 3, bytes(images), bytes(test), labels, {0, 1, 2}, {});
    vae::TrainOptions options;
    options.epochs = 2;
    options.batchSize = 16;
    double losses[2];
    for (int k = 0; k < 2; ++k) {
        vae::Session session(fixtures::tinyModel(3, {8}, 2), "cpu", 5);
        vae::TrainControl control;
        const auto result = session.train(k == 0 ? asBits : asBytes, options, control);
        QCOMPARE(int(result.status), int(vae::TrainStatus::Finished));
        losses[k] = result.epochs.back().train.loss;
    }
    QCOMPARE(losses[0], losses[1]);
}

void TestPackedDataset::subsetIsSeededAndKeepsLabelsAndFactors() {
    std::vector<std::vector<int>> images;
    std::vector<int> labels;
    std::vector<float> trainFactors;
    for (int i = 0; i < 30; ++i) {
        images.push_back(kBits[std::size_t(i % 3)]);
        labels.push_back(i % 3);
        trainFactors.insert(trainFactors.end(), {float(i % 3), float(i)});
    }
    const auto whole = vae::ImageDataset::fromPackedBits("bits", 3, 3, packed(images), bytes({kBits[0]}), labels, {0}, {})
                           .withFactors({"shape", "index"}, trainFactors, {0, 0});
    const auto a = whole.withTrainSubset(7, 11), b = whole.withTrainSubset(7, 11), c = whole.withTrainSubset(7, 12);
    QCOMPARE(a.trainCount(), 7);
    QCOMPARE(a.testCount(), 1);
    std::vector<long long> all{0, 1, 2, 3, 4, 5, 6};
    QCOMPARE(probes::trainRowsOf(a, all), probes::trainRowsOf(b, all));
    QVERIFY(probes::trainRowsOf(a, all) != probes::trainRowsOf(c, all) || probes::trainLabelsOf(a) != probes::trainLabelsOf(c));
    // Each chosen image keeps its own label and factors: the "index" factor says which it was.
    for (int i = 0; i < 7; ++i) {
        const int original = int(probes::trainFactorsOf(a)[std::size_t(2 * i + 1)]);
        QCOMPARE(probes::trainLabelsOf(a)[std::size_t(i)], original % 3);
        QCOMPARE(probes::trainRowsOf(a, {i}), bytes({kBits[std::size_t(original % 3)]}));
    }
    QCOMPARE(whole.withTrainSubset(0, 1).trainCount(), 30);   // 0: all
    QCOMPARE(whole.withTrainSubset(99, 1).trainCount(), 30);  // more than there are: all
}

void TestPackedDataset::factorsMustCoverEveryImage() {
    const auto data = vae::ImageDataset::fromPackedBits("bits", 3, 3, packed(kBits), bytes({kBits[0]}), {0, 1, 2}, {0}, {});
    QVERIFY_THROWS_EXCEPTION(vae::DataError, data.withFactors({"a"}, {1, 2}, {0}));
    QCOMPARE(data.withFactors({"a"}, {1, 2, 3}, {0}).factorNames().size(), std::size_t(1));
}

QTEST_GUILESS_MAIN(TestPackedDataset)
#include "tst_packeddataset.moc"
