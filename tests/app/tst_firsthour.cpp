// What a newcomer meets in the first hour (issue 34): presets that bring their data, built-in sets
// at their own sizes, a name never taken for a folder, small data said to be small, help that
// lists every set. Through the parser the CLI uses and through the real executable.
#include "builtin_datasets.h"
#include "fixtures.h"
#include "command_table.h"
#include "image_folder.h"
#include "presets.h"
#include "run_file.h"
#include "session.h"
#include "train_options.h"
#include "training_run.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

vae::TrainInvocation parse(QStringList arguments) {
    arguments.prepend("train");
    return vae::parseTrainArguments(arguments, [](const char*) -> const char* { return nullptr; });
}

struct Run {
    int exitCode = -1;
    QString out, err;
};

// The real program in `folder`, ended by its PID after five minutes at most.
Run runIn(const QString& folder, const QStringList& arguments) {
    QProcess process;
    process.setWorkingDirectory(folder);
    process.start(VAE_EXPLORER_EXE, arguments);
    Run run;
    if (!process.waitForFinished(300000)) {
        process.kill();
        process.waitForFinished();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromLocal8Bit(process.readAllStandardOutput());
    run.err = QString::fromLocal8Bit(process.readAllStandardError());
    return run;
}

}  // namespace

class TestFirstHour : public QObject {
    Q_OBJECT
private slots:
    void aPresetBringsItsDataSet_data();
    void aPresetBringsItsDataSet();
    void anotherDataSetKeepsThePresetsModelAndSaysSo();
    void everyPresetRowIsValid();
    void builtInSetsComeAtTheirOwnSize();
    void aRunFileMayNameAPreset();
    void helpListsEveryDataSetAndPreset();
    void fewStepsAnEpochAreNamed();
    void aNameIsNeverAFolder();
    void runFolderWritesStayASmallShare();
    void aCheckpointsDataMustBeAFolderToRead_data();
    void aCheckpointsDataMustBeAFolderToRead();
    void dataChangedUnderAModelIsNamed();
};

void TestFirstHour::aPresetBringsItsDataSet_data() {
    QTest::addColumn<QString>("preset");
    QTest::addColumn<QString>("dataset");
    QTest::addColumn<int>("imageSize");
    QTest::addColumn<int>("subset");
    QTest::newRow("emoji") << "emoji" << "emoji" << 32 << 0;
    QTest::newRow("sprites-beta") << "sprites-beta" << "sprites" << 64 << 100000;
    QTest::newRow("sprites-tc") << "sprites-tc" << "sprites" << 64 << 100000;
    QTest::newRow("paper keeps the default data") << "paper" << "mnist" << 28 << 0;
}

void TestFirstHour::aPresetBringsItsDataSet() {
    QFETCH(QString, preset);
    QFETCH(QString, dataset);
    QFETCH(int, imageSize);
    QFETCH(int, subset);
    const vae::TrainInvocation invocation = parse({"--preset", preset, "--out", "run"});
    QCOMPARE(QString::fromStdString(invocation.run.settings.dataset), dataset);
    QCOMPARE(invocation.run.settings.imageSize, imageSize);
    QCOMPARE(invocation.run.settings.subset, subset);
    QVERIFY2(invocation.notices.isEmpty(), qPrintable(invocation.notices.join('\n')));
}

void TestFirstHour::anotherDataSetKeepsThePresetsModelAndSaysSo() {
    const vae::TrainInvocation invocation = parse({"--preset", "sprites-beta", "--dataset", "mnist", "--out", "run"});
    const vae::RunSettings& settings = invocation.run.settings;
    QCOMPARE(settings.dataset, std::string("mnist"));
    QCOMPARE(settings.imageSize, 28);
    QCOMPARE(settings.subset, 0);  // the preset's 100,000 were sprites
    QCOMPARE(settings.model.convChannels, (std::vector<int>{32, 32, 64, 64}));
    QCOMPARE(settings.training.beta, 4.0);
    QCOMPARE(invocation.notices.size(), 1);
    QVERIFY2(invocation.notices[0].contains("--preset sprites-beta is made for --dataset sprites") &&
                 invocation.notices[0].contains("training on mnist"),
             qPrintable(invocation.notices[0]));
    // What is given stays given.
    const auto sized = parse({"--preset", "emoji", "--dataset", "emoji", "--image-size", "48", "--out", "run"});
    QCOMPARE(sized.run.settings.imageSize, 48);
    QVERIFY(sized.notices.isEmpty());
}

