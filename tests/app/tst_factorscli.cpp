// Factors end to end through the CLI (issue 25): a β-TCVAE trained on sprites reports its KL split,
// `eval --factors` scores it, `encode` writes the factors as columns, and data without factors is
// named in one line.
#include "fixtures.h"

#include <QDir>
#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

namespace {

// Sprites are drawn into this test's own data folder, not the user's.
QProcessEnvironment isolated(const QString& dataHome) {
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("XDG_DATA_HOME", dataHome);
    return environment;
}

}  // namespace

class TestFactorsCli : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void betaTcOnSpritesIsScored();
    void dataWithoutFactorsIsNamed();
    void imageFolderFactorsReachEvalAndEncode();
    void aResumedRunGoesOnAsItWasTrained();

private:
    fixtures::ProgramRun run(const QStringList& arguments) {
        return fixtures::runProgram(VAE_EXPLORER_EXE, arguments, isolated(dir_.filePath("data")));
    }
    QTemporaryDir dir_;
    QString checkpoint_;
};

void TestFactorsCli::initTestCase() {
    QVERIFY(dir_.isValid());
    const QString out = dir_.filePath("tc");
    const auto trained = run({"train", "--dataset", "sprites", "--image-size", "32", "--subset", "600", "--hidden", "32",
                              "--latent-dim", "4", "--objective", "beta-tc", "--beta", "6", "--batch-size", "50",
                              "--epochs", "2", "--threads", "1", "--out", out});
    QVERIFY2(trained.exitCode == 0, qPrintable(trained.err));
    QVERIFY2(trained.out.contains("data sprites: 600 train, 10000 test images of 32x32"), qPrintable(trained.out));
    QVERIFY2(trained.out.contains("kl split: MI "), qPrintable(trained.out));
    QFile metrics(QDir(out).filePath("metrics.csv"));
    QVERIFY(metrics.open(QIODevice::ReadOnly));
    QVERIFY(metrics.readLine().trimmed().endsWith("train_index_code_mi,train_total_correlation,train_dimensionwise_kl"));
    checkpoint_ = QDir(out).filePath("checkpoint.pt");
}

void TestFactorsCli::betaTcOnSpritesIsScored() {
    const auto eval = run({"eval", "--checkpoint", checkpoint_, "--factors"});
    QVERIFY2(eval.exitCode == 0, qPrintable(eval.err));
    QHash<QString, QString> values;
    for (const QString& line : eval.out.split('\n')) values.insert(line.section(' ', 0, 0), line.section(' ', 1));
    bool ok = false;
    const double mig = values.value("mig").toDouble(&ok);
    QVERIFY2(ok && mig >= 0 && mig <= 1, qPrintable(eval.out));
    const double factorVae = values.value("factor_vae_score").toDouble(&ok);
    QVERIFY(ok && factorVae >= 0 && factorVae <= 1);
    for (const char* factor : {"shape", "scale", "orientation", "position_x", "position_y"}) {
        QVERIFY2(values.contains(QString("mig_%1").arg(factor)), factor);
        for (int d = 1; d <= 4; ++d) QVERIFY(values.contains(QString("mi_z%1_%2").arg(d).arg(factor)));
    }
    // Every dimension is named by the factor it carries most, or none.
    for (int d = 1; d <= 4; ++d) QVERIFY(values.contains(QString("factor_of_z%1").arg(d)));
    // The entropy of shape, three equally likely values in a random test set: close to log 3.
    QVERIFY(std::abs(values.value("entropy_shape").toDouble() - std::log(3.0)) < 0.01);

    const QString csvPath = dir_.filePath("encodings.csv");
    const auto encoded = run({"encode", "--checkpoint", checkpoint_, "--out", csvPath, "--count", "5"});
    QVERIFY2(encoded.exitCode == 0, qPrintable(encoded.err));
    QFile csv(csvPath);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const auto rows = QString(csv.readAll()).trimmed().split('\n');
    QCOMPARE(rows.size(), 6);
    QVERIFY2(rows[0].startsWith("index,label,shape,scale,orientation,position x,position y,mu_1"), qPrintable(rows[0]));
    const auto first = rows[1].split(',');
    QCOMPARE(first[1], first[2]);  // the label is the shape
}

void TestFactorsCli::dataWithoutFactorsIsNamed() {
    const QString folder = dir_.filePath("idx");
    fixtures::writeIdxDataset(folder, 64, 16, 8, false);
    const QString out = dir_.filePath("plain");
    const auto trained = run({"train", "--dataset", folder, "--hidden", "16", "--latent-dim", "2", "--epochs", "1",
                              "--threads", "1", "--out", out});
    QVERIFY2(trained.exitCode == 0, qPrintable(trained.err));
    const auto eval = run({"eval", "--checkpoint", QDir(out).filePath("checkpoint.pt"), "--factors"});
    QCOMPARE(eval.exitCode, 2);  // a usage error, as every bad option
    QVERIFY2(eval.err.contains("--factors:") && eval.err.contains("no factors"), qPrintable(eval.err));
    QCOMPARE(eval.err.trimmed().count('\n'), 0);
    const auto batchOfOne = run({"train", "--dataset", folder, "--objective", "beta-tc", "--batch-size", "1", "--out", dir_.filePath("one")});
    QVERIFY(batchOfOne.exitCode != 0);
    QVERIFY2(batchOfOne.err.contains("--objective") && batchOfOne.err.contains("batch"), qPrintable(batchOfOne.err));
    QVERIFY(!QDir(dir_.filePath("one")).exists());
}

