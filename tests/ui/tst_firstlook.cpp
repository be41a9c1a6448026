// What a new user sees in the first minute, in the real window (offscreen): it fits a
// 1400 x 900 screen with no horizontal scroll bar in the settings column, and its Help menu's
// user guide renders the README with its pictures, the shortcuts list is read from the
// window's menus, and About names the versions.
#include "fixtures.h"
#include "data_point_panel.h"
#include "help_menu.h"
#include "image_panels.h"
#include "latent_map_widget.h"
#include "runtime_info.h"
#include "settings_panel.h"
#include "training_status.h"
#include "window_fixture.h"

#include <QAbstractButton>
#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QComboBox>
#include <QDialog>
#include <QDir>
#include <QFileInfo>
#include <QPushButton>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QScrollArea>
#include <QScrollBar>
#include <QStatusBar>
#include <QTabBar>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTreeWidget>
#include <QtTest>

class TestFirstLook : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void theWindowFitsA1400By900Screen();
    void everyControlIsReachableOnALaptop_data();
    void everyControlIsReachableOnALaptop();
    void theDecodedPointShowsEveryCoordinate();
    void namesFromDataAreShownAsText();
    void theStatusBarSaysWhichThreadCountIsWhich();
    void theGuideIsTheReadmeWithItsPictures();
    void shortcutsComeFromTheMenus();
    void aboutNamesVersionsAndLicence();
    void cleanupTestCase() { window_.reset(); }

private:
    QTemporaryDir dir_;
    std::unique_ptr<vae::MainWindow> window_;
    vae::HelpMenu* help() { return fixtures::part<vae::HelpMenu>(*window_); }
};

void TestFirstLook::initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("vae-explorer-tests");
    fixtures::writeIdxDataset(dir_.filePath("data"), 64, 32, 8, false);
    window_ = fixtures::openTestWindow(dir_.filePath("data"), {});
    QVERIFY(window_);
    QVERIFY(help());
    QStringList menus;
    for (QAction* action : window_->menuBar()->actions()) menus << action->text().remove('&');
    QCOMPARE(menus.last(), QString("Help"));
}

void TestFirstLook::theWindowFitsA1400By900Screen() {
    // A window manager's frame takes some 40 pixels of the height.
    const QSize least = window_->minimumSizeHint().expandedTo(window_->minimumSize());
    QVERIFY2(least.width() <= 1400 && least.height() <= 860, qPrintable(QString("%1 x %2").arg(least.width()).arg(least.height())));
    window_->resize(1400, 860);
    QTRY_COMPARE(window_->size(), QSize(1400, 860));
    auto* settings = fixtures::part<vae::SettingsPanel>(*window_);
    QVERIFY(settings);
    auto* scroll = qobject_cast<QScrollArea*>(settings->parentWidget()->parentWidget());
    QVERIFY(scroll);
    QVERIFY(!scroll->horizontalScrollBar()->isVisible());
    QVERIFY2(scroll->viewport()->width() >= settings->minimumSizeHint().width(),
             qPrintable(QString("%1 < %2").arg(scroll->viewport()->width()).arg(settings->minimumSizeHint().width())));
}

// The commonest laptop screen, a small one, and scale 2 on 2560 x 1440 (1280 x 720 in Qt's
// units); a window manager's frame and panel take some 40 pixels of the height.
void TestFirstLook::everyControlIsReachableOnALaptop_data() {
    QTest::addColumn<QSize>("window");
    QTest::newRow("1366 x 768") << QSize(1366, 728);
    QTest::newRow("1280 x 720, or 2560 x 1440 at scale 2") << QSize(1280, 680);
}