// Each preset's keys are the table's and its values pass the table's checks; applying one after
// another leaves nothing of the first behind.
void TestFirstHour::everyPresetRowIsValid() {
    QVERIFY(vae::presetTable().size() >= 7);
    for (const vae::Preset& preset : vae::presetTable()) {
        for (const auto& [key, value] : preset.values) QVERIFY2(vae::findSetting(key), key.c_str());
        vae::RunSettings alone;
        vae::applyPreset(preset.name, alone);
        vae::validate(alone);
        if (!preset.dataset.empty()) QVERIFY2(vae::findBuiltInDataset(preset.dataset), preset.dataset.c_str());
        for (const vae::Preset& before : vae::presetTable()) {
            vae::RunSettings after;
            vae::applyPreset(before.name, after);
            vae::applyPreset(preset.name, after);
            alone.dataset = after.dataset;  // a preset for any data keeps the data chosen before it
            alone.imageSize = after.imageSize;
            for (const vae::Setting& setting : vae::settingsTable())
                QVERIFY2(setting.get(after) == setting.get(alone),
                         qPrintable(QString("%1 after %2: %3").arg(preset.name.c_str(), before.name.c_str(), setting.key.c_str())));
        }
    }
    vae::RunSettings unknown;
    QVERIFY_THROWS_EXCEPTION(vae::ConfigError, vae::applyPreset("imagenet", unknown));
}

void TestFirstHour::builtInSetsComeAtTheirOwnSize() {
    QCOMPARE(parse({"--dataset", "sprites", "--out", "run"}).run.settings.imageSize, 64);
    QCOMPARE(parse({"--dataset", "emoji", "--out", "run"}).run.settings.imageSize, 32);
    QCOMPARE(parse({"--dataset", "sprites", "--image-size", "32", "--out", "run"}).run.settings.imageSize, 32);
    QCOMPARE(parse({"--dataset", "fashion-mnist", "--out", "run"}).run.settings.imageSize, 28);
}

void TestFirstHour::aRunFileMayNameAPreset() {
    QTemporaryDir dir;
    const QString path = dir.filePath("run.json");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"format": "vae-explorer-run", "version": 2, "preset": "emoji", "epochs": 2})");
    file.close();
    const vae::RunFileSettings read = vae::readRunFile(path);
    QCOMPARE(read.settings.dataset, std::string("emoji"));
    QCOMPARE(read.settings.imageSize, 32);
    QCOMPARE(read.settings.training.epochs, 2);
    QCOMPARE(read.settings.model.latentDim, 16);
    QVERIFY2(!read.defaultsNote.contains("latent_dim") && !read.defaultsNote.contains("dataset"), qPrintable(read.defaultsNote));
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(R"({"format": "vae-explorer-run", "version": 2, "preset": "imagenet"})");
    file.close();
    try {
        vae::readRunFile(path);
        QFAIL("an unknown preset was read");
    } catch (const vae::ConfigError& error) {
        QVERIFY2(QString(error.what()).startsWith(path + ": preset: 'imagenet'"), error.what());
    }
}

void TestFirstHour::helpListsEveryDataSetAndPreset() {
    for (const char* command : {"train", "encode", "eval", "interpolate", "export"}) {
        const QString help = vae::commandHelp(vae::commandSpec(command));
        for (const vae::BuiltInDataset& set : vae::builtInDatasets())
            QVERIFY2(help.contains(QString::fromStdString(set.name)), qPrintable(QString("%1: %2").arg(command, set.name.c_str())));
    }
    const QString train = vae::commandHelp(vae::commandSpec("train"));
    for (const std::string& name : vae::presetNames()) QVERIFY2(train.contains(QString::fromStdString(name)), name.c_str());
}

void TestFirstHour::fewStepsAnEpochAreNamed() {
    const std::string advice = vae::fewStepsAdvice(50, 128);
    QVERIFY2(advice.find("is 1 step,") != std::string::npos && advice.find("batch size 5 gives 10 steps") != std::string::npos,
             advice.c_str());
    QVERIFY(vae::fewStepsAdvice(60000, 128).empty());
    QVERIFY(vae::fewStepsAdvice(1153, 128).empty());    // 10 steps, the last one short
    QVERIFY(!vae::fewStepsAdvice(1152, 128).empty());   // 9
}

