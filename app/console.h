#pragma once
// What the commands print: one line to stdout or stderr, flushed at once (a log reader or a
// launcher interleaving ranks sees it when it happens).
#include <QString>

#include <cstdio>

namespace vae {

void printLine(std::FILE* stream, const QString& text);

}  // namespace vae
