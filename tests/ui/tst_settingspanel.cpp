// The settings panel is built from core's settings table: every row the table shows in the
// window has a field named by its key, with the row's range, tooltip and lock.
#include "settings.h"
#include "settings_panel.h"
#include "wheel_guard.h"

#include <QAbstractButton>
#include <QApplication>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QRegularExpressionValidator>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QVBoxLayout>
#include <QWheelEvent>
#include <QSpinBox>
#include <QtTest>

#include <cmath>
#include <limits>

using vae::Setting;
using vae::SettingField;

class TestSettingsPanel : public QObject {
    Q_OBJECT
private slots:
    void everyShownRowHasItsField();
    void roundTripsEverySetting();
    void locksFollowTheRowsGroups();
    void advancedRowsCollapseUntilTheyMatter();
    void aPresetBringsItsDataSet();
    void aDataSetComesAtItsOwnSize();
    void oneBetaEditIsSentOnce();
    void theWheelChangesOnlyAFocusedField();
};

namespace {

void checkRange(const Setting& row, QWidget* field) {
    const QString key = QString::fromStdString(row.key);
    switch (row.field) {
        case SettingField::Spin: {
            auto* spin = qobject_cast<QSpinBox*>(field);
            QVERIFY2(spin, qPrintable(key));
            QCOMPARE(spin->minimum(), int(row.min));
            QCOMPARE(spin->maximum(), int(std::min<double>(row.max, std::numeric_limits<int>::max())));
            break;
        }
        case SettingField::Decimal: {
            auto* decimal = qobject_cast<QDoubleSpinBox*>(field);
            QVERIFY2(decimal, qPrintable(key));
            QCOMPARE(decimal->decimals(), row.decimals);
            QCOMPARE(decimal->maximum(), row.max);
            QCOMPARE(decimal->minimum(), row.minExclusive ? row.min + std::pow(10.0, -row.decimals) : row.min);
            break;
        }
        case SettingField::Widths: {
            auto* line = qobject_cast<QLineEdit*>(field);
            QVERIFY2(line && line->validator(), qPrintable(key));
            QString largest = QString::number(qlonglong(row.max)), tooLong = largest + "0";
            int at = 0;
            QCOMPARE(line->validator()->validate(largest, at), QValidator::Acceptable);
            QVERIFY(line->validator()->validate(tooLong, at) != QValidator::Acceptable);
            break;
        }
        case SettingField::Choice: {
            auto* choice = qobject_cast<QComboBox*>(field);
            QVERIFY2(choice, qPrintable(key));
            QCOMPARE(std::size_t(choice->count()), row.choices.size());
            for (std::size_t i = 0; i < row.choices.size(); ++i)
                QCOMPARE(choice->itemData(int(i)).toString(), QString::fromStdString(row.choices[i]));
            break;
        }
        case SettingField::DataSource: QVERIFY(qobject_cast<QComboBox*>(field)); break;
        case SettingField::Hidden: QFAIL("a hidden row has a field"); break;
    }
}

}  // namespace

void TestSettingsPanel::everyShownRowHasItsField() {
    vae::SettingsPanel panel;
    int shown = 0;
    for (const Setting& row : vae::settingsTable()) {
        QWidget* field = panel.findChild<QWidget*>(QString::fromStdString(row.key));
        if (row.field == SettingField::Hidden) {
            QVERIFY2(!field, row.key.c_str());
            continue;
        }
        ++shown;
        QVERIFY2(field, row.key.c_str());
        QCOMPARE(field, panel.field(row.key));
        if (row.key != "hidden" && row.key != "beta")  // these two say more (a decoder's widths, β's changes)
            QCOMPARE(field->toolTip(), QString::fromStdString(row.help));
        else
            QVERIFY(field->toolTip().startsWith(QString::fromStdString(row.help).left(10)));
        checkRange(row, field);
        if (QTest::currentTestFailed()) return;
    }
    QVERIFY(shown >= 18);
}

