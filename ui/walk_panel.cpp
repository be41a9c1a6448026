#include "walk_panel.h"

#include "drawing_pad.h"
#include "option_field.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QTimer>
#include <QSpinBox>
#include <QVBoxLayout>

namespace vae {
namespace {

QLabel* imageView(int minimumWidth, int minimumHeight) {
    auto* view = new QLabel;
    view->setAlignment(Qt::AlignCenter);
    view->setMinimumSize(minimumWidth, minimumHeight);
    view->setStyleSheet("background: #282828; color: #bbb;");
    return view;
}

QPushButton* button(const QString& text, QWidget* receiver, const std::function<void()>& action) {
    auto* pushButton = new QPushButton(text);
    QObject::connect(pushButton, &QPushButton::clicked, receiver, action);
    return pushButton;
}

}  // namespace

WalkPanel::WalkPanel(QWidget* parent) : QWidget(parent) {
    resultView_ = imageView(200, 60);
    // The strip is scaled to the column's width; its own width must not widen the column.
    resultView_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    resultView_->setText(tr("Walks appear here"));
    resultCaption_ = new QLabel;
    resultCaption_->setTextFormat(Qt::PlainText);  // captions quote class and file names
    resultCaption_->setWordWrap(true);
    auto* exports = new QHBoxLayout;
    exports->addWidget(button(tr("Export PNG…"), this, [this] { emit exportPngRequested(); }));
    exports->addWidget(button(tr("Export GIF…"), this, [this] { emit exportGifRequested(); }));

    auto* content = new QWidget;
    auto* layout = new QVBoxLayout(content);
    layout->addWidget(buildInterpolation());
    layout->addWidget(resultView_);
    layout->addWidget(resultCaption_);
    layout->addLayout(exports);
    layout->addWidget(buildDirections());
    layout->addWidget(buildDrawing());
    layout->addStretch();
    scroll_ = new QScrollArea;
    scroll_->setWidget(content);
    scroll_->setWidgetResizable(true);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll_);
}

QWidget* WalkPanel::buildInterpolation() {
    auto* box = new QGroupBox(tr("Interpolation between two points"));
    auto* grid = new QGridLayout(box);
    for (int which : {0, 1}) {
        endpoints_[which] = new QLabel(tr("not set"));
        endpoints_[which]->setTextFormat(Qt::PlainText);
        endpoints_[which]->setWordWrap(true);
        grid->addWidget(new QLabel(which == 0 ? tr("A:") : tr("B:")), which, 0);
        grid->addWidget(endpoints_[which], which, 1);
        grid->addWidget(button(which == 0 ? tr("Set A") : tr("Set B"), this, [this, which] { emit setEndpoint(which); }),
                        which, 2);
    }
    auto* note = new QLabel(tr("Set takes the current point: the selected test image, the drawn digit or placed "
                               "picture, or the decoded spot."));
    note->setWordWrap(true);
    grid->addWidget(note, 2, 0, 1, 3);
    steps_ = new QSpinBox;
    showOptionRow(steps_, options::kWalkSteps);
    steps_->setPrefix(tr("steps "));
    mode_ = new QComboBox;
    mode_->addItem("lerp", int(Interpolation::Lerp));
    mode_->addItem("slerp", int(Interpolation::Slerp));
    mode_->setToolTip(tr("lerp: the straight line; slerp: the great circle between the directions, the norm "
                         "changing evenly (White 2016)"));
    thereAndBack_ = new QCheckBox(tr("there and back"));
    thereAndBack_->setToolTip(tr("GIF: walk back to A, so the loop has no jump"));
    delay_ = new QSpinBox;
    showOptionRow(delay_, options::kGifDelay);
    delay_->setSingleStep(10);
    delay_->setSuffix(tr(" ms/frame"));
    loops_ = new QSpinBox;
    showOptionRow(loops_, options::kGifLoops);
    loops_->setSpecialValueText(tr("loop forever"));
    loops_->setSuffix(tr(" plays"));
    auto* options = new QHBoxLayout;
    options->addWidget(steps_);
    options->addWidget(mode_);
    auto* gifOptions = new QHBoxLayout;
    for (QWidget* control : std::initializer_list<QWidget*>{delay_, loops_, thereAndBack_}) gifOptions->addWidget(control);
    grid->addLayout(options, 3, 0, 1, 3);
    grid->addLayout(gifOptions, 4, 0, 1, 3);
    connect(steps_, &QSpinBox::valueChanged, this, &WalkPanel::walkOptionsChanged);
    connect(mode_, &QComboBox::currentIndexChanged, this, &WalkPanel::walkOptionsChanged);
    connect(thereAndBack_, &QCheckBox::toggled, this, &WalkPanel::walkOptionsChanged);
    return box;
}

