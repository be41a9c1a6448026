// Generated data sets (issue 23): the emoji set drawn from Debian's Noto Color Emoji and
// emoji-test.txt, and the home every generated set shares: its cache, redrawn when a source
// changes, and its split, which keeps each split key on one side.
#include "emoji_source.h"
#include "generated_dataset.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <set>

class TestGeneratedDataset : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void emojiTestListsTheFullyQualifiedEmojiByGroup();
    void emojiSetIsDrawnInColourOnceAndTheSameAgain();
    void aChangedSourceIsDrawnAgainAndKeysStayOnOneSide();

private:
    QTemporaryDir data_;
};

void TestGeneratedDataset::initTestCase() {
    QVERIFY(data_.isValid());
    qputenv("XDG_DATA_HOME", data_.path().toLocal8Bit());  // the cache goes here, not into the user's
}

void TestGeneratedDataset::emojiTestListsTheFullyQualifiedEmojiByGroup() {
    const auto entries = vae::readEmojiTest("/usr/share/unicode/emoji/emoji-test.txt");
    QCOMPARE(int(entries.size()), 3655);
    std::set<std::string> groups, families;
    for (const auto& entry : entries) groups.insert(entry.group), families.insert(entry.family);
    QCOMPARE(int(groups.size()), 9);
    QVERIFY(groups.count("Smileys & Emotion") && groups.count("Animals & Nature") && !groups.count("Component"));
    // Skin tones and genders are variants of one family: far fewer families than emoji.
    QVERIFY2(families.size() < 2000 && families.size() > 1000, qPrintable(QString::number(families.size())));
    const auto thumbs = std::count_if(entries.begin(), entries.end(), [&](const vae::EmojiEntry& entry) {
        return entry.family == entries.front().family;
    });
    QCOMPARE(int(thumbs), 1);  // the first (grinning face) has no variants
}

void TestGeneratedDataset::emojiSetIsDrawnInColourOnceAndTheSameAgain() {
    const vae::GeneratedSource* emoji = vae::findGeneratedSource("emoji");
    QVERIFY(emoji);
    const auto first = vae::loadGenerated(*emoji, 16);
    QCOMPARE(first.trainCount() + first.testCount(), 3655);
    QCOMPARE(first.channels(), 3);
    QCOMPARE(int(first.classNames().size()), 9);
    QVERIFY(QFile::exists(vae::generatedCacheFolder() + "/emoji-16/pixels.u8"));
    // Colour, not grey: the grinning face is yellow (red and green well above blue).
    const auto images = first.testImages(0, first.testCount());
    int colourful = 0;
    for (int i = 0; i < images.count; ++i) {
        const float* image = images.image(i);
        const std::size_t center = 8 * 16 + 8, plane = 256;
        colourful += std::abs(image[center] - image[2 * plane + center]) > 0.3f;
    }
    QVERIFY2(colourful > images.count / 4, qPrintable(QString::number(colourful)));
    // Drawn again from scratch, the same bytes.
    const auto drawnAgain = emoji->draw(16);
    const auto cached = vae::loadGenerated(*emoji, 16);
    QCOMPARE(cached.identity(), first.identity());
    QCOMPARE(cached.testPixels(cached.testCount()), first.testPixels(first.testCount()));
    QCOMPARE(int(drawnAgain.labels.size()), 3655);
}

void TestGeneratedDataset::aChangedSourceIsDrawnAgainAndKeysStayOnOneSide() {
    QTemporaryDir dir;
    const QString sourcePath = dir.filePath("source.txt");
    const auto writeSource = [&](const QByteArray& text) {
        QFile file(sourcePath);
        QVERIFY(file.open(QIODevice::WriteOnly) && file.write(text) == text.size());
    };
    writeSource("first");
    int draws = 0;
    vae::GeneratedSource source{"test-set", {sourcePath.toStdString()}, "", [&](int size) {
                                    ++draws;
                                    vae::DrawnImages drawn;
                                    drawn.size = size;
                                    drawn.classNames = {"only"};
                                    for (int i = 0; i < 60; ++i) {  // 12 keys of 5 images each
                                        drawn.labels.push_back(0);
                                        drawn.splitKeys.push_back("key" + std::to_string(i / 5));
                                        drawn.pixels.insert(drawn.pixels.end(), std::size_t(3 * size * size),
                                                            std::uint8_t(i / 5 * 20));
                                    }
                                    return drawn;
                                }};
    const auto first = vae::loadGenerated(source, 4);
    vae::loadGenerated(source, 4);
    QCOMPARE(draws, 1);  // the second came from the cache
    writeSource("second");
    vae::loadGenerated(source, 4);
    QCOMPARE(draws, 2);
    // Each key's images, told apart by their grey level, are all in one split.
    QCOMPARE(first.testCount() % 5, 0);  // whole keys of 5 images
    std::set<std::uint8_t> testLevels;
    for (std::uint8_t level : first.testPixels(first.testCount())) testLevels.insert(level);
    QCOMPARE(int(testLevels.size()) * 5, first.testCount());
    QFile::remove(sourcePath);
    QVERIFY_THROWS_EXCEPTION(std::exception, vae::loadGenerated(source, 4));
}

QTEST_MAIN(TestGeneratedDataset)
#include "tst_generateddataset.moc"
