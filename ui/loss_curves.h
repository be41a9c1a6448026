#pragma once
// The loss chart's curves from the training curve's points: a light moving average, thinned to
// about as many points as the chart has pixels.
#include "boundary_types.h"

#include <QList>
#include <QPointF>

#include <vector>

namespace vae {

QList<QPointF> smoothedTerm(const std::vector<StepLoss>& steps, double LossTerms::*term);
// Over the points that have β-TCVAE's split (none for an ELBO run).
QList<QPointF> smoothedSplit(const std::vector<StepLoss>& steps, double KlSplit::*part);

}  // namespace vae
