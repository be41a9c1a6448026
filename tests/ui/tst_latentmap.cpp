// The data on the latent map, in the real window (offscreen): the scatter is the core's
// encodings, clicks select test images or decode spots, planes and sliders, filters, exports.
#include "data_point_panel.h"
#include "fixtures.h"
#include "kl_chart.h"
#include "latent_explorer.h"
#include "latent_map_panel.h"
#include "latent_map_widget.h"
#include "latent_sliders.h"
#include "session.h"
#include "window_fixture.h"

#include <QCheckBox>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using vae::MainWindow;

class TestLatentMap : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void scatterIsTheCoreEncodings();
    void clickSelectsAnImageShiftClickDecodesTheSpot();
    void pcaPlaneAndSlidersDriveGridAndClicks();
    void labelFilterHidesPoints();
    void exportsMapAndEncodings();
    void scatterFollowsTraining();

private:
    // A window with a model of `latent` dimensions trained by the core on the fixture data and
    // opened from its checkpoint; waits until the test set is on the map.
    std::unique_ptr<MainWindow> windowWithModel(int latent, vae::Session** session = nullptr);

    QTemporaryDir dir_;
    QString data_;
    std::map<int, std::unique_ptr<vae::Session>> sessions_;
};

void TestLatentMap::initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("vae-explorer-tests");
    data_ = dir_.filePath("data");
    fixtures::writeIdxDataset(data_, 512, 120, 8, false);
}

std::unique_ptr<MainWindow> TestLatentMap::windowWithModel(int latent, vae::Session** sessionOut) {
    const QString path = dir_.filePath(QString("model%1.pt").arg(latent));
    auto& session = sessions_[latent];
    if (!session) session = fixtures::trainedModel(data_, path, latent);
    if (sessionOut) *sessionOut = session.get();
    return fixtures::openWindowOnModel(data_, path, latent, 120);
}

void TestLatentMap::scatterIsTheCoreEncodings() {
    vae::Session* session = nullptr;
    auto window = windowWithModel(2, &session);
    QVERIFY(window);
    const auto expected = session->encodeTestImages(vae::ImageDataset::load(data_.toStdString()));
    const auto& positions = fixtures::part<vae::LatentMapWidget>(*window)->scatter().positions();
    QCOMPARE(positions.size(), 120);
    for (int i = 0; i < 120; ++i) {
        QVERIFY(std::abs(positions[i].x() - expected.mu[2 * i]) < 1e-5);
        QVERIFY(std::abs(positions[i].y() - expected.mu[2 * i + 1]) < 1e-5);
        QCOMPARE(fixtures::part<vae::LatentMapWidget>(*window)->scatter().labelOf(i), i % 10);
    }
    // What each dimension carries, for the same encodings.
    QVERIFY2(fixtures::part<vae::KlChart>(*window)->activeUnitsText().contains(QRegularExpression("Active units: [0-2] of 2")),
             qPrintable(fixtures::part<vae::KlChart>(*window)->activeUnitsText()));
    // Fewer points when asked.
    QSignalSpy encoded(&window->controller(), &vae::TrainingController::testSetEncoded);
    window->controller().setEncodedCount(40);
    QTRY_COMPARE(fixtures::part<vae::LatentMapWidget>(*window)->scatter().count(), 40);
}