// `mkdir mnist; train --dataset mnist` trains on the built-in MNIST, says the folder is not used,
// and records the name, so that eval finds the same data later; the folder is ./mnist.
void TestFirstHour::aNameIsNeverAFolder() {
    QTemporaryDir dir;
    QVERIFY(QDir(dir.path()).mkpath("mnist/a"));
    const Run trained = runIn(dir.path(), {"train", "--dataset", "mnist", "--subset", "50", "--epochs", "1", "--hidden", "16",
                                           "--out", "run1"});
    QVERIFY2(trained.exitCode == 0, qPrintable(trained.err));
    QVERIFY2(trained.err.contains("--dataset mnist is the built-in data set; the folder mnist here is not used"), qPrintable(trained.err));
    QVERIFY2(trained.out.contains("note: an epoch of 50 training images at batch size 128 is 1 step, too few"),
             qPrintable(trained.out));
    QFile runFile(dir.filePath("run1/run.json"));
    QVERIFY(runFile.open(QIODevice::ReadOnly));
    QCOMPARE(QJsonDocument::fromJson(runFile.readAll()).object()["dataset"].toString(), QString("mnist"));
    const Run evaluated = runIn(dir.path(), {"eval", "--checkpoint", "run1/checkpoint.pt"});
    QVERIFY2(evaluated.exitCode == 0, qPrintable(evaluated.err));
    QVERIFY(vae::datasetNameNote("./mnist").isEmpty());
}

// The folder is written after the first and last epochs, and in between once the time since the
// last write is nine times what it took: a 0.86-s write after 0.13-s epochs waits seven epochs.
void TestFirstHour::runFolderWritesStayASmallShare() {
    QVERIFY(vae::epochFilesDue(true, 0, 860));
    QVERIFY(!vae::epochFilesDue(false, 130, 860));
    QVERIFY(!vae::epochFilesDue(false, 6 * 130, 860));
    QVERIFY(vae::epochFilesDue(false, 60 * 130, 860));
    QVERIFY(vae::epochFilesDue(false, 50, 5));  // a small model's quick write: every epoch, as before
}

void TestFirstHour::aCheckpointsDataMustBeAFolderToRead_data() {
    QTest::addColumn<QString>("stored");
    QTest::newRow("the root folder") << "/";
    QTest::newRow("nothing") << "";
}

// A checkpoint whose data is "/" made eval walk the file system for two minutes and then blame
// "--dataset /", an option never given; an empty one read the current folder.
void TestFirstHour::aCheckpointsDataMustBeAFolderToRead() {
    QFETCH(QString, stored);
    QTemporaryDir dir;
    vae::Session session(fixtures::tinyModel(8, {16}, 2), "cpu", 1);
    vae::RunSettings settings = session.runSettings();
    settings.dataset = stored.toStdString();
    session.setRunSettings(settings);
    const QString checkpoint = dir.filePath("model.pt");
    session.saveCheckpoint(checkpoint.toStdString());
    const Run evaluated = runIn(dir.path(), {"eval", "--checkpoint", checkpoint});
    QCOMPARE(evaluated.exitCode, 1);
    QVERIFY2(evaluated.err.contains(checkpoint + "'s data set " + stored + " is not a data set to read") &&
                 evaluated.err.trimmed().count('\n') == 0 && !evaluated.err.contains("--dataset " + stored),
             qPrintable(evaluated.err));
}

// eval and export used a model's data as it is now: with images added since, their figures and
// class names were of other data, unnoticed. --dataset still names any data of the model's shape.
void TestFirstHour::dataChangedUnderAModelIsNamed() {
    QTemporaryDir dir;
    const QString data = dir.filePath("digits");
    fixtures::writeIdxDataset(data, 64, 32, 8, false);
    const Run trained = runIn(dir.path(), {"train", "--dataset", data, "--epochs", "1", "--hidden", "16", "--out", "run", "--quiet"});
    QVERIFY2(trained.exitCode == 0, qPrintable(trained.err));
    QCOMPARE(runIn(dir.path(), {"eval", "--checkpoint", "run/checkpoint.pt"}).exitCode, 0);
    fixtures::writeIdxDataset(data, 80, 32, 8, false);  // 16 more training images
    const Run changed = runIn(dir.path(), {"eval", "--checkpoint", "run/checkpoint.pt"});
    QVERIFY2(changed.exitCode == 1 && changed.err.contains("has changed since run/checkpoint.pt was trained on it") &&
                 changed.err.trimmed().count('\n') == 0,
             qPrintable(changed.err));
    // export writes the model, without the changed data's class names, and says why.
    const Run exported = runIn(dir.path(), {"export", "--checkpoint", "run/checkpoint.pt", "--format", "onnx", "--out", "m.onnx"});
    QVERIFY2(exported.exitCode == 0 && exported.err.contains("exported without class names") &&
                 exported.err.contains("has changed since"),
             qPrintable(exported.err));
    const Run named = runIn(dir.path(), {"eval", "--checkpoint", "run/checkpoint.pt", "--dataset", data});
    QVERIFY2(named.exitCode == 0, qPrintable(named.err));
}

QTEST_GUILESS_MAIN(TestFirstHour)
#include "tst_firsthour.moc"
