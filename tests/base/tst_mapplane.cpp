// The map's plane as the user chooses it: two axes, the PCA plane, the plane through two test
// images and the centre of the data; and what is refused, in one line.
#include "errors.h"
#include "file_export.h"
#include "map_plane.h"

#include <QtTest>

#include <cmath>

namespace {

// Four points in 3-D around (1, 1, 1); their summary.
vae::Encodings fourPoints() {
    return {4, 3, {2, 1, 1, 0, 1, 1, 1, 3, 1, 1, -1, 1}, std::vector<float>(12, 0.0f)};
}

}  // namespace

class TestMapPlane : public QObject {
    Q_OBJECT
private slots:
    void axesAreTheChosenAxes();
    void pcaPlaneIsTheSummarysPlane();
    void throughTwoPointsAndTheCentre();
    void refusesWhatCannotBeMade();
    void encodingsCsvHasOneRowPerImage();
};

void TestMapPlane::axesAreTheChosenAxes() {
    const auto plane = vae::resolvePlane({vae::PlaneMode::Axes, 2, 0}, 3, nullptr, nullptr);
    QCOMPARE(plane.xLabel, QString("z3"));
    QCOMPARE(plane.yLabel, QString("z1"));
    QCOMPARE(plane.plane.pointAt(1, 2), (std::vector<float>{2, 0, 1}));
}

void TestMapPlane::pcaPlaneIsTheSummarysPlane() {
    const auto encodings = fourPoints();
    const auto summary = vae::summarizeEncodings(encodings);
    const auto plane = vae::resolvePlane({vae::PlaneMode::Pca}, 3, &encodings, &summary);
    QVERIFY(plane.plane == summary.pcaPlane());
    QVERIFY2(plane.xLabel.contains("PC1 (") && plane.xLabel.contains("% of the variance"), qPrintable(plane.xLabel));
    QCOMPARE(plane.plane.origin, (std::vector<float>{1, 1, 1}));  // the centre of the data
}

void TestMapPlane::throughTwoPointsAndTheCentre() {
    const auto encodings = fourPoints();
    const auto summary = vae::summarizeEncodings(encodings);
    vae::PlaneChoice choice{vae::PlaneMode::ThroughPoints};
    choice.pointA = 0;  // (2,1,1): +x from the centre
    choice.pointB = 2;  // (1,3,1): +2y from the centre
    const auto plane = vae::resolvePlane(choice, 3, &encodings, &summary).plane;
    // Both points lie on the plane, at (1, 0) and (0, 2).
    QCOMPARE(plane.project(encodings.muOf(0)), (std::vector<float>{1, 0}));
    QCOMPARE(plane.project(encodings.muOf(2)), (std::vector<float>{0, 2}));
    QCOMPARE(plane.pointAt(0, 2), encodings.muOf(2));
}

void TestMapPlane::refusesWhatCannotBeMade() {
    const auto encodings = fourPoints();
    const auto summary = vae::summarizeEncodings(encodings);
    const auto message = [&](const vae::PlaneChoice& choice, int dim, bool withData) -> QString {
        try {
            vae::resolvePlane(choice, dim, withData ? &encodings : nullptr, withData ? &summary : nullptr);
        } catch (const vae::ConfigError& error) {
            return error.what();
        }
        return {};
    };
    QVERIFY(message({vae::PlaneMode::Pca}, 3, false).contains("needs the encoded test set"));
    QVERIFY(message({vae::PlaneMode::Pca}, 4, true).contains("needs the encoded test set"));  // another latent size
    vae::PlaneChoice points{vae::PlaneMode::ThroughPoints};
    QVERIFY(message(points, 3, true).contains("select two test images"));
    points.pointA = points.pointB = 1;
    QVERIFY(message(points, 3, true).contains("the same one"));
    points.pointB = 9;
    QVERIFY(message(points, 3, true).contains("select two test images"));
    QVERIFY(message({vae::PlaneMode::Axes, 0, 3}, 3, false).contains("are not two different axes"));
    // Two points in line with the centre span no plane.
    const vae::Encodings inLine{3, 2, {1, 1, 2, 2, 3, 3}, std::vector<float>(6, 0.0f)};
    const auto lineSummary = vae::summarizeEncodings(inLine);
    vae::PlaneChoice line{vae::PlaneMode::ThroughPoints};
    line.pointA = 0;
    line.pointB = 2;
    try {
        vae::resolvePlane(line, 2, &inLine, &lineSummary);
        QFAIL("a plane through two points in line with the centre");
    } catch (const vae::ConfigError& error) {
        QVERIFY2(QString(error.what()).contains("zero") || QString(error.what()).contains("parallel"), error.what());
    }
}

void TestMapPlane::encodingsCsvHasOneRowPerImage() {
    const auto csv = vae::encodingsCsv(fourPoints(), {7, 8, 9, 0});
    const auto lines = csv.trimmed().split('\n');
    QCOMPARE(lines.size(), 5);
    QCOMPARE(lines[0], QByteArray("index,label,mu_1,mu_2,mu_3,logvar_1,logvar_2,logvar_3"));
    QCOMPARE(lines[3], QByteArray("2,9,1,3,1,0,0,0"));
    // With factors (sprites): their columns after the label, a name with a space as it is.
    const auto withFactors = vae::encodingsCsv(fourPoints(), {7, 8, 9, 0}, {"shape", "position x"}, {0, 0.5f, 1, 0.25f, 2, 1, 0, 0});
    const auto rows = withFactors.trimmed().split('\n');
    QCOMPARE(rows[0], QByteArray("index,label,shape,position x,mu_1,mu_2,mu_3,logvar_1,logvar_2,logvar_3"));
    QCOMPARE(rows[3], QByteArray("2,9,2,1,1,3,1,0,0,0"));
}

QTEST_GUILESS_MAIN(TestMapPlane)
#include "tst_mapplane.moc"
