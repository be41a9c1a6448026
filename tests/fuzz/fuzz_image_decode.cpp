// libFuzzer target: image files through the reader every user's picture takes
// (base/image_decode.h): PNG, JPEG and BMP headers and data, within the 256 MB decode bound.
// The run's -malloc_limit_mb=512 makes any allocation past the bound a finding.
#include "image_decode.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto decoded = vae::decodeImageBytes(QByteArray::fromRawData(reinterpret_cast<const char*>(data), qsizetype(size)));
    if (decoded.image.isNull() == decoded.problem.isEmpty()) __builtin_trap();  // an image or a reason, never both
    if (!decoded.image.isNull() && qint64(decoded.image.sizeInBytes()) > (qint64(vae::kDecodeLimitMegabytes) << 20))
        __builtin_trap();
    return 0;
}
