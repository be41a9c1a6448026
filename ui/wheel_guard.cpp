#include "wheel_guard.h"

#include <QAbstractSpinBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QEvent>
#include <QWheelEvent>
#include <QWidget>

namespace vae {

bool WheelGuard::eventFilter(QObject* watched, QEvent* event) {
    const bool valueField = qobject_cast<QAbstractSpinBox*>(watched) || qobject_cast<QComboBox*>(watched);
    if (!valueField) return false;
    auto* widget = static_cast<QWidget*>(watched);
    // Their default policy takes the focus on a wheel turn, before any filter sees the turn.
    if (event->type() == QEvent::Polish && widget->focusPolicy() == Qt::WheelFocus) widget->setFocusPolicy(Qt::StrongFocus);
    if (event->type() != QEvent::Wheel || widget->hasFocus()) return false;
    // Offered to the widgets above instead, nearest first, until one takes it (a scroll area):
    // Qt passes a sent wheel event to no parent by itself.
    const auto* wheel = static_cast<QWheelEvent*>(event);
    for (QWidget* above = widget->parentWidget(); above; above = above->parentWidget()) {
        QWheelEvent passed(above->mapFromGlobal(wheel->globalPosition()), wheel->globalPosition(), wheel->pixelDelta(),
                           wheel->angleDelta(), wheel->buttons(), wheel->modifiers(), wheel->phase(), wheel->inverted(),
                           wheel->source());
        passed.ignore();
        QCoreApplication::sendEvent(above, &passed);
        if (passed.isAccepted() || above->isWindow()) break;
    }
    return true;
}

}  // namespace vae
