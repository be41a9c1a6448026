#include "checkpoint_timeline.h"

#include "checkpoint_file.h"
#include "errors.h"
#include "model_copies.h"

namespace vae {
namespace {

template <typename Weights>
std::vector<float> flatten(const Weights& weights) {
    std::vector<float> row;
    for (std::size_t i = 0; i < weights.weights.size(); ++i) {
        row.insert(row.end(), weights.weights[i].begin(), weights.weights[i].end());
        row.insert(row.end(), weights.biases[i].begin(), weights.biases[i].end());
    }
    return row;
}

// Fills `shape`'s layers, in order, from one row of floats of exactly their total size.
template <typename Weights>
Weights unflatten(const float* row, Weights shape) {
    for (std::size_t i = 0; i < shape.weights.size(); ++i) {
        std::copy(row, row + shape.weights[i].size(), shape.weights[i].begin());
        row += shape.weights[i].size();
        std::copy(row, row + shape.biases[i].size(), shape.biases[i].begin());
        row += shape.biases[i].size();
    }
    return shape;
}

template <typename Weights>
std::int64_t totalSize(const Weights& weights) {
    return std::int64_t(flatten(weights).size());
}

torch::Tensor rowsOf(const std::vector<std::vector<float>>& rows) {
    auto table = torch::empty({std::int64_t(rows.size()), std::int64_t(rows.front().size())}, torch::kFloat32);
    for (std::size_t i = 0; i < rows.size(); ++i)
        std::memcpy(table[std::int64_t(i)].data_ptr<float>(), rows[i].data(), rows[i].size() * sizeof(float));
    return table;
}

torch::Tensor readTensor(torch::serialize::InputArchive& archive, const std::string& key) {
    torch::Tensor tensor;
    if (!readCheckedTensor(archive, key, tensor)) throw DataError("missing " + key);
    return tensor;
}

}  // namespace

void writeTimeline(torch::serialize::OutputArchive& archive, const std::vector<ReplaySnapshot>& snapshots) {
    if (snapshots.empty()) return;
    auto marks = torch::empty({std::int64_t(snapshots.size()), 2}, torch::kInt64);
    std::vector<std::vector<float>> decoders, encoders;
    for (std::size_t i = 0; i < snapshots.size(); ++i) {
        marks[std::int64_t(i)][0] = snapshots[i].step;
        marks[std::int64_t(i)][1] = snapshots[i].epoch;
        decoders.push_back(flatten(snapshots[i].decoder));
        encoders.push_back(flatten(snapshots[i].encoder));
        if (decoders.back().size() != decoders.front().size() || encoders.back().size() != encoders.front().size())
            throw ConfigError("the replay's snapshots are of models of different shapes");
    }
    archive.write("timeline.marks", marks);
    archive.write("timeline.decoders", rowsOf(decoders));
    archive.write("timeline.encoders", rowsOf(encoders));
}

std::vector<ReplaySnapshot> readTimeline(torch::serialize::InputArchive& archive, Vae& model) {
    torch::Tensor marks;
    if (!readCheckedTensor(archive, "timeline.marks", marks)) return {};  // none kept
    const DecoderWeights decoderShape = copyDecoderWeights(model);
    const EncoderWeights encoderShape = copyEncoderWeights(model);
    const auto decoders = readTensor(archive, "timeline.decoders").to(torch::kCPU).contiguous();
    const auto encoders = readTensor(archive, "timeline.encoders").to(torch::kCPU).contiguous();
    marks = marks.to(torch::kCPU).contiguous();
    const std::int64_t count = marks.dim() == 2 ? marks.size(0) : -1;
    if (marks.scalar_type() != torch::kInt64 || count < 1 || marks.size(1) != 2)
        throw DataError("timeline.marks is malformed");
    for (const auto& [table, columns, name] : {std::tuple{decoders, totalSize(decoderShape), "timeline.decoders"},
                                               std::tuple{encoders, totalSize(encoderShape), "timeline.encoders"}})
        if (table.scalar_type() != torch::kFloat32 || table.dim() != 2 || table.size(0) != count || table.size(1) != columns)
            throw DataError(std::string(name) + " does not fit the model (" + std::to_string(columns) + " weights a snapshot)");
    std::vector<ReplaySnapshot> snapshots;
    const auto* mark = marks.data_ptr<std::int64_t>();
    for (std::int64_t i = 0; i < count; ++i) {
        const std::int64_t step = mark[2 * i], epoch = mark[2 * i + 1];
        if (step < 0 || epoch < 0 || epoch > (1 << 30) || (i > 0 && step <= snapshots.back().step))
            throw DataError("timeline.marks is not in step order");
        snapshots.push_back({step, int(epoch), unflatten(decoders[i].data_ptr<float>(), decoderShape),
                             unflatten(encoders[i].data_ptr<float>(), encoderShape)});
    }
    return snapshots;
}

}  // namespace vae
