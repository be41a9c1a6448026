// Checkpoints: round trip, resume, corrupt, truncated, foreign and mismatched files.
#include "checkpoint_file.h"
#include "errors.h"
#include "fixtures.h"
#include "idx_reader.h"
#include "session.h"
#include "torch_probes.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>
#include <zip.h>

#include "../../fuzz/checkpoint_trailer.h"

#include <algorithm>
#include <functional>

namespace {

// A decoder that does not mirror the encoder, so the checkpoint must keep both.
vae::ModelConfig smallModel(int latent = 2) { return fixtures::tinyModel(8, {16, 8}, latent, {8}); }

vae::Session trainedSession() {
    vae::Session session(smallModel(), "cpu", 3);
    const auto data = fixtures::syntheticDataset(128, 32, 8);
    vae::TrainOptions options;
    options.epochs = 2;
    options.batchSize = 32;
    vae::TrainControl control;
    session.train(data, options, control);
    return session;
}

const std::vector<float> kPoints{0.0f, 0.0f, 1.5f, -0.5f, -2.0f, 2.0f};

// The checkpoint archive with its largest tensor record replaced through libzip, which writes a
// valid zip with the record's true CRC: as an edited or cut file can be. `edit` gets the record.
using RecordEdit = std::function<std::string(const std::string&)>;
std::string withLargestRecordEdited(const std::string& archive, const RecordEdit& edit) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(archive.data(), archive.size(), 0, &error);
    zip_source_keep(source);
    zip_t* zip = zip_open_from_source(source, 0, &error);
    if (!zip) return {};
    zip_int64_t largest = -1;
    zip_uint64_t largestSize = 0;
    for (zip_int64_t i = 0; i < zip_get_num_entries(zip, 0); ++i) {
        zip_stat_t stat;
        if (zip_stat_index(zip, zip_uint64_t(i), 0, &stat) == 0 && std::string(stat.name).find("/data/") != std::string::npos &&
            stat.size > largestSize)
            largest = i, largestSize = stat.size;
    }
    std::string record(largestSize, '\0');
    zip_file_t* file = zip_fopen_index(zip, zip_uint64_t(largest), 0);
    zip_fread(file, record.data(), largestSize);
    zip_fclose(file);
    static std::string replacement;  // libzip reads it at zip_close
    replacement = edit(record);
    zip_file_replace(zip, zip_uint64_t(largest), zip_source_buffer(zip, replacement.data(), replacement.size(), 0), 0);
    zip_close(zip);
    zip_stat_t stat;
    zip_source_open(source);
    zip_source_stat(source, &stat);
    std::string rewritten(stat.size, '\0');
    zip_source_read(source, rewritten.data(), stat.size);
    zip_source_close(source);
    zip_source_free(source);
    return rewritten;
}

}  // namespace

