// `vae-explorer export` end to end: TorchScript files that Debian's python3-torch loads and ONNX
// files that python3-onnx's checker passes and ONNX Runtime (onnxruntime-node from npm) runs, each
// giving the app's own decode and encode: ReLU and tanh MLPs and a colour conv model.
#include "decoder.h"
#include "encoder.h"
#include "fixtures.h"
#include "session.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <random>

namespace {

using Run = fixtures::ProgramRun;

Run run(const QString& program, const QStringList& arguments, const QProcessEnvironment& environment = {}) {
    return fixtures::runProgram(program, arguments, environment);
}

Run exportModel(const QStringList& arguments) { return run(VAE_EXPLORER_EXE, QStringList{"export"} + arguments); }

void writeFloats(const QString& path, const std::vector<float>& values) {
    fixtures::writeFile(path, QByteArray(reinterpret_cast<const char*>(values.data()), qsizetype(values.size() * sizeof(float))));
}

// "name value" lines (the last word is the value).
QMap<QString, QString> figures(const QString& text) {
    QMap<QString, QString> lines;
    for (const QString& line : text.split('\n', Qt::SkipEmptyParts)) {
        const int space = line.lastIndexOf(' ');
        if (space > 0) lines[line.left(space)] = line.mid(space + 1);
    }
    return lines;
}

}  // namespace

class TestModelExport : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void runtimesReproduceTheApp_data();
    void runtimesReproduceTheApp();
    void badExportsAreRefusedInOneLine();

private:
    QTemporaryDir dir_;
    QString data_;
};

void TestModelExport::initTestCase() {
    QVERIFY(dir_.isValid());
    data_ = dir_.filePath("data");
    fixtures::writeIdxDataset(data_, 64, 16, 8, false);
    QVERIFY2(QFile::exists(VAE_TEST_NODE_MODULES "/onnxruntime-node/package.json"),
             "onnxruntime-node is not installed: scripts/test.sh installs it (npm ci --ignore-scripts in tests/npm)");
}

void TestModelExport::runtimesReproduceTheApp_data() {
    QTest::addColumn<vae::ModelConfig>("config");
    QTest::addColumn<bool>("dataHere");
    vae::ModelConfig relu = fixtures::tinyModel(8, {32}, 3);
    vae::ModelConfig tanh = fixtures::tinyModel(8, {24, 16}, 2);
    tanh.activation = vae::Activation::Tanh;
    vae::ModelConfig conv = fixtures::tinyModel(12, {32}, 4);
    conv.architecture = vae::Architecture::Conv;
    conv.convChannels = {8, 16};
    conv.imageChannels = 3;
    QTest::newRow("relu mlp, 3-D") << relu << true;
    QTest::newRow("tanh mlp, 2-D") << tanh << true;
    QTest::newRow("colour conv, 4-D, its data gone") << conv << false;
}

