#include "one_line.h"

namespace vae {

QString oneLine(QString text, qsizetype longest) {
    const bool cut = text.size() > longest;
    text.truncate(longest);
    for (QChar& c : text)
        if (c.category() == QChar::Other_Control) c = QChar(0xfffd);
    return cut ? text + QStringLiteral("…") : text;
}

}  // namespace vae
