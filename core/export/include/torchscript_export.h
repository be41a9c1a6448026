#pragma once
// A model as a TorchScript module built in C++ (no Python): its weights registered as parameters
// and its methods defined in TorchScript source, so `torch.jit.load` runs it as it is.
//   decode(z) -> images N x C x H x W in [0,1] (the decoder's mean);
//   encode(x) -> (mu, logvar) of images N x C x H x W in [0,1];
//   forward: decode (decoder), encode (encoder), or (decode(mu), mu, logvar) (vae).
// The part's methods only. Attributes: latent_dim, image_channels, image_rows, image_cols,
// likelihood, dataset, class_names, part; `extraFiles` go into the archive's extra/ folder.
#include "network_steps.h"

#include <map>
#include <string>

namespace vae {

struct ExportLabels {
    std::string dataset;
    std::vector<std::string> classNames;
};

// The file's bytes (a torch.jit.save archive). Throws ConfigError.
std::string torchScriptFile(const NetworkSteps& steps, ExportPart part, const ExportLabels& labels,
                            const std::map<std::string, std::string>& extraFiles);

}  // namespace vae