void TestModelExport::runtimesReproduceTheApp() {
    QFETCH(vae::ModelConfig, config);
    QFETCH(bool, dataHere);
    const QString folder = dir_.filePath(QTest::currentDataTag()).replace(' ', '_').replace(',', "");
    QVERIFY(QDir().mkpath(folder));
    vae::Session session(config, "cpu", 7);
    vae::RunSettings settings = session.runSettings();
    settings.dataset = dataHere ? data_.toStdString() : dir_.filePath("moved-away").toStdString();
    session.setRunSettings(settings);
    const QString checkpoint = folder + "/checkpoint.pt";
    session.saveCheckpoint(checkpoint.toStdString());

    // The app's own answers: its decoder on latents, its encoder on images (the map's and encode's).
    constexpr int kCount = 5;
    std::mt19937 random(11);
    std::normal_distribution<float> normal(0.f, 1.5f);
    std::vector<float> z(std::size_t(kCount * config.latentDim));
    for (float& value : z) value = normal(random);
    std::vector<std::uint8_t> bytes(std::size_t(kCount * config.inputDim()));
    for (auto& value : bytes) value = std::uint8_t(random() % 256);
    std::vector<float> x(bytes.size());
    for (std::size_t i = 0; i < bytes.size(); ++i) x[i] = float(bytes[i]) / 255.f;
    const auto encoded = vae::Encoder(session.encoderWeights()).encode(bytes.data(), bytes.size());
    writeFloats(folder + "/z.f32", z);
    writeFloats(folder + "/x.f32", x);
    writeFloats(folder + "/images.f32", session.decode(z).values);
    writeFloats(folder + "/mu.f32", encoded.mu);
    writeFloats(folder + "/logvar.f32", encoded.logvar);
    fixtures::writeFile(folder + "/shapes.json",
                        QJsonDocument(QJsonObject{{"count", kCount}, {"latent_dim", config.latentDim},
                                                  {"channels", config.imageChannels}, {"rows", config.imageRows},
                                                  {"cols", config.imageCols}})
                            .toJson());

    for (const auto& [format, part, file] : {std::tuple{"torchscript", "vae", "model.pt"}, std::tuple{"onnx", "vae", "vae.onnx"},
                                             std::tuple{"onnx", "decoder", "decoder.onnx"}}) {
        const Run exported = exportModel({"--checkpoint", checkpoint, "--format", format, "--part", part, "--out",
                                          folder + "/" + file});
        QVERIFY2(exported.exitCode == 0, qPrintable(exported.err));
        QVERIFY2(exported.out.startsWith(QString("wrote the %1 of").arg(part)), qPrintable(exported.out));
        // A model whose data is not here goes without class names, and says so.
        QCOMPARE(exported.err.contains("exported without class names"), !dataHere);
    }

    const Run python = run("/usr/bin/python3", {VAE_TEST_SCRIPTS "/export_check.py", folder});
    QVERIFY2(python.exitCode == 0, qPrintable(python.err));
    const auto torch = figures(python.out);
    for (const char* name : {"torchscript_decode", "torchscript_mu", "torchscript_logvar", "torchscript_forward_mu",
                             "torchscript_forward_images"}) {
        QVERIFY2(torch.contains(name), qPrintable(python.out));
        QVERIFY2(torch[name].toDouble() <= 1e-5, qPrintable(QString("%1: %2").arg(name, torch[name])));
    }
    QCOMPARE(torch["torchscript_shape"],
             QString("%1x%2x%3x%4").arg(kCount).arg(config.imageChannels).arg(config.imageRows).arg(config.imageCols));
    QCOMPARE(torch["attribute latent_dim"].toInt(), config.latentDim);
    QCOMPARE(torch["attribute class_names"] != "[]", dataHere);
    QCOMPARE(torch["onnx_checked vae opset"].toInt(), 13);
    QCOMPARE(torch["onnx_metadata decoder latent_dim"].toInt(), config.latentDim);

    const Run node = run("node", {VAE_TEST_SCRIPTS "/export_check.js", VAE_TEST_NODE_MODULES, folder});
    QVERIFY2(node.exitCode == 0, qPrintable(node.err));
    const auto onnx = figures(node.out);
    for (const char* name : {"onnx_decode", "onnx_decode_one", "onnx_mu", "onnx_logvar"}) {
        QVERIFY2(onnx.contains(name), qPrintable(node.out));
        QVERIFY2(onnx[name].toDouble() <= 1e-4, qPrintable(QString("%1: %2").arg(name, onnx[name])));
    }
    QCOMPARE(onnx["onnx_shape"], torch["torchscript_shape"]);
    QVERIFY2(node.out.contains("onnx_inputs z x"), qPrintable(node.out));
}

// One line each, naming the file or option, and nothing left behind.
void TestModelExport::badExportsAreRefusedInOneLine() {
    vae::Session session(fixtures::tinyModel(8, {16}, 2), "cpu", 3);
    const QString checkpoint = dir_.filePath("small.pt");
    session.saveCheckpoint(checkpoint.toStdString());
    const QString existing = dir_.filePath("existing.onnx");
    fixtures::writeFile(existing, "keep me");
    const auto oneLine = [](const Run& result, int code, const QString& names) {
        QVERIFY2(result.exitCode == code && result.err.trimmed().count('\n') == 0 && result.err.contains(names),
                 qPrintable(QString("exit %1: %2").arg(result.exitCode).arg(result.err)));
    };
    const QStringList base{"--checkpoint", checkpoint};
    oneLine(exportModel(base + QStringList{"--format", "onnx", "--out", existing}), 2, existing);
    QFile kept(existing);
    QVERIFY(kept.open(QIODevice::ReadOnly) && kept.readAll() == "keep me");
    oneLine(exportModel(base + QStringList{"--format", "keras", "--out", dir_.filePath("m.h5")}), 2, "--format");
    oneLine(exportModel(base + QStringList{"--format", "onnx", "--part", "middle", "--out", dir_.filePath("m.onnx")}), 2,
            "--part");
    oneLine(exportModel(base + QStringList{"--format", "onnx", "--out", "/proc/no-such/m.onnx"}), 2, "/proc/no-such");
    oneLine(exportModel(base + QStringList{"--format", "onnx", "--out", "/proc/version", "--force"}), 1, "/proc/version");
    const QString junk = dir_.filePath("junk.pt");
    fixtures::writeFile(junk, "not a checkpoint");
    oneLine(exportModel({"--checkpoint", junk, "--format", "onnx", "--out", dir_.filePath("j.onnx")}), 1, junk);
    QVERIFY(!QFile::exists(dir_.filePath("j.onnx")) && !QFile::exists(dir_.filePath("m.onnx")));
    const Run replaced = exportModel(base + QStringList{"--format", "onnx", "--out", existing, "--force"});
    QVERIFY2(replaced.exitCode == 0, qPrintable(replaced.err));
    QVERIFY(QFileInfo(existing).size() > 1000);
    QVERIFY(QDir(dir_.path()).entryList({"*.onnx.*", ".*.onnx*"}, QDir::Files | QDir::Hidden).isEmpty());  // no temporaries
}

QTEST_MAIN(TestModelExport)
#include "tst_modelexport.moc"
