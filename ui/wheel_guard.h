#pragma once
// Spin boxes and choosers take the mouse wheel only once they have the focus: scrolling a panel
// past them must scroll the panel, not change a value unseen (the Walk tab's GIF delay went from
// 100 to 20 ms while its panel was scrolled). Installed once on the application.
#include <QObject>

namespace vae {

class WheelGuard : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
};

}  // namespace vae