QWidget* WalkPanel::buildDirections() {
    auto* box = new QGroupBox(tr("Class directions, analogies, traversals"));
    auto* form = new QFormLayout(box);
    form->setRowWrapPolicy(QFormLayout::WrapAllRows);  // each row under its label: the column stays narrow
    morphFrom_ = new QComboBox;
    morphTo_ = new QComboBox;
    amount_ = new QDoubleSpinBox;
    amount_->setRange(-3, 3);
    amount_->setSingleStep(0.25);
    amount_->setValue(1);
    amount_->setPrefix(tr("× "));
    auto* morphRow = new QHBoxLayout;
    morphRow->addWidget(morphFrom_);
    morphRow->addWidget(new QLabel("→"));
    morphRow->addWidget(morphTo_);
    morphRow->addWidget(amount_);
    form->addRow(tr("Morph the current point along mean(to) − mean(from):"), morphRow);
    form->addRow(button(tr("Morph"), this, [this] { emit morphRequested(); }));
    auto* analogyRow = new QHBoxLayout;
    const char* names[] = {"A #", "B #", "C #"};
    for (int i = 0; i < 3; ++i) {
        analogy_[i] = new QSpinBox;
        analogy_[i]->setRange(0, 59999);
        analogy_[i]->setValue(i);
        analogy_[i]->setPrefix(names[i]);
        analogyRow->addWidget(analogy_[i]);
    }
    form->addRow(tr("Analogy of three test images (D = C + B − A):"), analogyRow);
    form->addRow(button(tr("A : B :: C : ?"), this, [this] { emit analogyRequested(); }));
    form->addRow(button(tr("Traverse the current point (10 dimensions by KL, −3…+3)"), this,
                        [this] { emit traversalRequested(); }));
    return box;
}

QWidget* WalkPanel::buildDrawing() {
    auto* box = new QGroupBox(tr("Draw a digit"));
    pad_ = new DrawingPad;
    prepared_ = imageView(84, 84);
    reconstruction_ = imageView(84, 84);
    drawingText_ = new QLabel(tr("Draw on the pad: it is prepared as MNIST's digits were, encoded as you draw, "
                                 "and placed on the map with its ±2σ ellipse."));
    drawingText_->setWordWrap(true);
    drawingText_->setTextFormat(Qt::PlainText);  // it names a placed picture's file
    // The pad, and beside it what the model gets and gives back, one above the other.
    auto* grid = new QGridLayout(box);
    grid->addWidget(pad_, 0, 0, 5, 1);
    grid->addWidget(new QLabel(tr("model input")), 0, 1);
    grid->addWidget(prepared_, 1, 1);
    grid->addWidget(new QLabel(tr("reconstruction")), 2, 1);
    grid->addWidget(reconstruction_, 3, 1);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(button(tr("Undo"), this, [this] { pad_->undo(); }));
    buttons->addWidget(button(tr("Clear"), this, [this] { pad_->clear(); }));
    grid->addLayout(buttons, 5, 0);
    grid->addWidget(drawingText_, 6, 0, 1, 2);
    return box;
}

int WalkPanel::steps() const { return steps_->value(); }
Interpolation WalkPanel::mode() const { return Interpolation(mode_->currentData().toInt()); }
bool WalkPanel::thereAndBack() const { return thereAndBack_->isChecked(); }
int WalkPanel::delayMs() const { return delay_->value(); }
int WalkPanel::loops() const { return loops_->value(); }
int WalkPanel::morphFrom() const { return morphFrom_->currentIndex(); }
int WalkPanel::morphTo() const { return morphTo_->currentIndex(); }
double WalkPanel::morphAmount() const { return amount_->value(); }
QVector<int> WalkPanel::analogyIndices() const { return {analogy_[0]->value(), analogy_[1]->value(), analogy_[2]->value()}; }

void WalkPanel::setEndpointText(int which, const QString& text) { endpoints_[which]->setText(text); }

void WalkPanel::setClassNames(const QStringList& names) {
    for (QComboBox* box : {morphFrom_, morphTo_}) {
        const int current = box->currentIndex();
        box->clear();
        box->addItems(names);
        box->setCurrentIndex(std::clamp(current, 0, int(names.size()) - 1));
    }
    if (morphTo_->currentIndex() == morphFrom_->currentIndex() && names.size() > 1)
        morphTo_->setCurrentIndex((morphFrom_->currentIndex() + 1) % int(names.size()));
}

void WalkPanel::setResult(const QImage& image, const QString& caption) {
    result_ = image;
    const QSize box = resultView_->size() - QSize(4, 4);
    const int factor = std::max(1, std::min(box.width() / std::max(1, image.width()), 4));
    resultView_->setPixmap(QPixmap::fromImage(image.width() * factor > box.width()
                                                  ? image.scaledToWidth(box.width(), Qt::SmoothTransformation)
                                                  : image.scaled(image.size() * factor, Qt::KeepAspectRatio,
                                                                 Qt::FastTransformation)));
    resultCaption_->setText(caption);
}

void WalkPanel::scrollToDrawing() {
    // After the tab is laid out: a tab shown a moment ago has no geometry yet.
    QTimer::singleShot(0, this, [this] { scroll_->ensureWidgetVisible(drawingText_, 0, 20); });
}

void WalkPanel::setDrawingStatus(const QImage& prepared, const QImage& reconstruction, const QString& text) {
    const auto show = [](QLabel* view, const QImage& image) {
        if (image.isNull()) view->clear();
        else view->setPixmap(QPixmap::fromImage(image.scaled(84, 84, Qt::KeepAspectRatio, Qt::FastTransformation)));
    };
    show(prepared_, prepared);
    show(reconstruction_, reconstruction);
    drawingText_->setText(text);
}

}  // namespace vae
