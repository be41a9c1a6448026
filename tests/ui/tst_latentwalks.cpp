// Walking the latent space in the real window (offscreen): interpolations, their path on the
// map and their GIF, traversals, morphs, analogies, and the drawing pad or a picture placed on the map.
#include "digit_preprocess.h"
#include "drawing_pad.h"
#include "fixtures.h"
#include "image_convert.h"
#include "image_folder.h"
#include "latent_map_panel.h"
#include "message_bar.h"
#include "latent_analysis.h"
#include "latent_explorer.h"
#include "latent_map_widget.h"
#include "latent_paths.h"
#include "latent_walks.h"
#include "walk_panel.h"
#include "window_fixture.h"

#include <QDropEvent>
#include <QImageReader>
#include <QMimeData>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using vae::MainWindow;

namespace {

// Each frame equals the core's decoding of the same latents (to a grey level).
void compareFrames(const QVector<QImage>& frames, vae::Session& session, const std::vector<float>& latents) {
    const auto expected = session.decode(latents);
    QCOMPARE(frames.size(), expected.count);
    for (int i = 0; i < expected.count; ++i) {
        const QImage want = vae::toQImage(expected, i);
        for (int y = 0; y < want.height(); ++y)
            for (int x = 0; x < want.width(); ++x)
                QVERIFY2(std::abs(qGray(frames[i].pixel(x, y)) - qGray(want.pixel(x, y))) <= 1,
                         qPrintable(QString("frame %1, pixel %2,%3").arg(i).arg(x).arg(y)));
    }
}

}  // namespace

class TestLatentWalks : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void interpolationDecodesThePathAndDrawsIt();
    void walksExportAsPngAndGif();
    void traversalRowsFollowKl();
    void morphAndAnalogy();
    void drawingIsPlacedOnTheMap();
    void aPictureIsPlacedAsTheDataIsPrepared();
    void colourModelsTakePicturesNotDrawings();

private:
    std::unique_ptr<MainWindow> window(int latent);

    QTemporaryDir dir_;
    QString data_;
    std::map<int, std::unique_ptr<vae::Session>> sessions_;
};

void TestLatentWalks::initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("vae-explorer-tests");
    data_ = dir_.filePath("data");
    fixtures::writeIdxDataset(data_, 512, 120, 8, false);
}

std::unique_ptr<MainWindow> TestLatentWalks::window(int latent) {
    const QString path = dir_.filePath(QString("model%1.pt").arg(latent));
    if (!sessions_[latent]) sessions_[latent] = fixtures::trainedModel(data_, path, latent);
    return fixtures::openWindowOnModel(data_, path, latent, 120);
}

void TestLatentWalks::interpolationDecodesThePathAndDrawsIt() {
    auto w = window(3);
    QVERIFY(w);
    vae::LatentWalks* walks = fixtures::part<vae::LatentWalks>(*w);
    QSignalSpy shown(walks, &vae::LatentWalks::resultShown);
    const std::vector<float> a{-1.5f, 0.5f, 1}, b{2, -1, 0.25f};
    walks->setEndpointLatent(0, a, "A");
    walks->setEndpointLatent(1, b, "B");  // both set: the walk runs
    QVERIFY(shown.wait(fixtures::kEventTimeoutMs));
    const auto path = vae::interpolate(a, b, fixtures::part<vae::WalkPanel>(*w)->steps(), vae::Interpolation::Lerp);
    QCOMPARE(walks->walkLatents(), path);
    compareFrames(walks->frames(), *sessions_[3], path);
    // On the map: the path projected on the map's plane.
    const auto projected = fixtures::part<vae::LatentExplorer>(*w)->plane().plane.project(path);
    const auto& drawn = fixtures::part<vae::LatentMapWidget>(*w)->path();
    QCOMPARE(drawn.size(), fixtures::part<vae::WalkPanel>(*w)->steps());
    for (int i = 0; i < drawn.size(); ++i)
        QVERIFY(std::abs(drawn[i].x() - projected[2 * i]) < 1e-5 && std::abs(drawn[i].y() - projected[2 * i + 1]) < 1e-5);
    // The endpoints can be the chosen point: a selected test image's posterior mean.
    fixtures::part<vae::LatentExplorer>(*w)->selectDataPoint(7);
    walks->setEndpoint(0);
    QVERIFY(shown.wait(fixtures::kEventTimeoutMs));
    QCOMPARE(std::vector<float>(walks->walkLatents().begin(), walks->walkLatents().begin() + 3),
             fixtures::part<vae::LatentExplorer>(*w)->encoded()->encodings.muOf(7));
    // Reset makes another model of the same shape: the old one's path and points are not its own.
    fixtures::runControl(*w).resetModel();
    QTRY_VERIFY_WITH_TIMEOUT(walks->walkLatents().empty() && fixtures::part<vae::LatentMapWidget>(*w)->path().isEmpty(),
                             fixtures::kEventTimeoutMs);
}

