#include "servercommands.h"

#include "backup.h"
#include "certificategenerator.h"
#include "childerasure.h"
#include "childexport.h"
#include "clock.h"
#include "consentrecorder.h"
#include "crypto.h"
#include "databasecopy.h"
#include "datadir.h"
#include "logging.h"
#include "mediastore.h"
#include "releasegate.h"
#include "reviewsheet.h"
#include "rosterimporter.h"
#include "schoolimporter.h"
#include "serverstore.h"
#include "sessionadmin.h"
#include "syncserver.h"
#include "syncservice.h"
#include "timeutil.h"
#include "tlspin.h"
#include "twofactoradmin.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSocketNotifier>
#include <QTextStream>
#include <QTimeZone>

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

namespace acorn::server {

namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

const char kUsage[] = R"(usage:
  acorn-server init --data DIR [--host NAME] [--listen ADDR:PORT] [--database URL]
                                a new school; URL sqlite:FILE (the default,
                                sqlite:acorn.db) or postgresql://USER@HOST/DATABASE
                                (an empty database made with createdb)
  acorn-server fingerprint --data DIR
  acorn-server run --data DIR [--listen ADDR:PORT]
  acorn-server doctor --data DIR [--json]
                                the security review sheet; exit status 3 when
                                something needs attention
  acorn-server admin --data DIR COMMAND ...
admin commands:
  import-school FILE.json       create or update the school, classes, children, accounts
  import-roster FILE.csv        create or update children, families and guardians from the
                                MIS export (columns ref, first_name, last_name,
                                date_of_birth, class, family, journal_media,
                                others_journals [, guardian1_username, guardian1_name,
                                guardian2_username, guardian2_name])
  consent CHILD_REF [--journal-media yes|no] [--others-journals yes|no] --recorded-by NAME
                                record a parent's consent decision
  set-password USERNAME         new password from standard input
  user code USERNAME            a new one-time activation code
  user disable USERNAME         switch an account off and end its sessions
  user enable USERNAME          switch an account back on
  user 2fa USERNAME             set up two-factor sign-in (TOTP): prints the otpauth://
                                URI for the user's authenticator app; ends the account's
                                sessions; run again for a new secret. Staff can also set
                                it up themselves: the staff app's Menu > Two-step
                                sign-in... shows a QR code to scan
  user 2fa-reset USERNAME       remove two-factor sign-in (e.g. a lost phone)
  two-factor-parents [on|off]   whether parent accounts may be set up with 2FA (off by
                                default); without a word, shows the setting
  sessions USERNAME [--revoke ID|all]
                                the devices the account is signed in on; end one
                                session or all of them
  release CLASS [--through YYYY-MM-DD]
                                release a half-termly class's journal early
  calendar show                 the half terms and their release moments
  assessments-for-parents on|off
                                show released assessments to parents (off by default)
  audit [--since ISO-8601] [--until ISO-8601] [--actor USERNAME] [--action ACTION] [--child REF]
                                the audit log as JSON lines, filtered (e.g. --action view-journal)
  export-child CHILD_REF --out DIR
                                subject access: everything held about the child
                                (child.json and the photos and videos) into a new DIR
  erase-child CHILD_REF --yes   erase the child's journal: observations of the child
                                alone, their media, the child's record; shared
                                observations no longer name the child. Cannot be undone
  leaving CHILD_REF YYYY-MM-DD|none
                                record (or clear) the date a child left the school
  retention                     leavers whose journals are past the retention period
                                ([retention] days_after_leaving, default 365)
  backup --out FILE             a consistent backup (database, media, TLS key,
                                configuration) in one file, while the server runs
  verify-backup FILE            check every checksum of a backup; writes nothing
  restore --from FILE           restore a backup into DIR, which must be new or empty
  migrate-to-postgresql URL     copy this SQLite school into an empty PostgreSQL
                                database, check every table's row count and checksum,
                                then point the configuration at it (stop the server
                                first; the SQLite file is left as it was)
)";

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

int fail(const QString &message, int code = kExitFailure)
{
    QTextStream err(stderr);
    err << "acorn-server: " << message << Qt::endl;
    return code;
}

int usage(const QString &message = {})
{
    if (!message.isEmpty())
        fail(message, kExitUsage);
    QTextStream(stderr) << kUsage;
    return kExitUsage;
}

