// What closing the window does with a model that is in no file, without a window.
#include "unsaved_model.h"

#include <QtTest>

using Step = vae::UnsavedModel::CloseStep;

class TestUnsavedModel : public QObject {
    Q_OBJECT
private slots:
    void nothingToLoseCloses();
    void trainedModelAsks();
    void saveBeforeClosing();
    void failedSaveKeepsTheWindow();
};

void TestUnsavedModel::nothingToLoseCloses() {
    vae::UnsavedModel model;
    QCOMPARE(model.closeRequested(true), Step::Close);
    model.trainingStarted();
    model.modelReplaced();  // Reset, or a model opened from a file
    QCOMPARE(model.closeRequested(true), Step::Close);
}

void TestUnsavedModel::trainedModelAsks() {
    vae::UnsavedModel model;
    model.trainingStarted();
    QVERIFY(model.unsaved());
    QCOMPARE(model.closeRequested(true), Step::Ask);
    QCOMPARE(model.closeRequested(false), Step::Close);  // tests and scripts do not ask
    model.modelSaved();
    QCOMPARE(model.closeRequested(true), Step::Close);
}

void TestUnsavedModel::saveBeforeClosing() {
    vae::UnsavedModel model;
    model.trainingStarted();
    QCOMPARE(model.closeRequested(true), Step::Ask);
    model.saveThenClose("/models/run.pt");  // the user chose Save
    QCOMPARE(model.saveThenClosePath(), QString("/models/run.pt"));
    model.modelSaved();  // the save succeeded: the window closes itself again
    QCOMPARE(model.closeRequested(true), Step::Close);
}

void TestUnsavedModel::failedSaveKeepsTheWindow() {
    vae::UnsavedModel model;
    model.trainingStarted();
    model.saveThenClose("/full/run.pt");
    // The save failed (a full disk): the second close keeps the window, and the next asks again.
    QCOMPARE(model.closeRequested(true), Step::StayOpen);
    QVERIFY(model.saveThenClosePath().isEmpty());
    QCOMPARE(model.closeRequested(true), Step::Ask);
}

QTEST_GUILESS_MAIN(TestUnsavedModel)
#include "tst_unsavedmodel.moc"
