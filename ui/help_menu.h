#pragma once
// The window's Help menu: the user guide (the README, rendered, from the installed docs or the
// source tree), the keyboard shortcuts (read from the window's own menus, so never out of date)
// and About (the versions of the app, Qt, LibTorch and BLAS, and the licence).
#include <QObject>
#include <QString>

QT_BEGIN_NAMESPACE
class QDialog;
class QMainWindow;
class QMenu;
QT_END_NAMESPACE

namespace vae {

class HelpMenu : public QObject {
    Q_OBJECT
public:
    explicit HelpMenu(QMainWindow* window);
    void addMenu(QMenu* help);

    // Each opens (non-modal) and returns its dialog; the guide is null when no README is found.
    QDialog* showUserGuide();
    QDialog* showShortcuts();
    QDialog* showAbout();

    // The README the guide shows: the installed one beside the program, else the source tree's.
    static QString userGuidePath();
    static QString aboutText();

private:
    QMainWindow* window_;
};

}  // namespace vae
