#include "factors_csv.h"

#include "errors.h"
#include "one_line.h"

#include <QFile>
#include <QString>

#include <csv.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <unordered_map>

namespace vae {
namespace {

std::string shown(const std::filesystem::path& file) { return QString::fromLocal8Bit(file.native()).toStdString(); }
std::string shown(const std::string& field) {
    return oneLine(QString::fromLocal8Bit(field.data(), qsizetype(field.size()))).toStdString();
}

// libcsv calls back record by record; each record is checked as it ends, so the table never
// holds more than one row per image. Its callbacks are C: a problem is kept, not thrown, and
// every later record ignored.
class TableReader {
public:
    explicit TableReader(const std::vector<std::string>& images) : imageCount_(images.size()), rowOf_(images.size(), 0) {
        for (std::size_t i = 0; i < images.size(); ++i) indexOf_.emplace(images[i], i);
    }

    static void onField(void* text, std::size_t length, void* self) {
        auto& reader = *static_cast<TableReader*>(self);
        ++reader.fieldCount_;
        // Only as many as a row may have are kept: a row of a million commas costs nothing.
        if (reader.problem_.empty() && reader.fields_.size() <= kMaxFactorColumns + 1)
            reader.fields_.emplace_back(static_cast<const char*>(text), length);
    }

    static void onRecordEnd(int, void* self) {
        auto& reader = *static_cast<TableReader*>(self);
        ++reader.row_;
        if (reader.problem_.empty()) reader.row_ == 1 ? reader.header() : reader.imageRow();
        reader.fields_.clear();
        reader.fieldCount_ = 0;
    }

    void failAtRow(const std::string& problem) { fail("row " + std::to_string(row_ + 1) + ": " + problem); }
    const std::string& problem() const { return problem_; }
    std::size_t rows() const { return row_; }

    // The table, once every image has its row.
    FactorTable table() {
        std::vector<std::string> missing;
        for (const auto& [image, index] : indexOf_)
            if (rowOf_[index] == 0) missing.push_back(image);
        if (!missing.empty()) {
            std::sort(missing.begin(), missing.end());
            const std::string others = missing.size() == 1 ? "" : " and " + std::to_string(missing.size() - 1) + " other images";
            fail("has no row for " + shown(missing.front()) + others + " (every image of the folder needs one)");
        }
        return {std::move(names_), std::move(values_)};
    }

private:
    void fail(const std::string& problem) {
        if (problem_.empty()) problem_ = problem;
    }
    void failHere(const std::string& problem) { fail("row " + std::to_string(row_) + ": " + problem); }

    void header() {
        if (fieldCount_ < 2) return failHere("the header names no factor (it needs the image column, then one column per factor)");
        if (fieldCount_ - 1 > kMaxFactorColumns)
            return failHere("the header names " + std::to_string(fieldCount_ - 1) + " factors; at most " +
                            std::to_string(kMaxFactorColumns));
        names_.assign(fields_.begin() + 1, fields_.end());
        for (std::size_t column = 0; column < names_.size(); ++column) {
            if (names_[column].empty()) return failHere("column " + std::to_string(column + 2) + " has no factor name");
            if (std::find(names_.begin(), names_.begin() + std::ptrdiff_t(column), names_[column]) != names_.begin() + std::ptrdiff_t(column))
                return failHere("factor \"" + shown(names_[column]) + "\" is named twice");
        }
        values_.assign(imageCount_ * names_.size(), 0.0f);
    }

    void imageRow() {
        if (fieldCount_ != names_.size() + 1)
            return failHere("has " + std::to_string(fieldCount_) + " fields; the header has " + std::to_string(names_.size() + 1));
        const std::string& image = fields_[0];
        if (image.empty()) return failHere("names no image");
        const auto found = indexOf_.find(image);
        if (found == indexOf_.end()) return failHere(shown(image) + " is not an image of the folder");
        const std::size_t index = found->second;
        if (rowOf_[index] != 0) return failHere(shown(image) + " is already on row " + std::to_string(rowOf_[index]));
        for (std::size_t f = 0; f < names_.size(); ++f) {
            bool ok = false;
            const double value = QByteArray::fromStdString(fields_[f + 1]).trimmed().toDouble(&ok);  // "C" locale: a dot
            if (!ok || !std::isfinite(value) || std::abs(value) > 3.0e38)
                return failHere(shown(names_[f]) + ": \"" + shown(fields_[f + 1]) + "\" is not a finite number");
            values_[index * names_.size() + f] = float(value);
        }
        rowOf_[index] = row_;
    }

    std::size_t imageCount_;
    std::unordered_map<std::string, std::size_t> indexOf_;
    std::vector<std::size_t> rowOf_;  // 0: no row yet
    std::vector<std::string> fields_;
    std::size_t fieldCount_ = 0;
    std::size_t row_ = 0;
    std::vector<std::string> names_;
    std::vector<float> values_;
    std::string problem_;
};

}  // namespace

FactorTable parseFactorTable(const QByteArray& bytes, const std::filesystem::path& file, const std::vector<std::string>& images) {
    const auto refuse = [&](const std::string& problem) { throw DataError(shown(file) + ": " + problem); };
    csv_parser parser;
    if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0) refuse("the CSV reader could not start");
    const std::unique_ptr<csv_parser, void (*)(csv_parser*)> freed(&parser, csv_free);
    TableReader reader(images);
    const auto size = std::size_t(bytes.size());
    if (csv_parse(&parser, bytes.constData(), size, TableReader::onField, TableReader::onRecordEnd, &reader) != size ||
        csv_fini(&parser, TableReader::onField, TableReader::onRecordEnd, &reader) != 0)
        reader.failAtRow(std::string("is not valid CSV (") + csv_strerror(csv_error(&parser)) + ")");
    if (!reader.problem().empty()) refuse(reader.problem());
    if (reader.rows() == 0) refuse("is empty (it needs a header: the image column, then one column per factor)");
    FactorTable table = reader.table();
    if (!reader.problem().empty()) refuse(reader.problem());
    return table;
}

std::optional<FactorTable> readFactorTable(const std::filesystem::path& folder, const std::vector<std::string>& images) {
    const std::filesystem::path file = folder / kFactorsFileName;
    std::error_code error;
    if (!std::filesystem::exists(file, error)) return std::nullopt;
    const auto refuse = [&](const std::string& problem) { throw DataError(shown(file) + ": " + problem); };
    const std::uintmax_t size = std::filesystem::file_size(file, error);
    if (error) refuse("cannot be read (" + error.message() + ")");
    if (size > kMaxFactorsFileBytes)
        refuse("is " + std::to_string(size >> 20) + " MB; a factors table may have at most " +
               std::to_string(kMaxFactorsFileBytes >> 20) + " MB");
    QFile in(QString::fromLocal8Bit(file.native()));
    if (!in.open(QIODevice::ReadOnly)) refuse("cannot be read (" + in.errorString().toStdString() + ")");
    return parseFactorTable(in.read(qint64(kMaxFactorsFileBytes)), file, images);  // a file grown since is cut at the bound
}

}  // namespace vae
