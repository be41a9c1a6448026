#pragma once
// Whether the window's model holds training that is in no file, and what closing must do about
// it: the decisions without the dialogs, so they are tested without a window. The window asks
// the user when told to, and reports the outcomes here.
#include <QString>

namespace vae {

class UnsavedModel {
public:
    enum class CloseStep {
        Close,     // nothing to lose, or the user decided: close now
        Ask,       // trained and not saved: ask Save / Discard / Cancel
        StayOpen,  // the save before closing failed: stay open, its error is on screen
    };

    void trainingStarted() { unsaved_ = true; }
    void modelReplaced() { unsaved_ = false; }  // a new or an opened model: nothing of it is lost
    void modelSaved() { unsaved_ = false; }
    bool unsaved() const { return unsaved_; }

    // A close request; mayAsk false (tests, scripts) closes without asking.
    CloseStep closeRequested(bool mayAsk);
    // The user chose Save: the window saves to `path` once training has stopped, then closes again.
    void saveThenClose(const QString& path) { saveThenClosePath_ = path; }
    const QString& saveThenClosePath() const { return saveThenClosePath_; }

private:
    bool unsaved_ = false;
    QString saveThenClosePath_;
};

}  // namespace vae