void printJson(const QJsonObject &o)
{
    out() << QJsonDocument(o).toJson(QJsonDocument::Indented) << Qt::flush;
}

// Simple option scanner: "--name value" pairs and positional words, in order.
struct Args
{
    QStringList positional;
    QHash<QString, QString> options;
    QString error;

    static Args parse(const QStringList &words, const QSet<QString> &valueOptions)
    {
        Args a;
        for (int i = 0; i < words.size(); ++i) {
            const QString &w = words[i];
            if (w.startsWith(QLatin1String("--"))) {
                const QString name = w.mid(2);
                if (!valueOptions.contains(name)) {
                    a.error = QStringLiteral("unknown option %1").arg(w);
                    return a;
                }
                if (i + 1 >= words.size()) {
                    a.error = QStringLiteral("%1 needs a value").arg(w);
                    return a;
                }
                a.options.insert(name, words[++i]);
            } else {
                a.positional.append(w);
            }
        }
        return a;
    }
};

Result<std::unique_ptr<ServerStore>> openStore(const DataDir &dir)
{
    if (!dir.holdsSchool())
        return Result<std::unique_ptr<ServerStore>>::failure(
            QStringLiteral("%1 holds no school: run 'acorn-server init --data %1' first").arg(dir.path()));
    const auto where = dir.database();
    if (!where)
        return Result<std::unique_ptr<ServerStore>>::failure(where.error());
    return ServerStore::open(where.value(), false);
}

int printFingerprint(const DataDir &dir)
{
    QFile f(dir.certificatePath());
    if (!f.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("cannot read %1: %2").arg(dir.certificatePath(), f.errorString()));
    const auto fp = tls::spkiFingerprint(f.readAll());
    if (!fp)
        return fail(QStringLiteral("%1: %2").arg(dir.certificatePath(), fp.error()));
    out() << fp.value() << Qt::endl;
    return kExitOk;
}

