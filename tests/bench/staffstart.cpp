// Benchmark 5 of issue 9: the staff app's start and a journal scrolled to its end.
//
// A device profile is prepared in a temporary home (XDG folders): a lead's profile on a
// school whose server is not reachable, a local store holding 30 children with 200
// observations each (each with a photo whose thumbnail the device has downloaded, for the
// child whose journal is scrolled), and a session token in the keychain, as after an earlier
// sign-in. Then the real acorn-staff is started (offscreen platform) several times; each
// start is timed from process start to the first paint of the window with its roster, when
// the event loop is free again (the app's ACORN_STARTUP_PROBE hook prints that moment). The
// last start also opens one child's journal, scrolls it to the end (every card, every
// thumbnail) and reports the app's resident memory.
//
// The reference: a trivial Qt Widgets app (acorn-bench-hello, one label) started the same
// way on the same machine. Targets: under 1 s to interactive, under 200 MB RSS.
//
// The page cache is warm after the first start (nothing here may drop it on a shared
// machine): the first start is reported separately from the median.
#include "datakeystore.h"
#include "bench.h"

#include "acorn.pb.h"
#include "clientstore.h"
#include "keychainsession.h"
#include "profile.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QImage>
#include <QPainter>
#include <QProcess>
#include <QRegularExpression>
#include <QTextStream>
#include <QTimer>
#include <QUuid>

namespace acorn::bench {

namespace {

constexpr auto kMarker = "acorn-staff startup: ";

struct Sizes
{
    int children = 30;
    int perChild = 200;
};

Sizes sizesFor(bool smoke)
{
    return smoke ? Sizes { 4, 30 } : Sizes {};
}

QString childRef(int i)
{
    return QStringLiteral("C%1").arg(i + 1, 3, 10, QLatin1Char('0'));
}

QProcessEnvironment homeEnvironment(const QString &home)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *sub : { "config", "data", "cache" })
        QDir().mkpath(home + QLatin1Char('/') + QLatin1String(sub));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/config"));
    env.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/data"));
    env.insert(QStringLiteral("XDG_CACHE_HOME"), home + QStringLiteral("/cache"));
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("QT_MEDIA_BACKEND"), QStringLiteral("ffmpeg"));
    env.remove(QStringLiteral("ACORN_STARTUP_PROBE"));
    return env;
}

struct Started
{
    double interactiveMs = -1; // from process start to the marker
    QString interactive; // the marker line's figures
    QString scrolled;
    QString error;
};

// Starts `program` and waits for its "interactive" line (and, if `waitForScroll`, for its
// "scrolled" line and its end).
Started startTimed(const QString &program, const QProcessEnvironment &env, bool waitForScroll)
{
    Started s;
    QProcess p;
    p.setProcessEnvironment(env);
    p.setProcessChannelMode(QProcess::SeparateChannels);
    Stopwatch w;
    p.start(program, {});
    if (!p.waitForStarted(10000))
        return s.error = QStringLiteral("%1 did not start").arg(program), s;
    QByteArray out;
    QDeadlineTimer deadline(180'000);
    while (!deadline.hasExpired()) {
        p.waitForReadyRead(5);
        out += p.readAllStandardOutput();
        if (s.interactiveMs < 0) {
            const qsizetype at = out.indexOf(QByteArray(kMarker) + "interactive");
            if (at >= 0 && out.indexOf('\n', at) > 0) {
                s.interactiveMs = w.wallMs();
                s.interactive = QString::fromUtf8(out.mid(at, out.indexOf('\n', at) - at));
                if (!waitForScroll)
                    break;
            }
        }
        if (waitForScroll) {
            const qsizetype at = out.indexOf(QByteArray(kMarker) + "scrolled");
            if (at >= 0 && out.indexOf('\n', at) > 0) {
                s.scrolled = QString::fromUtf8(out.mid(at, out.indexOf('\n', at) - at));
                break;
            }
        }
        if (p.state() == QProcess::NotRunning)
            break;
    }
    if (s.interactiveMs < 0 || (waitForScroll && s.scrolled.isEmpty()))
        s.error = QStringLiteral("%1 did not report (exit %2): %3")
                      .arg(program)
                      .arg(p.exitCode())
                      .arg(QString::fromLocal8Bit(p.readAllStandardError().right(2000)));
    if (p.state() != QProcess::NotRunning) {
        if (!waitForScroll || !p.waitForFinished(10000)) {
            p.kill();
            p.waitForFinished(5000);
        }
    }
    return s;
}

// "key=12 other=3/4" -> the number after "key=" (the first, for "a/b").
qint64 figure(const QString &line, const QString &key)
{
    const QRegularExpression re(QStringLiteral("\\b%1=(\\d+)").arg(key));
    const auto m = re.match(line);
    return m.hasMatch() ? m.captured(1).toLongLong() : -1;
}

} // namespace

