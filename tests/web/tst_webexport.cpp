// `vae-explorer export --format web` in a real browser: Debian's chromium, driven by puppeteer-core
// (tests/web/web_check.js), opens the exported page from `python3 -m http.server` on 127.0.0.1,
// clicks the map, and the decoded canvas must equal the app's own decode of the same point
// (≤ 2/255 a channel). The page may ask nothing of any other host, and must fit a phone.
#include "fixtures.h"
#include "image_convert.h"
#include "label_colours.h"
#include "session.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QtTest>

namespace {

using Run = fixtures::ProgramRun;

Run run(const QString& program, const QStringList& arguments, const QProcessEnvironment& environment = {}) {
    return fixtures::runProgram(program, arguments, environment);
}

QJsonObject readJson(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

}  // namespace

class TestWebExport : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void theBrowserDecodesAsTheAppDoes_data();
    void theBrowserDecodesAsTheAppDoes();
    void badWebExportsAreRefusedInOneLine();

private:
    QString checkpoint(const vae::ModelConfig& config, const QString& name);
    QTemporaryDir dir_;
    QString data_;
};

void TestWebExport::initTestCase() {
    QVERIFY(dir_.isValid());
    QVERIFY2(QFile::exists("/usr/bin/chromium"), "Debian's chromium is not installed: scripts/test.sh installs it");
    QVERIFY2(QFile::exists(VAE_TEST_NODE_MODULES "/puppeteer-core/package.json"),
             "puppeteer-core is not installed: scripts/test.sh installs it (npm ci --ignore-scripts in tests/npm)");
    data_ = dir_.filePath("data");
    fixtures::writeIdxDataset(data_, 64, 300, 12, false);
}

QString TestWebExport::checkpoint(const vae::ModelConfig& config, const QString& name) {
    vae::Session session(config, "cpu", 5);
    vae::RunSettings settings = session.runSettings();
    settings.dataset = data_.toStdString();
    session.setRunSettings(settings);
    const QString path = dir_.filePath(name + ".pt");
    session.saveCheckpoint(path.toStdString());
    return path;
}

void TestWebExport::theBrowserDecodesAsTheAppDoes_data() {
    QTest::addColumn<vae::ModelConfig>("config");
    QTest::addColumn<int>("clicks");
    QTest::newRow("2-D MLP, its axes") << fixtures::tinyModel(12, {64, 32}, 2) << 100;
    vae::ModelConfig conv = fixtures::tinyModel(12, {32}, 5);
    conv.architecture = vae::Architecture::Conv;
    conv.convChannels = {8, 16};
    QTest::newRow("5-D conv, the PCA plane") << conv << 10;
}

void TestWebExport::theBrowserDecodesAsTheAppDoes() {
    QFETCH(vae::ModelConfig, config);
    QFETCH(int, clicks);
    const QString name = QString(QTest::currentDataTag()).section(',', 0, 0).replace(' ', '_');
    const QString model = checkpoint(config, name), page = dir_.filePath(name + "-web");
    const Run exported = run(VAE_EXPLORER_EXE, {"export", "--checkpoint", model, "--format", "web", "--out", page,
                                                "--points", "250"});
    QVERIFY2(exported.exitCode == 0, qPrintable(exported.err));
    for (const char* file : {"index.html", "explorer.js", "decoder.onnx", "data.json", "page-data.js", "ort.wasm-core.min.js",
                             "ort-wasm-simd.js", "ONNXRUNTIME-LICENSE.txt"})
        QVERIFY2(QFile::exists(page + "/" + file), file);
    const QJsonObject data = readJson(page + "/data.json");
    QCOMPARE(data["labels"].toArray().size(), 250);
    QCOMPARE(data["plane"].toObject()["kind"].toString(), QString(config.latentDim == 2 ? "axes" : "pca"));
    // The page draws each class in the window's colour.
    const QJsonArray colours = data["class_colours"].toArray();
    QVERIFY(colours.size() >= 2);
    QCOMPARE(colours[1].toString(), vae::labelColour(1).name());

    const QString resultPath = dir_.filePath(name + "-result.json");
    const QString screenshot = qEnvironmentVariable("VAE_WEB_SCREENSHOT_DIR");
    const Run browser = run("node", {VAE_TEST_SCRIPTS "/web_check.js", VAE_TEST_NODE_MODULES, page, "/usr/bin/chromium",
                                     resultPath, screenshot.isEmpty() ? "" : screenshot + "/" + name + ".png",
                                     QString::number(clicks)});
    QVERIFY2(browser.exitCode == 0, qPrintable(browser.err));
    const QJsonObject result = readJson(resultPath);
    QVERIFY2(!result.contains("pageError"), qPrintable(result["pageError"].toString()));
    // Every request went to the local server (or was the runtime's own data URL): no CDN,
    // nothing off the machine.
    const QString origin = result["origin"].toString();
    QStringList requested;
    for (const auto& request : result["requests"].toArray()) {
        requested << request.toString();
        QVERIFY2(request.toString().startsWith(origin) || request.toString().startsWith("data:"), qPrintable(request.toString()));
    }
    for (const char* file : {"explorer.js", "page-data.js", "ort-wasm-simd.js"})
        QVERIFY2(requested.contains(origin + file), qPrintable(requested.join(' ').left(2000)));

    // The clicked point lies on the map's plane, and the browser drew the app's decode of it.
    const QJsonObject point = result["point"].toObject();
    const QJsonObject plane = data["plane"].toObject();
    std::vector<float> z;
    for (const auto& value : point["z"].toArray()) z.push_back(float(value.toDouble()));
    QCOMPARE(int(z.size()), config.latentDim);
    for (int i = 0; i < config.latentDim; ++i) {
        const double onPlane = plane["origin"].toArray()[i].toDouble() + point["a"].toDouble() * plane["u"].toArray()[i].toDouble() +
                               point["b"].toDouble() * plane["v"].toArray()[i].toDouble();
        QVERIFY(std::abs(onPlane - z[std::size_t(i)]) < 1e-4);
    }
    auto session = vae::Session::fromCheckpoint(model.toStdString(), "cpu");
    const QImage expected = vae::toQImage(session.decode(z), 0).convertToFormat(QImage::Format_RGBA8888);
    const QJsonArray pixels = result["pixels"].toArray();
    QCOMPARE(pixels.size(), 4 * expected.width() * expected.height());
    int worst = 0;
    for (int y = 0; y < expected.height(); ++y)
        for (int x = 0; x < expected.width(); ++x)
            for (int k = 0; k < 3; ++k)
                worst = std::max(worst, std::abs(pixels[4 * (y * expected.width() + x) + k].toInt() -
                                                 int(expected.constScanLine(y)[4 * x + k])));
    QVERIFY2(worst <= 2, qPrintable(QString("a channel differs by %1/255").arg(worst)));
    QVERIFY2(result["ends"].toString().startsWith("A: (") && !result["ends"].toString().contains("not set"),
             qPrintable(result["ends"].toString()));
    // A phone's 390-pixel viewport: the map fits, nothing scrolls sideways.
    const QJsonObject phone = result["phone"].toObject();
    QVERIFY2(phone["scrollWidth"].toInt() <= 390 && phone["mapRight"].toDouble() <= 390,
             qPrintable(QJsonDocument(phone).toJson(QJsonDocument::Compact)));
    QCOMPARE(result["decodeCount"].toInt(), clicks);
    // Opened from disk (file://): the page decodes there too, the same point to the same pixels.
    QVERIFY2(!result.contains("fileError"), qPrintable(result["fileError"].toString()));
    QCOMPARE(result["filePoint"].toObject()["z"].toArray(), point["z"].toArray());
    QCOMPARE(result["filePixels"].toArray(), pixels);
    // Figures, not judged here (bench/, the README): the machine's speed drifts.
    qInfo("%s: page ready in %d ms; decode median %.1f ms, best %.1f ms over %d clicks", qPrintable(name),
          result["loadMs"].toInt(), result["decodeMedianMs"].toDouble(), result["decodeBestMs"].toDouble(), clicks);
}

