// `vae-explorer encode --image` end to end: pictures of the user's, prepared as the model's data set
// prepared its images, through the checkpoint's encoder (issue 23).
#include "fixtures.h"

#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>

namespace {

fixtures::ProgramRun runCommand(const QString& command, const QStringList& arguments) {
    return fixtures::runProgram(VAE_EXPLORER_EXE, QStringList{command} + arguments);
}

}  // namespace

class TestEncodePictures : public QObject {
    Q_OBJECT
private slots:
    void encodedPicturesArePreparedAsTheirData();

private:
    QTemporaryDir dir_;
};

// Issue 23: `encode --image` prepares a picture as the model's data set prepared its images (here
// squashed, in colour, transparent pixels on white), so a test image given as a file encodes to
// the same posterior as the same image in the test set. A bad picture is named, and no CSV is left.
void TestEncodePictures::encodedPicturesArePreparedAsTheirData() {
    const QDir folder(dir_.filePath("colour-pictures"));
    QStringList testFiles;
    for (const char* split : {"train", "test"})
        for (const char* label : {"warm", "cool"})
            for (int i = 0; i < 3; ++i) {
                QImage picture(30 + 7 * i, 20, QImage::Format_ARGB32);  // not square: the fit matters
                for (int y = 0; y < picture.height(); ++y)
                    for (int x = 0; x < picture.width(); ++x)
                        picture.setPixel(x, y, label[0] == 'w' ? qRgba(200 + y, 8 * x % 256, 40 * i, x < 4 ? 0 : 255)
                                                               : qRgba(20 * i, 6 * y, 150 + 3 * x, 255));
                const QString path = QString("%1/%2/%3.png").arg(split, label).arg(i);
                QVERIFY(folder.mkpath(QFileInfo(folder.filePath(path)).path()) && picture.save(folder.filePath(path)));
                if (QByteArray(split) == "test") testFiles << folder.filePath(path);
            }
    const QString out = dir_.filePath("colour-pictures-run");
    const auto trained = runCommand("train", {"--dataset", folder.path(), "--image-size", "12", "--fit", "squash", "--out", out,
                                 "--epochs", "1", "--hidden", "16", "--latent-dim", "3", "--threads", "1"});
    QVERIFY2(trained.exitCode == 0, qPrintable(trained.err));
    const QString checkpoint = QDir(out).filePath("checkpoint.pt");
    const QString testCsv = dir_.filePath("colour-test.csv");
    const auto testSet = runCommand("encode", {"--checkpoint", checkpoint, "--out", testCsv});
    QVERIFY2(testSet.exitCode == 0, qPrintable(testSet.err));
    QFile csv(testCsv);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const auto testRows = QString(csv.readAll()).trimmed().split('\n');
    // The test set lists the class folders sorted ("cool" before "warm"), each sorted by name.
    std::sort(testFiles.begin(), testFiles.end());
    QStringList arguments{"--checkpoint", checkpoint};
    for (const QString& file : testFiles) arguments << "--image" << file;
    const auto pictures = runCommand("encode", arguments);
    QVERIFY2(pictures.exitCode == 0, qPrintable(pictures.err));
    const auto pictureRows = pictures.out.trimmed().split('\n');
    QCOMPARE(pictureRows.size(), 1 + testFiles.size());
    QCOMPARE(pictureRows[0], QString("file,mu_1,mu_2,mu_3,logvar_1,logvar_2,logvar_3"));
    for (int i = 0; i < testFiles.size(); ++i) {
        const auto fromFile = pictureRows[1 + i].split(','), fromTestSet = testRows[1 + i].split(',');
        QCOMPARE(fromFile[0], testFiles[i]);
        for (int k = 1; k <= 6; ++k)
            QVERIFY2(std::abs(fromFile[k].toFloat() - fromTestSet[k + 1].toFloat()) < 1e-5f,
                     qPrintable(testFiles[i] + ": " + pictureRows[1 + i] + " vs " + testRows[1 + i]));
    }
    QFile junk(dir_.filePath("not-a-picture.png"));
    QVERIFY(junk.open(QIODevice::WriteOnly) && junk.write("junk") == 4);
    junk.close();
    const QString never = dir_.filePath("never-written.csv");
    const auto bad = runCommand("encode", {"--checkpoint", checkpoint, "--image", testFiles[0], "--image", junk.fileName(),
                                           "--out", never});
    QCOMPARE(bad.exitCode, 1);
    QVERIFY2(bad.err.trimmed().count('\n') == 0 && bad.err.contains(junk.fileName()), qPrintable(bad.err));
    QVERIFY(!QFileInfo::exists(never));
}

QTEST_MAIN(TestEncodePictures)
#include "tst_encodepictures.moc"
