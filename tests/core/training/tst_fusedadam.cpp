// The fused optimizer must give Adam's numbers.
#include "torch_probes.h"

#include <QtTest>

class TestFusedAdam : public QObject {
    Q_OBJECT
private slots:
    void matchesTorchAdam_data() {
        QTest::addColumn<double>("weightDecay");
        QTest::newRow("plain") << 0.0;
        QTest::newRow("weight decay") << 0.01;
    }
    void matchesTorchAdam() {
        QFETCH(double, weightDecay);
        const double difference = probes::fusedAdamMaxRelativeDifference(50, weightDecay);
        QVERIFY2(difference < 1e-4, qPrintable(QString::number(difference)));
    }
};

QTEST_GUILESS_MAIN(TestFusedAdam)
#include "tst_fusedadam.moc"
