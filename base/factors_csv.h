#pragma once
// Named factors of variation for an image folder: a factors.csv beside its class subfolders,
// one row per image. The header's first column names the image column (any name) and the others
// name the factors; each row gives an image's path relative to the folder ("circles/a.png",
// "test/circles/b.png") and one number per factor. Read with libcsv, so quoted names with commas
// or quotes in them work as in any spreadsheet's CSV. Rows are counted as records, the header
// being row 1 (blank lines are not rows).
#include <QByteArray>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace vae {

inline constexpr const char* kFactorsFileName = "factors.csv";
// Bounds on what a file can claim: the file is read whole, and the heatmap has a row per factor.
// What is kept grows with the folder's images, never with the file: rows are checked as they
// are read, and a row naming no image of the folder is refused there.
inline constexpr std::uintmax_t kMaxFactorsFileBytes = 64u << 20;
inline constexpr std::size_t kMaxFactorColumns = 64;

struct FactorTable {
    std::vector<std::string> names;  // the factors, in the header's order
    std::vector<float> values;       // one row of names.size() values per image, in the images' order
};

// The factors of `images` (paths relative to the folder, '/'-separated) from the folder's
// factors.csv; nothing when there is none. Throws DataError, one line naming the file and the
// row: a row with more or fewer fields than the header, a value that is not a finite number, an
// empty or repeated factor name, an image named twice or naming no image of the folder, an image
// without a row, a file over the bounds above.
std::optional<FactorTable> readFactorTable(const std::filesystem::path& folder, const std::vector<std::string>& images);
// The same from the file's bytes (`file` names it in the messages).
FactorTable parseFactorTable(const QByteArray& bytes, const std::filesystem::path& file,
                             const std::vector<std::string>& images);

}  // namespace vae