int cmdInit(const Args &a)
{
    const DataDir dir(a.options.value(QStringLiteral("data")));
    const QString host = a.options.value(QStringLiteral("host"), QStringLiteral("localhost"));
    const QString listen = a.options.value(QStringLiteral("listen"), QStringLiteral("0.0.0.0:7443"));
    if (auto l = parseListen(listen); !l)
        return usage(l.error());
    if (dir.holdsSchool())
        return fail(QStringLiteral("%1 already holds a school; init never touches an existing one").arg(dir.path()));
    if (!QDir().mkpath(dir.path()) || !QDir().mkpath(dir.path() + QStringLiteral("/tls")))
        return fail(QStringLiteral("cannot create %1").arg(dir.path()));
    QFile::setPermissions(dir.path() + QStringLiteral("/tls"), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QStringList hosts{host};
    for (const QString &extra : {QStringLiteral("localhost"), QStringLiteral("127.0.0.1")}) {
        if (!hosts.contains(extra))
            hosts.append(extra);
    }
    if (Status s = CertificateGenerator::generate({dir.certificatePath(), dir.keyPath()}, hosts); !s)
        return fail(s.error());
    const QString url = a.options.value(QStringLiteral("database"), QStringLiteral("sqlite:acorn.db"));
    const auto where = DatabaseLocation::parse(url, dir.path());
    if (!where)
        return usage(where.error());
    if (where->dialect != SqlDialect::Sqlite && ServerStore::open(where.value(), false))
        return fail(QStringLiteral("%1 already holds a school; init never touches an existing one")
                        .arg(where->display()));
    if (Status s = dir.writeConfig(host, listen, url); !s)
        return fail(s.error());
    auto store = ServerStore::open(where.value(), true);
    if (!store)
        return fail(store.error());
    MediaStore media(dir.mediaPath());
    if (Status s = media.ensureLayout(); !s)
        return fail(s.error());
    SystemClock clock;
    store.value()->audit(QStringLiteral("admin"), QStringLiteral("admin"), QStringLiteral("init"), dir.path(), {},
                         clock.nowMs());
    out() << "created a new school data directory in " << dir.path() << Qt::endl;
    out() << "certificate: " << dir.certificatePath() << Qt::endl;
    out() << "give staff and parents this server fingerprint (SHA-256 of the public key):" << Qt::endl;
    return printFingerprint(dir);
}

volatile std::sig_atomic_t s_signalled = 0;
int s_signalPipe[2] = {-1, -1};

void onSignal(int)
{
    s_signalled = 1;
    const char c = 1;
    [[maybe_unused]] const auto n = ::write(s_signalPipe[1], &c, 1);
}

int cmdRun(const Args &a)
{
    const DataDir dir(a.options.value(QStringLiteral("data")));
    if (!dir.holdsSchool())
        return fail(QStringLiteral("%1 holds no school: run 'acorn-server init --data %1' first").arg(dir.path()));
    const auto listen = parseListen(a.options.value(QStringLiteral("listen"), dir.listen()));
    if (!listen)
        return usage(listen.error());
    if (Status s = dir.checkKeyPermissions(); !s)
        return fail(s.error());
    auto tls = loadServerTls(dir.certificatePath(), dir.keyPath());
    if (!tls)
        return fail(tls.error());
    auto store = openStore(dir);
    if (!store)
        return fail(store.error());
    MediaStore media(dir.mediaPath());
    if (Status s = media.ensureLayout(); !s)
        return fail(s.error());
    SystemClock clock;

    // The calendar must cover today, or half-termly journals would stay withheld forever.
    {
        const auto school = store.value()->school().value_or(SchoolSettings{});
        const ReleaseGate gate = ReleaseGate::forSchool(store.value()->halfTerms(), school.timeZone, school.releaseTime);
        if (!gate.halfTerms().isEmpty() && gate.halfTermIndexFor(clock.nowMs()) < 0)
            qCWarning(lcServer) << "the school calendar ends before today: observations in half-termly classes "
                                   "stay withheld until the calendar is extended (admin import-school)";
    }

    const auto lifetimes = dir.sessionLifetimes();
    if (!lifetimes)
        return fail(lifetimes.error());
    SyncService service(*store.value(), media, clock);
    service.setSessionLifetimes(lifetimes.value());
    SyncServer server(service, tls.value());
    QHostAddress address;
    if (listen->host == QLatin1String("*") || listen->host.isEmpty())
        address = QHostAddress::Any;
    else if (!address.setAddress(listen->host))
        return fail(QStringLiteral("'%1' is not an IP address to listen on").arg(listen->host));
    if (!server.listen(address, listen->port))
        return fail(QStringLiteral("cannot listen on %1:%2: %3").arg(listen->host).arg(listen->port).arg(server.errorString()));

    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, s_signalPipe) != 0)
        return fail(QStringLiteral("cannot set up signal handling"));
    struct sigaction sa {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGINT, &sa, nullptr);
    QSocketNotifier notifier(s_signalPipe[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, qApp, [] {
        char c = 0;
        [[maybe_unused]] const auto n = ::read(s_signalPipe[0], &c, 1);
        qCInfo(lcServer) << "stopping on signal";
        QCoreApplication::quit();
    });

    const QString shown = server.serverAddress().protocol() == QAbstractSocket::IPv6Protocol
                              ? QStringLiteral("[%1]").arg(server.serverAddress().toString())
                              : server.serverAddress().toString();
    out() << "listening on " << shown << ':' << server.serverPort() << Qt::endl;
    qCInfo(lcServer) << "serving" << dir.path();
    const int rc = QCoreApplication::exec();
    server.close();
    qCInfo(lcServer) << "stopped";
    return rc;
}

int cmdDoctor(const QStringList &words)
{
    QStringList rest = words;
    const bool json = rest.removeAll(QStringLiteral("--json")) > 0;
    const Args a = Args::parse(rest, {QStringLiteral("data")});
    if (!a.error.isEmpty() || !a.positional.isEmpty())
        return usage(a.error.isEmpty() ? QStringLiteral("doctor takes --data DIR [--json]") : a.error);
    if (!a.options.contains(QStringLiteral("data")))
        return usage(QStringLiteral("--data DIR is required"));
    const DataDir dir(a.options.value(QStringLiteral("data")));
    if (!dir.holdsSchool())
        return fail(QStringLiteral("%1 holds no school: run 'acorn-server init --data %1' first").arg(dir.path()));
    SystemClock clock;
    const ReviewSheet sheet(dir, clock);
    const QList<ReviewItem> items = sheet.run();
    if (json)
        printJson(ReviewSheet::toJson(items, dir.path(), clock.nowMs()));
    else
        out() << ReviewSheet::toText(items, dir.path(), clock.nowMs()) << Qt::flush;
    return ReviewSheet::needsAttention(items) ? ReviewSheet::kExitAttention : kExitOk;
}

