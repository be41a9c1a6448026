#pragma once
// The timeline under the map: a slider over the snapshots taken while the model trained, with
// play/pause and GIF export. Its last position is "live": the model as it is now.
#include <QWidget>

QT_BEGIN_NAMESPACE
class QCheckBox;
class QLabel;
class QPushButton;
class QSlider;
QT_END_NAMESPACE

namespace vae {

class ReplayBar : public QWidget {
    Q_OBJECT
public:
    explicit ReplayBar(QWidget* parent = nullptr);

    void setCount(int snapshots);  // keeps "live" live, and a replayed position where it was
    int position() const;          // 0..count; count is live
    bool isLive() const;
    void setPosition(int position);
    void setCaption(const QString& text);
    void setPlaying(bool playing);
    bool keepInSavedModels() const;
    void setKeepInSavedModels(bool keep);

signals:
    void positionChanged(int position);
    void playClicked();
    void exportGifClicked();

private:
    QPushButton* play_;
    QSlider* slider_;
    QLabel* caption_;
    QPushButton* export_;
    QCheckBox* keep_;
};

}  // namespace vae
