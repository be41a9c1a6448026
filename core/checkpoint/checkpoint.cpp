// Session checkpoints: model, optimizer, model config and progress in one torch archive.
#include "checkpoint_file.h"
#include "archive_bounds.h"
#include "archive_probe.h"
#include "checkpoint_timeline.h"
#include "history_archive.h"
#include "errors.h"
#include "regular_file.h"
#include "session_impl.h"

#include <zlib.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>


#include <cerrno>
#include <cstdio>
#include <cstring>

namespace vae {
namespace {

const char* const kFormatKey = "vae_explorer_format";
const char* const kFormatName = "vae-explorer-checkpoint";
// 1: model, optimizer, config, progress. 2: also the training history and the run's settings.
// 3: also, when kept, the replay's snapshots. 4: the model's settings once, under the settings
// table's keys (settings.*), with the data's image shape beside them; 1-3 also kept them as
// config.* under other names. 5: the image's channels (image_channels) beside its rows and
// columns; every earlier format is grey. Every version still opens.
constexpr std::int64_t kFormatVersion = 5;

std::vector<std::int64_t> toInt64(const std::vector<int>& values) { return {values.begin(), values.end()}; }

std::vector<int> toIntChecked(const std::vector<std::int64_t>& values) {
    std::vector<int> out;
    for (auto v : values) {
        if (v < 0 || v > (1 << 20)) throw ConfigError("layer width out of range");
        out.push_back(int(v));
    }
    return out;
}

// The model's shape that is not a setting: the data's image size and channels.
void writeImageShape(torch::serialize::OutputArchive& archive, const ModelConfig& c) {
    archive.write("image_rows", c10::IValue(std::int64_t(c.imageRows)));
    archive.write("image_cols", c10::IValue(std::int64_t(c.imageCols)));
    archive.write("image_channels", c10::IValue(std::int64_t(c.imageChannels)));
}

c10::IValue readValue(torch::serialize::InputArchive& archive, const std::string& key) {
    c10::IValue value;
    if (!archive.try_read(key, value)) throw DataError("missing " + key);
    return value;
}

std::int64_t readInt(torch::serialize::InputArchive& archive, const std::string& key) {
    const auto value = readValue(archive, key);
    if (!value.isInt()) throw DataError(key + " is not an integer");
    return value.toInt();
}

std::int64_t readIntInRange(torch::serialize::InputArchive& archive, const std::string& key) {
    const auto value = readInt(archive, key);
    if (value < 0 || value > (1 << 20)) throw DataError(key + " is out of range");
    return value;
}

std::vector<int> readIntList(torch::serialize::InputArchive& archive, const std::string& key) {
    const auto value = readValue(archive, key);
    if (!value.isIntList()) throw DataError(key + " is not a list of integers");
    return toIntChecked(value.toIntVector());
}

// Formats 1-3: the model under config.* (other names than the table's).
ModelConfig readLegacyConfig(torch::serialize::InputArchive& archive) {
    ModelConfig c;
    c.imageRows = int(readIntInRange(archive, "config.image_rows"));
    c.imageCols = int(readIntInRange(archive, "config.image_cols"));
    c.encoderHidden = readIntList(archive, "config.encoder_hidden");
    c.decoderHidden = readIntList(archive, "config.decoder_hidden");
    c.latentDim = int(readIntInRange(archive, "config.latent_dim"));
    const auto likelihood = readValue(archive, "config.likelihood");
    if (!likelihood.isString()) throw DataError("config.likelihood is not a string");
    c.likelihood = parseLikelihood(likelihood.toStringRef());
    const auto sigma = readValue(archive, "config.gaussian_sigma");
    if (!sigma.isDouble()) throw DataError("config.gaussian_sigma is not a number");
    c.gaussianSigma = sigma.toDouble();
    // Absent before conv models and tanh: such a checkpoint is a ReLU MLP.
    c10::IValue text;
    if (archive.try_read("config.architecture", text)) {
        if (!text.isString()) throw DataError("config.architecture is not a string");
        c.architecture = parseArchitecture(text.toStringRef());
    }
    if (archive.try_read("config.activation", text)) {
        if (!text.isString()) throw DataError("config.activation is not a string");
        c.activation = parseActivation(text.toStringRef());
    }
    if (c.architecture == Architecture::Conv) c.convChannels = readIntList(archive, "config.conv_channels");
    c.validate();
    return c;
}

// The run's settings, each under "settings.<key>" as the table's text form: the table says
// what is there, so a setting added later is simply absent from older files.
void writeRunSettings(torch::serialize::OutputArchive& archive, const RunSettings& run) {
    for (const Setting& setting : settingsTable())
        archive.write("settings." + setting.key, c10::IValue(setting.get(run)));
}

// Every setting stored; from format 4 on, the model's settings must all be there (they are the
// model's only description).
RunSettings readRunSettings(torch::serialize::InputArchive& archive, std::int64_t version) {
    RunSettings run;
    run.color = kLegacyColor;  // a checkpoint from before colour was trained grey and squashed
    run.fit = kLegacyFit;
    for (const Setting& setting : settingsTable()) {
        c10::IValue value;
        if (!archive.try_read("settings." + setting.key, value)) {
            if (version >= 4 && setting.group == SettingGroup::Model) throw DataError("missing settings." + setting.key);
            continue;
        }
        if (!value.isString()) throw DataError("settings." + setting.key + " is not text");
        try {
            setting.set(run, value.toStringRef());
        } catch (const SettingError& error) {
            throw DataError("settings." + setting.key + ": " + error.problem);
        }
    }
    return run;
}

// The run's settings and the model they describe: from the settings and the image shape (format
// 4 on), or, before, the run's settings with the model from config.*.
RunSettings readModelAndRun(torch::serialize::InputArchive& archive, std::int64_t version) {
    RunSettings run = readRunSettings(archive, version);
    if (version < 4) {
        run.model = readLegacyConfig(archive);  // the stored config is the model's own
        return run;
    }
    run.model.imageRows = int(readIntInRange(archive, "image_rows"));
    run.model.imageCols = int(readIntInRange(archive, "image_cols"));
    if (version >= 5) run.model.imageChannels = int(readIntInRange(archive, "image_channels"));
    run.model.validate();
    return run;
}

std::string firstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

// torch archives do not checksum tensor data, so a flipped byte would load silently as
// wrong weights. A trailer with the CRC-32 of everything before it catches that.
constexpr char kTrailerMagic[8] = {'V', 'A', 'E', 'X', 'C', 'R', 'C', '1'};
constexpr std::size_t kTrailerBytes = 16;

void appendBigEndian(std::string& out, std::uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(char((value >> shift) & 0xff));
}

std::uint32_t readBigEndian(const std::string& in, std::size_t at) {
    std::uint32_t value = 0;
    for (int i = 0; i < 4; ++i) value = (value << 8) | std::uint8_t(in[at + i]);
    return value;
}

std::uint32_t crcOf(const char* data, std::size_t size, uLong crc = crc32(0L, Z_NULL, 0)) {
    while (size > 0) {
        const uInt chunk = uInt(std::min<std::size_t>(size, 1u << 30));
        crc = crc32(crc, reinterpret_cast<const Bytef*>(data), chunk);
        data += chunk;
        size -= chunk;
    }
    return std::uint32_t(crc);
}

void writeAllOrErrno(int fd, const char* data, std::size_t size, int& error) {
    std::size_t done = 0;
    while (done < size && error == 0) {
        const ssize_t n = ::write(fd, data + done, size - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) error = n < 0 ? errno : ENOSPC;
        else done += std::size_t(n);
    }
}

}  // namespace

// Streamed into the file as torch serialises it, with the CRC kept as it goes: holding the whole
// archive in a string first cost up to twice the checkpoint's size in memory (200 MB more for a
// 512-pixel model's 100 MB checkpoint).
void writeCheckpointArchive(const std::string& path, torch::serialize::OutputArchive& archive) {
    // Temp file in the same folder, fsync, then rename: a crash leaves the old file or the new one.
    const std::string temp = path + ".tmp-" + std::to_string(::getpid());
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw DataError(path + ": cannot write (" + std::strerror(errno) + ")");
    int error = 0;
    uLong crc = crc32(0L, Z_NULL, 0);
    std::uint64_t written = 0;
    std::string serialiseFailure;
    try {
        archive.save_to([&](const void* data, std::size_t size) -> std::size_t {
            const char* bytes = static_cast<const char*>(data);
            crc = crcOf(bytes, size, crc);
            written += size;
            writeAllOrErrno(fd, bytes, size, error);
            return size;  // a write error is kept and reported below, with the file removed
        });
    } catch (const std::exception& failure) {
        serialiseFailure = firstLine(failure.what());
    }
    std::string trailer(kTrailerMagic, sizeof kTrailerMagic);
    appendBigEndian(trailer, std::uint32_t(crc));
    appendBigEndian(trailer, std::uint32_t(written));
    writeAllOrErrno(fd, trailer.data(), trailer.size(), error);
    if (error == 0 && ::fsync(fd) != 0) error = errno;
    if (::close(fd) != 0 && error == 0) error = errno;
    if (error == 0 && serialiseFailure.empty() && std::rename(temp.c_str(), path.c_str()) != 0) error = errno;
    if (error != 0 || !serialiseFailure.empty()) {
        std::remove(temp.c_str());
        if (!serialiseFailure.empty()) throw DataError(path + ": cannot serialise checkpoint (" + serialiseFailure + ")");
        throw DataError(path + ": cannot write (" + std::strerror(error) + ")");
    }
}

void checkTensorRecord(const torch::Tensor& tensor, const std::string& key, bool finite) {
    if (!tensor.defined()) throw DataError(key + " is not a tensor");
    if (tensor.numel() == 0) return;
    // The last element the view reaches, and the bytes its storage must hold for it.
    std::int64_t last = tensor.storage_offset();
    for (std::int64_t d = 0; d < tensor.dim(); ++d) {
        if (tensor.stride(d) < 0) throw DataError(key + " has a negative stride");
        last += (tensor.size(d) - 1) * tensor.stride(d);
    }
    const auto needed = std::uint64_t(last + 1) * std::uint64_t(tensor.element_size());
    const auto held = std::uint64_t(tensor.storage().nbytes());
    if (held < needed)
        throw DataError(key + ": its record holds " + std::to_string(held) + " bytes, and its shape needs " +
                        std::to_string(needed) + " (a cut or edited checkpoint)");
    if (finite && tensor.is_floating_point() && !torch::isfinite(tensor).all().item<bool>())
        throw DataError(key + " holds NaN or infinite values");
}

bool readCheckedTensor(torch::serialize::InputArchive& archive, const std::string& key, torch::Tensor& tensor) {
    if (!archive.try_read(key, tensor)) return false;
    checkTensorRecord(tensor, key);
    return true;
}

std::string readCheckpointFile(const std::string& path) {
    constexpr std::uint64_t kMaxCheckpointBytes = std::uint64_t(4) << 30;
    const RegularFile opened = openRegularFile(path, kMaxCheckpointBytes, "checkpoint");
    std::FILE* file = opened.file.get();
    // Sized once, so that reading a large checkpoint never holds two copies while the string grows.
    std::string bytes;
    bytes.reserve(std::size_t(opened.size));
    char chunk[1 << 16];
    std::size_t got = 0;
    // Bounded again while reading: a file that grows meanwhile is still refused at the limit.
    while ((got = std::fread(chunk, 1, sizeof chunk, file)) > 0) {
        bytes.append(chunk, got);
        if (bytes.size() > kMaxCheckpointBytes) throw DataError("file is too large to be a checkpoint");
    }
    if (std::ferror(file)) throw DataError(std::string("read error (") + std::strerror(errno) + ")");
    return bytes;
}

std::size_t checkpointArchiveSize(const std::string& bytes) {
    if (bytes.size() < kTrailerBytes || bytes.compare(bytes.size() - kTrailerBytes, 8, kTrailerMagic, 8) != 0)
        throw DataError("not a readable checkpoint (corrupt, incomplete or not a vae-explorer file)");
    const std::size_t payload = bytes.size() - kTrailerBytes;
    if (readBigEndian(bytes, payload + 12) != std::uint32_t(payload) ||
        readBigEndian(bytes, payload + 8) != crcOf(bytes.data(), payload))
        throw DataError("checksum mismatch (the file is corrupt or was changed)");
    return payload;
}

std::string checkpointArchiveBytes(const std::string& bytes) { return bytes.substr(0, checkpointArchiveSize(bytes)); }

void Session::saveCheckpoint(const std::string& path) const {
    torch::serialize::OutputArchive archive;
    archive.write(kFormatKey, c10::IValue(std::string(kFormatName)));
    archive.write("format_version", c10::IValue(kFormatVersion));
    writeImageShape(archive, impl_->config);
    archive.write("epochs_trained", c10::IValue(std::int64_t(impl_->epochsTrained)));
    archive.write("dataset_identity", c10::IValue(impl_->datasetIdentity));
    archive.write("steps", c10::IValue(impl_->steps));
    archive.write("learning_rate", c10::IValue(impl_->learningRate));
    writeHistory(archive, impl_->history);
    RunSettings run = impl_->run;
    run.model = impl_->config;  // the settings describe this model, whatever run last trained it
    writeRunSettings(archive, run);
    writeTimeline(archive, impl_->timeline);
    torch::serialize::OutputArchive modelArchive;
    impl_->model->save(modelArchive);
    archive.write("model", modelArchive);
    torch::serialize::OutputArchive optimizerArchive;
    impl_->optimizer->save(optimizerArchive);
    archive.write("optimizer", optimizerArchive);
    writeCheckpointArchive(path, archive);
}

Session Session::fromCheckpoint(const std::string& path, const std::string& device) {
    std::string bytes;
    try {
        bytes = readCheckpointFile(path);
    } catch (const std::exception& error) {
        throw DataError(path + ": " + firstLine(error.what()));
    }
    return fromCheckpointData(std::move(bytes), path, device);
}

Session Session::fromCheckpointData(std::string fileBytes, const std::string& path, const std::string& device,
                                    ArchiveGuard guard) {
    const auto dev = resolveDevice(device);
    try {
        const std::size_t archiveSize = checkpointArchiveSize(fileBytes);
        checkArchiveBounds(fileBytes.data(), archiveSize);
        if (guard == ArchiveGuard::ScanAndProbe) probeArchiveInChild(fileBytes.data(), archiveSize);
        torch::serialize::InputArchive archive;
        try {
            archive.load_from(fileBytes.data(), archiveSize, dev);
        } catch (const std::exception&) {
            throw DataError("not a readable checkpoint (corrupt archive)");
        }
        std::string().swap(fileBytes);  // the tensors now live in storages of their own
        c10::IValue format;
        if (!archive.try_read(kFormatKey, format) || !format.isString() || format.toStringRef() != kFormatName)
            throw DataError("not a vae-explorer checkpoint");
        const std::int64_t version = readInt(archive, "format_version");
        if (version < 1 || version > kFormatVersion)
            throw DataError("unsupported checkpoint version " + std::to_string(version) +
                            " (this program reads 1 to " + std::to_string(kFormatVersion) + ")");
        RunSettings run = readModelAndRun(archive, version);
        const ModelConfig config = run.model;
        auto impl = std::make_unique<Impl>(config, dev);
        impl->epochsTrained = int(readIntInRange(archive, "epochs_trained"));
        // An optional key (earlier checkpoints lack it): no format bump, older readers skip it.
        if (c10::IValue identity; archive.try_read("dataset_identity", identity)) {
            if (!identity.isString() || identity.toStringRef().size() > (1u << 20))
                throw DataError("dataset_identity is not a short text");
            impl->datasetIdentity = identity.toStringRef();
        }
        impl->steps = readInt(archive, "steps");
        const auto lr = readValue(archive, "learning_rate");
        if (!lr.isDouble() || !(lr.toDouble() > 0)) throw DataError("learning_rate is invalid");
        impl->makeOptimizer(lr.toDouble());
        if (version >= 2) impl->history = readHistory(archive);  // version 1 had none
        impl->run = std::move(run);
        torch::serialize::InputArchive modelArchive;
        if (!archive.try_read("model", modelArchive)) throw DataError("missing model weights");
        try {
            // Module::load replaces tensors without checking shapes, so compare them ourselves.
            std::vector<std::pair<std::string, std::vector<std::int64_t>>> expected;
            for (const auto& item : impl->model->named_parameters())
                expected.emplace_back(item.key(), item.value().sizes().vec());
            impl->model->load(modelArchive);
            const auto loaded = impl->model->named_parameters();
            for (const auto& [name, sizes] : expected)
                if (!loaded.contains(name) || loaded[name].sizes().vec() != sizes)
                    throw ConfigError("parameter " + name + " has the wrong shape");
        } catch (const std::exception& error) {
            throw DataError("weights do not match the stored model config " + config.describe() + " (" +
                            firstLine(error.what()) + ")");
        }
        // Shapes agree; now that each record holds its shape's bytes, and the weights are numbers.
        for (const auto& item : impl->model->named_parameters()) checkTensorRecord(item.value(), "model." + item.key(), true);
        for (const auto& item : impl->model->named_buffers()) checkTensorRecord(item.value(), "model." + item.key(), true);
        torch::serialize::InputArchive optimizerArchive;
        if (!archive.try_read("optimizer", optimizerArchive)) throw DataError("missing optimizer state");
        impl->optimizer->load(optimizerArchive);
        for (const auto& [key, state] : impl->optimizer->state()) {
            const auto& adam = static_cast<const torch::optim::AdamParamState&>(*state);
            checkTensorRecord(adam.exp_avg(), "optimizer.exp_avg", true);
            checkTensorRecord(adam.exp_avg_sq(), "optimizer.exp_avg_sq", true);
            if (adam.max_exp_avg_sq().defined()) checkTensorRecord(adam.max_exp_avg_sq(), "optimizer.max_exp_avg_sq");
        }
        if (version >= 3) impl->timeline = readTimeline(archive, impl->model);
        impl->model->to(dev);
        return Session(std::move(impl));
    } catch (const std::exception& error) {
        throw DataError(path + ": " + firstLine(error.what()));
    }
}

}  // namespace vae