// restore and verify-backup, which need no school in DIR; -1 for any other command.
int cmdBackupWithoutStore(const DataDir &dir, const QStringList &words)
{
    const QString cmd = words.value(0);
    if (cmd == QLatin1String("verify-backup")) {
        if (words.size() != 2)
            return usage(QStringLiteral("verify-backup needs one FILE"));
        const auto r = SchoolBackup::verify(words[1]);
        if (!r)
            return fail(r.error());
        printJson(r->toJson());
        return kExitOk;
    }
    if (cmd != QLatin1String("restore"))
        return -1;
    const Args r = Args::parse(words.mid(1), {QStringLiteral("from")});
    if (!r.error.isEmpty() || !r.positional.isEmpty() || !r.options.contains(QStringLiteral("from")))
        return usage(r.error.isEmpty() ? QStringLiteral("restore needs --from FILE") : r.error);
    const QString actor = QStringLiteral("admin:%1").arg(
        qEnvironmentVariable("SUDO_USER", qEnvironmentVariable("USER", QStringLiteral("root"))));
    SystemClock clock;
    const auto restored = SchoolBackup::restore(r.options.value(QStringLiteral("from")), dir, actor, clock.nowMs());
    if (!restored)
        return fail(restored.error());
    for (const QString &warning : restored->warnings)
        fail(QStringLiteral("note: %1").arg(warning), kExitOk);
    printJson(restored->toJson());
    return kExitOk;
}