// A folder of squares at known places with its factors.csv: the scores and the encodings carry
// its factors; a table with a bad value stops `train` in one line naming the file and the row.
void TestFactorsCli::imageFolderFactorsReachEvalAndEncode() {
    const QString folder = dir_.filePath("squares");
    QByteArray table = "file,x,y\n";
    for (int i = 0; i < 60; ++i) {
        const int x = i % 10 * 2, y = i / 10 * 3;
        QImage image(28, 28, QImage::Format_Grayscale8);
        image.fill(0);
        for (int row = y; row < y + 8; ++row)
            for (int col = x; col < x + 8; ++col) image.setPixel(col, row, qRgb(255, 255, 255));
        const QString file = QString("%1/%2.png").arg(i % 2 ? "odd" : "even").arg(i);
        QVERIFY(QDir().mkpath(QDir(folder).filePath(i % 2 ? "odd" : "even")));
        QVERIFY(image.save(QDir(folder).filePath(file)));
        table += QString("%1,%2,%3\n").arg(file).arg(x).arg(y).toUtf8();
    }
    QFile csv(QDir(folder).filePath("factors.csv"));
    QVERIFY(csv.open(QIODevice::WriteOnly) && csv.write(table) == table.size());
    csv.close();
    const QString out = dir_.filePath("squares-run");
    const auto trained = run({"train", "--dataset", folder, "--hidden", "32", "--latent-dim", "2", "--epochs", "2",
                              "--threads", "1", "--out", out});
    QVERIFY2(trained.exitCode == 0, qPrintable(trained.err));
    const QString checkpoint = QDir(out).filePath("checkpoint.pt");
    const auto eval = run({"eval", "--checkpoint", checkpoint, "--factors"});
    QVERIFY2(eval.exitCode == 0 && eval.out.contains("\nmig_x ") && eval.out.contains("\nmi_z2_y "), qPrintable(eval.out + eval.err));
    // A factor named with an escape sequence (it cleared the terminal) is shown as U+FFFD.
    QVERIFY(csv.open(QIODevice::WriteOnly | QIODevice::Truncate));
    csv.write(QByteArray(table).replace("file,x,y", "file,x\x1b[2J,y"));
    csv.close();
    const auto escaped = run({"eval", "--checkpoint", checkpoint, "--factors"});
    QVERIFY2(escaped.exitCode == 0 && !escaped.out.contains('\x1b') && escaped.out.contains("\nmig_x\uFFFD[2J "),
             qPrintable(escaped.out + escaped.err));
    QVERIFY(csv.open(QIODevice::WriteOnly | QIODevice::Truncate));
    csv.write(table);
    csv.close();
    const QString encodings = dir_.filePath("squares.csv");
    const auto encoded = run({"encode", "--checkpoint", checkpoint, "--out", encodings});
    QVERIFY2(encoded.exitCode == 0, qPrintable(encoded.err));
    QFile written(encodings);
    QVERIFY(written.open(QIODevice::ReadOnly));
    const auto rows = QString(written.readAll()).trimmed().split('\n');
    QCOMPARE(rows.size(), 1 + 10);  // a sixth of 60 images is the test set
    QVERIFY2(rows[0].startsWith("index,label,x,y,mu_1,mu_2,"), qPrintable(rows[0]));
    for (int r = 1; r < rows.size(); ++r) {  // every x a square's place, as written
        const int x = rows[r].section(',', 2, 2).toInt();
        QVERIFY2(x % 2 == 0 && x <= 18, qPrintable(rows[r]));
    }

    QVERIFY(csv.open(QIODevice::WriteOnly | QIODevice::Truncate));
    csv.write(table.replace("even/2.png,4,0", "even/2.png,four,0"));
    csv.close();
    const auto refused = run({"train", "--dataset", folder, "--epochs", "1", "--out", dir_.filePath("refused")});
    QVERIFY(refused.exitCode != 0);
    QVERIFY2(refused.err.contains("factors.csv: row 4: x: \"four\" is not a finite number"), qPrintable(refused.err));
    QCOMPARE(refused.err.trimmed().count('\n'), 0);
    QVERIFY(!QDir(dir_.filePath("refused")).exists());
}

// `train --resume` alone continues a β-TCVAE run as one, on its data (the seeded subset too),
// and says so; an option given changes what it names.
void TestFactorsCli::aResumedRunGoesOnAsItWasTrained() {
    const auto resumed = run({"train", "--resume", checkpoint_, "--epochs", "1", "--threads", "1", "--out", dir_.filePath("resumed")});
    QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err));
    QVERIFY2(resumed.out.contains("data sprites: 600 train, 10000 test images of 32x32"), qPrintable(resumed.out));
    QVERIFY2(resumed.out.contains("was trained: --beta 6, --objective beta-tc, --batch-size 50"), qPrintable(resumed.out));
    QVERIFY2(resumed.out.contains("epoch 3/3") && resumed.out.contains("kl split: MI "), qPrintable(resumed.out));
    const auto asElbo = run({"train", "--resume", checkpoint_, "--objective", "elbo", "--epochs", "1", "--threads", "1",
                             "--out", dir_.filePath("as-elbo")});
    QVERIFY2(asElbo.exitCode == 0, qPrintable(asElbo.err));
    QVERIFY2(asElbo.out.contains("was trained: --beta 6, --batch-size 50") && !asElbo.out.contains("kl split"), qPrintable(asElbo.out));
    // What is given must go with what is taken: beta-tc's batch of 2 or more.
    const auto batchOfOne = run({"train", "--resume", checkpoint_, "--batch-size", "1", "--out", dir_.filePath("one")});
    QCOMPARE(batchOfOne.exitCode, 2);
    QVERIFY2(batchOfOne.err.contains("--objective: beta-tc needs a batch of at least 2"), qPrintable(batchOfOne.err));
}

QTEST_GUILESS_MAIN(TestFactorsCli)
#include "tst_factorscli.moc"
