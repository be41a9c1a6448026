// The loss chart as a new user first sees it: empty axes that read sensibly, a legend that
// lists a series only once it has data, and no two series in one colour.
#include "loss_chart.h"

#include <QChart>
#include <QSet>
#include <QXYSeries>
#include <QtTest>

class TestLossChart : public QObject {
    Q_OBJECT
private slots:
    void emptyAxesHaveDistinctLabels();
    void theLegendListsOnlySeriesWithData();
    void noTwoSeriesShareAColour();
    void betaTcSplitHasItsOwnAxis();
    void manyEpochsDrawALineNotABand();
    void aMeasuredLikelihoodStaysWithItsModel();
};

void TestLossChart::emptyAxesHaveDistinctLabels() {
    vae::LossChart chart;
    const QStringList labels = chart.yTickLabels();
    QVERIFY(labels.size() >= 2);
    QCOMPARE(QSet<QString>(labels.begin(), labels.end()).size(), labels.size());  // was "2 2 1 1 0"
    // And on a small range once there is data: 0.2-nat steps get a decimal.
    vae::StepLoss step;
    for (int i = 0; i < 30; ++i) {
        step.step = i;
        step.train.loss = 3 + 0.01 * (i % 3);
        chart.addSteps({step});
    }
    QTRY_VERIFY(chart.plottedTrainPoints() == 30);
    const QStringList small = chart.yTickLabels();
    QCOMPARE(QSet<QString>(small.begin(), small.end()).size(), small.size());
}

void TestLossChart::theLegendListsOnlySeriesWithData() {
    vae::LossChart chart;  // shown empty, as in the window: the legend must lay itself out again
    chart.resize(900, 260);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    QTRY_VERIFY(chart.legendEntries().isEmpty());
    vae::StepLoss step;
    step.train = {100, 90, 10};
    for (int i = 1; i <= 5; ++i) {
        step.step = i * 10;
        chart.addSteps({step});
    }
    QTRY_COMPARE(chart.legendEntries(), (QStringList{"train −ELBO", "reconstruction", "KL"}));
    vae::EpochMetrics epoch;
    epoch.step = 50;
    epoch.test = {95, 85, 10};
    chart.addEpoch(epoch);
    chart.markBetaChange({20, 0.5});
    chart.addLikelihood(50, 90);
    QTRY_COMPARE(chart.legendEntries().size(), 6);
    // The six names are drawn, not only listed: dark text pixels above the plot.
    const auto legendTextPixels = [&chart] {
        const QImage image = chart.grab().toImage();
        int dark = 0;
        for (int y = 0; y < int(chart.chart()->plotArea().top()) - 4; ++y)
            for (int x = 0; x < image.width(); ++x) dark += qGray(image.pixel(x, y)) < 110;
        return dark;
    };
    QTRY_VERIFY2(legendTextPixels() > 600, qPrintable(QString::number(legendTextPixels())));
    QVERIFY(chart.legendEntries().contains("β changed"));
    QVERIFY(chart.legendEntries().contains("−log p(x) (IWAE)"));
    chart.clear();
    QTRY_VERIFY(chart.legendEntries().isEmpty());
}

void TestLossChart::noTwoSeriesShareAColour() {
    vae::LossChart chart;
    QSet<QRgb> colours;
    const auto series = chart.chart()->series();
    for (QAbstractSeries* one : series) colours << static_cast<QXYSeries*>(one)->color().rgb();
    QCOMPARE(colours.size(), series.size());
}

// β-TCVAE's KL split as three curves on a right axis, only when the steps carry one: its parts
// go far below zero (MWS's offsets) and must not stretch the loss axis or break the log scale.
void TestLossChart::betaTcSplitHasItsOwnAxis() {
    vae::LossChart chart;
    chart.resize(900, 300);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    vae::StepLoss step;
    step.train = {60, 52, 8};
    for (int i = 1; i <= 30; ++i) {
        step.step = i * 10;
        chart.addSteps({step});
    }
    QTRY_COMPARE(chart.plottedTrainPoints(), 30);
    QCOMPARE(chart.plottedSplitPoints(), 0);
    QVERIFY(!chart.splitAxisShown());
    QVERIFY(!chart.legendEntries().contains("total correlation"));
    for (int i = 31; i <= 60; ++i) {
        step.step = i * 10;
        step.klSplit = vae::KlSplit{15, 107, -114};
        chart.addSteps({step});
    }
    QTRY_COMPARE(chart.plottedSplitPoints(), 30);  // the steps that have a split
    QVERIFY(chart.splitAxisShown());
    for (const char* name : {"index-code MI", "total correlation", "dimension-wise KL"})
        QVERIFY2(chart.legendEntries().contains(name), name);
    QVERIFY(chart.yTickLabels().size() >= 2);  // the loop below checks something
    for (const QString& label : chart.yTickLabels()) QVERIFY2(label.toDouble() >= 0, qPrintable(label));  // loss axis
    chart.setLogScale(true);
    QTRY_VERIFY(chart.splitAxisShown());
    QCOMPARE(chart.plottedSplitPoints(), 30);
    chart.clear();
    QTRY_VERIFY(!chart.splitAxisShown());
}

// Five epochs: dots on the test line and the last value in the legend; five hundred: the line
// alone (the dots had run together into a band hiding the curves).
void TestLossChart::manyEpochsDrawALineNotABand() {
    vae::LossChart chart;
    chart.resize(800, 300);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    vae::EpochMetrics metrics;
    for (int epoch = 1; epoch <= 500; ++epoch) {
        metrics.epoch = epoch;
        metrics.step = epoch * 100;
        metrics.test.loss = 100 + 50.0 / epoch;
        chart.addEpoch(metrics);
        if (epoch == 5) {
            QTRY_COMPARE(chart.plottedTestPoints(), 5);
            QVERIFY(chart.testMarkersShown());
            QVERIFY2(chart.legendEntries().contains("test −ELBO (each epoch; last 110.00)"), qPrintable(chart.legendEntries().join(", ")));
        }
    }
    QTRY_COMPARE(chart.plottedTestPoints(), 500);
    QVERIFY(!chart.testMarkersShown());
    QVERIFY2(chart.legendEntries().contains("test −ELBO (each epoch; last 100.10)"), qPrintable(chart.legendEntries().join(", ")));
}

// A −log p(x) measured of a model stays when the same model trains on, and goes with another.
void TestLossChart::aMeasuredLikelihoodStaysWithItsModel() {
    vae::LossChart chart;
    chart.addLikelihood(500, 90.5);
    QCOMPARE(chart.plottedLikelihoodPoints(), 1);
    chart.showHistory({}, true);
    QCOMPARE(chart.plottedLikelihoodPoints(), 1);
    chart.showHistory({}, false);
    QCOMPARE(chart.plottedLikelihoodPoints(), 0);
}

QTEST_MAIN(TestLossChart)
#include "tst_losschart.moc"
