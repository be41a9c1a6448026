// A drawing prepared as MNIST's digits were: crop, fit 20x20 of 28x28, centre of mass centred.
#include "digit_preprocess.h"

#include <QPainter>
#include <QtTest>

namespace {

QImage pad() {
    QImage canvas(280, 280, QImage::Format_Grayscale8);
    canvas.fill(0);
    return canvas;
}

struct Ink {
    int left = 1000, right = -1, top = 1000, bottom = -1;
    double centreX = 0, centreY = 0;
};

Ink measure(const QImage& image) {
    Ink ink;
    double mass = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const int value = image.constScanLine(y)[x];
            if (value >= 16) ink.left = std::min(ink.left, x), ink.right = std::max(ink.right, x),
                             ink.top = std::min(ink.top, y), ink.bottom = std::max(ink.bottom, y);
            mass += value;
            ink.centreX += value * (x + 0.5);
            ink.centreY += value * (y + 0.5);
        }
    ink.centreX /= mass;
    ink.centreY /= mass;
    return ink;
}

}  // namespace

class TestDigitPrep : public QObject {
    Q_OBJECT
private slots:
    void offCentreDrawingIsCentredByMass();
    void largeDrawingFitsTwentyPixels();
    void thinStrokeKeepsItsAspect();
    void emptyPadSaysSo();
    void otherImageSizes();
};

void TestDigitPrep::offCentreDrawingIsCentredByMass() {
    QImage canvas = pad();
    QPainter painter(&canvas);
    painter.fillRect(10, 20, 60, 40, Qt::white);  // top-left corner, wider than tall
    painter.fillRect(10, 20, 15, 100, Qt::white);  // and a leg: the mass is off the box's centre
    painter.end();
    const auto prepared = vae::prepareDigit(canvas, 28, 28);
    QVERIFY2(prepared.error.isEmpty(), qPrintable(prepared.error));
    QCOMPARE(prepared.image.size(), QSize(28, 28));
    const Ink ink = measure(prepared.image);
    QVERIFY2(std::abs(ink.centreX - 14) <= 0.5 && std::abs(ink.centreY - 14) <= 0.5,
             qPrintable(QString("centre of mass %1, %2").arg(ink.centreX).arg(ink.centreY)));
    QCOMPARE(ink.bottom - ink.top + 1, 20);  // the taller side (100 px) becomes 20
}

void TestDigitPrep::largeDrawingFitsTwentyPixels() {
    QImage canvas = pad();
    QPainter painter(&canvas);
    painter.setPen(QPen(Qt::white, 30));
    painter.drawEllipse(QRect(0, 0, 279, 279));  // as large as the pad
    painter.end();
    const auto prepared = vae::prepareDigit(canvas, 28, 28);
    const Ink ink = measure(prepared.image);
    QVERIFY(ink.right - ink.left + 1 <= 20 && ink.bottom - ink.top + 1 <= 20);
    QVERIFY(ink.right - ink.left + 1 >= 19);
    QVERIFY(ink.left >= 3 && ink.top >= 3);  // a margin on every side, as in MNIST
}

void TestDigitPrep::thinStrokeKeepsItsAspect() {
    QImage canvas = pad();
    QPainter painter(&canvas);
    painter.fillRect(200, 40, 12, 200, Qt::white);  // a "1" near the right edge
    painter.end();
    const Ink ink = measure(vae::prepareDigit(canvas, 28, 28).image);
    QCOMPARE(ink.bottom - ink.top + 1, 20);
    QVERIFY(ink.right - ink.left + 1 <= 2);
    QVERIFY(std::abs(ink.centreX - 14) <= 0.5);
}

void TestDigitPrep::emptyPadSaysSo() {
    const auto prepared = vae::prepareDigit(pad(), 28, 28);
    QVERIFY(prepared.image.isNull());
    QCOMPARE(prepared.error, QString("The pad is empty: draw a digit first"));
    QImage faint = pad();
    faint.fill(10);  // below the ink threshold everywhere
    QVERIFY(!vae::prepareDigit(faint, 28, 28).error.isEmpty());
}

void TestDigitPrep::otherImageSizes() {
    QImage canvas = pad();
    QPainter painter(&canvas);
    painter.fillRect(100, 100, 80, 80, Qt::white);
    painter.end();
    const auto prepared = vae::prepareDigit(canvas, 14, 14);
    QCOMPARE(prepared.image.size(), QSize(14, 14));
    const Ink ink = measure(prepared.image);
    QCOMPARE(ink.right - ink.left + 1, 10);  // 5/7 of 14
}

QTEST_GUILESS_MAIN(TestDigitPrep)
#include "tst_digitprep.moc"