// Settings shown and read back are the settings given, for every row the panel shows.
void TestSettingsPanel::roundTripsEverySetting() {
    vae::RunSettings chosen;
    chosen.dataset = "fashion-mnist";
    chosen.testFraction = 0.25;  // the field shows three decimals
    chosen.model.latentDim = 7;
    chosen.model.encoderHidden = {300, 100};
    chosen.model.decoderHidden = {100, 300};
    chosen.model.architecture = vae::Architecture::Conv;
    chosen.model.convChannels = {16, 32};
    chosen.model.activation = vae::Activation::Tanh;
    chosen.model.likelihood = vae::Likelihood::Gaussian;
    chosen.model.gaussianSigma = 0.25;
    chosen.training.beta = 4;
    chosen.training.warmupEpochs = 3;
    chosen.training.freeBits = 0.5;
    chosen.training.binarize = vae::Binarization::Dynamic;
    chosen.training.epochs = 12;
    chosen.training.batchSize = 64;
    chosen.training.learningRate = 0.00125;
    chosen.training.lrDecay = 0.7;
    chosen.training.lrDecayEvery = 5;
    chosen.training.seed = 42;
    chosen.threads = 1;  // no field: kept as given
    vae::SettingsPanel panel;
    panel.setSettings(chosen);
    const vae::RunSettings read = panel.settings();
    for (const Setting& row : vae::settingsTable())
        QCOMPARE(QString::fromStdString(row.get(read)), QString::fromStdString(row.get(chosen)));
}

void TestSettingsPanel::locksFollowTheRowsGroups() {
    vae::SettingsPanel panel;
    panel.setModelLocked(true);
    panel.setTrainingLocked(true);
    for (const Setting& row : vae::settingsTable())
        if (QWidget* field = panel.field(row.key))
            QCOMPARE(field->isEnabled(), row.editableWhileTraining);
    panel.setModelLocked(false);
    panel.setTrainingLocked(false);
    QVERIFY(panel.field("latent_dim")->isEnabled());
    QVERIFY(!panel.field("sigma")->isEnabled());  // Bernoulli by default: σ means nothing
    QVERIFY(!panel.field("image_size")->isEnabled());  // MNIST: not an image folder
    qobject_cast<QComboBox*>(panel.field("likelihood"))->setCurrentIndex(1);
    QVERIFY(panel.field("sigma")->isEnabled());
}

// The rows the table marks advanced sit in one collapsed section; the others stay in view; a run
// that uses an advanced setting opens the section.
void TestSettingsPanel::advancedRowsCollapseUntilTheyMatter() {
    vae::SettingsPanel panel;
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QVERIFY(!panel.advancedShown());
    int advanced = 0;
    for (const Setting& row : vae::settingsTable()) {
        QWidget* field = panel.field(row.key);
        if (!field) continue;
        QCOMPARE(field->isVisible(), !row.advanced);
        advanced += row.advanced;
    }
    QVERIFY(advanced >= 5);  // warm-up, free bits, binarize, LR decay, σ
    auto* toggle = panel.findChild<QAbstractButton*>("advanced");
    QVERIFY(toggle);
    toggle->click();
    QVERIFY(panel.advancedShown());
    QVERIFY(panel.field("warmup_epochs")->isVisible());
    toggle->click();
    QVERIFY(!panel.field("warmup_epochs")->isVisible());

    vae::RunSettings withWarmup;
    withWarmup.training.warmupEpochs = 5;
    panel.setSettings(withWarmup);
    QVERIFY(panel.advancedShown());
    QVERIFY(panel.field("warmup_epochs")->isVisible());
}


namespace {
void activate(QComboBox* combo, const QString& data) {
    const int index = combo->findData(data);
    QVERIFY2(index >= 0, qPrintable(data));
    combo->setCurrentIndex(index);
    emit combo->activated(index);  // as a click on the item does
}
}  // namespace

