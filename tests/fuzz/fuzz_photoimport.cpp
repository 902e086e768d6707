// libFuzzer target: importing a photo on a staff device (MediaPipeline::preparePhoto) from
// a file holding the input's bytes: any image format Qt reads (JPEG with EXIF orientation,
// PNG, GIF, BMP, ICO, SVG, ...).
//
// Invariants: a refused file says why; an accepted one yields a JPEG and a thumbnail on
// disk whose sizes and SHA-256 match what the pipeline reports, within the size caps.

#include "fuzzsupport.h"
#include "mediapipeline.h"

#include <QCryptographicHash>
#include "atrest.h"

#include <QFile>
#include <QImageReader>

namespace {

// The plain bytes of a file the pipeline wrote sealed, or nothing.
QByteArray readSealed(const QString &path, const acorn::client::DataKey &key)
{
    const auto plain = acorn::client::SealedFileReader::readAll(path, key);
    return plain ? plain.value() : QByteArray();
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    acorn::fuzz::startQt(argc, argv);
    // What a device would refuse to decode anyway; keeps each input fast.
    QImageReader::setAllocationLimit(64);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using acorn::client::MediaPipeline;
    static const QString dir = acorn::fuzz::scratchDir();
    const QString source = dir + QStringLiteral("/import");
    {
        QFile f(source);
        ACORN_FUZZ_CHECK(
            f.open(QIODevice::WriteOnly | QIODevice::Truncate), "cannot write the input file");
        f.write(reinterpret_cast<const char *>(data), static_cast<qint64>(size));
    }
    const acorn::client::DataKey key = acorn::client::DataKey::generate();
    const MediaPipeline pipeline(dir + QStringLiteral("/outbox"), key);
    const auto prepared = pipeline.preparePhoto(source);
    if (!prepared) {
        ACORN_FUZZ_CHECK(!prepared.error().isEmpty(), "a refused photo without a reason");
        return 0;
    }
    ACORN_FUZZ_CHECK(prepared->width > 0 && prepared->height > 0, "an empty photo was accepted");
    ACORN_FUZZ_CHECK(std::max(prepared->width, prepared->height) <= MediaPipeline::kMaxLongEdge,
        "the long edge is not capped");
    // Written sealed (docs/at-rest.md): the checks are on the plain bytes.
    const QByteArray original
        = readSealed(prepared->originalPath, key);
    const QByteArray thumbnail
        = readSealed(prepared->thumbnailPath, key);
    ACORN_FUZZ_CHECK(original.size() == prepared->size, "the original's size is wrong");
    ACORN_FUZZ_CHECK(thumbnail.size() == prepared->thumbnailSize, "the thumbnail's size is wrong");
    ACORN_FUZZ_CHECK(
        QCryptographicHash::hash(original, QCryptographicHash::Sha256) == prepared->sha256,
        "the original's SHA-256 is wrong");
    ACORN_FUZZ_CHECK(QCryptographicHash::hash(thumbnail, QCryptographicHash::Sha256)
            == prepared->thumbnailSha256,
        "the thumbnail's SHA-256 is wrong");
    ACORN_FUZZ_CHECK(original.startsWith("\xff\xd8"), "the original is not a JPEG");
    QFile::remove(prepared->originalPath);
    QFile::remove(prepared->thumbnailPath);
    return 0;
}
