#include "model_and_data.h"

#include "errors.h"
#include "image_folder.h"
#include "one_line.h"
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
    // Its own data, changed since (a class added, images removed): its figures and exported class
    // names would be of other data. Another data set named with --dataset is the user's choice.
    const std::string& stored = session.datasetIdentity();
    if (datasetSpec.isEmpty() && !stored.empty() && stored != dataset.identity())
        throw DataError(named + " has changed since " + checkpoint.toStdString() + " was trained on it (then " +
                        oneLine(QString::fromStdString(stored)).toStdString() + ", now " +
                        oneLine(QString::fromStdString(dataset.identity())).toStdString() +
                        "); name data with --dataset to use it all the same");
    const ModelConfig& config = session.config();
    if (dataset.rows() != config.imageRows || dataset.cols() != config.imageCols || dataset.channels() != config.imageChannels)
        throw ConfigError(named + ": its images are " +
                          imageShapeText(dataset.rows(), dataset.cols(), dataset.channels()) + " but " +
                          checkpoint.toStdString() + " takes " +
                          imageShapeText(config.imageRows, config.imageCols, config.imageChannels) + " images");
    return {checkpoint, std::move(session), std::move(dataset)};
}

}  // namespace vae
