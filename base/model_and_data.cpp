#include "model_and_data.h"

#include "errors.h"
#include "image_folder.h"
#include "runtime_info.h"

#include <QFileInfo>

namespace vae {

ModelAndData loadModelAndData(const QString& checkpoint, int threads, const QString& datasetSpec) {
    setComputeThreads(threads);
    Session session = Session::fromCheckpoint(checkpoint.toStdString(), "cpu");
    RunSettings data = session.runSettings();  // an image folder is read as it was trained on
    if (!datasetSpec.isEmpty()) data.dataset = datasetSpec.toStdString();
    const std::string spec = data.dataset;
    // The checkpoint's own word for its data is named as the checkpoint's, never as an option.
    const std::string named = datasetSpec.isEmpty() ? checkpoint.toStdString() + "'s data set " + spec : "--dataset " + spec;
    // An empty name would read the current folder, and "/" would walk the whole file system.
    if (spec.empty() || QFileInfo(QString::fromStdString(spec)).canonicalFilePath() == "/")
        throw DataError(named + " is not a data set to read" + (datasetSpec.isEmpty() ? " (name its data with --dataset)" : ""));
    ImageDataset dataset = [&] {
        if (!datasetSpec.isEmpty()) return loadDataset(data).dataset;
        try {  // the checkpoint chose the data, so the message says so
            return loadDataset(data).dataset;
        } catch (const DataError& error) {
            throw DataError(checkpoint.toStdString() + " was trained on " + spec + ", which cannot be read here: " +
                            error.what() + " (name its data with --dataset)");
        }
    }();
    const ModelConfig& config = session.config();
    if (dataset.rows() != config.imageRows || dataset.cols() != config.imageCols || dataset.channels() != config.imageChannels)
        throw ConfigError(named + ": its images are " +
                          imageShapeText(dataset.rows(), dataset.cols(), dataset.channels()) + " but " +
                          checkpoint.toStdString() + " takes " +
                          imageShapeText(config.imageRows, config.imageCols, config.imageChannels) + " images");
    return {checkpoint, std::move(session), std::move(dataset)};
}

}  // namespace vae
