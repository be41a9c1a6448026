#pragma once
// The rows of the commands' numeric options outside the settings table (settings.h): eval's
// -log p(x) estimate, interpolate's walk and GIF, encode's count. Each row has its one range and
// one default; the CLI's parsers and help (app/) and the window's dialogs and fields (ui/) all
// read them, so the two can never drift apart again. Plain values: no Qt, no torch.
#include "latent_paths.h"
#include "likelihood.h"

namespace vae {

struct IntegerOptionRow {
    const char* flag;       // the command-line option, without "--"
    const char* valueName;  // for the CLI's help
    const char* help;       // one line; the range (and default) are appended where shown
    int min;
    int max;
    int defaultValue;       // the CLI's default and the window's initial value
    const char* defaultText = nullptr;  // how the help names the default, where a number would not
};

namespace options {
// eval --k, and the window's Evaluate log-likelihood…: importance samples per image.
inline constexpr IntegerOptionRow kSamples{"k", "K", "Importance samples per image of the -log p(x) estimate "
                                                     "(papers report 5000)",
                                           1, 1000000, LikelihoodOptions{}.samples};
inline constexpr IntegerOptionRow kEstimateImages{"images", "N", "The first N test images of the -log p(x) estimate",
                                                  1, 1 << 30, 1 << 30, "all"};
inline constexpr IntegerOptionRow kEstimateBatch{"batch-size", "B", "Test images per batch of the -log p(x) estimate",
                                                 1, 100000, LikelihoodOptions{}.batchImages};
// interpolate, and the window's Walk tab.
inline constexpr IntegerOptionRow kWalkSteps{"steps", "N", "Points on the path, endpoints included", kMinSteps,
                                             kMaxSteps, 16};
inline constexpr IntegerOptionRow kStripScale{"scale", "S", "Pixels per image pixel", 1, 16, 4};
// GIF stores hundredths of a second, and browsers slow frames under 20 ms down to 100 ms.
inline constexpr IntegerOptionRow kGifDelay{"delay", "MS", "GIF: milliseconds per frame", 20, 10000, 100};
// The GIF's loop count is a 16-bit field.
inline constexpr IntegerOptionRow kGifLoops{"loops", "N", "GIF: times to play, 0 forever", 0, 65535, 0};
// export --format web --points: the test images on the page's map.
inline constexpr IntegerOptionRow kWebPoints{"points", "N", "web: the test images on the page's map", 1, 60000, 2000, nullptr};
// encode --count: the first N test images.
inline constexpr IntegerOptionRow kEncodeCount{"count", "N", "Encode the first N test images", 1, 1 << 30, 1 << 30, "all"};
}  // namespace options

}  // namespace vae