class TestCheckpoint : public QObject {
    Q_OBJECT
private slots:
    void onlyRegularFilesOfPlausibleSizeAreRead();
    void refusesAModelTooLargeForThisMachine();
    void roundTripDecodesIdentically();
    void saveReplacesAtomically();
    void historySurvivesCheckpoints();
    void runSettingsSurviveCheckpoints();
    void earlierFormatsStillOpen();
    void format3OpensAndFormat4StoresTheModelOnce();
    void timelineSurvivesCheckpoints();
    void rejectsBadFiles_data();
    void rejectsBadFiles();
    void rejectsMismatchedConfig();
    void unwritableFolderIsAnError();
    void hostileFilesAreRefusedCheaply_data();
    void hostileFilesAreRefusedCheaply();
    void largeCheckpointLoads();
    void shortOrNanTensorRecordsAreRefused_data();
    void shortOrNanTensorRecordsAreRefused();

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

// The checkpoint carries the model's history: every epoch's metrics and the training curve.
void TestCheckpoint::historySurvivesCheckpoints() {
    auto original = trainedSession();
    const auto& history = original.history();
    QCOMPARE(history.epochs.size(), std::size_t(2));
    QCOMPARE(history.epochs[1].epoch, 2);
    QCOMPARE(history.epochs[1].step, original.stepsTrained());
    QVERIFY(history.steps.size() >= 2);  // a point every 10 batches and at each epoch end
    QCOMPARE(history.steps.back().step, original.stepsTrained());
    const QString path = dir_.filePath("history.pt");
    original.saveCheckpoint(path.toStdString());
    const auto loaded = vae::Session::fromCheckpoint(path.toStdString(), "cpu");
    const auto& copy = loaded.history();
    QCOMPARE(copy.epochs.size(), history.epochs.size());
    for (std::size_t i = 0; i < history.epochs.size(); ++i) {
        QCOMPARE(copy.epochs[i].epoch, history.epochs[i].epoch);
        QCOMPARE(copy.epochs[i].step, history.epochs[i].step);
        QCOMPARE(copy.epochs[i].train.loss, history.epochs[i].train.loss);
        QCOMPARE(copy.epochs[i].test.kl, history.epochs[i].test.kl);
        QCOMPARE(copy.epochs[i].imagesPerSecond, history.epochs[i].imagesPerSecond);
    }
    QCOMPARE(copy.steps.size(), history.steps.size());
    QCOMPARE(copy.steps.back().train.recon, history.steps.back().train.recon);
    QCOMPARE(copy.steps.back().epoch, history.steps.back().epoch);
}

// The checkpoint carries the settings of the run that trained it, under the table's keys.
void TestCheckpoint::runSettingsSurviveCheckpoints() {
    auto session = trainedSession();
    vae::RunSettings run = session.runSettings();
    QVERIFY(run.model == session.config());
    run.dataset = "/data/digits";
    run.training.batchSize = 48;
    run.training.learningRate = 0.002;
    run.training.beta = 0.5;
    session.setRunSettings(run);
    const QString path = dir_.filePath("settings.pt");
    session.saveCheckpoint(path.toStdString());
    const auto loaded = vae::Session::fromCheckpoint(path.toStdString(), "cpu");
    for (const vae::Setting& setting : vae::settingsTable())
        QCOMPARE(QString::fromStdString(setting.get(loaded.runSettings())), QString::fromStdString(setting.get(run)));
}

// A checkpoint written by the first release (format 1, no history) opens, and training it on
// starts its history at the epoch it had reached.
void TestCheckpoint::earlierFormatsStillOpen() {
    auto session = vae::Session::fromCheckpoint(VAE_CHECKPOINTS_DIR "/format1-8x8-2-epochs.pt", "cpu");
    QCOMPARE(session.config().describe(), std::string("64-16-2-16-64 bernoulli"));
    QCOMPARE(session.epochsTrained(), 2);
    QVERIFY(session.history().epochs.empty());
    QCOMPARE(session.decode(kPoints).count, 3);
    const auto data = fixtures::syntheticDataset(64, 16, 8);
    vae::TrainOptions options;
    options.epochs = 1;
    options.batchSize = 16;
    vae::TrainControl control;
    QCOMPARE(session.train(data, options, control).status, vae::TrainStatus::Finished);
    QCOMPARE(session.history().epochs.size(), std::size_t(1));
    QCOMPARE(session.history().epochs[0].epoch, 3);
    // Format 2 (written by the release before the replay was kept): history, no timeline.
    auto second = vae::Session::fromCheckpoint(VAE_CHECKPOINTS_DIR "/format2-8x8-2-epochs.pt", "cpu");
    QCOMPARE(second.config().describe(), std::string("64-16-2-16-64 bernoulli"));
    QCOMPARE(second.epochsTrained(), 2);
    QCOMPARE(second.history().epochs.size(), std::size_t(2));
    QVERIFY(second.timeline().empty());
    QCOMPARE(second.decode(kPoints).count, 3);
}

// Format 3 (the release before the settings were stored once) kept the model twice, as config.*
// and as settings.*: it opens with its replay and run settings. Saved again, it is format 4,
// where the settings table's keys and the image shape are the model's only description.
void TestCheckpoint::format3OpensAndFormat4StoresTheModelOnce() {
    auto third = vae::Session::fromCheckpoint(VAE_CHECKPOINTS_DIR "/format3-8x8-2-epochs-timeline.pt", "cpu");
    QCOMPARE(third.config().describe(), std::string("64-16-2-16-64 bernoulli"));
    QCOMPARE(third.epochsTrained(), 2);
    QCOMPARE(third.history().epochs.size(), std::size_t(2));
    QCOMPARE(third.timeline().size(), std::size_t(3));
    QCOMPARE(third.runSettings().training.seed, std::uint64_t(3));
    QCOMPARE(third.runSettings().training.batchSize, 16);
    const QString path = dir_.filePath("format4.pt");
    third.saveCheckpoint(path.toStdString());
    const auto keys = probes::checkpointKeys(path.toStdString());
    const auto has = [&keys](const std::string& key) { return std::find(keys.begin(), keys.end(), key) != keys.end(); };
    for (const std::string& key : keys) QVERIFY2(key.rfind("config.", 0) != 0, key.c_str());
    QVERIFY(has("settings.latent_dim") && has("settings.hidden") && has("image_rows") && has("image_cols"));
    auto fourth = vae::Session::fromCheckpoint(path.toStdString(), "cpu");
    QCOMPARE(fourth.config().describe(), third.config().describe());
    QVERIFY(fourth.config() == third.config());
    QCOMPARE(fourth.timeline().size(), std::size_t(3));
    QCOMPARE(fourth.decode(kPoints).values, third.decode(kPoints).values);
}

void TestCheckpoint::timelineSurvivesCheckpoints() {
    auto session = trainedSession();
    QVERIFY(session.timeline().empty());
    // Three snapshots: the weights of a fresh model of the same shape, and the trained ones.
    vae::Session fresh(smallModel(), "cpu", 9);
    std::vector<vae::ReplaySnapshot> snapshots{{0, 0, fresh.decoderWeights(), fresh.encoderWeights()},
                                               {3, 0, fresh.decoderWeights(), fresh.encoderWeights()},
                                               {session.stepsTrained(), 2, session.decoderWeights(), session.encoderWeights()}};
    session.setTimeline(snapshots);
    const QString path = dir_.filePath("timeline.pt");
    session.saveCheckpoint(path.toStdString());
    const auto loaded = vae::Session::fromCheckpoint(path.toStdString(), "cpu");
    QCOMPARE(loaded.timeline().size(), std::size_t(3));
    for (std::size_t i = 0; i < 3; ++i) {
        QCOMPARE(loaded.timeline()[i].step, snapshots[i].step);
        QCOMPARE(loaded.timeline()[i].epoch, snapshots[i].epoch);
        QCOMPARE(loaded.timeline()[i].decoder.weights, snapshots[i].decoder.weights);
        QCOMPARE(loaded.timeline()[i].decoder.biases, snapshots[i].decoder.biases);
        QCOMPARE(loaded.timeline()[i].encoder.weights, snapshots[i].encoder.weights);
        QCOMPARE(loaded.timeline()[i].encoder.biases, snapshots[i].encoder.biases);
    }
    // A snapshot of another model's shape cannot be kept in this model's checkpoint.
    vae::Session other(fixtures::tinyModel(8, {12}, 2), "cpu", 1);
    session.setTimeline({{0, 0, other.decoderWeights(), other.encoderWeights()}});
    const QString bad = dir_.filePath("timeline-other.pt");
    session.saveCheckpoint(bad.toStdString());
    try {
        vae::Session::fromCheckpoint(bad.toStdString(), "cpu");
        QFAIL("a timeline of another model's shape was read");
    } catch (const vae::DataError& error) {
        QVERIFY2(QString(error.what()).contains("timeline.decoders does not fit the model"), error.what());
    }
    // Without one, none.
    session.setTimeline({});
    session.saveCheckpoint(path.toStdString());
    QVERIFY(vae::Session::fromCheckpoint(path.toStdString(), "cpu").timeline().empty());
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


// Files that once made the loader crash or allocate gigabytes (tests/fuzz/regressions/files):
// each is refused in one line, and refusing it costs no more memory than refusing 1 KB of junk.
void TestCheckpoint::hostileFilesAreRefusedCheaply_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("expected");
    // fuzz_checkpoint: LibTorch 1.13's unpickler dies with SIGSEGV on it.
    QTest::newRow("unpickler crash") << "unpickler-segv.pt" << "not a readable checkpoint";
    // fuzz_checkpoint_archive: LibTorch's TorchScript importer reads freed or wild memory on its
    // code/ files (SIGSEGV under ASan; in a release build it may instead fail with an error).
    QTest::newRow("TorchScript parser crash") << "torchscript-parser-segv.pt" << "not a readable checkpoint";
    // fuzz_checkpoint: a 16 KB file whose data.pkl declares a 4 GB string (LibTorch reserves it).
    QTest::newRow("4 GB string") << "checkpoint-4gb-allocation.pt" << "declares 4294967041 bytes";
    // Honest sizes, but its TorchScript __setstate__ allocates 2 GiB: only the probe's limit sees it.
    QTest::newRow("2 GiB __setstate__") << "setstate-2gb.pt" << "needs more memory";
}

void TestCheckpoint::hostileFilesAreRefusedCheaply() {
    QFETCH(QString, file);
    QFETCH(QString, expected);
    if (file.startsWith("setstate") && fixtures::kSanitizerBuild)
        QSKIP("sanitizer builds cannot limit the probe's address space");
    auto refusalCostKb = [](const QString& path) -> std::pair<QString, qint64> {
        const qint64 before = fixtures::resetPeakResidentKb();
        try {
            vae::Session::fromCheckpoint(path.toStdString(), "cpu");
        } catch (const vae::DataError& error) {
            return {QString(error.what()), fixtures::peakResidentKb() - before};
        }
        return {QString(), fixtures::peakResidentKb() - before};
    };
    const QString junk = dir_.filePath("junk.pt");
    fixtures::writeFile(junk, QByteArray(1024, 'j'));
    const auto [junkMessage, junkCostKb] = refusalCostKb(junk);
    QVERIFY2(junkMessage.startsWith(junk + ": "), qPrintable(junkMessage));

    const QString path = QStringLiteral(VAE_REGRESSIONS_DIR "/") + file;
    const auto [message, costKb] = refusalCostKb(path);
    QVERIFY2(!message.isEmpty(), "loaded the hostile file");
    QVERIFY2(message.startsWith(path + ": ") && message.contains(expected), qPrintable(message));
    QVERIFY2(!message.contains('\n'), qPrintable(message));
    if (junkCostKb < 0) QSKIP("this kernel does not report peak memory");
    qInfo("%s: peak memory +%lld KB (1 KB junk: +%lld KB)", qPrintable(file), costKb, junkCostKb);
    QVERIFY2(costKb < junkCostKb + 50 * 1024, qPrintable(QString("refusing it cost %1 KB").arg(costKb)));
}

// Every checkpoint the app writes still loads, a large one too: 784-4096-4096-2 with its Adam
// state is about 480 MB. Loading it may take at most 3x its size in memory (the file, the
// archive's tensors, and slack).
void TestCheckpoint::shortOrNanTensorRecordsAreRefused_data() {
    QTest::addColumn<QString>("edit");
    QTest::addColumn<QString>("problem");
    QTest::newRow("record cut in half") << "half" << "holds 2048 bytes; its tensor needs 4096";
    QTest::newRow("empty record") << "empty" << "holds 0 bytes; its tensor needs 4096";
    QTest::newRow("NaN weights") << "nan" << "NaN or infinite";
}

// A CRC-valid checkpoint whose largest tensor record is shorter than its tensor was loaded and
// read past its end (heap bytes in an ONNX export); one of NaNs trained on. Both are refused in
// one line naming the file and the record, before anything reads the values.
void TestCheckpoint::shortOrNanTensorRecordsAreRefused() {
    QFETCH(QString, edit);
    QFETCH(QString, problem);
    QTemporaryDir dir;
    const std::string original = dir.filePath("model.pt").toStdString(), edited = dir.filePath("edited.pt").toStdString();
    trainedSession().saveCheckpoint(original);
    std::string archive = withLargestRecordEdited(vae::checkpointArchiveBytes(vae::readCheckpointFile(original)),
                                                  [&](const std::string& record) {
                                                      if (edit == "half") return record.substr(0, record.size() / 2);
                                                      if (edit == "empty") return std::string();
                                                      return std::string(record.size(), '\xff');  // float NaNs
                                                  });
    QVERIFY(!archive.empty());
    fuzzing::appendCheckpointTrailer(archive);
    fixtures::writeFile(QString::fromStdString(edited), QByteArray(archive.data(), qsizetype(archive.size())));
    try {
        vae::Session::fromCheckpoint(edited, "cpu");
        QFAIL("the edited checkpoint was opened");
    } catch (const vae::DataError& error) {
        const QString message = error.what();
        QVERIFY2(message.startsWith(QString::fromStdString(edited) + ": ") && message.contains(problem) &&
                     !message.contains('\n'),
                 qPrintable(message));
    }
}

void TestCheckpoint::largeCheckpointLoads() {
    vae::ModelConfig config;
    config.encoderHidden = {4096, 4096};
    config.decoderHidden = {4096, 4096};
    config.latentDim = 2;
    const QString path = dir_.filePath("large.pt");
    std::vector<float> expected;
    {
        vae::Session session(config, "cpu", 5);
        // One optimizer step, so that the checkpoint carries Adam's two moments too.
        const auto data = fixtures::syntheticDataset(64, 8, 28);
        vae::TrainOptions options;
        options.epochs = 1;
        options.batchSize = 64;
        vae::TrainControl control;
        QCOMPARE(session.train(data, options, control).status, vae::TrainStatus::Finished);
        expected = session.decode(kPoints).values;
        session.saveCheckpoint(path.toStdString());
    }
    const qint64 fileKb = QFileInfo(path).size() / 1024;
    QVERIFY(fileKb > 400 * 1024);
    const qint64 before = fixtures::resetPeakResidentKb();
    auto loaded = vae::Session::fromCheckpoint(path.toStdString(), "cpu");
    const qint64 growthKb = fixtures::peakResidentKb() - before;
    QCOMPARE(loaded.decode(kPoints).values, expected);
    QFile::remove(path);
    if (before < 0) QSKIP("/proc/self/clear_refs cannot reset the peak here: the memory bound is not checked");
    qInfo("%lld KB checkpoint: peak memory +%lld KB while loading", fileKb, growthKb);
    QVERIFY2(growthKb < 3 * fileKb, qPrintable(QString("loading took %1 KB").arg(growthKb)));
}

// Issue 22, defect 5: a folder, /dev/zero, a FIFO nobody writes and a sparse 5 GB file are
// refused before a byte is read (the FIFO without blocking), for checkpoints and IDX files alike.
void TestCheckpoint::onlyRegularFilesOfPlausibleSizeAreRead() {
    QTemporaryDir dir;
    const QString fifo = dir.filePath("fifo.pt");
    QCOMPARE(::mkfifo(fifo.toLocal8Bit().constData(), 0600), 0);
    const QString sparse = dir.filePath("sparse.pt");
    {
        QFile file(sparse);
        QVERIFY(file.open(QIODevice::WriteOnly) && file.resize(qint64(5) << 30));
    }
    const qint64 before = fixtures::resetPeakResidentKb();
    const std::pair<QString, QString> cases[] = {
        {dir.path(), "is a folder, not a file"},
        {"/dev/zero", "is not a regular file"},
        {fifo, "is not a regular file"},
        {sparse, "is 5368709120 bytes, more than a checkpoint can be (4294967296)"},
    };
    for (const auto& [path, problem] : cases) {
        try {
            vae::Session::fromCheckpoint(path.toStdString(), "cpu");
            QFAIL(qPrintable(path + " was read as a checkpoint"));
        } catch (const vae::DataError& error) {
            const QString message = error.what();
            QVERIFY2(message.startsWith(path + ": ") && message.contains(problem), qPrintable(message));
        }
    }
    for (const QString& path : {fifo, QString("/dev/zero")}) {
        try {
            vae::readIdxImages(path.toStdString());
            QFAIL(qPrintable(path + " was read as an IDX file"));
        } catch (const vae::DataError& error) {
            QVERIFY2(QString(error.what()).contains("is not a regular file"), error.what());
        }
    }
    if (before < 0) QSKIP("/proc/self/clear_refs cannot reset the peak here: the memory bound is not checked");
    QVERIFY2(fixtures::peakResidentKb() - before < 50 * 1024, "a refused file was read");
}

// Issue 22, defect 4: a 341 KB checkpoint whose config claims 16 hidden layers of 16384 on each
// side (checksum recomputed, so it passes every file check) is refused from its config, before
// the model is built: at once, in a few MB, naming what it would need.
void TestCheckpoint::refusesAModelTooLargeForThisMachine() {
    const QString path = VAE_CHECKPOINTS_DIR "/checkpoint-huge-hidden-layers.pt";
    const qint64 before = fixtures::resetPeakResidentKb();
    QElapsedTimer timer;
    timer.start();
    try {
        vae::Session::fromCheckpoint(path.toStdString(), "cpu");
        QFAIL("the huge model was built");
    } catch (const vae::DataError& error) {
        QVERIFY2(QString(error.what()).contains("needs about") && QString(error.what()).contains("of this machine's"),
                 error.what());
    }
    qInfo("refused in %lld ms", static_cast<long long>(timer.elapsed()));
    if (before < 0) QSKIP("/proc/self/clear_refs cannot reset the peak here: the memory bound is not checked");
    QVERIFY2(fixtures::peakResidentKb() - before < 100 * 1024, "memory was allocated for it");
    // The same model asked for directly, and the table's largest image size.
    vae::ModelConfig huge;
    huge.encoderHidden.assign(16, 16384);
    huge.decoderHidden.assign(16, 16384);
    QVERIFY_THROWS_EXCEPTION(vae::ConfigError, huge.validate());
    QVERIFY(huge.trainingBytes(1) > (std::uint64_t(64) << 30));
    vae::ModelConfig wide;
    wide.imageRows = wide.imageCols = 4096;
    QVERIFY_THROWS_EXCEPTION(vae::ConfigError, wide.validate());
    vae::ModelConfig usual;  // the default 2-D model: a few MB
    QVERIFY(usual.trainingBytes(128) < (std::uint64_t(64) << 20));
}

QTEST_GUILESS_MAIN(TestCheckpoint)
#include "tst_checkpoint.moc"