void TestWebExport::badWebExportsAreRefusedInOneLine() {
    const QString model = checkpoint(fixtures::tinyModel(12, {16}, 2), "small");
    const auto oneLine = [](const Run& result, int code, const QString& names) {
        QVERIFY2(result.exitCode == code && result.err.trimmed().count('\n') == 0 && result.err.contains(names),
                 qPrintable(QString("exit %1: %2").arg(result.exitCode).arg(result.err)));
    };
    const QString full = dir_.filePath("full");
    QVERIFY(QDir().mkpath(full));
    fixtures::writeFile(full + "/notes.txt", "mine");
    oneLine(run(VAE_EXPLORER_EXE, {"export", "--checkpoint", model, "--format", "web", "--out", full}), 1, full);
    QVERIFY(QDir(full).entryList(QDir::Files) == QStringList{"notes.txt"});
    // Without ONNX Runtime Web's files anywhere: named, and no folder left.
    QProcessEnvironment bare = QProcessEnvironment::systemEnvironment();
    bare.insert("XDG_DATA_HOME", dir_.filePath("empty-data"));
    bare.insert("VAE_EXPLORER_ORT_WEB_DIR", dir_.filePath("empty-data"));
    const QString none = dir_.filePath("no-runtime");
    oneLine(run(VAE_EXPLORER_EXE, {"export", "--checkpoint", model, "--dataset", data_, "--format", "web", "--out", none},
                bare),
            1, "ONNX Runtime Web");
    QVERIFY(!QFileInfo::exists(none));
    // --force replaces an earlier export, and nothing else: not the user's folder, not through a link.
    oneLine(run(VAE_EXPLORER_EXE, {"export", "--checkpoint", model, "--format", "web", "--out", full, "--force"}), 1,
            "is not a web export of this program");
    QVERIFY(QDir(full).entryList(QDir::Files) == QStringList{"notes.txt"});
    const QString link = dir_.filePath("weblink");
    QVERIFY(QFile::link(full, link));
    oneLine(run(VAE_EXPLORER_EXE, {"export", "--checkpoint", model, "--format", "web", "--out", link, "--force"}), 1,
            "is a link");
    QVERIFY(QDir(full).entryList(QDir::Files) == QStringList{"notes.txt"} && QFileInfo(link).isSymLink());
    const QString page = dir_.filePath("page");
    for (int time = 0; time < 2; ++time) {
        const Run exported = run(VAE_EXPLORER_EXE, {"export", "--checkpoint", model, "--format", "web", "--out", page,
                                                    "--force", "--points", "10"});
        QVERIFY2(exported.exitCode == 0, qPrintable(exported.err));
    }
    QVERIFY(QFile::exists(page + "/index.html"));
    QCOMPARE(QDir(dir_.path()).entryList({".page-*"}, QDir::Dirs | QDir::Hidden), QStringList());  // nothing beside it
}

QTEST_MAIN(TestWebExport)
#include "tst_webexport.moc"
