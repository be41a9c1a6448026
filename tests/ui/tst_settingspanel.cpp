// The settings panel is built from core's settings table: every row the table shows in the
// window has a field named by its key, with the row's range, tooltip and lock.
#include "settings.h"
#include "settings_panel.h"

#include <QAbstractButton>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QRegularExpressionValidator>
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

QTEST_MAIN(TestSettingsPanel)
#include "tst_settingspanel.moc"
