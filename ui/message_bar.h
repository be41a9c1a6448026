#pragma once
// The window's one-line problem report: a red bar above the panels (selectable, so it can be
// copied) and the status bar's line, until the next action clears it.
#include <QLabel>

QT_BEGIN_NAMESPACE
class QStatusBar;
QT_END_NAMESPACE

namespace vae {

class MessageBar : public QLabel {
    Q_OBJECT
public:
    explicit MessageBar(QStatusBar* status, QWidget* parent = nullptr);
    void showMessage(const QString& text);
    void clearMessage();
    QString message() const;  // empty while hidden
    // A passing note in the status bar (a save, an export), not a problem.
    void showStatus(const QString& text, int milliseconds = 5000);

private:
    QStatusBar* status_;
};

}  // namespace vae