void TestLatentWalks::walksExportAsPngAndGif() {
    auto w = window(2);
    QVERIFY(w);
    vae::LatentWalks* walks = fixtures::part<vae::LatentWalks>(*w);
    QVERIFY(walks->exportGif(dir_.filePath("none.gif")).contains("no interpolation"));
    QSignalSpy shown(walks, &vae::LatentWalks::resultShown);
    walks->setEndpointLatent(0, {-2, -2}, "A");
    walks->setEndpointLatent(1, {2, 1}, "B");
    QVERIFY(shown.wait(fixtures::kEventTimeoutMs));
    const int steps = fixtures::part<vae::WalkPanel>(*w)->steps();
    const QString png = dir_.filePath("walk.png");
    QCOMPARE(walks->exportPng(png), QString());
    QCOMPARE(QImage(png).width(), steps * 8 + (steps - 1) * 2);
    const QString gif = dir_.filePath("walk.gif");
    QCOMPARE(walks->exportGif(gif), QString());
    QImageReader reader(gif);
    QCOMPARE(reader.imageCount(), steps);
    QCOMPARE(reader.size(), QSize(32, 32));  // 8x8 images at 4x
    QCOMPARE(reader.loopCount(), -1);
    QVERIFY(walks->exportGif(dir_.filePath("no/such/walk.gif")).startsWith(dir_.filePath("no/such/walk.gif")));
}

void TestLatentWalks::traversalRowsFollowKl() {
    auto w = window(3);
    QVERIFY(w);
    QSignalSpy shown(fixtures::part<vae::LatentWalks>(*w), &vae::LatentWalks::resultShown);
    fixtures::part<vae::LatentExplorer>(*w)->selectDataPoint(3);
    fixtures::part<vae::LatentWalks>(*w)->traverse();
    QVERIFY(shown.wait(fixtures::kEventTimeoutMs));
    const auto order = fixtures::part<vae::LatentExplorer>(*w)->encoded()->summary.dimensionsByKl();
    const auto origin = fixtures::part<vae::LatentExplorer>(*w)->encoded()->encodings.muOf(3);
    compareFrames(fixtures::part<vae::LatentWalks>(*w)->frames(), *sessions_[3], vae::traversal(origin, order, 11, -3, 3));
    QCOMPARE(fixtures::part<vae::WalkPanel>(*w)->result().height(), 3 * 8 + 2 * 2);  // one row per dimension
}

void TestLatentWalks::morphAndAnalogy() {
    auto w = window(2);
    QVERIFY(w);
    QSignalSpy shown(fixtures::part<vae::LatentWalks>(*w), &vae::LatentWalks::resultShown);
    const auto& encoded = *fixtures::part<vae::LatentExplorer>(*w)->encoded();
    // Analogy of test images 0, 1, 2 (the panel's defaults): the fourth image is #2 + (#1 - #0).
    fixtures::part<vae::LatentWalks>(*w)->analogy();
    QVERIFY(shown.wait(fixtures::kEventTimeoutMs));
    const auto a = encoded.encodings.muOf(0), b = encoded.encodings.muOf(1), c = encoded.encodings.muOf(2);
    std::vector<float> latents = a;
    for (const auto& part : {b, c, vae::analogy(a, b, c)}) latents.insert(latents.end(), part.begin(), part.end());
    compareFrames(fixtures::part<vae::LatentWalks>(*w)->frames(), *sessions_[2], latents);
    // Morph the selected image from class 0 towards class 1.
    fixtures::part<vae::LatentExplorer>(*w)->selectDataPoint(5);
    fixtures::part<vae::LatentWalks>(*w)->morph();
    QVERIFY(shown.wait(fixtures::kEventTimeoutMs));
    const auto& labels = fixtures::part<vae::LatentExplorer>(*w)->dataset().testLabels;
    const auto means = vae::classMeans(encoded.encodings.mu, 2, std::vector<int>(labels.begin(), labels.end()), 10);
    compareFrames(fixtures::part<vae::LatentWalks>(*w)->frames(), *sessions_[2],
                  vae::morph(encoded.encodings.muOf(5), means[0], means[1], fixtures::part<vae::WalkPanel>(*w)->steps(), 1.0));
}

