#include "history_archive.h"

#include "checkpoint_file.h"
#include "errors.h"

#include <torch/torch.h>

namespace vae {
namespace {

// The history as two float64 tables, one row per epoch and one per curve point.
constexpr std::int64_t kEpochColumns = 10;  // epoch, step, train loss/recon/kl, test loss/recon/kl, s, img/s
constexpr std::int64_t kStepColumns = 6;    // step, epoch, loss, recon, kl, img/s
// β-TCVAE's split of the KL, for the epochs and the curve points that have one, each in a table of
// its own: the row it belongs to (in history.epochs or history.steps), index-code MI, total
// correlation, dimension-wise KL. Absent when no row has one (every ELBO run, every checkpoint
// before the split; history.step_kl_split came after history.epoch_kl_split).
constexpr std::int64_t kSplitColumns = 4;
const char* const kEpochSplitKey = "history.epoch_kl_split";
const char* const kStepSplitKey = "history.step_kl_split";

torch::Tensor table(std::vector<double>& values, std::int64_t columns) {
    return torch::from_blob(values.data(), {std::int64_t(values.size()) / columns, columns}, torch::kFloat64).clone();
}

template <typename Row>
void writeSplit(torch::serialize::OutputArchive& archive, const char* key, const std::vector<Row>& rows) {
    std::vector<double> split;
    for (std::size_t row = 0; row < rows.size(); ++row)
        if (const auto& s = rows[row].klSplit)
            split.insert(split.end(), {double(row), s->indexCodeMi, s->totalCorrelation, s->dimensionwiseKl});
    if (!split.empty()) archive.write(key, table(split, kSplitColumns));
}

torch::Tensor readTable(torch::serialize::InputArchive& archive, const std::string& key, std::int64_t columns,
                        std::int64_t maxRows) {
    torch::Tensor values;
    if (!readCheckedTensor(archive, key, values)) throw DataError("missing " + key);
    if (values.dim() != 2 || values.size(1) != columns || values.scalar_type() != torch::kFloat64 || values.size(0) > maxRows)
        throw DataError(key + " is not a table of " + std::to_string(columns) + " numbers per row");
    return values.contiguous();
}

template <typename Row>
void readSplit(torch::serialize::InputArchive& archive, const char* key, std::vector<Row>& rows) {
    torch::Tensor present;
    if (!archive.try_read(key, present)) return;
    const auto split = readTable(archive, key, kSplitColumns, std::int64_t(rows.size()));
    const double* r = split.data_ptr<double>();
    for (std::int64_t row = 0; row < split.size(0); ++row, r += kSplitColumns) {
        if (!(r[0] >= 0 && r[0] < double(rows.size()))) throw DataError(std::string(key) + " names a row that is not there");
        rows[std::size_t(r[0])].klSplit = KlSplit{r[1], r[2], r[3]};
    }
}

}  // namespace

void writeHistory(torch::serialize::OutputArchive& archive, const TrainingHistory& history) {
    std::vector<double> epochs;
    for (const auto& e : history.epochs)
        epochs.insert(epochs.end(), {double(e.epoch), double(e.step), e.train.loss, e.train.recon, e.train.kl,
                                     e.test.loss, e.test.recon, e.test.kl, e.epochSeconds, e.imagesPerSecond});
    std::vector<double> steps;
    for (const auto& p : history.steps)
        steps.insert(steps.end(), {double(p.step), double(p.epoch), p.train.loss, p.train.recon, p.train.kl,
                                   p.imagesPerSecond});
    archive.write("history.epochs", table(epochs, kEpochColumns));
    archive.write("history.steps", table(steps, kStepColumns));
    writeSplit(archive, kEpochSplitKey, history.epochs);
    writeSplit(archive, kStepSplitKey, history.steps);
}

TrainingHistory readHistory(torch::serialize::InputArchive& archive) {
    TrainingHistory history;
    const auto epochs = readTable(archive, "history.epochs", kEpochColumns, 1 << 20);
    const auto steps = readTable(archive, "history.steps", kStepColumns, std::int64_t(TrainingHistory::kMaxSteps) + 1);
    const double* e = epochs.data_ptr<double>();
    for (std::int64_t row = 0; row < epochs.size(0); ++row, e += kEpochColumns)
        history.epochs.push_back({int(e[0]), std::int64_t(e[1]), {e[2], e[3], e[4]}, {e[5], e[6], e[7]}, e[8], e[9]});
    const double* p = steps.data_ptr<double>();
    for (std::int64_t row = 0; row < steps.size(0); ++row, p += kStepColumns)
        history.steps.push_back({std::int64_t(p[0]), int(p[1]), {p[2], p[3], p[4]}, p[5]});
    readSplit(archive, kEpochSplitKey, history.epochs);
    readSplit(archive, kStepSplitKey, history.steps);
    return history;
}

}  // namespace vae
