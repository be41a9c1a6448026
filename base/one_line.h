#pragma once
// Names from files (a file's name, a CSV field) as one-line messages show them: a name may hold
// line breaks and any length, and a message about it must stay one line.
#include <QString>

namespace vae {

// Control characters become U+FFFD; more than `longest` characters are cut, with an ellipsis.
QString oneLine(QString text, qsizetype longest = 80);

}  // namespace vae