void TestLatentWalks::drawingIsPlacedOnTheMap() {
    auto w = window(2);
    QVERIFY(w);
    QSignalSpy placed(fixtures::part<vae::LatentWalks>(*w), &vae::LatentWalks::drawingPlaced);
    vae::DrawingPad* pad = fixtures::part<vae::WalkPanel>(*w)->pad();
    pad->drawStroke({{60, 40}, {150, 60}, {90, 180}});
    QVERIFY(placed.wait(fixtures::kEventTimeoutMs));
    // The model's encoder on the MNIST-style preparation of the drawing.
    const auto prepared = vae::prepareDigit(pad->drawing(), 8, 8);
    QVERIFY(prepared.error.isEmpty());
    vae::Encoder encoder(sessions_[2]->encoderWeights());
    std::vector<std::uint8_t> bytes;
    for (int y = 0; y < 8; ++y) bytes.insert(bytes.end(), prepared.image.constScanLine(y), prepared.image.constScanLine(y) + 8);
    const auto expected = encoder.encode(bytes.data(), bytes.size()).muOf(0);
    const auto drawn = fixtures::part<vae::LatentWalks>(*w)->drawnLatent();
    QVERIFY(drawn && std::abs((*drawn)[0] - expected[0]) < 1e-5f && std::abs((*drawn)[1] - expected[1]) < 1e-5f);
    QVERIFY(fixtures::part<vae::LatentMapWidget>(*w)->drawnPoint().has_value());
    QVERIFY(std::abs(fixtures::part<vae::LatentMapWidget>(*w)->drawnPoint()->x() - expected[0]) < 1e-5);
    // It is the current point: an endpoint takes it.
    fixtures::part<vae::LatentWalks>(*w)->setEndpoint(0);
    // Undo empties the pad again: nothing is placed, and the pad says why.
    pad->undo();
    QTRY_VERIFY(!fixtures::part<vae::LatentMapWidget>(*w)->drawnPoint().has_value());
    QVERIFY(!fixtures::part<vae::LatentWalks>(*w)->drawnLatent());
}