// The map keeps 360 pixels a side, and every control lies inside the window, or inside a
// scrolling panel that reaches it.
void TestFirstLook::everyControlIsReachableOnALaptop() {
    QFETCH(QSize, window);
    // A window manager shrinks a window to its minimum, and the window lays itself out anew at
    // each size (the charts join the side tabs below 800 pixels): it ends at the screen's size.
    QTRY_VERIFY_WITH_TIMEOUT(([&] {
                                 window_->resize(window);
                                 return window_->size() == window;
                             })(),
                             10000);
    const QSize least = window_->minimumSizeHint().expandedTo(window_->minimumSize());
    QVERIFY2(least.width() <= window.width() && least.height() <= window.height(),
             qPrintable(QString("needs %1 x %2").arg(least.width()).arg(least.height())));
    auto* map = fixtures::part<vae::LatentMapWidget>(*window_);
    QVERIFY(map);
    QTRY_VERIFY2(std::min(map->mapRect().width(), map->mapRect().height()) >= 360,
                 qPrintable(QString("the map's plot is %1 x %2").arg(map->mapRect().width()).arg(map->mapRect().height())));
    const QRect inside = window_->rect();
    const auto reachable = [&](QWidget* control) {
        for (QWidget* above = control->parentWidget(); above && above != window_.get(); above = above->parentWidget())
            if (qobject_cast<QScrollArea*>(above)) return true;  // scrolled to
        return inside.contains(QRect(control->mapTo(window_.get(), QPoint(0, 0)), control->size()));
    };
    int checked = 0;
    for (QWidget* control : window_->findChildren<QWidget*>()) {
        const bool isControl = qobject_cast<QAbstractButton*>(control) || qobject_cast<QAbstractSpinBox*>(control) ||
                               qobject_cast<QComboBox*>(control) || qobject_cast<QLineEdit*>(control) ||
                               qobject_cast<QAbstractSlider*>(control);
        if (!isControl || !control->isVisible() || qobject_cast<QScrollBar*>(control)) continue;
        ++checked;
        QVERIFY2(reachable(control), qPrintable(QString("%1 (%2) at %3,%4 %5 x %6")
                                                     .arg(control->metaObject()->className(), control->objectName())
                                                     .arg(control->mapTo(window_.get(), QPoint(0, 0)).x())
                                                     .arg(control->mapTo(window_.get(), QPoint(0, 0)).y())
                                                     .arg(control->width()).arg(control->height())));
        // A control squeezed below its own minimum is cut, not reachable (a tab bar's arrows are
        // drawn narrower than their hint by design).
        if (qobject_cast<QTabBar*>(control->parentWidget())) continue;
        QVERIFY2(control->width() >= std::min(control->minimumSizeHint().width(), 24),
                 qPrintable(QString("%1 (%2) is %3 px wide").arg(control->metaObject()->className(), control->objectName()).arg(control->width())));
    }
    QVERIFY(checked > 30);
}

// A 16-D point's sixteen coordinates, zeros too (z1 to z6 and no zeros were all there was).
void TestFirstLook::theDecodedPointShowsEveryCoordinate() {
    vae::DecodedPointPanel panel;
    vae::DecodedPoint point;
    for (int d = 0; d < 16; ++d) point.latent.push_back(d == 3 ? 0.0f : 0.25f * float(d));
    point.image = QImage(28, 28, QImage::Format_Grayscale8);
    point.image.fill(0);
    panel.showPoint(point);
    auto* coordinates = panel.findChild<QLabel*>("coordinates");
    QVERIFY(coordinates);
    const QString text = coordinates->text();
    for (int d = 1; d <= 16; ++d) QVERIFY2(text.contains(QString("z%1\u00a0=").arg(d)), qPrintable(text));
    QVERIFY2(text.contains("z4\u00a0=\u00a00.00") && text.contains("z16\u00a0=\u00a03.75"), qPrintable(text));
}

// A class folder named like markup is a name, not markup: it reached the Selected image caption
// as big red text.
void TestFirstLook::namesFromDataAreShownAsText() {
    vae::DataPointPanel panel;
    QImage image(8, 8, QImage::Format_Grayscale8);
    image.fill(0);
    panel.showPoint(3, "<font color=red size=7>BIG", image, {0.f, 0.f}, {1.f, 1.f});
    for (QLabel* label : panel.findChildren<QLabel*>())
        if (label->text().contains("BIG")) {
            QCOMPARE(label->textFormat(), Qt::PlainText);
            QVERIFY(label->text().contains("<font color=red size=7>BIG"));
            return;
        }
    QFAIL("no label shows the class name");
}