// Runs in a child process (acorn-bench --prepare-staff-home), whose XDG folders point at the
// temporary home: QSettings and QStandardPaths then find the profile where acorn-staff will.
int prepareStaffHome(bool smoke)
{
    const Sizes sizes = sizesFor(smoke);
    QCoreApplication::setOrganizationName(QStringLiteral("Acorn"));
    QCoreApplication::setOrganizationDomain(QStringLiteral("acorn-journal.org"));
    QCoreApplication::setApplicationName(QStringLiteral("acorn-staff"));

    client::Profile profile;
    profile.host = QStringLiteral("127.0.0.1");
    profile.port = freePort(); // nothing listens there: the app starts offline, from its cache
    profile.fingerprint = QString(64, u'a');
    profile.username = QStringLiteral("lee.lead");
    profile.displayName = QStringLiteral("Lee Lead");
    profile.role = wire::ROLE_LEAD;
    profile.schoolName = QStringLiteral("Bench Primary");
    if (Status s = client::ProfileList::save(profile); !s)
        return fail(s.error());
    client::ProfileList::setLast(profile.id());
    QDir().mkpath(profile.directory());
    QDir().mkpath(profile.mediaDirectory());
    auto opened = client::ClientStore::open(profile.databasePath(), client::DataKeyStore::obtain(profile.keychainKey(), true).value());
    if (!opened)
        return fail(opened.error());
    client::ClientStore &store = *opened.value();

    // The current half term holds every observation.
    const QDate today = QDate::currentDate();
    const QDate first = today.addDays(-40);
    const QDate last = today.addDays(10);
    wire::PullReply roster;
    roster.set_roster_changed(true);
    roster.set_school_time_zone("Europe/London");
    wire::HalfTermInfo *term = roster.add_calendar();
    term->set_name("Autumn 2");
    term->set_first_day(first.toString(Qt::ISODate).toStdString());
    term->set_last_day(last.toString(Qt::ISODate).toStdString());
    term->set_release_ms(QDateTime(last, QTime(16, 0)).toMSecsSinceEpoch());
    wire::ClassInfo *cls = roster.add_classes();
    cls->set_name("Reception");
    cls->set_live(false);
    for (int i = 0; i < sizes.children; ++i) {
        wire::Child *c = roster.add_children();
        c->set_ref(childRef(i).toStdString());
        c->set_first_name(QStringLiteral("Child%1").arg(i + 1).toStdString());
        c->set_last_name(QStringLiteral("Family%1").arg(i + 1).toStdString());
        c->set_class_name("Reception");
        c->set_date_of_birth("2021-10-01");
        c->set_consent_journal_media(true);
        c->set_consent_others_journals(true);
        c->set_family_ref(QStringLiteral("F%1").arg(i + 1).toStdString());
    }
    if (Status s = store.applyPull(roster); !s)
        return fail(s.error());

    // One 400x300 thumbnail, downloaded earlier, for each photo of the first child.
    QImage thumb(400, 300, QImage::Format_RGB32);
    {
        QPainter painter(&thumb);
        QLinearGradient g(0, 0, 400, 300);
        g.setColorAt(0, QColor(120, 170, 230));
        g.setColorAt(1, QColor(90, 160, 80));
        painter.fillRect(thumb.rect(), g);
        painter.fillRect(150, 80, 100, 140, QColor(220, 120, 40));
    }
    QByteArray jpeg;
    {
        QBuffer buffer(&jpeg);
        buffer.open(QIODevice::WriteOnly);
        thumb.save(&buffer, "JPEG", 85);
    }
    const QByteArray jpegSha = QCryptographicHash::hash(jpeg, QCryptographicHash::Sha256);
    const qint64 start = QDateTime(first, QTime(9, 0)).toMSecsSinceEpoch();
    const qint64 span = QDateTime(today, QTime(9, 0)).toMSecsSinceEpoch() - start;
    for (int i = 0; i < sizes.children; ++i) {
        wire::PullReply page;
        for (int j = 0; j < sizes.perChild; ++j) {
            wire::Observation *o = page.add_observations();
            o->set_id(QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString());
            o->set_observed_at_ms(start + span * j / sizes.perChild);
            o->add_child_refs(childRef(i).toStdString());
            o->set_text(QStringLiteral("Observation %1: built a tall tower with the large blocks, counting each "
                                       "block aloud up to eight, then knocked it down and laughed.")
                            .arg(j + 1)
                            .toStdString());
            o->set_next_steps("Count beyond ten with objects.");
            o->add_eyfs_tags("M");
            o->add_eyfs_tags("PSED");
            o->set_state(wire::PUBLISHED);
            o->set_revision(1);
            o->set_author_username("lee.lead");
            o->set_author_name("Lee Lead");
            o->set_updated_at_ms(o->observed_at_ms());
            wire::Media *m = o->add_media();
            m->set_id(QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString());
            m->set_kind(wire::PHOTO);
            m->set_size(2'000'000);
            m->set_sha256(std::string(32, '\x11'));
            m->set_width(2560);
            m->set_height(1920);
            m->set_mime_type("image/jpeg");
            m->set_thumbnail_size(quint64(jpeg.size()));
            m->set_thumbnail_sha256(jpegSha.toStdString());
            m->set_available(true);
            if (i == 0) {
                QFile f(profile.mediaDirectory() + QLatin1Char('/') + QString::fromStdString(m->id())
                    + QStringLiteral(".thumb.jpg"));
                if (!f.open(QIODevice::WriteOnly) || f.write(jpeg) != jpeg.size())
                    return fail(QStringLiteral("cannot write %1").arg(f.fileName()));
            }
        }
        if (Status s = store.applyPull(page); !s)
            return fail(s.error());
    }

    // The session token, in the keychain as after an earlier sign-in.
    ui::KeychainSession keychain(profile.keychainKey());
    keychain.setTimeout(20000);
    QEventLoop loop;
    QObject::connect(&keychain, &ui::KeychainSession::finished, &loop, &QEventLoop::quit);
    keychain.store(QByteArray(32, '\x42'));
    if (keychain.outcome() == ui::KeychainSession::Outcome::Pending)
        loop.exec();
    if (keychain.outcome() != ui::KeychainSession::Outcome::Ok)
        return fail(QStringLiteral("the keychain did not keep the token: %1").arg(keychain.errorString()));
    return 0;
}

