// Checkpoints: round trip, resume, corrupt, truncated, foreign and mismatched files.
#include "errors.h"
#include "fixtures.h"
#include "session.h"
#include "torch_probes.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

namespace {

vae::ModelConfig smallModel(int latent = 2) {
    vae::ModelConfig config;
    config.imageRows = config.imageCols = 8;
    config.encoderHidden = {16, 8};
    config.decoderHidden = {8};
    config.latentDim = latent;
    return config;
}

vae::Session trainedSession() {
    vae::Session session(smallModel(), "cpu", 3);
    const auto data = vae::ImageDataset::fromImages("synthetic", fixtures::syntheticImages(128, 8, 8, 1),
                                                    fixtures::syntheticImages(32, 8, 8, 2));
    vae::TrainOptions options;
    options.epochs = 2;
    options.batchSize = 32;
    vae::TrainControl control;
    session.train(data, options, control);
    return session;
}

const std::vector<float> kPoints{0.0f, 0.0f, 1.5f, -0.5f, -2.0f, 2.0f};

}  // namespace

class TestCheckpoint : public QObject {
    Q_OBJECT
private slots:
    void roundTripDecodesIdentically();
    void saveReplacesAtomically();
    void rejectsBadFiles_data();
    void rejectsBadFiles();
    void rejectsMismatchedConfig();
    void unwritableFolderIsAnError();
    void crashingArchiveIsAnError();

private:
    QTemporaryDir dir_;
};

void TestCheckpoint::roundTripDecodesIdentically() {
    auto original = trainedSession();
    const QString path = dir_.filePath("model.pt");
    original.saveCheckpoint(path.toStdString());
    auto loaded = vae::Session::fromCheckpoint(path.toStdString(), "cpu");
    QVERIFY(loaded.config() == original.config());
    QCOMPARE(loaded.epochsTrained(), 2);
    QCOMPARE(loaded.stepsTrained(), original.stepsTrained());
    QCOMPARE(loaded.decode(kPoints).values, original.decode(kPoints).values);
}

void TestCheckpoint::saveReplacesAtomically() {
    const QString path = dir_.filePath("replace.pt");
    trainedSession().saveCheckpoint(path.toStdString());
    vae::Session(smallModel(), "cpu", 9).saveCheckpoint(path.toStdString());
    QCOMPARE(vae::Session::fromCheckpoint(path.toStdString(), "cpu").epochsTrained(), 0);
    const auto leftovers = QDir(dir_.path()).entryList({"replace.pt.tmp*"});
    QVERIFY2(leftovers.isEmpty(), qPrintable(leftovers.join(", ")));
}

void TestCheckpoint::rejectsBadFiles_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("expected");
    QTest::newRow("garbage") << "garbage" << "not a readable checkpoint";
    QTest::newRow("truncated") << "truncated" << "not a readable checkpoint";
    QTest::newRow("flipped bytes in the weights") << "flipped" << "checksum mismatch";
    QTest::newRow("empty") << "empty" << "not a readable checkpoint";
    QTest::newRow("plain torch archive") << "plain" << "not a readable checkpoint";
    QTest::newRow("foreign archive with our trailer") << "foreign" << "not a vae-explorer checkpoint";
    QTest::newRow("missing file") << "missing" << "cannot open";
}

void TestCheckpoint::rejectsBadFiles() {
    QFETCH(QString, kind);
    QFETCH(QString, expected);
    const QString good = dir_.filePath("good.pt");
    trainedSession().saveCheckpoint(good.toStdString());
    QFile goodFile(good);
    QVERIFY(goodFile.open(QIODevice::ReadOnly));
    const QByteArray bytes = goodFile.readAll();
    const QString path = dir_.filePath(kind + ".pt");
    if (kind == "garbage") fixtures::writeFile(path, QByteArray(5000, 'x'));
    if (kind == "truncated") fixtures::writeFile(path, bytes.left(bytes.size() / 2));
    if (kind == "empty") fixtures::writeFile(path, {});
    if (kind == "plain") probes::writeForeignArchive(path.toStdString(), false);
    if (kind == "foreign") probes::writeForeignArchive(path.toStdString(), true);
    if (kind == "flipped") {
        QByteArray damaged = bytes;
        for (int i = damaged.size() / 3; i < damaged.size() / 3 + 400; ++i) damaged[i] = char(~damaged[i]);
        fixtures::writeFile(path, damaged);
    }
    try {
        vae::Session::fromCheckpoint(path.toStdString(), "cpu");
        QFAIL("loaded a bad checkpoint");
    } catch (const vae::DataError& error) {
        const QString message = error.what();
        QVERIFY2(message.startsWith(path + ": "), qPrintable(message));
        QVERIFY2(message.contains(expected), qPrintable(message));
        QVERIFY(!message.contains('\n'));
    }
}

void TestCheckpoint::rejectsMismatchedConfig() {
    const QString path = dir_.filePath("mismatch.pt");
    probes::writeMismatchedCheckpoint(path.toStdString(), smallModel(3), smallModel(2));
    try {
        vae::Session::fromCheckpoint(path.toStdString(), "cpu");
        QFAIL("loaded weights that do not match their config");
    } catch (const vae::DataError& error) {
        QVERIFY2(QString(error.what()).contains("do not match the stored model config") &&
                     QString(error.what()).contains("wrong shape"),
                 error.what());
    }
}

void TestCheckpoint::unwritableFolderIsAnError() {
    const auto session = trainedSession();
    QVERIFY_THROWS_EXCEPTION(vae::DataError, session.saveCheckpoint("/nonexistent-folder/model.pt"));
}


// Found by fuzz_checkpoint: a crafted archive with a valid checksum on which LibTorch 1.13's
// unpickler dies with SIGSEGV. Loading it must be an error, not a crash.
void TestCheckpoint::crashingArchiveIsAnError() {
    const QString path = QStringLiteral(VAE_REGRESSIONS_DIR "/unpickler-segv.pt");
    try {
        vae::Session::fromCheckpoint(path.toStdString(), "cpu");
        QFAIL("loaded the crafted archive");
    } catch (const vae::DataError& error) {
        QVERIFY2(QString(error.what()).startsWith(path + ": not a readable checkpoint"), error.what());
    }
}

QTEST_GUILESS_MAIN(TestCheckpoint)
#include "tst_checkpoint.moc"
