// Session checkpoints: model, optimizer, model config and progress in one torch archive.
#include "errors.h"
#include "session_impl.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace vae {
namespace {

const char* const kFormatKey = "vae_explorer_format";
const char* const kFormatName = "vae-explorer-checkpoint";
constexpr std::int64_t kFormatVersion = 1;

std::vector<std::int64_t> toInt64(const std::vector<int>& values) { return {values.begin(), values.end()}; }

std::vector<int> toIntChecked(const std::vector<std::int64_t>& values) {
    std::vector<int> out;
    for (auto v : values) {
        if (v < 0 || v > (1 << 20)) throw ConfigError("layer width out of range");
        out.push_back(int(v));
    }
    return out;
}

void writeConfig(torch::serialize::OutputArchive& archive, const ModelConfig& c) {
    archive.write("config.image_rows", c10::IValue(std::int64_t(c.imageRows)));
    archive.write("config.image_cols", c10::IValue(std::int64_t(c.imageCols)));
    archive.write("config.encoder_hidden", c10::IValue(toInt64(c.encoderHidden)));
    archive.write("config.decoder_hidden", c10::IValue(toInt64(c.decoderHidden)));
    archive.write("config.latent_dim", c10::IValue(std::int64_t(c.latentDim)));
    archive.write("config.likelihood", c10::IValue(likelihoodName(c.likelihood)));
    archive.write("config.gaussian_sigma", c10::IValue(c.gaussianSigma));
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

ModelConfig readConfig(torch::serialize::InputArchive& archive) {
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
    c.validate();
    return c;
}

std::string firstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

// Writes through a file descriptor so the data can be fsync'ed before the rename.
void writeAtomically(const std::string& path, torch::serialize::OutputArchive& archive) {
    const std::string temp = path + ".tmp-" + std::to_string(::getpid());
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw DataError(path + ": cannot write (" + std::strerror(errno) + ")");
    int writeErrno = 0;
    archive.save_to([&](const void* data, std::size_t size) -> std::size_t {
        const char* bytes = static_cast<const char*>(data);
        std::size_t done = 0;
        while (done < size && writeErrno == 0) {
            const ssize_t n = ::write(fd, bytes + done, size - done);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) writeErrno = n < 0 ? errno : ENOSPC;
            else done += std::size_t(n);
        }
        return size;  // errors are reported after the archive finishes
    });
    if (writeErrno == 0 && ::fsync(fd) != 0) writeErrno = errno;
    if (::close(fd) != 0 && writeErrno == 0) writeErrno = errno;
    if (writeErrno == 0 && std::rename(temp.c_str(), path.c_str()) != 0) writeErrno = errno;
    if (writeErrno != 0) {
        std::remove(temp.c_str());
        throw DataError(path + ": cannot write (" + std::strerror(writeErrno) + ")");
    }
}

}  // namespace

void Session::saveCheckpoint(const std::string& path) const {
    torch::serialize::OutputArchive archive;
    archive.write(kFormatKey, c10::IValue(std::string(kFormatName)));
    archive.write("format_version", c10::IValue(kFormatVersion));
    writeConfig(archive, impl_->config);
    archive.write("epochs_trained", c10::IValue(std::int64_t(impl_->epochsTrained)));
    archive.write("steps", c10::IValue(impl_->steps));
    archive.write("learning_rate", c10::IValue(impl_->learningRate));
    torch::serialize::OutputArchive modelArchive;
    impl_->model->save(modelArchive);
    archive.write("model", modelArchive);
    torch::serialize::OutputArchive optimizerArchive;
    impl_->optimizer->save(optimizerArchive);
    archive.write("optimizer", optimizerArchive);
    try {
        writeAtomically(path, archive);
    } catch (const DataError&) {
        throw;
    } catch (const std::exception& error) {
        throw DataError(path + ": cannot write checkpoint (" + firstLine(error.what()) + ")");
    }
}

Session Session::fromCheckpoint(const std::string& path, const std::string& device) {
    const auto dev = resolveDevice(device);
    try {
        torch::serialize::InputArchive archive;
        try {
            archive.load_from(path, dev);
        } catch (const std::exception&) {
            if (::access(path.c_str(), R_OK) != 0) throw DataError(std::string("cannot open (") + std::strerror(errno) + ")");
            throw DataError("not a readable checkpoint (corrupt or not a torch archive)");
        }
        c10::IValue format;
        if (!archive.try_read(kFormatKey, format) || !format.isString() || format.toStringRef() != kFormatName)
            throw DataError("not a vae-explorer checkpoint");
        if (readInt(archive, "format_version") != kFormatVersion)
            throw DataError("unsupported checkpoint version " + std::to_string(readInt(archive, "format_version")));
        const auto config = readConfig(archive);
        auto impl = std::make_unique<Impl>(config, dev);
        impl->epochsTrained = int(readIntInRange(archive, "epochs_trained"));
        impl->steps = readInt(archive, "steps");
        const auto lr = readValue(archive, "learning_rate");
        if (!lr.isDouble() || !(lr.toDouble() > 0)) throw DataError("learning_rate is invalid");
        impl->makeOptimizer(lr.toDouble());
        torch::serialize::InputArchive modelArchive;
        if (!archive.try_read("model", modelArchive)) throw DataError("missing model weights");
        try {
            impl->model->load(modelArchive);
        } catch (const std::exception& error) {
            throw DataError("weights do not match the stored model config " + config.describe() + " (" +
                            firstLine(error.what()) + ")");
        }
        torch::serialize::InputArchive optimizerArchive;
        if (!archive.try_read("optimizer", optimizerArchive)) throw DataError("missing optimizer state");
        impl->optimizer->load(optimizerArchive);
        impl->model->to(dev);
        return Session(std::move(impl));
    } catch (const std::exception& error) {
        throw DataError(path + ": " + firstLine(error.what()));
    }
}

}  // namespace vae
