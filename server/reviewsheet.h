#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

namespace acorn::server {

class Clock;
class DataDir;

// One line of the security review: what was checked, whether it needs the IT manager's
// attention, and what to do about it.
struct ReviewItem
{
    enum class Status { Ok, Info, Attention };
    QString id; // stable, for scripts: "tls_certificate", "backup", ...
    QString title;
    Status status = Status::Ok;
    QString summary; // one line; for Attention, what to do
    QJsonObject details;
};

// 'acorn-server doctor --data DIR': the checks an IT manager's security review needs, run
// against a data directory: TLS certificate expiry, key file permissions and algorithm,
// TLS versions and ciphers, database integrity (quick_check) and schema version, file
// permissions, backup age, accounts never activated, session and sign-in settings, free
// disk space and whether the school calendar covers today.
//
// It reads; it changes nothing but what opening the database does for every admin command
// (bringing the schema up to date). It shows no personal data beyond usernames.
class ReviewSheet
{
public:
    ReviewSheet(const DataDir &dir, const Clock &clock);

    QList<ReviewItem> run() const;

    static bool needsAttention(const QList<ReviewItem> &items);
    static QJsonObject toJson(const QList<ReviewItem> &items, const QString &dataDir, qint64 now);
    static QString toText(const QList<ReviewItem> &items, const QString &dataDir, qint64 now);

    // Thresholds: what "needs attention" means.
    static constexpr int kCertificateWarnDays = 30;
    static constexpr int kBackupWarnDays = 7;
    static constexpr int kInvitationStaleDays = 30;
    static constexpr qint64 kMinFreeBytes = 1LL << 30; // 1 GiB
    static constexpr double kMinFreeFraction = 0.05;
    static constexpr int kMaxSensibleIdleDays = 90;
    static constexpr int kMaxSensibleSessionDays = 365;

    // Exit status of 'doctor': 0 all well, 3 something needs attention.
    static constexpr int kExitAttention = 3;

private:
    const DataDir &m_dir;
    const Clock &m_clock;
};

} // namespace acorn::server
