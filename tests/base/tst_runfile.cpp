// Run files (run.json): every setting of the table round-trips, and bad files are refused in one
// line naming the file and the key.
#include "preferences.h"
#include "presets.h"
#include "run_file.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QStandardPaths>

#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>

class TestRunFile : public QObject {
    Q_OBJECT
private slots:
    void roundTripsEverySetting();
    void refusesBadFiles_data();
    void refusesBadFiles();
    void missingKeysAreFilledInByTheCommandLinesRules();
    void readsOnlyRegularFiles();
    void helpAndRangesComeFromTheTable();
    void aPresetSetsTheImageSizeItIsMadeFor();
    void preferencesRememberTheTable();
};

void TestRunFile::roundTripsEverySetting() {
    vae::RunSettings run;
    run.dataset = "/data/my digits";
    run.model.latentDim = 7;
    run.model.encoderHidden = {300, 100};
    run.model.decoderHidden = {50, 200, 400};  // not mirrored: kept as such
    run.model.likelihood = vae::Likelihood::Gaussian;
    run.model.gaussianSigma = 0.25;
    run.training.beta = 0.5;
    run.training.epochs = 3;
    run.training.batchSize = 64;
    run.training.learningRate = 3e-4;
    run.training.seed = 12345;
    run.threads = 1;
    run.device = "cpu";
    const auto parsed = vae::parseRunFile(vae::runFileJson(run), "run.json");
    QVERIFY2(parsed.defaultsNote.isEmpty(), qPrintable(parsed.defaultsNote));  // every key is written
    const vae::RunSettings back = parsed.settings;
    for (const vae::Setting& setting : vae::settingsTable())
        QCOMPARE(QString::fromStdString(setting.get(back)), QString::fromStdString(setting.get(run)));
    QVERIFY(back.model == run.model);
}

// Older run files lack keys added since: they still open, with the defaults the command line
// would give and one line naming what was filled in. A decoder follows the file's hidden.
void TestRunFile::missingKeysAreFilledInByTheCommandLinesRules() {
    const QByteArray head = R"({"format": "vae-explorer-run", "version": 1, )";
    const auto mirrored = vae::parseRunFile(head + R"("hidden": [64, 16], "latent_dim": 3})", "old.json");
    QCOMPARE(mirrored.settings.model.decoderHidden, (std::vector<int>{16, 64}));
    QCOMPARE(mirrored.settings.model.latentDim, 3);
    QCOMPARE(mirrored.settings.training.batchSize, vae::RunSettings().training.batchSize);
    // All but the two given, and color and fit: a version-1 file predates them and means gray, squash.
    const int missing = int(vae::settingsTable().size()) - 4;
    QCOMPARE(mirrored.settings.color, std::string(vae::kLegacyColor));
    QCOMPARE(mirrored.settings.fit, std::string(vae::kLegacyFit));
    QVERIFY(!mirrored.defaultsNote.contains("color=") && !mirrored.defaultsNote.contains("fit="));
    // A version-2 file without them gets today's defaults, and says so.
    const auto newer = vae::parseRunFile(R"({"format": "vae-explorer-run", "version": 2, "latent_dim": 3})", "new.json");
    QCOMPARE(newer.settings.color, vae::RunSettings().color);
    QCOMPARE(newer.settings.fit, vae::RunSettings().fit);
    QVERIFY2(newer.defaultsNote.contains("color=auto") && newer.defaultsNote.contains("fit=crop"), qPrintable(newer.defaultsNote));
    QVERIFY2(mirrored.defaultsNote.startsWith(QString("old.json: %1 settings are missing, filled in with their defaults: ").arg(missing)) &&
                 mirrored.defaultsNote.contains("decoder_hidden=16,64 (mirrors hidden)") &&
                 mirrored.defaultsNote.contains("batch_size=") && !mirrored.defaultsNote.contains('\n'),
             qPrintable(mirrored.defaultsNote));
    // One key short of a whole file: named alone.
    QJsonObject whole = QJsonDocument::fromJson(vae::runFileJson(vae::RunSettings())).object();
    whole.remove("free_bits");
    const auto almost = vae::parseRunFile(QJsonDocument(whole).toJson(), "run.json");
    QCOMPARE(almost.defaultsNote, QString("run.json: 1 setting is missing, filled in with its default: free_bits=0"));
}

