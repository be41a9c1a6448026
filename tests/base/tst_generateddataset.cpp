// Generated data sets (issue 23): the emoji set drawn from Debian's Noto Color Emoji and
// emoji-test.txt, and the home every generated set shares: its cache, redrawn when a source
// changes, and its split, which keeps each split key on one side.
#include "emoji_source.h"
#include "fixtures.h"
#include "generated_dataset.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
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
    void aCacheThatIsNotTheSetsIsDrawnAgain_data();
    void aCacheThatIsNotTheSetsIsDrawnAgain();

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

void TestGeneratedDataset::aCacheThatIsNotTheSetsIsDrawnAgain_data() {
    QTest::addColumn<QString>("edit");
    QTest::newRow("a label beyond the classes") << "label 99";
    QTest::newRow("a negative label") << "label -1";
    QTest::newRow("count cut with its pixels (annotated set)") << "cut";
}

// A meta.json that disagrees with its set (a count cut with the pixels to match, a label of no
// class) crashed training in split(): such a cache is not the set's, and the set is drawn again.
void TestGeneratedDataset::aCacheThatIsNotTheSetsIsDrawnAgain() {
    QFETCH(QString, edit);
    QTemporaryDir dir;
    const QString sourcePath = dir.filePath("source.txt");
    fixtures::writeFile(sourcePath, "first");
    const bool annotated = edit == "cut";
    int draws = 0;
    static int row = 0;  // a cache folder of its own for each row
    vae::GeneratedSource source{"hostile-set-" + std::to_string(++row), {sourcePath.toStdString()}, "",
                                [&](int size) {
                                    ++draws;
                                    vae::DrawnImages drawn;
                                    drawn.size = size;
                                    drawn.classNames = {"a", "b"};
                                    for (int i = 0; i < 60; ++i) {
                                        drawn.labels.push_back(i % 2);
                                        drawn.splitKeys.push_back("key" + std::to_string(i));
                                        drawn.pixels.insert(drawn.pixels.end(), std::size_t(3 * size * size), std::uint8_t(i));
                                    }
                                    return drawn;
                                }};
    if (annotated)  // labels and keys follow from each image's place, 60 of them whatever the cache says
        source.annotate = [](vae::DrawnImages& drawn) {
            drawn.classNames = {"a", "b"};
            drawn.labels.clear();
            drawn.splitKeys.clear();
            for (int i = 0; i < 60; ++i) {
                drawn.labels.push_back(i % 2);
                drawn.splitKeys.push_back("key" + std::to_string(i));
            }
        };
    vae::loadGenerated(source, 4);
    QCOMPARE(draws, 1);
    const QString folder = vae::generatedCacheFolder() + "/" + QString::fromStdString(source.name) + "-4";
    QFile meta(folder + "/meta.json");
    QVERIFY(meta.open(QIODevice::ReadOnly));
    QJsonObject object = QJsonDocument::fromJson(meta.readAll()).object();
    meta.close();
    if (annotated) {
        object["count"] = 30;
        QFile pixels(folder + "/pixels.u8");
        QVERIFY(pixels.resize(30 * 3 * 4 * 4));
    } else {
        QJsonArray labels = object["labels"].toArray();
        labels[0] = edit == "label 99" ? 99 : -1;
        object["labels"] = labels;
    }
    fixtures::writeFile(folder + "/meta.json", QJsonDocument(object).toJson());
    const vae::ImageDataset again = vae::loadGenerated(source, 4);
    QCOMPARE(draws, 2);
    QCOMPARE(again.trainCount() + again.testCount(), 60);
}

QTEST_MAIN(TestGeneratedDataset)
#include "tst_generateddataset.moc"
