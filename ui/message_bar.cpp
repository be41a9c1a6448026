#include "message_bar.h"

#include <QStatusBar>

namespace vae {

MessageBar::MessageBar(QStatusBar* status, QWidget* parent) : QLabel(parent), status_(status) {
    setObjectName("message");
    setWordWrap(true);
    setStyleSheet("background: #fde2e1; color: #7a1c17; padding: 6px; border: 1px solid #e8a39e;");
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    setTextFormat(Qt::PlainText);  // messages quote file and class names
    hide();
}

void MessageBar::showMessage(const QString& text) {
    setText(text);
    show();
    status_->showMessage(text.section('\n', 0, 0), 8000);
}

void MessageBar::clearMessage() { hide(); }

void MessageBar::showStatus(const QString& text, int milliseconds) { status_->showMessage(text, milliseconds); }

QString MessageBar::message() const { return isVisible() ? text() : QString(); }

}  // namespace vae