void TestRunFile::refusesBadFiles_data() {
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");
    const QByteArray head = R"({"format": "vae-explorer-run", "version": 1, )";
    QTest::newRow("not json") << QByteArray("{ nope") << "run.json: not JSON";
    QTest::newRow("another format") << QByteArray(R"({"format": "keras", "version": 1})") << "not a vae-explorer run file";
    QTest::newRow("newer version") << QByteArray(R"({"format": "vae-explorer-run", "version": 9})") << "unsupported run file version";
    QTest::newRow("unknown key") << head + R"("batchsize": 64})" << "run.json: batchsize: unknown setting";
    QTest::newRow("wrong type") << head + R"("batch_size": "64"})" << "run.json: batch_size: expected a whole number";
    QTest::newRow("fraction for an integer") << head + R"("epochs": 2.5})" << "run.json: epochs: expected a whole number";
    QTest::newRow("out of range") << head + R"("batch_size": 0})" << "run.json: batch_size: 0 is outside 1..65536";
    QTest::newRow("far out of range") << head + R"("batch_size": 1e30})" << "run.json: batch_size: 1e+30 is outside 1..65536";
    QTest::newRow("negative lr") << head + R"("lr": -1})" << "run.json: lr: -1 must be positive";
    QTest::newRow("bad widths") << head + R"("hidden": [400, "x"]})" << "run.json: hidden: expected a list of whole numbers";
    QTest::newRow("bad choice") << head + R"("likelihood": "poisson"})" << "run.json: likelihood: 'poisson' is not bernoulli or gaussian";
}

void TestRunFile::refusesBadFiles() {
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    try {
        vae::parseRunFile(json, "run.json");
        QFAIL("accepted a bad run file");
    } catch (const vae::ConfigError& error) {
        const QString message = error.what();
        QVERIFY2(message.startsWith("run.json: ") && message.contains(expected), qPrintable(message));
        QVERIFY(!message.contains('\n'));
    }
}

// The table is the one place a range lives: the CLI, the panel and validation read it.
void TestRunFile::helpAndRangesComeFromTheTable() {
    const vae::Setting* batch = vae::findSetting("batch_size");
    QVERIFY(batch);
    QCOMPARE(QString::fromStdString(vae::rangeText(*batch)), QString("1..65536"));
    vae::RunSettings run;
    run.training.batchSize = 65537;
    try {
        vae::validate(run);
        QFAIL("an out-of-range batch size passed");
    } catch (const vae::SettingError& error) {
        QCOMPARE(QString::fromStdString(error.key), QString("batch_size"));
        QCOMPARE(QString(error.what()), QString("Batch size: 65537 is outside 1..65536"));
    }
}

// The window's remembered settings use the same keys; a bad stored value falls back to the default.
void TestRunFile::preferencesRememberTheTable() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("vae-explorer-tests");
    QSettings().clear();
    vae::RunSettings chosen;
    chosen.training.epochs = 7;
    chosen.model.encoderHidden = {64, 32};
    chosen.model.decoderHidden = {32, 64};
    vae::rememberRunSettings(chosen);
    QCOMPARE(QSettings().value("settings/epochs").toString(), QString("7"));
    const vae::RunSettings back = vae::rememberedRunSettings();
    QCOMPARE(back.training.epochs, 7);
    QVERIFY(back.model == chosen.model);
    QSettings().setValue("settings/batch_size", "lots");
    QCOMPARE(vae::rememberedRunSettings().training.batchSize, vae::RunSettings{}.training.batchSize);
    QCOMPARE(vae::rememberedRunSettings().training.epochs, 7);  // the others stay
    QSettings().clear();
}

// Issue 22, defect 5: a folder, /dev/zero and a FIFO nobody writes are refused before reading
// (the FIFO without waiting for a writer), each in one line naming the file.
void TestRunFile::readsOnlyRegularFiles() {
    QTemporaryDir dir;
    const QString fifo = dir.filePath("run.json");
    QCOMPARE(::mkfifo(fifo.toLocal8Bit().constData(), 0600), 0);
    const std::pair<QString, QString> cases[] = {
        {dir.path(), "is a folder, not a run file"}, {"/dev/zero", "is not a regular file"}, {fifo, "is not a regular file"}};
    for (const auto& [path, problem] : cases) {
        try {
            vae::readRunFile(path);
            QFAIL(qPrintable(path + " was read as a run file"));
        } catch (const vae::ConfigError& error) {
            const QString message = error.what();
            QVERIFY2(message.startsWith(path + ": ") && message.contains(problem), qPrintable(message));
        }
    }
}

// The emoji preset is made for 32-pixel emoji: it sets the image size with the model; the others
// leave the image size alone.
void TestRunFile::aPresetSetsTheImageSizeItIsMadeFor() {
    vae::RunSettings run;
    run.imageSize = 20;
    vae::applyPreset("conv", run);
    QCOMPARE(run.imageSize, 20);
    vae::applyPreset("emoji", run);
    QCOMPARE(run.imageSize, 32);
    QVERIFY(run.model.architecture == vae::Architecture::Conv);
    QCOMPARE(run.model.convChannels, (std::vector<int>{32, 64, 128}));
    QVERIFY_THROWS_EXCEPTION(vae::ConfigError, vae::applyPreset("imagenet", run));
}

QTEST_GUILESS_MAIN(TestRunFile)
#include "tst_runfile.moc"
