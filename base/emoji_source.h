#pragma once
// --dataset emoji: Debian's Noto Color Emoji (fonts-noto-color-emoji) drawn by QPainter in colour,
// labelled by the group that Unicode's emoji-test.txt (unicode-data) gives each fully-qualified
// emoji: "Smileys & Emotion", "Animals & Nature", ... (9 groups).
#include "generated_dataset.h"

namespace vae {

GeneratedSource emojiSource();

// One fully-qualified emoji of emoji-test.txt.
struct EmojiEntry {
    QString text;          // the emoji itself
    std::string group;     // its group line's name
    std::string family;    // its code points without skin tones, gender signs and presentation
                           // selectors, and with man or woman read as person: the split key
};

// The fully-qualified emoji of an emoji-test.txt, in its order. Throws DataError.
std::vector<EmojiEntry> readEmojiTest(const std::string& path);

}  // namespace vae
