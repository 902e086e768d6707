#pragma once

#include "database.h"
#include "result.h"
#include "sessionlifetimes.h"

#include <QString>

namespace acorn::server {

// The server's data directory and its configuration file (acorn-server.conf, INI):
//
//   [server]   listen = 0.0.0.0:7443, host = the name clients use
//   [database] url = sqlite:acorn.db   (relative to the data directory), or
//              url = postgresql://acorn@dbhost/acorn   (see DatabaseLocation)
//   [sessions] idle_days = 30, max_age_days = 180   (how long a device stays signed in)
//   [retention] days_after_leaving = 365   (when a leaver's journal is due for erasure)
//
// plus tls/cert.pem, tls/key.pem (0600), the SQLite database and media/.
class DataDir
{
public:
    explicit DataDir(QString path);

    QString path() const { return m_path; }
    QString configPath() const;
    QString certificatePath() const;
    QString keyPath() const;
    // The SQLite file the configuration names (meaningful for SQLite schools only).
    QString databasePath() const;
    // Where the school's database is, from [database] url.
    Result<DatabaseLocation> database() const;
    Status setDatabaseUrl(const QString &url) const;
    QString mediaPath() const;

    bool holdsSchool() const;

    QString listen() const;
    QString host() const;
    Status writeConfig(const QString &host, const QString &listen,
                       const QString &databaseUrl = QStringLiteral("sqlite:acorn.db")) const;
    // [sessions]: defaults when absent; a value that is not a whole number of days from 1
    // to 3650, or an idle time longer than the maximum age, is refused with the reason.
    Result<SessionLifetimes> sessionLifetimes() const;

    // [retention] days_after_leaving: how long after a child's leaving date their journal
    // is kept before 'admin retention' lists it for erasure (1 to 36500 days).
    Result<int> retentionDaysAfterLeaving() const;
    static constexpr int kDefaultRetentionDays = 365;

    // The key must be readable by the server's user alone (mode 0600 or 0400).
    Status checkKeyPermissions() const;

private:
    QString m_path;
};

// "ADDR:PORT" -> address and port; IPv6 as "[::1]:7443".
struct ListenAddress
{
    QString host;
    quint16 port = 0;
};
Result<ListenAddress> parseListen(const QString &text);

} // namespace acorn::server