void TestLatentMap::clickSelectsAnImageShiftClickDecodesTheSpot() {
    vae::Session* session = nullptr;
    auto window = windowWithModel(2, &session);
    QVERIFY(window);
    vae::LatentMapWidget* map = fixtures::part<vae::LatentMapWidget>(*window);
    QTRY_VERIFY(!map->gridImage().isNull());
    // A point that is the nearest one to its own pixel (counted here, by brute force).
    const auto& positions = map->scatter().positions();
    int chosen = -1;
    QPoint at;
    for (int i = 0; i < positions.size() && chosen < 0; ++i) {
        const QPoint pixel = map->positionOf(positions[i]).toPoint();
        if (!map->mapRect().adjusted(8, 8, -8, -8).contains(pixel)) continue;
        int nearest = -1;
        double best = 1e9;
        for (int j = 0; j < positions.size(); ++j) {
            const double distance = QLineF(QPointF(pixel), map->positionOf(positions[j])).length();
            if (distance < best) best = distance, nearest = j;
        }
        if (nearest == i) chosen = i, at = pixel;
    }
    QVERIFY2(chosen >= 0, "no data point inside the map");
    QSignalSpy shown(window.get(), &MainWindow::decodedPointShown);
    QTest::mouseClick(map, Qt::LeftButton, {}, at);
    QCOMPARE(fixtures::part<vae::DataPointPanel>(*window)->index(), chosen);
    QVERIFY(fixtures::part<vae::DataPointPanel>(*window)->caption().contains(QString("#%1, label %2").arg(chosen).arg(chosen % 10)));
    QVERIFY(map->selection() == chosen);
    // The decoded point is its reconstruction: the decoder at the full posterior mean.
    const auto mu = session->encodeTestImages(vae::ImageDataset::load(data_.toStdString()), chosen + 1).muOf(chosen);
    // (The encode thread runs BLAS on one thread, the session here on two: last bits may differ.)
    const auto closeToMu = [&] {
        const auto& latent = fixtures::part<vae::DecodedPointPanel>(*window)->latent();
        return latent.size() == 2 && std::abs(latent[0] - mu[0]) < 1e-5f && std::abs(latent[1] - mu[1]) < 1e-5f;
    };
    QTRY_VERIFY(closeToMu());

    // Shift+click at the same place decodes that exact spot of the plane instead.
    QTest::mouseClick(map, Qt::LeftButton, Qt::ShiftModifier, at);
    const auto spot = map->latentAt(at);
    QVERIFY(spot);
    QTRY_COMPARE(fixtures::part<vae::DecodedPointPanel>(*window)->latent(), (std::vector<float>{float(spot->x()), float(spot->y())}));
    QVERIFY(map->selection() == chosen);  // the selected image stays selected

    // Far from every point: a plain click decodes the spot too.
    QPoint empty;
    for (int y = map->mapRect().top() + 2; y < map->mapRect().bottom() && empty.isNull(); y += 3)
        for (int x = map->mapRect().left() + 2; x < map->mapRect().right() && empty.isNull(); x += 3)
            if (!map->dataPointAt(QPointF(x, y))) empty = QPoint(x, y);
    QVERIFY(!empty.isNull());
    QTest::mouseClick(map, Qt::LeftButton, {}, empty);
    const auto emptySpot = map->latentAt(empty);
    QTRY_COMPARE(fixtures::part<vae::DecodedPointPanel>(*window)->latent(), (std::vector<float>{float(emptySpot->x()), float(emptySpot->y())}));
}

void TestLatentMap::pcaPlaneAndSlidersDriveGridAndClicks() {
    vae::Session* session = nullptr;
    auto window = windowWithModel(3, &session);
    QVERIFY(window);
    // A model with more than two dimensions opens on the PCA plane of its encodings.
    QCOMPARE(fixtures::part<vae::LatentMapPanel>(*window)->planeChoice().mode, vae::PlaneMode::Pca);
    const auto summary = vae::summarizeEncodings(session->encodeTestImages(vae::ImageDataset::load(data_.toStdString())));
    const vae::LatentPlane pca = summary.pcaPlane();
    const auto& plane = fixtures::part<vae::LatentExplorer>(*window)->plane();
    QVERIFY(plane.xLabel.startsWith("PC1 ("));
    for (int k = 0; k < 3; ++k) {
        QVERIFY(std::abs(plane.plane.origin[k] - pca.origin[k]) < 1e-4);
        QVERIFY(std::abs(plane.plane.u[k] - pca.u[k]) < 1e-4);
        QVERIFY(std::abs(plane.plane.v[k] - pca.v[k]) < 1e-4);
    }
    QTRY_VERIFY(fixtures::part<vae::LatentMapWidget>(*window)->spec().plane == plane.plane && !fixtures::part<vae::LatentMapWidget>(*window)->gridImage().isNull());

    // A slider moves the plane across itself: the origin moves by the offset less its parts
    // along u and v, and a click decodes origin + a u + b v of the moved plane.
    fixtures::part<vae::LatentSliders>(*window)->setOffset({0, 0, 1.0f});
    const auto moved = pca.movedBy({0, 0, 1.0f});
    for (int k = 0; k < 3; ++k) QVERIFY(std::abs(fixtures::part<vae::LatentExplorer>(*window)->plane().plane.origin[k] - moved.origin[k]) < 1e-4);
    vae::LatentMapWidget* map = fixtures::part<vae::LatentMapWidget>(*window);
    QTRY_VERIFY(map->spec().plane == fixtures::part<vae::LatentExplorer>(*window)->plane().plane);
    window->showTab("sliders");
    map->setScatterStyle({false, false});  // no data points to select: every click decodes
    const QPoint at = map->mapRect().center() + QPoint(40, -25);
    QTest::mouseClick(map, Qt::LeftButton, {}, at);
    const auto ab = map->latentAt(at);
    const auto expected = fixtures::part<vae::LatentExplorer>(*window)->plane().plane.pointAt(ab->x(), ab->y());
    QTRY_VERIFY(fixtures::part<vae::DecodedPointPanel>(*window)->latent().size() == 3u);
    for (int k = 0; k < 3; ++k) QVERIFY(std::abs(fixtures::part<vae::DecodedPointPanel>(*window)->latent()[k] - expected[k]) < 1e-5);

    // Two axes: the sliders of those axes do nothing, so they are off.
    fixtures::part<vae::LatentMapPanel>(*window)->setPlaneMode(vae::PlaneMode::Axes);
    QCOMPARE(fixtures::part<vae::LatentExplorer>(*window)->plane().xLabel, QString("z1"));
    QCOMPARE(fixtures::part<vae::LatentExplorer>(*window)->plane().plane.origin, (std::vector<float>{0, 0, 1.0f}));
}

