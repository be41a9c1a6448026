#pragma once
// The settings table's values from text and back: whole numbers, real numbers, layer widths, β
// changes and choices, each checked against its row (range, choices) and refused with a
// SettingError naming the row. Core's own (training/).
#include "settings.h"

#include <cstddef>
#include <string>
#include <vector>

namespace vae {

inline constexpr std::size_t kMaxLayers = 16;  // hidden layers: a typo cannot ask for thousands

std::string numberText(double value);  // as the table writes numbers: up to 15 digits
long long toInteger(const Setting& s, const std::string& text);
double toNumber(const Setting& s, const std::string& text);
std::vector<int> toWidths(const Setting& s, const std::string& text);  // "512,256"
std::string betaChangesText(const std::vector<BetaChange>& changes);   // "STEP:BETA,STEP:BETA", steps rising
std::vector<BetaChange> toBetaChanges(const Setting& s, const std::string& text);
std::string toChoice(const Setting& s, const std::string& text);

}  // namespace vae
