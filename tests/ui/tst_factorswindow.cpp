// The window's Factors tab (issue 25): sprites scored on every encoding of the test set, the
// heatmap's cells opening the traversal of their dimension, rows named by factor, and data
// without factors saying so.
#include "factors_panel.h"
#include "fixtures.h"
#include "latent_explorer.h"
#include "latent_map_widget.h"
#include "latent_walks.h"
#include "main_window.h"
#include "settings_panel.h"
#include "training_controller.h"
#include "walk_panel.h"
#include "window_fixture.h"

#include <QComboBox>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

class TestFactorsWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void spritesAreScoredAndACellTraversesItsDimension();

private:
    QTemporaryDir dir_;
};

void TestFactorsWindow::initTestCase() {
    QVERIFY(dir_.isValid());
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("vae-explorer-tests");
    qputenv("XDG_DATA_HOME", dir_.filePath("data-home").toLocal8Bit());  // sprites are drawn here
}

void TestFactorsWindow::spritesAreScoredAndACellTraversesItsDimension() {
    const QString idx = dir_.filePath("idx");
    fixtures::writeIdxDataset(idx, 256, 64, 8, false);
    auto window = fixtures::openTestWindow(idx, {});
    QVERIFY(window);
    auto* factors = fixtures::part<vae::FactorsPanel>(*window, "factors");
    QVERIFY(factors);
    fixtures::runControl(*window).resetModel();  // a model of the folder's 8x8 images
    // IDX data has no factors: the tab says so once the test set is encoded.
    QTRY_VERIFY_WITH_TIMEOUT(fixtures::part<vae::LatentExplorer>(*window)->encoded().has_value(), 60000);
    QVERIFY(!factors->scores());
    QVERIFY(factors->headline().contains("no factors"));

    auto* panel = fixtures::part<vae::SettingsPanel>(*window);
    vae::RunSettings settings = panel->settings();
    settings.dataset = "sprites";
    settings.imageSize = 32;
    settings.subset = 400;
    settings.model.latentDim = 4;
    panel->setSettings(settings);
    window->controller().loadDataset(panel->dataSettings());
    QTRY_VERIFY2_WITH_TIMEOUT(fixtures::part<vae::LatentExplorer>(*window)->dataset().spec == "sprites",
                              qPrintable(fixtures::part<vae::LatentExplorer>(*window)->dataset().spec + " " + fixtures::message(*window)), 60000);
    fixtures::runControl(*window).resetModel();
    const auto scored = [&] {
        return factors->scores() && factors->scores()->latentDim == 4 && factors->scores()->factorNames.size() == 5;
    };
    QTRY_VERIFY2_WITH_TIMEOUT(scored(), qPrintable(QString("scores %1, model %2x%3, message %4").arg(bool(factors->scores()))
                                                        .arg(window->modelInfo().config.imageRows).arg(window->modelInfo().config.latentDim)
                                                        .arg(fixtures::message(*window))), 60000);
    QVERIFY2(factors->headline().startsWith("MIG "), qPrintable(factors->headline()));
    QVERIFY(factors->headline().contains("10000 test images"));

    // The map coloured by position x: each point's shade is its position, on a bar from 0 to 1.
    auto* colourBy = window->findChild<QComboBox*>("colourBy");
    QVERIFY(colourBy && !colourBy->isHidden());
    QCOMPARE(colourBy->count(), 6);  // the class and five factors
    colourBy->setCurrentIndex(colourBy->findData(3));
    auto* map = fixtures::part<vae::LatentMapWidget>(*window);
    QTRY_VERIFY(map->colourBar().has_value());
    QCOMPARE(map->colourBar()->name, QString("position x"));
    QCOMPARE(map->colourBar()->low, 0.0);
    QCOMPARE(map->colourBar()->high, 1.0);
    const auto& shades = map->scatter().shades();
    const auto& info = fixtures::part<vae::LatentExplorer>(*window)->dataset();
    QCOMPARE(shades.size(), map->scatter().count());
    QVERIFY(shades.size() > 100);
    for (int i = 0; i < shades.size(); ++i) QCOMPARE(shades[i], info.testFactors[5 * i + 3]);
    // Export encodings writes the factors as columns, as `encode` does.
    const QString csvPath = dir_.filePath("encodings.csv");
    QCOMPARE(fixtures::exports(*window).exportEncodings(csvPath), QString());
    QFile csv(csvPath);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    QVERIFY(csv.readLine().startsWith("index,label,shape,scale,orientation,position x,position y,mu_1,"));
    const QList<QByteArray> first = csv.readLine().trimmed().split(',');
    QCOMPARE(first.size(), 2 + 5 + 2 * 4);
    QVERIFY(std::abs(first[5].toDouble() - info.testFactors[3]) < 1e-6);  // position x of test image 0 (7 digits)
    colourBy->setCurrentIndex(0);
    QTRY_VERIFY(!map->colourBar().has_value());
    QVERIFY(map->scatter().shades().isEmpty());

    // A chosen point, then a click on dimension 3's cell of position x: one row of 11 images.
    fixtures::part<vae::LatentExplorer>(*window)->decodeAt(QPointF(0.5, -0.5));
    auto* walks = fixtures::part<vae::LatentWalks>(*window);
    QSignalSpy shown(walks, &vae::LatentWalks::resultShown);
    auto* tabs = factors->parentWidget()->parentWidget();  // the bottom tabs' stack, then the tabs
    if (auto* bottom = qobject_cast<QTabWidget*>(tabs)) bottom->setCurrentWidget(factors);
    const QRect cell = factors->cellRect(2, 3);
    QVERIFY(cell.isValid());
    QTest::mouseClick(factors, Qt::LeftButton, {}, cell.center());
    QVERIFY2(shown.wait(30000), qPrintable(walks->message()));
    QCOMPARE(walks->frames().size(), 11);
    QVERIFY(fixtures::part<vae::WalkPanel>(*window)->isVisible());
}

QTEST_MAIN(TestFactorsWindow)
#include "tst_factorswindow.moc"