void TestLatentMap::labelFilterHidesPoints() {
    auto window = windowWithModel(2);
    QVERIFY(window);
    vae::LatentMapWidget* map = fixtures::part<vae::LatentMapWidget>(*window);
    const QPointF at = map->positionOf(map->scatter().positions()[3]);  // label 3
    QVERIFY(map->dataPointAt(at).has_value());
    QCheckBox* three = nullptr;
    for (QCheckBox* box : fixtures::part<vae::LatentMapPanel>(*window)->findChildren<QCheckBox*>())
        if (box->text() == "3") three = box;
    QVERIFY(three);
    three->setChecked(false);
    QVERIFY(!map->scatter().isLabelVisible(3) && map->scatter().isLabelVisible(4));
    const auto nearest = map->dataPointAt(at);
    QVERIFY(!nearest || map->scatter().labelOf(*nearest) != 3);
}

void TestLatentMap::exportsMapAndEncodings() {
    auto window = windowWithModel(2);
    QVERIFY(window);
    QTRY_VERIFY(!fixtures::part<vae::LatentMapWidget>(*window)->gridImage().isNull());
    const QString png = dir_.filePath("map.png");
    QCOMPARE(fixtures::exports(*window).exportLatentMap(png, 900), QString());
    const QImage image(png);
    QCOMPARE(image.size(), QSize(900, 900));
    // The scatter is in it: the palette's colours appear (the grid alone is grey).
    int coloured = 0;
    for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width(); x += 2) {
            const QColor c = image.pixelColor(x, y);
            coloured += std::max({c.red(), c.green(), c.blue()}) - std::min({c.red(), c.green(), c.blue()}) > 60;
        }
    QVERIFY2(coloured > 200, qPrintable(QString::number(coloured)));
    QVERIFY(fixtures::exports(*window).exportLatentMap(dir_.filePath("tiny.png"), 10).contains("outside 64..8192"));

    const QString csv = dir_.filePath("encodings.csv");
    QCOMPARE(fixtures::exports(*window).exportEncodings(csv), QString());
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const auto lines = QString(file.readAll()).trimmed().split('\n');
    QCOMPARE(lines.size(), 121);
    QCOMPARE(lines[0], QString("index,label,mu_1,mu_2,logvar_1,logvar_2"));
    QVERIFY(fixtures::exports(*window).exportEncodings(dir_.filePath("missing/dir/e.csv")).startsWith(dir_.filePath("missing/dir/e.csv")));
}

void TestLatentMap::scatterFollowsTraining() {
    auto window = fixtures::openTestWindow(data_, {3});
    QVERIFY(window);
    QSignalSpy encoded(&window->controller(), &vae::TrainingController::testSetEncoded);
    fixtures::runControl(*window).startTraining();
    // While it trains, the encode thread places the test set again after every epoch (and every
    // 2 s), with the newest weights: an epoch that ends while the previous encoding still runs is
    // passed over for the next (1 run in 4 here skipped epoch 1 or 2 on a quiet machine), so the
    // test asks for encodings from the middle of training, not from every epoch.
    QTRY_VERIFY_WITH_TIMEOUT(window->controller().state() == vae::TrainingController::State::Idle, fixtures::kEventTimeoutMs);
    QSet<int> epochs;
    for (const auto& arguments : encoded) epochs << arguments.at(0).value<vae::EncodedTestSet>().epochsTrained;
    QVERIFY2(epochs.contains(1) || epochs.contains(2), qPrintable(QString("epochs seen: %1").arg(epochs.size())));
    QTRY_VERIFY(fixtures::part<vae::LatentExplorer>(*window)->encoded() && fixtures::part<vae::LatentExplorer>(*window)->encoded()->epochsTrained == 3);
    QCOMPARE(fixtures::part<vae::LatentMapWidget>(*window)->scatter().count(), 120);
}

QTEST_MAIN(TestLatentMap)
#include "tst_latentmap.moc"