int runStaffStart(const Options &options)
{
    const Sizes sizes = sizesFor(options.smoke);
    printHeading(QStringLiteral("5. Staff app start and journal scroll (%1 children x %2 cached observations)")
                     .arg(sizes.children)
                     .arg(sizes.perChild));
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS")) {
        QTextStream(stdout) << "skipped: no D-Bus session, so no keychain to restore the sign-in from "
                               "(./acorn bench and ./acorn test provide one)\n";
        return 0;
    }
    const QString binDir = QCoreApplication::applicationDirPath();
    const QString home = options.workDir + QStringLiteral("/staff-home");
    const QProcessEnvironment env = homeEnvironment(home);

    QProcess prepare;
    prepare.setProcessEnvironment(env);
    prepare.setProcessChannelMode(QProcess::MergedChannels);
    Stopwatch preparing;
    prepare.start(QCoreApplication::applicationFilePath(),
        QStringList { QStringLiteral("--prepare-staff-home") }
            + (options.smoke ? QStringList { QStringLiteral("--smoke") } : QStringList {}));
    if (!prepare.waitForFinished(600'000) || prepare.exitCode() != 0)
        return fail(QStringLiteral("staff-start: preparing the device failed: %1")
                        .arg(QString::fromLocal8Bit(prepare.readAll())));
    const double preparedS = preparing.wallMs() / 1000;

    const int runs = options.smoke ? 2 : 5;
    QProcessEnvironment probe = env;
    probe.insert(QStringLiteral("ACORN_STARTUP_PROBE"), QStringLiteral("1"));
    QList<double> staff;
    QList<double> hello;
    double firstStaff = 0;
    double firstHello = 0;
    for (int i = 0; i < runs; ++i) {
        // Alternately, so that both see the same machine.
        const Started h = startTimed(binDir + QStringLiteral("/acorn-bench-hello"), probe, false);
        if (!h.error.isEmpty())
            return fail(QStringLiteral("staff-start: the reference app: %1").arg(h.error));
        const Started s = startTimed(binDir + QStringLiteral("/acorn-staff"), probe, false);
        if (!s.error.isEmpty())
            return fail(QStringLiteral("staff-start: %1").arg(s.error));
        if (figure(s.interactive, QStringLiteral("children")) != sizes.children)
            return fail(QStringLiteral("staff-start: the roster showed %1 children, not %2")
                            .arg(figure(s.interactive, QStringLiteral("children")))
                            .arg(sizes.children));
        if (i == 0) {
            firstStaff = s.interactiveMs;
            firstHello = h.interactiveMs;
        }
        staff.append(s.interactiveMs);
        hello.append(h.interactiveMs);
    }
    probe.insert(QStringLiteral("ACORN_STARTUP_PROBE"), childRef(0));
    const Started scrolled = startTimed(binDir + QStringLiteral("/acorn-staff"), probe, true);
    if (!scrolled.error.isEmpty())
        return fail(QStringLiteral("staff-start: scrolling: %1").arg(scrolled.error));
    const qint64 cards = figure(scrolled.scrolled, QStringLiteral("cards"));
    const qint64 withImage = figure(scrolled.scrolled, QStringLiteral("thumbnails"));
    if (cards != sizes.perChild || withImage != sizes.perChild)
        return fail(QStringLiteral("staff-start: the scrolled journal showed %1 cards and %2 thumbnails, not %3 (%4)")
                        .arg(cards)
                        .arg(withImage)
                        .arg(sizes.perChild)
                        .arg(scrolled.scrolled));
    const double rssMiB = double(figure(scrolled.scrolled, QStringLiteral("rss_kib"))) / 1024;
    const double hwmMiB = double(figure(scrolled.scrolled, QStringLiteral("hwm_kib"))) / 1024;
    const double atStartMiB = double(figure(scrolled.interactive, QStringLiteral("rss_kib"))) / 1024;

    QTextStream(stdout) << QStringLiteral("device prepared in %1 s\n").arg(preparedS, 0, 'f', 1);
    printRow({ QStringLiteral("app"), QStringLiteral("first start (ms)"), QStringLiteral("median of %1 (ms)").arg(runs),
        QStringLiteral("target") });
    printRow({ QStringLiteral("acorn-staff"), QString::number(firstStaff, 'f', 0), QString::number(median(staff), 'f', 0),
        QStringLiteral("< 1000 ms: %1").arg(median(staff) < 1000 ? QStringLiteral("met") : QStringLiteral("MISSED")) });
    printRow({ QStringLiteral("hello (Qt)"), QString::number(firstHello, 'f', 0), QString::number(median(hello), 'f', 0),
        QString() });
    printRow({ QStringLiteral("staff/hello"), QString(), QStringLiteral("%1x").arg(median(staff) / std::max(1.0, median(hello)), 0, 'f', 2),
        QString() });
    printRow({ QStringLiteral("memory"), QStringLiteral("at start %1 MiB").arg(atStartMiB, 0, 'f', 0),
        QStringLiteral("scrolled %1 MiB (peak %2)").arg(rssMiB, 0, 'f', 0).arg(hwmMiB, 0, 'f', 0),
        QStringLiteral("< 200 MB: %1").arg(hwmMiB * 1.048576 < 200 ? QStringLiteral("met") : QStringLiteral("MISSED")) });
    return 0;
}

} // namespace acorn::bench
