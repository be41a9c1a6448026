#pragma once
// The Factors tab: which latent dimension learned which factor of variation, for data with known
// factors (sprites). A heatmap of the mutual information of each dimension (rows) with each
// factor (columns), shaded by its share of the factor's entropy, with MIG and the FactorVAE
// score above it; each row is named by the factor its dimension carries most. Clicking a cell
// asks for the traversal of that dimension. Scored in the encode thread on every encoding.
#include "disentanglement.h"

#include <QWidget>

#include <optional>

namespace vae {

class FactorsPanel : public QWidget {
    Q_OBJECT
public:
    explicit FactorsPanel(QWidget* parent = nullptr);

    // Nothing (the data has no factors): the tab says so.
    void setScores(const std::optional<FactorScores>& scores, int images);
    const std::optional<FactorScores>& scores() const { return scores_; }
    QString headline() const;                     // what the tab says above the heatmap
    QRect cellRect(int dimension, int factor) const;  // in widget coordinates (tests click it)
    QSize sizeHint() const override { return {640, 260}; }

signals:
    void dimensionChosen(int dimension);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

private:
    QRect gridRect() const;
    QRect cellIn(const QRect& grid, int dimension, int factor) const;
    int rowHeaderWidth() const;
    QString rowLabel(int dimension) const;

    std::optional<FactorScores> scores_;
    int images_ = 0;
};

}  // namespace vae
