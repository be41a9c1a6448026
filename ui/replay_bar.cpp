#include "replay_bar.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSlider>

namespace vae {

ReplayBar::ReplayBar(QWidget* parent) : QWidget(parent) {
    play_ = new QPushButton(tr("▶ Replay"));
    play_->setToolTip(tr("Replay how the map and the clusters formed while the model trained"));
    slider_ = new QSlider(Qt::Horizontal);
    slider_->setRange(0, 0);
    slider_->setToolTip(tr("Snapshots taken while training: every 10 steps at first, then after every epoch"));
    caption_ = new QLabel(tr("live"));
    caption_->setMinimumWidth(QFontMetrics(caption_->font()).horizontalAdvance("step 000000 · epoch 000 · 000/000"));
    export_ = new QPushButton(tr("GIF…"));
    export_->setToolTip(tr("Export the replay as an animated GIF"));
    keep_ = new QCheckBox(tr("keep"));
    keep_->setToolTip(tr("Saved models carry the replay, so it plays again when the model is opened "
                         "(up to 200 MB more per file)"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(play_);
    layout->addWidget(slider_, 1);
    layout->addWidget(caption_);
    layout->addWidget(export_);
    layout->addWidget(keep_);
    connect(slider_, &QSlider::valueChanged, this, &ReplayBar::positionChanged);
    connect(play_, &QPushButton::clicked, this, &ReplayBar::playClicked);
    connect(export_, &QPushButton::clicked, this, &ReplayBar::exportGifClicked);
    setCount(0);
}

void ReplayBar::setCount(int snapshots) {
    const bool live = isLive();
    const QSignalBlocker quiet(slider_);
    slider_->setRange(0, snapshots);
    if (live) slider_->setValue(snapshots);
    setEnabled(snapshots > 0);
}

int ReplayBar::position() const { return slider_->value(); }
bool ReplayBar::isLive() const { return slider_->value() == slider_->maximum(); }
void ReplayBar::setPosition(int position) { slider_->setValue(position); }
void ReplayBar::setCaption(const QString& text) { caption_->setText(text); }
bool ReplayBar::keepInSavedModels() const { return keep_->isChecked(); }
void ReplayBar::setKeepInSavedModels(bool keep) { keep_->setChecked(keep); }
void ReplayBar::setPlaying(bool playing) { play_->setText(playing ? tr("❚❚ Pause") : tr("▶ Replay")); }

}  // namespace vae
