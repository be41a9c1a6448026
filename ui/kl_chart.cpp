#include "kl_chart.h"

#include "latent_analysis.h"

#include <QBarCategoryAxis>
#include <QStackedBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QLabel>
#include <QValueAxis>
#include <QVBoxLayout>

namespace vae {

class KlChart::Bars : public QChartView {
public:
    Bars() {
        setRenderHint(QPainter::Antialiasing);
        chart()->legend()->hide();
        chart()->setMargins(QMargins(4, 4, 4, 4));
        setMinimumHeight(140);
    }
    void show(const LatentSummary& summary) {
        chart()->removeAllSeries();
        for (QAbstractAxis* axis : chart()->axes()) chart()->removeAxis(axis), delete axis;
        auto* active = new QBarSet(tr("active"));
        auto* inactive = new QBarSet(tr("inactive"));
        active->setColor(QColor("#117733"));
        inactive->setColor(QColor("#BBBBBB"));
        QStringList names;
        double largest = 0;
        for (int d : summary.dimensionsByKl()) {
            const double kl = summary.klPerDim[std::size_t(d)];
            const bool isActive = summary.meanVariance[std::size_t(d)] > LatentSummary::kActiveThreshold;
            *active << (isActive ? kl : 0);
            *inactive << (isActive ? 0 : kl);
            names << QString("z%1").arg(d + 1);
            largest = std::max(largest, kl);
        }
        // Stacked, with one of the two sets 0 for each dimension: one full-width bar per dimension,
        // green when the dimension is active.
        auto* series = new QStackedBarSeries;
        series->append(active);
        series->append(inactive);
        series->setBarWidth(0.8);
        chart()->addSeries(series);
        auto* x = new QBarCategoryAxis;
        x->append(names);
        auto* y = new QValueAxis;
        y->setRange(0, largest > 0 ? largest * 1.1 : 1);
        y->setTitleText(tr("KL (nats)"));
        y->setLabelFormat("%.1f");
        chart()->addAxis(x, Qt::AlignBottom);
        chart()->addAxis(y, Qt::AlignLeft);
        series->attachAxis(x);
        series->attachAxis(y);
    }
};

KlChart::KlChart(QWidget* parent) : QWidget(parent) {
    bars_ = new Bars;
    active_ = new QLabel(tr("Active units appear once the test set is encoded"));
    active_->setWordWrap(true);  // its line names the active units of a 1,024-D model too; a narrow tab wraps it
    warning_ = new QLabel;
    warning_->setWordWrap(true);
    warning_->setStyleSheet("background: #fff4d6; color: #7a4b00; padding: 4px; border: 1px solid #e8c774;");
    warning_->hide();
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(active_);
    layout->addWidget(warning_);
    layout->addWidget(bars_, 1);
}

void KlChart::showSummary(const LatentSummary& summary, int epochsTrained) {
    bars_->show(summary);
    double total = 0;
    for (double kl : summary.klPerDim) total += kl;
    active_->setText(tr("Mean KL per latent dimension on %1 test images, sorted (epoch %2, total %3 nats). "
                        "Active units: %4 of %5 (variance of E[z_d|x] over the data > %6).")
                         .arg(summary.count)
                         .arg(epochsTrained)
                         .arg(total, 0, 'f', 2)
                         .arg(summary.activeUnits)
                         .arg(summary.latentDim)
                         .arg(LatentSummary::kActiveThreshold));
    warning_->setText(summary.collapsed()
                          ? tr("Posterior collapse: only %1 of the %2 latent dimensions are active. The others carry "
                               "no information about the image; the decoder ignores them. Warm-up, free bits or a "
                               "smaller beta help.")
                                .arg(summary.activeUnits)
                                .arg(summary.latentDim)
                          : QString());
    warning_->setVisible(summary.collapsed());
}

void KlChart::clear() {
    bars_->chart()->removeAllSeries();
    active_->setText(tr("Active units appear once the test set is encoded"));
    warning_->hide();
    warning_->clear();
}

QString KlChart::activeUnitsText() const { return active_->text(); }
QString KlChart::warningText() const { return warning_->isVisible() ? warning_->text() : QString(); }

}  // namespace vae