int cmdAdmin(const Args &a)
{
    const DataDir dir(a.options.value(QStringLiteral("data")));
    if (a.positional.size() < 2)
        return usage(QStringLiteral("admin needs a command"));
    if (const int rc = cmdBackupWithoutStore(dir, a.positional.mid(1)); rc >= 0)
        return rc;
    auto opened = openStore(dir);
    if (!opened)
        return fail(opened.error());
    ServerStore &store = *opened.value();
    SystemClock clock;
    const QString cmd = a.positional[1];
    const QStringList rest = a.positional.mid(2);
    const QString actor = QStringLiteral("admin:%1").arg(qEnvironmentVariable("SUDO_USER", qEnvironmentVariable("USER", QStringLiteral("root"))));

    if (cmd == QLatin1String("backup")) {
        const Args b = Args::parse(rest, {QStringLiteral("out")});
        if (!b.error.isEmpty() || !b.positional.isEmpty() || !b.options.contains(QStringLiteral("out")))
            return usage(b.error.isEmpty() ? QStringLiteral("backup needs --out FILE") : b.error);
        const auto r = SchoolBackup::create(store, dir, b.options.value(QStringLiteral("out")), actor, clock.nowMs());
        if (!r)
            return fail(r.error());
        for (const QString &warning : r->warnings)
            fail(QStringLiteral("warning: %1").arg(warning), kExitOk);
        printJson(r->toJson());
        return kExitOk;
    }
    if (cmd == QLatin1String("migrate-to-postgresql")) {
        if (rest.size() != 1)
            return usage(QStringLiteral("migrate-to-postgresql needs one URL: postgresql://USER@HOST/DATABASE"));
        const auto target = DatabaseLocation::parse(rest[0], dir.path());
        if (!target || target->dialect != SqlDialect::Postgres)
            return usage(target ? QStringLiteral("migrate-to-postgresql needs a postgresql:// URL") : target.error());
        if (store.dialect() != SqlDialect::Sqlite)
            return fail(QStringLiteral("this school is already in PostgreSQL"));
        auto to = ServerStore::open(target.value(), true);
        if (!to)
            return fail(to.error());
        const QString sqliteFile = dir.databasePath();
        auto copied = DatabaseCopy::copy(store, *to.value(), actor, clock.nowMs());
        if (!copied)
            return fail(copied.error());
        DatabaseCopy::Report report = copied.value();
        report.from = QStringLiteral("sqlite:") + sqliteFile;
        report.to = target->display();
        if (Status s = dir.setDatabaseUrl(rest[0]); !s)
            return fail(QStringLiteral("the school was copied and verified, but %1: set [database] url = %2 "
                                       "by hand")
                            .arg(s.error(), rest[0]));
        printJson(report.toJson());
        fail(QStringLiteral("note: %1 now uses %2. The SQLite file %3 was left as it was; keep it until you "
                            "are happy, and make sure no server still runs on it.")
                 .arg(dir.configPath(), target->display(), sqliteFile),
             kExitOk);
        return kExitOk;
    }
    if (cmd == QLatin1String("import-school")) {
        if (rest.size() != 1)
            return usage(QStringLiteral("import-school needs one FILE.json"));
        QFile f(rest[0]);
        if (!f.open(QIODevice::ReadOnly))
            return fail(QStringLiteral("cannot read %1: %2").arg(rest[0], f.errorString()));
        SchoolImporter importer(store, clock);
        const auto r = importer.importJson(f.readAll(), actor);
        if (!r)
            return fail(QStringLiteral("%1: %2").arg(rest[0], r.error()));
        printJson(r->toJson());
        return kExitOk;
    }
    if (cmd == QLatin1String("import-roster")) {
        if (rest.size() != 1)
            return usage(QStringLiteral("import-roster needs one FILE.csv"));
        QFile f(rest[0]);
        if (!f.open(QIODevice::ReadOnly))
            return fail(QStringLiteral("cannot read %1: %2").arg(rest[0], f.errorString()));
        RosterImporter importer(store, clock);
        const auto r = importer.importCsv(f.readAll(), actor);
        if (!r)
            return fail(QStringLiteral("%1: %2").arg(rest[0], r.error()));
        for (const QString &warning : r->warnings)
            fail(QStringLiteral("%1: note: %2").arg(rest[0], warning), kExitOk);
        printJson(r->toJson());
        return kExitOk;
    }
    if (cmd == QLatin1String("consent")) {
        const QString journalMedia = QStringLiteral("journal-media");
        const QString othersJournals = QStringLiteral("others-journals");
        const QString recordedBy = QStringLiteral("recorded-by");
        const Args c = Args::parse(rest, { journalMedia, othersJournals, recordedBy });
        if (!c.error.isEmpty() || c.positional.size() != 1)
            return usage(
                c.error.isEmpty() ? QStringLiteral("consent needs one CHILD_REF") : c.error);
        ConsentRecorder::Change change;
        for (const QString &option : { journalMedia, othersJournals }) {
            if (!c.options.contains(option))
                continue;
            const auto answer = parseConsentAnswer(c.options.value(option));
            if (!answer)
                return usage(QStringLiteral("--%1 takes yes or no, not '%2'")
                                 .arg(option, c.options.value(option)));
            (option == journalMedia ? change.journalMedia : change.othersJournals) = *answer;
        }
        if (!change.journalMedia && !change.othersJournals)
            return usage(QStringLiteral(
                "consent needs --journal-media yes|no, --others-journals yes|no, or both"));
        if (!c.options.contains(recordedBy))
            return usage(
                QStringLiteral("consent needs --recorded-by NAME (who took the decision down)"));
        change.recordedBy = c.options.value(recordedBy);
        ConsentRecorder recorder(store, clock);
        const auto r = recorder.record(c.positional[0], change, actor);
        if (!r)
            return fail(r.error());
        printJson(
            r->toJson(QTimeZone(store.school().value_or(SchoolSettings {}).timeZone.toUtf8())));
        return kExitOk;
    }
    if (cmd == QLatin1String("set-password")) {
        if (rest.size() != 1)
            return usage(QStringLiteral("set-password needs a USERNAME"));
        const auto user = store.userByUsername(rest[0]);
        if (!user)
            return fail(QStringLiteral("there is no account '%1'").arg(rest[0]));
        QTextStream in(stdin);
        const QString password = in.readLine();
        if (password.size() < 8)
            return fail(QStringLiteral("the new password must have at least 8 characters (read from standard input)"));
        const auto hash = crypto::hashPassword(password);
        if (!hash)
            return fail(hash.error());
        ServerStore::Transaction tx(store);
        Status s = store.setPassword(user->id, hash.value());
        if (s)
            s = store.endSessionsOfUser(user->id, clock.nowMs(), QStringLiteral("password changed"));
        if (s)
            s = store.audit(actor, QStringLiteral("admin"), QStringLiteral("set-password"), user->username, {}, clock.nowMs());
        if (s)
            s = tx.commit();
        if (!s)
            return fail(s.error());
        out() << "password set for " << user->username << Qt::endl;
        return kExitOk;
    }
    if (cmd == QLatin1String("user")
        && (rest.value(0) == QLatin1String("2fa") || rest.value(0) == QLatin1String("2fa-reset"))) {
        if (rest.size() != 2)
            return usage(QStringLiteral("user %1 needs a USERNAME").arg(rest[0]));
        const TwoFactorAdmin twoFactor(store, clock);
        const auto r = rest[0] == QLatin1String("2fa") ? twoFactor.enrol(rest[1], actor)
                                                       : twoFactor.reset(rest[1], actor);
        if (!r)
            return fail(r.error());
        QJsonObject shown = r.value();
        if (shown.contains(QStringLiteral("otpauth_uri")))
            shown.insert(QStringLiteral("how_to_scan"),
                QStringLiteral("show the URI as a QR code for the authenticator app: qrencode -t "
                               "ansiutf8 'URI'. Staff can instead set it up themselves, with a QR "
                               "code on screen: staff app, Menu > Two-step sign-in..."));
        printJson(shown);
        return kExitOk;
    }
    if (cmd == QLatin1String("two-factor-parents")) {
        const TwoFactorAdmin twoFactor(store, clock);
        if (rest.size() > 1
            || (rest.size() == 1 && rest[0] != QLatin1String("on")
                && rest[0] != QLatin1String("off")))
            return usage(QStringLiteral("two-factor-parents takes on, off or nothing"));
        if (rest.size() == 1) {
            if (Status s = twoFactor.setParentsAllowed(rest[0] == QLatin1String("on"), actor); !s)
                return fail(s.error());
        }
        printJson({ { QStringLiteral("two_factor_parents"),
            twoFactor.parentsAllowed() ? QStringLiteral("on") : QStringLiteral("off") } });
        return kExitOk;
    }
    if (cmd == QLatin1String("user")) {
        if (rest.size() != 2)
            return usage(
                QStringLiteral("user needs code|disable|enable|2fa|2fa-reset and a USERNAME"));
        const auto user = store.userByUsername(rest[1]);
        if (!user)
            return fail(QStringLiteral("there is no account '%1'").arg(rest[1]));
        ServerStore::Transaction tx(store);
        Status s;
        QJsonObject result{{QStringLiteral("username"), user->username}};
        if (rest[0] == QLatin1String("code")) {
            const QString code = crypto::newActivationCode();
            s = store.setActivation(user->id, crypto::sha256Hex(crypto::normaliseActivationCode(code).toUtf8()),
                                    clock.nowMs() + SchoolImporter::kActivationValidityMs);
            result.insert(QStringLiteral("activation_code"), code);
        } else if (rest[0] == QLatin1String("disable")) {
            s = store.setUserState(user->id, QStringLiteral("disabled"));
            if (s)
                s = store.endSessionsOfUser(user->id, clock.nowMs(), QStringLiteral("account disabled"));
            result.insert(QStringLiteral("state"), QStringLiteral("disabled"));
        } else if (rest[0] == QLatin1String("enable")) {
            s = store.setUserState(user->id, user->passwordHash.isEmpty() ? QStringLiteral("invited") : QStringLiteral("active"));
            result.insert(QStringLiteral("state"), QStringLiteral("enabled"));
        } else {
            return usage(QStringLiteral("unknown user command '%1'").arg(rest[0]));
        }
        if (s)
            s = store.audit(actor, QStringLiteral("admin"), QStringLiteral("user-%1").arg(rest[0]), user->username, {},
                            clock.nowMs());
        if (s)
            s = tx.commit();
        if (!s)
            return fail(s.error());
        printJson(result);
        return kExitOk;
    }
    if (cmd == QLatin1String("sessions")) {
        const Args r = Args::parse(rest, {QStringLiteral("revoke")});
        if (!r.error.isEmpty() || r.positional.size() != 1)
            return usage(r.error.isEmpty() ? QStringLiteral("sessions needs one USERNAME") : r.error);
        const auto lifetimes = dir.sessionLifetimes();
        if (!lifetimes)
            return fail(lifetimes.error());
        const SessionAdmin sessions(store, clock, lifetimes.value());
        const auto result = r.options.contains(QStringLiteral("revoke"))
                                ? sessions.revoke(r.positional[0], r.options.value(QStringLiteral("revoke")), actor)
                                : sessions.list(r.positional[0],
                                                QTimeZone(store.school().value_or(SchoolSettings{}).timeZone.toUtf8()));
        if (!result)
            return fail(result.error());
        printJson(result.value());
        return kExitOk;
    }
    if (cmd == QLatin1String("release")) {
        const Args r = Args::parse(rest, {QStringLiteral("through")});
        if (!r.error.isEmpty() || r.positional.size() != 1)
            return usage(r.error.isEmpty() ? QStringLiteral("release needs a CLASS") : r.error);
        MediaStore media(dir.mediaPath());
        SyncService service(store, media, clock);
        const auto cutoff = service.releaseClass(r.positional[0], r.options.value(QStringLiteral("through")), actor,
                                                 QStringLiteral("admin"));
        if (!cutoff)
            return fail(cutoff.error());
        printJson({{QStringLiteral("class"), r.positional[0]},
                   {QStringLiteral("released_through"), timeutil::formatMs(cutoff.value(), QTimeZone(store.school()->timeZone.toUtf8()))}});
        return kExitOk;
    }
    if (cmd == QLatin1String("assessments-for-parents")) {
        const QString how = rest.value(0);
        if (rest.size() != 1 || (how != QLatin1String("on") && how != QLatin1String("off")))
            return usage(QStringLiteral("assessments-for-parents needs on or off"));
        const bool visible = how == QLatin1String("on");
        Status s = store.setAssessmentsVisibleToParents(visible);
        if (s)
            s = store.audit(actor, QStringLiteral("admin"), QStringLiteral("assessments-for-parents"), how, {},
                            clock.nowMs());
        if (!s)
            return fail(s.error());
        printJson({{QStringLiteral("assessments_visible_to_parents"), visible}});
        return kExitOk;
    }
    if (cmd == QLatin1String("calendar") && rest.value(0) == QLatin1String("show")) {
        const auto school = store.school().value_or(SchoolSettings{});
        const ReleaseGate gate = ReleaseGate::forSchool(store.halfTerms(), school.timeZone, school.releaseTime);
        QJsonArray terms;
        for (const HalfTerm &t : gate.halfTerms()) {
            terms.append(QJsonObject{{QStringLiteral("name"), t.name},
                                     {QStringLiteral("first_day"), t.firstDay.toString(Qt::ISODate)},
                                     {QStringLiteral("last_day"), t.lastDay.toString(Qt::ISODate)},
                                     {QStringLiteral("release"), timeutil::formatMs(gate.releaseMomentMs(t), gate.zone())}});
        }
        const bool covered = gate.halfTerms().isEmpty() || gate.halfTermIndexFor(clock.nowMs()) >= 0;
        printJson({{QStringLiteral("time_zone"), school.timeZone},
                   {QStringLiteral("release_time"), school.releaseTime},
                   {QStringLiteral("half_terms"), terms},
                   {QStringLiteral("covers_today"), covered}});
        if (!covered)
            fail(QStringLiteral("warning: the calendar ends before today; extend it with import-school"), 0);
        return kExitOk;
    }
    if (cmd == QLatin1String("export-child")) {
        const Args e = Args::parse(rest, { QStringLiteral("out") });
        if (!e.error.isEmpty() || e.positional.size() != 1
            || !e.options.contains(QStringLiteral("out")))
            return usage(e.error.isEmpty()
                    ? QStringLiteral("export-child needs CHILD_REF --out DIR")
                    : e.error);
        MediaStore media(dir.mediaPath());
        const auto r = ChildExport(store, media, clock)
                           .write(e.positional[0], e.options.value(QStringLiteral("out")), actor);
        if (!r)
            return fail(r.error());
        printJson(r.value());
        return kExitOk;
    }
    if (cmd == QLatin1String("erase-child")) {
        if (rest.size() != 2 || rest[1] != QLatin1String("--yes"))
            return usage(
                QStringLiteral("erase-child needs CHILD_REF --yes (erasure cannot be undone: "
                               "make an export-child first if the family asked for a copy)"));
        MediaStore media(dir.mediaPath());
        const auto r = ChildErasure(store, media, clock).erase(rest[0], actor);
        if (!r)
            return fail(r.error());
        printJson(r.value());
        return kExitOk;
    }
    if (cmd == QLatin1String("leaving")) {
        if (rest.size() != 2)
            return usage(QStringLiteral("leaving needs CHILD_REF and YYYY-MM-DD (or none)"));
        MediaStore media(dir.mediaPath());
        const QString date = rest[1] == QLatin1String("none") ? QString() : rest[1];
        if (Status s = ChildErasure(store, media, clock).setLeavingDate(rest[0], date, actor); !s)
            return fail(s.error());
        printJson(
            { { QStringLiteral("child"), rest[0] }, { QStringLiteral("leaving_date"), date } });
        return kExitOk;
    }
    if (cmd == QLatin1String("retention")) {
        if (!rest.isEmpty())
            return usage(QStringLiteral("retention takes no arguments"));
        const auto days = dir.retentionDaysAfterLeaving();
        if (!days)
            return fail(days.error());
        MediaStore media(dir.mediaPath());
        printJson(ChildErasure(store, media, clock).retentionReport(days.value()));
        return kExitOk;
    }
    if (cmd == QLatin1String("audit")) {
        const Args r = Args::parse(rest, {QStringLiteral("since"), QStringLiteral("until"), QStringLiteral("actor"),
                                          QStringLiteral("action"), QStringLiteral("child")});
        if (!r.error.isEmpty())
            return usage(r.error);
        ServerStore::AuditFilter filter;
        for (const auto &[name, bound] : {std::pair{QStringLiteral("since"), &filter.sinceMs},
                                          std::pair{QStringLiteral("until"), &filter.untilMs}}) {
            if (!r.options.contains(name))
                continue;
            const auto t = timeutil::parseIsoDateTime(r.options.value(name));
            if (!t)
                return usage(QStringLiteral("--%1: %2").arg(name, t.error()));
            *bound = t.value();
        }
        filter.actor = r.options.value(QStringLiteral("actor")).trimmed().toLower();
        filter.action = r.options.value(QStringLiteral("action")).trimmed();
        filter.target = r.options.value(QStringLiteral("child")).trimmed();
        for (const auto &e : store.auditEntries(filter)) {
            out() << QJsonDocument(QJsonObject{{QStringLiteral("at"), timeutil::formatMs(e.at)},
                                               {QStringLiteral("actor"), e.actor},
                                               {QStringLiteral("device"), e.device},
                                               {QStringLiteral("action"), e.action},
                                               {QStringLiteral("target"), e.target},
                                               {QStringLiteral("detail"), e.detail}})
                         .toJson(QJsonDocument::Compact)
                  << '\n';
        }
        out() << Qt::flush;
        return kExitOk;
    }
    return usage(QStringLiteral("unknown admin command '%1'").arg(cmd));
}

} // namespace

