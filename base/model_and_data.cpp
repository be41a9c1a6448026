#include "model_and_data.h"

#include "errors.h"
#include "image_folder.h"

namespace vae {

ModelAndData loadModelAndData(const QString& checkpoint, int threads, const QString& datasetSpec) {
    setComputeThreads(threads);
    Session session = Session::fromCheckpoint(checkpoint.toStdString(), "cpu");
    RunSettings data = session.runSettings();  // an image folder is read as it was trained on
    if (!datasetSpec.isEmpty()) data.dataset = datasetSpec.toStdString();
    const std::string spec = data.dataset;
    ImageDataset dataset = loadDataset(data).dataset;
    const ModelConfig& config = session.config();
    if (dataset.rows() != config.imageRows || dataset.cols() != config.imageCols)
        throw ConfigError("--dataset " + spec + ": its images are " + std::to_string(dataset.rows()) + "x" +
                          std::to_string(dataset.cols()) + " but " + checkpoint.toStdString() + " takes " +
                          std::to_string(config.imageRows) + "x" + std::to_string(config.imageCols) + " images");
    return {checkpoint, std::move(session), std::move(dataset)};
}

}  // namespace vae