// Issue 23: a picture (File ▸ Place picture… or dropped on the map) is prepared as the data set's
// images are (here grey 8 x 8, centre-cropped), encoded and placed; it becomes an endpoint; a file
// that is no picture is named in one line and what was placed stays.
void TestLatentWalks::aPictureIsPlacedAsTheDataIsPrepared() {
    auto w = window(2);
    QVERIFY(w);
    QImage picture(40, 24, QImage::Format_RGB32);  // wider than tall: the crop matters
    for (int y = 0; y < picture.height(); ++y)
        for (int x = 0; x < picture.width(); ++x) picture.setPixel(x, y, qRgb(6 * x, 10 * y, 255 - 6 * x));
    const QString path = dir_.filePath("photo.png");
    QVERIFY(picture.save(path));
    auto* walks = fixtures::part<vae::LatentWalks>(*w);
    QSignalSpy placed(walks, &vae::LatentWalks::drawingPlaced);
    // Dropped on the map's panel, as a file manager drops it.
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    auto* mapPanel = fixtures::part<vae::LatentMapPanel>(*w);
    QDragEnterEvent enter(mapPanel->rect().center(), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(mapPanel, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(mapPanel->rect().center()), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(mapPanel, &drop);
    QVERIFY(placed.wait(fixtures::kEventTimeoutMs));
    const auto prepared = vae::preparePicture(path.toStdString(), sessions_[2]->config(), "crop");
    QVERIFY(!prepared.image.isNull() && prepared.image.format() == QImage::Format_Grayscale8);
    std::vector<std::uint8_t> bytes;
    vae::appendPlanes(bytes, prepared.image);
    const auto expected = vae::Encoder(sessions_[2]->encoderWeights()).encode(bytes.data(), bytes.size()).muOf(0);
    const auto latent = walks->drawnLatent();
    QVERIFY(latent && std::abs((*latent)[0] - expected[0]) < 1e-5f && std::abs((*latent)[1] - expected[1]) < 1e-5f);
    QVERIFY(std::abs(fixtures::part<vae::LatentMapWidget>(*w)->drawnPoint()->y() - expected[1]) < 1e-5);
    walks->setEndpoint(1);
    QVERIFY2(walks->message().isEmpty(), qPrintable(walks->message()));
    const QString notAPicture = dir_.filePath("notes.png");
    fixtures::writeFile(notAPicture, "just words");
    w->placePicture(notAPicture);
    QVERIFY2(fixtures::message(*w).startsWith(notAPicture + ": ") && !fixtures::message(*w).contains('\n'),
             qPrintable(fixtures::message(*w)));
    QVERIFY(walks->drawnLatent() && std::abs((*walks->drawnLatent())[0] - expected[0]) < 1e-5f);
}

// A colour model: the pad (grey digits) is off and says why, a picture of its test set lands
// where the test set's encoding of it lies, and grey data under it is named with both shapes.
void TestLatentWalks::colourModelsTakePicturesNotDrawings() {
    const QDir folder(dir_.filePath("colour"));
    for (const char* split : {"train", "test"})
        for (const char* label : {"red", "teal"})
            for (int i = 0; i < (split[1] == 'r' ? 6 : 1); ++i) {
                QImage picture(14 + i, 12, QImage::Format_RGB32);
                picture.fill(label[0] == 'r' ? qRgb(220, 30 + 20 * i, 40) : qRgb(20, 160, 150 - 10 * i));
                const QString file = QString("%1/%2/%3.png").arg(split, label).arg(i);
                QVERIFY(folder.mkpath(QFileInfo(folder.filePath(file)).path()) && picture.save(folder.filePath(file)));
            }
    auto w = fixtures::openTestWindow(data_, {1});
    QVERIFY(w);
    QSignalSpy loaded(&w->controller(), &vae::TrainingController::datasetLoaded);
    fixtures::files(*w).openDataFolder(folder.path());
    QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty() && loaded.last().first().value<vae::DatasetInfo>().channels == 3,
                             fixtures::kEventTimeoutMs);
    fixtures::runControl(*w).resetModel();
    QTRY_VERIFY_WITH_TIMEOUT(w->modelInfo().config.imageChannels == 3, fixtures::kEventTimeoutMs);
    const int encodedRows = w->modelInfo().config.imageRows;
    auto* explorer = fixtures::part<vae::LatentExplorer>(*w);
    QTRY_VERIFY_WITH_TIMEOUT(explorer->encoded() && explorer->encoded()->encodings.count == 2 &&
                                 explorer->encoded()->encodings.latentDim == w->modelInfo().config.latentDim,
                             fixtures::kEventTimeoutMs);
    QVERIFY(!fixtures::part<vae::WalkPanel>(*w)->pad()->isEnabled());
    QVERIFY2(fixtures::part<vae::WalkPanel>(*w)->pad()->offReason().contains("colour"), "the pad says why it is off");
    auto* walks = fixtures::part<vae::LatentWalks>(*w);
    QSignalSpy placed(walks, &vae::LatentWalks::drawingPlaced);
    w->placePicture(folder.filePath("test/teal/0.png"));  // the second test image: classes sort by name
    QVERIFY(placed.wait(fixtures::kEventTimeoutMs));
    const auto expected = explorer->encoded()->encodings.muOf(1);
    const auto latent = walks->drawnLatent();
    QVERIFY(latent && latent->size() == expected.size());
    for (std::size_t k = 0; k < expected.size(); ++k) QVERIFY(std::abs((*latent)[k] - expected[k]) < 1e-5f);
    // A grey checkpoint whose own data has gone, opened over this colour data: one line naming both.
    const QString goneData = dir_.filePath("gone"), greyModel = dir_.filePath("grey-gone.pt");
    fixtures::writeIdxDataset(goneData, 64, 16, 8, false);
    QVERIFY(fixtures::trainedModel(goneData, greyModel, 2));
    QVERIFY(QDir(goneData).removeRecursively());
    fixtures::files(*w).openModel(greyModel);
    QTRY_VERIFY_WITH_TIMEOUT(fixtures::message(*w).contains("grey-gone.pt takes 8x8 images"), fixtures::kEventTimeoutMs);
    QVERIFY2(fixtures::message(*w).contains(QString("has %1x%1 RGB images").arg(encodedRows)) &&
                 !fixtures::message(*w).contains('\n'),
             qPrintable(fixtures::message(*w)));
}

QTEST_MAIN(TestLatentWalks)
#include "tst_latentwalks.moc"
