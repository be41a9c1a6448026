#include "label_colours.h"

#include <array>
#include <cstdlib>

namespace vae {

QColor labelColour(int label) {
    static const std::array<QColor, 10> palette{QColor("#CC6677"), QColor("#332288"), QColor("#DDCC77"),
                                                QColor("#117733"), QColor("#88CCEE"), QColor("#882255"),
                                                QColor("#44AA99"), QColor("#999933"), QColor("#AA4499"),
                                                QColor("#DDDDDD")};
    return palette[std::size_t(std::abs(label) % int(palette.size()))];
}

QStringList labelColourNames(int count) {
    QStringList names;
    for (int label = 0; label < count; ++label) names << labelColour(label).name();
    return names;
}

}  // namespace vae
