#pragma once
// What each latent dimension carries: the mean KL per dimension on the test set as sorted bars,
// the number of active units, and a plain warning when most dimensions have collapsed.
#include <QWidget>

QT_BEGIN_NAMESPACE
class QLabel;
QT_END_NAMESPACE

namespace vae {

struct LatentSummary;

class KlChart : public QWidget {
    Q_OBJECT
public:
    explicit KlChart(QWidget* parent = nullptr);
    void showSummary(const LatentSummary& summary, int epochsTrained);
    void clear();
    QString activeUnitsText() const;
    QString warningText() const;  // empty unless posterior collapse

private:
    class Bars;
    Bars* bars_;
    QLabel* active_;
    QLabel* warning_;
};

}  // namespace vae