// "1 thread" on the left and "torch 2 threads" on the right read as a contradiction: the left is
// what training uses now (the governor's), the right the pool it may use.
void TestFirstLook::theStatusBarSaysWhichThreadCountIsWhich() {
    QStatusBar bar;
    vae::TrainingStatus status(&bar);
    status.showBackend("cpu", "BLAS OpenBLAS 0.3.21 DYNAMIC_ARCH (OpenMP, 2 threads) from /usr/lib/x; torch 2 threads");
    vae::ProgressUpdate update;
    update.epochOfRun = update.epochsOfRun = 1;
    update.batch = 5;
    update.batchesPerEpoch = 10;
    update.imagesPerSecond = 100;
    update.threads = 1;
    status.showProgress(update, 1000);
    QStringList texts;
    for (const QLabel* label : bar.findChildren<QLabel*>()) texts << label->text();
    const QString all = texts.join(" | ");
    QVERIFY2(all.contains("training on 1 thread") && all.contains("torch up to 2 threads"), qPrintable(all));
}

void TestFirstLook::theGuideIsTheReadmeWithItsPictures() {
    QVERIFY2(!vae::HelpMenu::userGuidePath().isEmpty(), "no README found");
    QDialog* guide = help()->showUserGuide();
    QVERIFY(guide);
    auto* browser = guide->findChild<QTextBrowser*>();
    QVERIFY(browser);
    QVERIFY(browser->toPlainText().contains("vae-explorer train"));
    // The first picture resolves beside the README: a real image, not a broken-image icon.
    const QString html = browser->toHtml();
    const int at = html.indexOf("<img src=\"");
    QVERIFY2(at >= 0, "the guide shows no picture");
    const QString source = html.mid(at + 10, html.indexOf('"', at + 10) - at - 10);
    const QVariant image = browser->document()->resource(QTextDocument::ImageResource, QUrl(source));
    QVERIFY2(image.isValid() && !image.value<QImage>().isNull(), qPrintable(source));
    // The 1400-pixel screenshots are drawn no wider than the page.
    int pictures = 0;
    for (QTextBlock block = browser->document()->begin(); block.isValid(); block = block.next())
        for (auto fragment = block.begin(); !fragment.atEnd(); ++fragment)
            if (const QTextImageFormat format = fragment.fragment().charFormat().toImageFormat(); format.isValid()) {
                ++pictures;
                QVERIFY2(format.width() > 0 && format.width() <= browser->viewport()->width() + 40,
                         qPrintable(format.name() + " " + QString::number(format.width())));
            }
    QVERIFY(pictures >= 4);
    // A link into docs/ and Back again.
    auto* back = guide->findChild<QPushButton*>("back");
    QVERIFY(back && !back->isEnabled());
    const QString readme = browser->source().toString();
    browser->setSource(QUrl::fromLocalFile(QFileInfo(vae::HelpMenu::userGuidePath()).dir().filePath("docs/window.md")));
    QTRY_VERIFY(back->isEnabled());
    back->click();
    QTRY_COMPARE(browser->source().toString(), readme);
    guide->close();
}

void TestFirstLook::shortcutsComeFromTheMenus() {
    QDialog* dialog = help()->showShortcuts();
    auto* table = dialog->findChild<QTreeWidget*>();
    QVERIFY(table);
    QMap<QString, QString> actionOfKeys;
    for (int i = 0; i < table->topLevelItemCount(); ++i)
        actionOfKeys[table->topLevelItem(i)->text(0)] = table->topLevelItem(i)->text(1);
    QCOMPARE(actionOfKeys.value("F5"), QString("Training › Start"));
    QVERIFY2(actionOfKeys.value("Ctrl+E").startsWith("File › Export › "), qPrintable(actionOfKeys.value("Ctrl+E")));
    QCOMPARE(actionOfKeys.value("F1"), QString("Help › User guide"));
    QVERIFY(actionOfKeys.contains("Ctrl+Z"));  // the drawing pad's, which no menu lists
    QVERIFY2(actionOfKeys.value("Shift+Click").startsWith("Map: decode"), qPrintable(actionOfKeys.value("Shift+Click")));
    dialog->close();
}

void TestFirstLook::aboutNamesVersionsAndLicence() {
    const QString text = vae::HelpMenu::aboutText();
    QVERIFY(text.contains(VAE_EXPLORER_VERSION));
    QVERIFY(text.contains(qVersion()));
    QVERIFY(text.contains(QString::fromStdString(vae::libTorchVersion())));
    QVERIFY(text.contains("BLAS"));
    QVERIFY(text.contains("GPL-3.0-or-later"));
    help()->showAbout()->close();
}

QTEST_MAIN(TestFirstLook)
#include "tst_firstlook.moc"
