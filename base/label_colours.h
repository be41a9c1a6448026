#pragma once
// The colours of the classes wherever they are drawn: the window's map and legend, and the
// exported web page (data.json's class_colours). Paul Tol's colour-blind-safe "muted" scheme
// and a pale grey, repeating after ten.
#include <QColor>
#include <QStringList>

namespace vae {

QColor labelColour(int label);
QStringList labelColourNames(int count);  // "#cc6677", ... for the first `count` labels

}  // namespace vae
