#include "setting_values.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

namespace vae {

std::string numberText(double value) {
    std::ostringstream text;
    text.precision(15);
    text << value;
    return text.str();
}


long long toInteger(const Setting& s, const std::string& text) {
    char* end = nullptr;
    errno = 0;
    const long long value = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE) {
        // A number out of range is named so, however it is written ("1e+30", as JSON writes a
        // large whole number, or 99999999999999999999).
        char* numberEnd = nullptr;
        const double number = std::strtod(text.c_str(), &numberEnd);
        if (!text.empty() && numberEnd == text.c_str() + text.size() && (number < s.min || number > s.max))
            throw SettingError(s, text + " is outside " + rangeText(s));
        throw SettingError(s, "'" + text + "' is not a whole number");
    }
    if (double(value) < s.min || double(value) > s.max)
        throw SettingError(s, text + " is outside " + rangeText(s));
    return value;
}

double toNumber(const Setting& s, const std::string& text) {
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(value))
        throw SettingError(s, "'" + text + "' is not a number");
    if (s.minExclusive && !(value > s.min))
        throw SettingError(s, text + (s.min == 0 ? " must be positive" : " must be more than " + numberText(s.min)));
    if (!s.minExclusive && value < s.min)
        throw SettingError(s, text + (s.min == 0 ? " must be zero or positive" : " is outside " + rangeText(s)));
    if (value > s.max) throw SettingError(s, text + " is more than " + numberText(s.max));
    return value;
}

std::vector<int> toWidths(const Setting& s, const std::string& text) {
    std::vector<int> widths;
    if (text.empty()) return widths;  // no hidden layer: a linear map
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        std::string part = text.substr(start, comma - start);
        part.erase(0, part.find_first_not_of(' '));
        part.erase(part.find_last_not_of(' ') + 1);
        widths.push_back(int(toInteger(s, part)));
        start = comma + 1;
    }
    if (widths.size() > kMaxLayers)
        throw SettingError(s, "at most " + std::to_string(kMaxLayers) + " hidden layers");
    return widths;
}

// "STEP:BETA,STEP:BETA", steps rising.
std::string betaChangesText(const std::vector<BetaChange>& changes) {
    std::string text;
    for (const auto& change : changes) text += (text.empty() ? "" : ",") + std::to_string(change.step) + ":" + numberText(change.beta);
    return text;
}

std::vector<BetaChange> toBetaChanges(const Setting& s, const std::string& text) {
    std::vector<BetaChange> changes;
    if (text.empty()) return changes;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        const std::string part = text.substr(start, comma - start);
        const std::size_t colon = part.find(':');
        char* end = nullptr;
        BetaChange change;
        errno = 0;
        change.step = std::strtoll(part.c_str(), &end, 10);
        const bool stepOk = colon != std::string::npos && colon > 0 && end == part.c_str() + colon && errno == 0 && change.step >= 0;
        if (stepOk) change.beta = std::strtod(part.c_str() + colon + 1, &end);
        if (!stepOk || end != part.c_str() + part.size() || colon + 1 == part.size() || !std::isfinite(change.beta))
            throw SettingError(s, "'" + part + "' is not STEP:BETA");
        if (change.beta < 0 || change.beta > s.max) throw SettingError(s, "beta " + numberText(change.beta) + " is outside 0.." + numberText(s.max));
        if (!changes.empty() && change.step <= changes.back().step)
            throw SettingError(s, "steps must rise (" + std::to_string(change.step) + " after " + std::to_string(changes.back().step) + ")");
        if (changes.size() >= 10000) throw SettingError(s, "at most 10000 changes");
        changes.push_back(change);
        start = comma + 1;
    }
    return changes;
}

std::string toChoice(const Setting& s, const std::string& text) {
    for (const auto& choice : s.choices)
        if (text == choice) return text;
    std::string list;
    for (std::size_t i = 0; i < s.choices.size(); ++i)
        list += (i == 0 ? "" : i + 1 == s.choices.size() ? " or " : ", ") + s.choices[i];
    throw SettingError(s, "'" + text + "' is not " + list);
}

}  // namespace vae
