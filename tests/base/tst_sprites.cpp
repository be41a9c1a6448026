// --dataset sprites: dSprites' factors in dSprites' order, every combination once, a fixed test
// split, binary pixels, drawn once and then read from the cache, under 600 MB at 64 px.
#include "generated_dataset.h"
#include "image_folder.h"
#include "sprites_source.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <set>

class TestSprites : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void factorsFollowDSpritesOrder();
    void setHasEveryCombinationAndAFixedSplit();
    void cacheGivesTheSameSet();
    void subsetKeepsTheTestSet();
    void tooSmallIsRefused();

private:
    QTemporaryDir data_;
    static constexpr int kSide = 32;  // the smallest drawn: the set is 737,280 images at any size
};

void TestSprites::initTestCase() {
    QVERIFY(data_.isValid());
    qputenv("XDG_DATA_HOME", data_.path().toLocal8Bit());  // the cache goes here, not into the user's
}

void TestSprites::factorsFollowDSpritesOrder() {
    QCOMPARE(vae::kSpriteCount, 737280);
    const auto first = vae::spriteFactors(0), last = vae::spriteFactors(vae::kSpriteCount - 1);
    QCOMPARE(first.shape, 0);
    QCOMPARE(first.scale, 0.5);
    QCOMPARE(first.orientation, 0.0);
    QCOMPARE(first.x, 0.0);
    QCOMPARE(first.y, 0.0);
    QCOMPARE(last.shape, 2);
    QCOMPARE(last.scale, 1.0);
    QVERIFY(std::abs(last.orientation - 2 * M_PI) < 1e-12);  // 0 and 2π both, as dSprites
    QCOMPARE(last.x, 1.0);
    QCOMPARE(last.y, 1.0);
    QCOMPARE(vae::spriteFactors(1).y, 1.0 / 31);  // position y varies fastest
    QCOMPARE(vae::spriteFactors(32).x, 1.0 / 31);
    QVERIFY(std::abs(vae::spriteFactors(32 * 32).orientation - 2 * M_PI / 39) < 1e-12);
    QCOMPARE(vae::spriteFactors(32 * 32 * 40).scale, 0.6);
    QCOMPARE(vae::spriteFactors(32 * 32 * 40 * 6).shape, 1);
}

void TestSprites::setHasEveryCombinationAndAFixedSplit() {
    vae::RunSettings settings;
    settings.dataset = "sprites";
    settings.imageSize = kSide;
    const auto data = vae::loadDataset(settings).dataset;
    QCOMPARE(data.trainCount() + data.testCount(), vae::kSpriteCount);
    QCOMPARE(data.testCount(), vae::kSpriteTestCount);
    QCOMPARE(data.channels(), 1);
    QCOMPARE(data.factorNames(), std::vector<std::string>({"shape", "scale", "orientation", "position x", "position y"}));
    QCOMPARE(data.classNames(), std::vector<std::string>({"square", "ellipse", "heart"}));
    // The test set's factor rows are distinct combinations, each label its shape, every pixel
    // black or white and every sprite visible.
    std::set<std::vector<float>> rows;
    std::set<int> shapes;
    const auto& factors = data.testFactors();
    const vae::Images images = data.testImages(0, data.testCount());
    for (int i = 0; i < data.testCount(); ++i) {
        const std::vector<float> row(factors.begin() + 5 * i, factors.begin() + 5 * (i + 1));
        rows.insert(row);
        shapes.insert(int(row[0]));
        QCOMPARE(data.testLabels()[std::size_t(i)], int(row[0]));
        float lit = 0;
        for (int p = 0; p < kSide * kSide; ++p) {
            const float v = images.image(i)[std::size_t(p)];
            QVERIFY(v == 0.0f || v == 1.0f);
            lit += v;
        }
        QVERIFY2(lit > 0, qPrintable(QString("test sprite %1 is empty").arg(i)));
    }
    QCOMPARE(int(rows.size()), data.testCount());
    QCOMPARE(int(shapes.size()), 3);  // shuffled: the first test images are not all squares
    std::set<int> firstShapes;
    for (int i = 0; i < 16; ++i) firstShapes.insert(data.testLabels()[std::size_t(i)]);
    QVERIFY(firstShapes.size() > 1);
}

void TestSprites::cacheGivesTheSameSet() {
    vae::RunSettings settings;
    settings.dataset = "sprites";
    settings.imageSize = kSide;
    const auto first = vae::loadDataset(settings).dataset;  // drawn by the test before, or now
    QVERIFY(QFile::exists(vae::generatedCacheFolder() + QString("/sprites-%1/pixels.u8").arg(kSide)));
    QCOMPARE(QFile(vae::generatedCacheFolder() + QString("/sprites-%1/pixels.u8").arg(kSide)).size(),
             qint64(vae::kSpriteCount) * kSide * kSide / 8);  // one bit a pixel
    const auto second = vae::loadDataset(settings).dataset;
    QCOMPARE(second.testPixels(second.testCount()), first.testPixels(first.testCount()));
    QCOMPARE(second.testFactors(), first.testFactors());
}

void TestSprites::subsetKeepsTheTestSet() {
    vae::RunSettings settings;
    settings.dataset = "sprites";
    settings.imageSize = kSide;
    settings.subset = 5000;
    const auto data = vae::loadDataset(settings).dataset;
    QCOMPARE(data.trainCount(), 5000);
    QCOMPARE(data.testCount(), vae::kSpriteTestCount);
    const QString withSubset = vae::datasetIdentity(settings);
    settings.subset = 0;
    QVERIFY(vae::datasetIdentity(settings) != withSubset);  // the window loads again on a change
}

void TestSprites::tooSmallIsRefused() {
    vae::RunSettings settings;
    settings.dataset = "sprites";
    settings.imageSize = 16;
    try {
        vae::loadDataset(settings);
        QFAIL("16-pixel sprites were drawn");
    } catch (const std::exception& error) {
        QVERIFY2(QString(error.what()).contains("32"), error.what());
    }
}

QTEST_MAIN(TestSprites)
#include "tst_sprites.moc"
