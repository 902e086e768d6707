#include "reviewsheet.h"

#include "clock.h"
#include "database.h"
#include "datadir.h"
#include "loginthrottle.h"
#include "releasegate.h"
#include "serverstore.h"
#include "syncserver.h"
#include "timeutil.h"
#include "tlspin.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QSslCertificate>
#include <QSslCipher>
#include <QStorageInfo>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <sys/stat.h>

namespace acorn::server {

namespace {

using Status_ = ReviewItem::Status;

constexpr qint64 kDayMs = 24LL * 60 * 60 * 1000;

ReviewItem item(const QString &id, const QString &title)
{
    ReviewItem i;
    i.id = id;
    i.title = title;
    return i;
}

QString statusName(Status_ s)
{
    switch (s) {
    case Status_::Ok:
        return QStringLiteral("ok");
    case Status_::Info:
        return QStringLiteral("info");
    case Status_::Attention:
        return QStringLiteral("attention");
    }
    return {};
}

// Mode bits of a file, or -1 when it cannot be read.
int modeOf(const QString &path)
{
    struct stat st
    {
    };
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return -1;
    return static_cast<int>(st.st_mode & 0777);
}

QString octal(int mode)
{
    return QStringLiteral("%1").arg(mode, 4, 8, QLatin1Char('0'));
}

ReviewItem checkCertificate(const DataDir &dir, qint64 now)
{
    ReviewItem i = item(QStringLiteral("tls_certificate"), QStringLiteral("TLS certificate"));
    QFile f(dir.certificatePath());
    if (!f.open(QIODevice::ReadOnly)) {
        i.status = Status_::Attention;
        i.summary = QStringLiteral("cannot read %1 (%2): the server cannot start without it")
                        .arg(dir.certificatePath(), f.errorString());
        return i;
    }
    const QByteArray pem = f.readAll();
    const QSslCertificate cert(pem, QSsl::Pem);
    if (cert.isNull()) {
        i.status = Status_::Attention;
        i.summary = QStringLiteral("%1 holds no PEM certificate: restore it from a backup")
                        .arg(dir.certificatePath());
        return i;
    }
    const qint64 expiry = cert.expiryDate().toMSecsSinceEpoch();
    const qint64 daysLeft = (expiry - now) / kDayMs;
    const auto fp = tls::spkiFingerprint(pem);
    i.details = { { QStringLiteral("path"), dir.certificatePath() },
        { QStringLiteral("not_before"),
            timeutil::formatMs(cert.effectiveDate().toMSecsSinceEpoch()) },
        { QStringLiteral("not_after"), timeutil::formatMs(expiry) },
        { QStringLiteral("days_left"), daysLeft },
        { QStringLiteral("public_key_sha256"), fp ? fp.value() : QString() } };
    if (expiry <= now) {
        i.status = Status_::Attention;
        i.summary = QStringLiteral("expired on %1: make a new certificate for the same key and "
                                   "restart the server")
                        .arg(cert.expiryDate().toUTC().date().toString(Qt::ISODate));
    } else if (daysLeft < ReviewSheet::kCertificateWarnDays) {
        i.status = Status_::Attention;
        i.summary = QStringLiteral("expires in %1 days (%2): renew it before then")
                        .arg(daysLeft)
                        .arg(cert.expiryDate().toUTC().date().toString(Qt::ISODate));
    } else if (cert.effectiveDate().toMSecsSinceEpoch() > now) {
        i.status = Status_::Attention;
        i.summary = QStringLiteral("not valid before %1: check the server's clock")
                        .arg(timeutil::formatMs(cert.effectiveDate().toMSecsSinceEpoch()));
    } else {
        i.summary = QStringLiteral("valid until %1 (%2 days left)")
                        .arg(cert.expiryDate().toUTC().date().toString(Qt::ISODate))
                        .arg(daysLeft);
    }
    return i;
}

ReviewItem checkKey(const DataDir &dir)
{
    ReviewItem i = item(QStringLiteral("tls_key"), QStringLiteral("TLS private key"));
    const int mode = modeOf(dir.keyPath());
    i.details.insert(QStringLiteral("path"), dir.keyPath());
    if (mode >= 0)
        i.details.insert(QStringLiteral("mode"), octal(mode));
    QStringList problems;
    if (Status s = dir.checkKeyPermissions(); !s)
        problems.append(s.error());

    QFile f(dir.keyPath());
    QString algorithm;
    if (f.open(QIODevice::ReadOnly)) {
        const QByteArray pem = f.readAll();
        BIO *bio = BIO_new_mem_buf(pem.constData(), static_cast<int>(pem.size()));
        EVP_PKEY *key = bio ? PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr) : nullptr;
        if (!key) {
            problems.append(QStringLiteral("%1 holds no PEM private key").arg(dir.keyPath()));
        } else {
            const int bits = EVP_PKEY_get_bits(key);
            char group[80] = {};
            size_t groupLen = 0;
            if (EVP_PKEY_get_base_id(key) == EVP_PKEY_EC) {
                EVP_PKEY_get_group_name(key, group, sizeof group, &groupLen);
                algorithm = QStringLiteral("ECDSA %1").arg(QString::fromLatin1(group));
                if (bits < 256)
                    problems.append(
                        QStringLiteral("the ECDSA key has %1 bits; use P-256 or stronger")
                            .arg(bits));
            } else if (EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA) {
                algorithm = QStringLiteral("RSA %1 bits").arg(bits);
                problems.append(
                    QStringLiteral("the server loads ECDSA keys only; an RSA key will "
                                   "not start it: run 'acorn-server init' on a new directory"));
            } else {
                algorithm = QStringLiteral("%1 (%2 bits)")
                                .arg(QString::fromLatin1(OBJ_nid2sn(EVP_PKEY_get_base_id(key))))
                                .arg(bits);
                problems.append(QStringLiteral("the server loads ECDSA keys only"));
            }
            i.details.insert(QStringLiteral("bits"), bits);
            EVP_PKEY_free(key);
        }
        BIO_free(bio);
    } else {
        problems.append(QStringLiteral("cannot read %1 (%2): run doctor as the server's user")
                            .arg(dir.keyPath(), f.errorString()));
    }
    i.details.insert(QStringLiteral("algorithm"), algorithm);
    if (!problems.isEmpty()) {
        i.status = Status_::Attention;
        i.summary = problems.join(QStringLiteral("; "));
    } else {
        i.summary = QStringLiteral("%1, mode %2 (only the server's user can read it)")
                        .arg(algorithm, octal(mode));
    }
    return i;
}

ReviewItem checkTls(const DataDir &dir)
{
    ReviewItem i = item(QStringLiteral("tls_protocol"), QStringLiteral("TLS versions and ciphers"));
    const auto tls = loadServerTls(dir.certificatePath(), dir.keyPath());
    if (!tls) {
        i.status = Status_::Attention;
        i.summary
            = QStringLiteral("the server could not load its TLS identity: %1").arg(tls.error());
        return i;
    }
    QJsonArray ciphers;
    QStringList weak;
    for (const QSslCipher &c : tls->ciphers()) {
        ciphers.append(c.name());
        const bool tls13 = c.protocol() == QSsl::TlsV1_3;
        const bool strong12 = c.protocol() == QSsl::TlsV1_2
            && c.keyExchangeMethod().startsWith(QLatin1String("ECDH"))
            && (c.name().contains(QLatin1String("GCM"))
                || c.name().contains(QLatin1String("CHACHA20")));
        if (!tls13 && !strong12)
            weak.append(c.name());
    }
    const bool minimum12
        = tls->protocol() == QSsl::TlsV1_2OrLater || tls->protocol() == QSsl::TlsV1_3OrLater;
    i.details = { { QStringLiteral("minimum"),
                      tls->protocol() == QSsl::TlsV1_3OrLater ? QStringLiteral("TLS 1.3")
                                                              : QStringLiteral("TLS 1.2") },
        { QStringLiteral("ciphers"), ciphers } };
    if (!minimum12 || !weak.isEmpty()) {
        i.status = Status_::Attention;
        i.summary = QStringLiteral("weak settings: %1")
                        .arg(minimum12 ? weak.join(QStringLiteral(", "))
                                       : QStringLiteral("protocols older than TLS 1.2 allowed"));
    } else {
        i.summary
            = QStringLiteral("TLS 1.2 minimum (1.3 preferred); TLS 1.2 only with forward-secret "
                             "AEAD suites (%1 suites)")
                  .arg(ciphers.size());
    }
    return i;
}

ReviewItem checkFilePermissions(const DataDir &dir)
{
    ReviewItem i
        = item(QStringLiteral("file_permissions"), QStringLiteral("Data directory permissions"));
    QStringList open;
    QJsonObject modes;
    for (const QString &path :
        { dir.path(), dir.databasePath(), dir.mediaPath(), dir.configPath() }) {
        const int mode = modeOf(path);
        if (mode < 0)
            continue;
        modes.insert(path, octal(mode));
        const bool isDir = QFileInfo(path).isDir();
        // Others may traverse the top directory (e.g. for a backup user) but read nothing.
        const int forbidden = isDir ? (path == dir.path() ? 0002 : 0007) : 0006;
        if (mode & forbidden)
            open.append(QStringLiteral("%1 (%2)").arg(path, octal(mode)));
    }
    i.details = { { QStringLiteral("modes"), modes } };
    if (!open.isEmpty()) {
        i.status = Status_::Attention;
        i.summary = QStringLiteral("other users can read or change %1: run 'chmod -R o-rwx %2'")
                        .arg(open.join(QStringLiteral(", ")), dir.path());
    } else {
        i.summary
            = QStringLiteral("the database, media and configuration are closed to other users");
    }
    return i;
}

ReviewItem checkDatabase(ServerStore &store)
{
    ReviewItem i = item(QStringLiteral("database"), QStringLiteral("Database integrity"));
    const QString problems = store.integrityProblems();
    const int version = store.schemaVersion();
    i.details
        = { { QStringLiteral("quick_check"), problems.isEmpty() ? QStringLiteral("ok") : problems },
              { QStringLiteral("schema_version"), version },
              { QStringLiteral("schema_latest"), Database::latestSchemaVersion() } };
    if (!problems.isEmpty()) {
        i.status = Status_::Attention;
        i.summary = QStringLiteral("PRAGMA quick_check found problems (%1): stop the server and "
                                   "restore the latest backup")
                        .arg(problems.left(300));
    } else if (version != Database::latestSchemaVersion()) {
        i.status = Status_::Attention;
        i.summary = QStringLiteral("schema version %1, this server expects %2")
                        .arg(version)
                        .arg(Database::latestSchemaVersion());
    } else {
        i.summary = store.dialect() == SqlDialect::Sqlite
                        ? QStringLiteral("quick_check ok, schema version %1").arg(version)
                        : QStringLiteral("PostgreSQL, schema version %1; its page checks are "
                                         "pg_amcheck's job (docs/postgresql.md)")
                              .arg(version);
        if (store.dialect() != SqlDialect::Sqlite)
            i.details.insert(QStringLiteral("quick_check"), QStringLiteral("not run (PostgreSQL)"));
    }
    return i;
}

ReviewItem checkBackup(ServerStore &store, qint64 now)
{
    ReviewItem i = item(QStringLiteral("backup"), QStringLiteral("Backups"));
    const QString raw = store.meta(QStringLiteral("last_backup_at")).trimmed();
    qint64 at = 0;
    if (!raw.isEmpty()) {
        bool ok = false;
        at = raw.toLongLong(&ok);
        if (!ok) {
            const auto parsed = timeutil::parseIsoDateTime(raw);
            at = parsed ? parsed.value() : 0;
        }
    }
    if (at <= 0) {
        i.status = Status_::Attention;
        i.details = { { QStringLiteral("last_backup"), QStringLiteral("never") } };
        i.summary
            = QStringLiteral("no backup has been recorded: make one, copy it off this machine, "
                             "and schedule them");
        return i;
    }
    const qint64 days = (now - at) / kDayMs;
    i.details = { { QStringLiteral("last_backup"), timeutil::formatMs(at) },
        { QStringLiteral("age_days"), days } };
    if (days > ReviewSheet::kBackupWarnDays) {
        i.status = Status_::Attention;
        i.summary
            = QStringLiteral("the last backup is %1 days old (%2): make one now and check the "
                             "schedule")
                  .arg(days)
                  .arg(timeutil::formatMs(at));
    } else {
        i.summary
            = QStringLiteral("last backup %1 (%2 days ago)").arg(timeutil::formatMs(at)).arg(days);
    }
    return i;
}

ReviewItem checkAccounts(ServerStore &store, qint64 now)
{
    ReviewItem i = item(QStringLiteral("accounts"), QStringLiteral("Accounts"));
    QJsonArray noPassword;
    QJsonArray stale;
    QJsonArray staffWithoutTwoFactor;
    QJsonObject byState;
    for (const ServerStore::AccountReview &a : store.accountsForReview()) {
        byState.insert(a.state, byState.value(a.state).toInt() + 1);
        if (a.role != QLatin1String("parent") && a.state != QLatin1String("disabled")
            && !a.twoFactor)
            staffWithoutTwoFactor.append(QJsonObject {
                { QStringLiteral("username"), a.username }, { QStringLiteral("role"), a.role } });
        if (a.hasPassword || a.state == QLatin1String("disabled"))
            continue;
        noPassword.append(a.username);
        if (now - a.createdAt > ReviewSheet::kInvitationStaleDays * kDayMs)
            stale.append(QJsonObject { { QStringLiteral("username"), a.username },
                { QStringLiteral("role"), a.role },
                { QStringLiteral("invited"), timeutil::formatMs(a.createdAt) } });
    }
    i.details = { { QStringLiteral("by_state"), byState },
        { QStringLiteral("without_password"), noPassword },
        { QStringLiteral("invited_over_30_days"), stale },
        { QStringLiteral("staff_without_two_factor"), staffWithoutTwoFactor } };
    if (!staffWithoutTwoFactor.isEmpty()) {
        QStringList names;
        for (const QJsonValue &v : staffWithoutTwoFactor)
            names.append(v.toObject().value(QStringLiteral("username")).toString());
        i.status = Status_::Attention;
        i.summary = QStringLiteral(
            "%1 staff or admin account(s) sign in without a second factor (%2): set "
            "it up with 'admin user 2fa USERNAME'")
                        .arg(staffWithoutTwoFactor.size())
                        .arg(names.join(QStringLiteral(", ")));
        if (!stale.isEmpty())
            i.summary += QStringLiteral(
                "; %1 account(s) invited more than %2 days ago were never activated")
                             .arg(stale.size())
                             .arg(ReviewSheet::kInvitationStaleDays);
    } else if (!stale.isEmpty()) {
        i.status = Status_::Attention;
        i.summary
            = QStringLiteral("%1 account(s) invited more than %2 days ago were never activated: "
                             "send a new code ('admin user code USERNAME') or disable them")
                  .arg(stale.size())
                  .arg(ReviewSheet::kInvitationStaleDays);
    } else {
        i.summary
            = QStringLiteral("%1 account(s) still waiting to be activated, none older than %2 days")
                  .arg(noPassword.size())
                  .arg(ReviewSheet::kInvitationStaleDays);
    }
    return i;
}

ReviewItem checkSignIn(const DataDir &dir)
{
    ReviewItem i
        = item(QStringLiteral("sign_in"), QStringLiteral("Sessions and sign-in throttling"));
    const auto lifetimes = dir.sessionLifetimes();
    const LoginThrottlePolicy throttle;
    i.details = { { QStringLiteral("account_failures_per_hour_max"), throttle.account.hourlyCap },
        { QStringLiteral("account_lock_after"), throttle.account.lockAfter },
        { QStringLiteral("account_lock_max_minutes"), throttle.account.lockCapMs / 60'000 },
        { QStringLiteral("address_failures_per_hour_max"), throttle.address.hourlyCap } };
    if (!lifetimes) {
        i.status = Status_::Attention;
        i.summary = lifetimes.error();
        return i;
    }
    i.details.insert(QStringLiteral("session_idle_days"), lifetimes->idleDays);
    i.details.insert(QStringLiteral("session_max_age_days"), lifetimes->maxAgeDays);
    const QString figures = QStringLiteral("sessions end after %1 days unused and %2 days at most; "
                                           "at most %3 failed sign-ins an hour per account")
                                .arg(lifetimes->idleDays)
                                .arg(lifetimes->maxAgeDays)
                                .arg(throttle.account.hourlyCap);
    if (lifetimes->idleDays > ReviewSheet::kMaxSensibleIdleDays
        || lifetimes->maxAgeDays > ReviewSheet::kMaxSensibleSessionDays) {
        i.status = Status_::Attention;
        i.summary
            = QStringLiteral("%1: longer than advised (%2 days unused, %3 days at most); lower "
                             "[sessions] in %4")
                  .arg(figures)
                  .arg(ReviewSheet::kMaxSensibleIdleDays)
                  .arg(ReviewSheet::kMaxSensibleSessionDays)
                  .arg(dir.configPath());
    } else {
        i.summary = figures;
    }
    return i;
}

ReviewItem checkDisk(const DataDir &dir)
{
    ReviewItem i = item(QStringLiteral("disk"), QStringLiteral("Free disk space"));
    const QStorageInfo storage(dir.path());
    if (!storage.isValid()) {
        i.status = Status_::Attention;
        i.summary = QStringLiteral("cannot tell how much space is free on %1").arg(dir.path());
        return i;
    }
    const qint64 free = storage.bytesAvailable();
    const qint64 total = storage.bytesTotal();
    const double fraction
        = total > 0 ? static_cast<double>(free) / static_cast<double>(total) : 0.0;
    i.details = { { QStringLiteral("free_bytes"), free }, { QStringLiteral("total_bytes"), total },
        { QStringLiteral("free_percent"), qRound(fraction * 1000) / 10.0 },
        { QStringLiteral("mount"), storage.rootPath() } };
    const QString figures = QStringLiteral("%1 GiB free of %2 GiB (%3%)")
                                .arg(static_cast<double>(free) / (1 << 30), 0, 'f', 1)
                                .arg(static_cast<double>(total) / (1 << 30), 0, 'f', 1)
                                .arg(fraction * 100, 0, 'f', 1);
    if (free < ReviewSheet::kMinFreeBytes || fraction < ReviewSheet::kMinFreeFraction) {
        i.status = Status_::Attention;
        i.summary
            = QStringLiteral("%1: free some space or move the data directory to a larger disk "
                             "before photos and videos stop uploading")
                  .arg(figures);
    } else {
        i.summary = figures;
    }
    return i;
}

ReviewItem checkCalendar(ServerStore &store, qint64 now)
{
    ReviewItem i = item(QStringLiteral("calendar"), QStringLiteral("School calendar"));
    const SchoolSettings school = store.school().value_or(SchoolSettings {});
    const ReleaseGate gate
        = ReleaseGate::forSchool(store.halfTerms(), school.timeZone, school.releaseTime);
    const bool covered = !gate.halfTerms().isEmpty() && gate.halfTermIndexFor(now) >= 0;
    i.details = { { QStringLiteral("half_terms"), static_cast<int>(gate.halfTerms().size()) },
        { QStringLiteral("covers_today"), covered } };
    if (!gate.halfTerms().isEmpty())
        i.details.insert(
            QStringLiteral("last_day"), gate.halfTerms().constLast().lastDay.toString(Qt::ISODate));
    if (gate.halfTerms().isEmpty()) {
        i.status = Status_::Attention;
        i.summary
            = QStringLiteral("no half terms are set: half-termly journals are never released; "
                             "import the calendar with 'admin import-school'");
    } else if (!covered) {
        i.status = Status_::Attention;
        i.summary = QStringLiteral("the calendar ends on %1, before today: extend it with 'admin "
                                   "import-school'")
                        .arg(gate.halfTerms().constLast().lastDay.toString(Qt::ISODate));
    } else {
        i.summary = QStringLiteral("covers today; the last half term ends on %1")
                        .arg(gate.halfTerms().constLast().lastDay.toString(Qt::ISODate));
    }
    return i;
}

} // namespace

ReviewSheet::ReviewSheet(const DataDir &dir, const Clock &clock)
    : m_dir(dir)
    , m_clock(clock)
{ }

QList<ReviewItem> ReviewSheet::run() const
{
    const qint64 now = m_clock.nowMs();
    QList<ReviewItem> items;
    items.append(checkCertificate(m_dir, now));
    items.append(checkKey(m_dir));
    items.append(checkTls(m_dir));
    items.append(checkFilePermissions(m_dir));
    const auto where = m_dir.database();
    auto store = where ? ServerStore::open(where.value(), false)
                       : Result<std::unique_ptr<ServerStore>>::failure(where.error());
    if (store) {
        items.append(checkDatabase(*store.value()));
        items.append(checkBackup(*store.value(), now));
        items.append(checkAccounts(*store.value(), now));
    } else {
        ReviewItem i = item(QStringLiteral("database"), QStringLiteral("Database integrity"));
        i.status = Status_::Attention;
        i.summary = store.error();
        items.append(i);
    }
    items.append(checkSignIn(m_dir));
    items.append(checkDisk(m_dir));
    if (store)
        items.append(checkCalendar(*store.value(), now));
    return items;
}

bool ReviewSheet::needsAttention(const QList<ReviewItem> &items)
{
    return std::any_of(items.cbegin(), items.cend(),
        [](const ReviewItem &i) { return i.status == Status_::Attention; });
}

QJsonObject ReviewSheet::toJson(const QList<ReviewItem> &items, const QString &dataDir, qint64 now)
{
    QJsonArray checks;
    int attention = 0;
    for (const ReviewItem &i : items) {
        attention += i.status == Status_::Attention ? 1 : 0;
        checks.append(QJsonObject { { QStringLiteral("id"), i.id },
            { QStringLiteral("title"), i.title },
            { QStringLiteral("status"), statusName(i.status) },
            { QStringLiteral("summary"), i.summary }, { QStringLiteral("details"), i.details } });
    }
    return { { QStringLiteral("data_dir"), dataDir },
        { QStringLiteral("checked_at"), timeutil::formatMs(now) },
        { QStringLiteral("needs_attention"), attention }, { QStringLiteral("checks"), checks } };
}

QString ReviewSheet::toText(const QList<ReviewItem> &items, const QString &dataDir, qint64 now)
{
    QString text = QStringLiteral("Acorn security review of %1 at %2\n\n")
                       .arg(dataDir, timeutil::formatMs(now));
    int attention = 0;
    for (const ReviewItem &i : items) {
        const QString mark = i.status == Status_::Attention ? QStringLiteral("[ATTENTION]")
            : i.status == Status_::Info                     ? QStringLiteral("[info]     ")
                                                            : QStringLiteral("[ok]       ");
        attention += i.status == Status_::Attention ? 1 : 0;
        text += QStringLiteral("%1 %2: %3\n").arg(mark, i.title, i.summary);
    }
    text += attention == 0 ? QStringLiteral("\nNothing needs attention.\n")
                           : QStringLiteral("\n%1 item(s) need attention.\n").arg(attention);
    return text;
}

} // namespace acorn::server