int runCommandLine(const QStringList &arguments)
{
    if (arguments.size() < 2)
        return usage();
    const QString command = arguments[1];
    if (command == QLatin1String("--help") || command == QLatin1String("help")) {
        out() << kUsage << Qt::flush;
        return kExitOk;
    }
    if (command == QLatin1String("admin")) {
        // Only --data belongs to "admin" itself; every other word, options included, goes
        // to the admin command, which parses its own options.
        Args adminArgs;
        const QStringList words = arguments.mid(1);
        for (int i = 0; i < words.size(); ++i) {
            if (words[i] == QLatin1String("--data") && i + 1 < words.size())
                adminArgs.options.insert(QStringLiteral("data"), words[++i]);
            else
                adminArgs.positional.append(words[i]);
        }
        if (!adminArgs.options.contains(QStringLiteral("data")))
            return usage(QStringLiteral("--data DIR is required"));
        return cmdAdmin(adminArgs);
    }
    if (command == QLatin1String("doctor"))
        return cmdDoctor(arguments.mid(2));
    const Args a = Args::parse(arguments.mid(2), {QStringLiteral("data"), QStringLiteral("host"),
                                                  QStringLiteral("listen"), QStringLiteral("database")});
    if (!a.error.isEmpty())
        return usage(a.error);
    if (!a.options.contains(QStringLiteral("data")))
        return usage(QStringLiteral("--data DIR is required"));
    if (command == QLatin1String("init"))
        return cmdInit(a);
    if (command == QLatin1String("fingerprint"))
        return printFingerprint(DataDir(a.options.value(QStringLiteral("data"))));
    if (command == QLatin1String("run"))
        return cmdRun(a);
    return usage(QStringLiteral("unknown command '%1'").arg(command));
}

} // namespace acorn::server
