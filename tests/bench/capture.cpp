// Benchmark 4 of issue 9: from a 12 MP photo in hand to an observation durably queued.
//
// Acorn's path: MediaPipeline (EXIF orientation applied, long edge capped at 2560 px, every
// metadata field dropped by re-encoding, a 400 px thumbnail, SHA-256 of both, both files
// written and fsynced) and ObservationQueue::saveNew (the outbox row committed to the
// device's SQLite file). The reference: ImageMagick's convert doing only the resize and the
// thumbnail of the same file, in one process that decodes the photo once.
//
// Two photos: a landscape one, and a portrait one whose pixels are stored sideways with EXIF
// orientation 6, as phones and tablets write them.
//
// Target: Acorn faster than convert (ratio < 1.0).
#include "bench.h"
#include "clientstore.h"
#include "atrest.h"
#include "mediapipeline.h"
#include "observationqueue.h"

#include <QDir>
#include <QFileInfo>
#include <QImageReader>
#include <QProcess>

namespace acorn::bench {

namespace {

struct Run
{
    double ms = 0;
    QString error;
};

// Runs a program to completion; its wall time in ms, or an error.
Run runProgram(const QString &program, const QStringList &args)
{
    QProcess p;
    Stopwatch w;
    p.start(program, args);
    if (!p.waitForFinished(300000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        return { 0,
            QStringLiteral("%1 %2 failed: %3 %4")
                .arg(program, args.join(u' '), p.errorString(),
                    QString::fromLocal8Bit(p.readAllStandardError())) };
    return { w.wallMs(), {} };
}

// A noisy 4032x3024 JPEG (noise keeps the encoder honest), with the given EXIF orientation.
QString makePhoto(const QString &dir, const QString &name, int width, int height, int orientation)
{
    const QString path = dir + QLatin1Char('/') + name;
    if (QFileInfo::exists(path))
        return path;
    const Run r = runProgram(QStringLiteral("convert"),
        { QStringLiteral("-size"), QStringLiteral("%1x%2").arg(width).arg(height),
            QStringLiteral("gradient:wheat-sienna"), QStringLiteral("-attenuate"),
            QStringLiteral("0.4"), QStringLiteral("+noise"), QStringLiteral("Gaussian"),
            QStringLiteral("-quality"), QStringLiteral("92"), path });
    if (!r.error.isEmpty())
        return {};
    // convert writes no EXIF block for a made-up image; exiv2 adds the orientation tag.
    const Run tag = runProgram(QStringLiteral("exiv2"),
        { QStringLiteral("-M"),
            QStringLiteral("set Exif.Image.Orientation Short %1").arg(orientation), path });
    return tag.error.isEmpty() ? path : QString();
}

} // namespace

int runCapture(const Options &options)
{
    const int width = options.smoke ? 1600 : 4032;
    const int height = options.smoke ? 1200 : 3024;
    const int repeats = options.smoke ? 1 : 7;
    printHeading(QStringLiteral("4. Capture to queued (%1x%2 JPEG, median of %3)")
                     .arg(width)
                     .arg(height)
                     .arg(repeats));

    const QString dir = options.workDir + QStringLiteral("/capture");
    QDir().mkpath(dir);
    auto store = client::ClientStore::open(dir + QStringLiteral("/device.sqlite"), client::DataKey::generate());
    if (!store)
        return fail(store.error());
    client::ObservationQueue queue(*store.value(), dir + QStringLiteral("/outbox"));

    printRow({ QStringLiteral("photo"), QStringLiteral("Acorn (ms)"),
        QStringLiteral("convert (ms)"), QStringLiteral("Acorn/convert") });
    for (const int orientation : { 1, 6 }) {
        const QString source = makePhoto(dir,
            QStringLiteral("photo-%1x%2-o%3.jpg").arg(width).arg(height).arg(orientation), width,
            height, orientation);
        if (source.isEmpty())
            return fail(QStringLiteral("convert and exiv2 (packages imagemagick, exiv2) could not "
                                       "make the test photo"));

        QList<double> ours;
        QList<double> theirs;
        for (int i = 0; i < repeats; ++i) {
            Stopwatch w;
            auto prepared = queue.pipeline().preparePhoto(source);
            if (!prepared)
                return fail(prepared.error());
            wire::Observation o;
            o.add_child_refs("C001");
            o.set_text("Built a tower of eight blocks.");
            auto id = queue.saveNew(o, { prepared.value() });
            if (!id)
                return fail(id.error());
            ours.append(w.wallMs());

            // Correct, not only fast: upright, capped, no metadata, queued with its hash.
            const auto sealed = client::openMediaFile(prepared->originalPath); // sealed at rest
            QImageReader check(sealed.get());
            const QSize size = check.size();
            const bool portrait = orientation == 6;
            if (std::max(size.width(), size.height()) != std::min(client::MediaPipeline::kMaxLongEdge, std::max(width, height))
                || (size.height() > size.width()) != portrait)
                return fail(QStringLiteral("the prepared photo is %1x%2").arg(size.width()).arg(size.height()));
            if (check.transformation() != QImageIOHandler::TransformationNone)
                return fail(QStringLiteral("the prepared photo still carries an EXIF orientation"));
            if (!queue.find(id.value()))
                return fail(QStringLiteral("the observation is not in the outbox"));

            const QString out = dir + QStringLiteral("/convert-out.jpg");
            const QString thumb = dir + QStringLiteral("/convert-thumb.jpg");
            const Run r = runProgram(QStringLiteral("convert"),
                { source, QStringLiteral("-auto-orient"), QStringLiteral("-resize"),
                    QStringLiteral("2560x2560>"), QStringLiteral("-strip"),
                    QStringLiteral("-quality"), QStringLiteral("88"), QStringLiteral("-write"), out,
                    QStringLiteral("-thumbnail"), QStringLiteral("400x400"), thumb });
            if (!r.error.isEmpty())
                return fail(r.error);
            theirs.append(r.ms);
        }
        const double a = median(ours);
        const double b = median(theirs);
        printRow({ orientation == 6 ? QStringLiteral("portrait (6)") : QStringLiteral("landscape"),
            QString::number(a, 'f', 0), QString::number(b, 'f', 0),
            ratioText(a / std::max(0.001, b), 1.0, Better::Lower) });
    }
    return 0;
}

} // namespace acorn::bench