// Choosing the emoji preset in the window trains emoji at 32 px, as --preset emoji does.
void TestSettingsPanel::aPresetBringsItsDataSet() {
    vae::SettingsPanel panel;
    QSignalSpy dataChosen(&panel, &vae::SettingsPanel::dataChosen);
    activate(panel.findChild<QComboBox*>("preset"), "emoji");
    QCOMPARE(dataChosen.count(), 1);
    const vae::RunSettings settings = panel.settings();
    QCOMPARE(settings.dataset, std::string("emoji"));
    QCOMPARE(settings.imageSize, 32);
    QCOMPARE(settings.model.latentDim, 16);
    activate(panel.findChild<QComboBox*>("preset"), "paper");  // made for any data: keeps emoji
    QCOMPARE(dataChosen.count(), 1);
    QCOMPARE(panel.settings().dataset, std::string("emoji"));
}

// Sprites are drawn at 64 px unless the user says otherwise; a trained model's data at its size.
void TestSettingsPanel::aDataSetComesAtItsOwnSize() {
    vae::SettingsPanel panel;
    activate(qobject_cast<QComboBox*>(panel.field("dataset")), "sprites");
    QCOMPARE(panel.settings().imageSize, 64);
    vae::ModelConfig trained;
    trained.imageRows = trained.imageCols = 40;
    panel.showModel(trained);
    panel.setModelLocked(true);
    activate(qobject_cast<QComboBox*>(panel.field("dataset")), "emoji");
    QCOMPARE(qobject_cast<QSpinBox*>(panel.field("image_size"))->value(), 40);
}

// Enter and then the focus leaving both finish an edit: β 3 is one change, not two.
void TestSettingsPanel::oneBetaEditIsSentOnce() {
    vae::SettingsPanel panel;
    panel.setTrainingLocked(true);
    QSignalSpy edited(&panel, &vae::SettingsPanel::betaEdited);
    auto* beta = qobject_cast<QDoubleSpinBox*>(panel.field("beta"));
    beta->setValue(3);
    emit beta->editingFinished();  // Enter
    emit beta->editingFinished();  // the focus leaves
    QCOMPARE(edited.count(), 1);
    QCOMPARE(edited.at(0).at(0).toDouble(), 3.0);
    panel.recordBetaChange({98, 3});
    emit beta->editingFinished();
    QCOMPARE(edited.count(), 1);
    beta->setValue(1);
    emit beta->editingFinished();
    QCOMPARE(edited.count(), 2);
}

// A wheel turn over a field that has no focus scrolls its panel and leaves the value alone.
void TestSettingsPanel::theWheelChangesOnlyAFocusedField() {
    vae::WheelGuard guard;
    qApp->installEventFilter(&guard);
    QScrollArea area;
    auto* content = new QWidget;
    auto* layout = new QVBoxLayout(content);
    auto* elsewhere = new QLineEdit;  // where the focus is while the panel is scrolled
    auto* spin = new QSpinBox;
    spin->setRange(0, 1000);
    spin->setValue(100);
    layout->addWidget(elsewhere);
    layout->addWidget(spin);
    layout->addSpacing(3000);
    area.setWidget(content);
    area.resize(300, 200);
    area.show();
    QVERIFY(QTest::qWaitForWindowExposed(&area));
    QCOMPARE(spin->focusPolicy(), Qt::StrongFocus);
    elsewhere->setFocus();
    QTRY_VERIFY(elsewhere->hasFocus());
    const auto turn = [&] {
        const QPoint at = spin->rect().center();
        QWheelEvent wheel(at, spin->mapToGlobal(at), {}, {0, -120}, Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(spin, &wheel);
    };
    turn();
    QCOMPARE(spin->value(), 100);
    QVERIFY(area.verticalScrollBar()->value() > 0);  // the panel scrolled instead
    spin->setFocus();
    QTRY_VERIFY(spin->hasFocus());
    turn();
    QVERIFY(spin->value() != 100);
}

QTEST_MAIN(TestSettingsPanel)
#include "tst_settingspanel.moc"
