#include "datadir.h"

#include <QDir>
#include <QFileInfo>
#include <QHostAddress>
#include <QSettings>

#include <sys/stat.h>

namespace acorn::server {

DataDir::DataDir(QString path) : m_path(QDir(path).absolutePath()) { }

QString DataDir::configPath() const
{
    return m_path + QStringLiteral("/acorn-server.conf");
}
QString DataDir::certificatePath() const
{
    return m_path + QStringLiteral("/tls/cert.pem");
}
QString DataDir::keyPath() const
{
    return m_path + QStringLiteral("/tls/key.pem");
}
QString DataDir::mediaPath() const
{
    return m_path + QStringLiteral("/media");
}

QString DataDir::databasePath() const
{
    const auto where = database();
    return where && where->dialect == SqlDialect::Sqlite ? where->sqlitePath : QString();
}

Result<DatabaseLocation> DataDir::database() const
{
    QSettings s(configPath(), QSettings::IniFormat);
    const QString url = s.value(QStringLiteral("database/url"), QStringLiteral("sqlite:acorn.db")).toString();
    auto where = DatabaseLocation::parse(url, m_path);
    if (!where)
        return Result<DatabaseLocation>::failure(QStringLiteral("%1: %2").arg(configPath(), where.error()));
    return where;
}

Status DataDir::setDatabaseUrl(const QString &url) const
{
    QSettings s(configPath(), QSettings::IniFormat);
    s.setValue(QStringLiteral("database/url"), url);
    s.sync();
    if (s.status() != QSettings::NoError)
        return Status::failure(QStringLiteral("cannot write %1").arg(configPath()));
    return {};
}

bool DataDir::holdsSchool() const
{
    return QFileInfo::exists(configPath()) || QFileInfo::exists(m_path + QStringLiteral("/acorn.db"))
           || QFileInfo::exists(keyPath());
}

QString DataDir::listen() const
{
    QSettings s(configPath(), QSettings::IniFormat);
    return s.value(QStringLiteral("server/listen"), QStringLiteral("0.0.0.0:7443")).toString();
}

QString DataDir::host() const
{
    QSettings s(configPath(), QSettings::IniFormat);
    return s.value(QStringLiteral("server/host"), QStringLiteral("localhost")).toString();
}

Status DataDir::writeConfig(const QString &host, const QString &listen, const QString &databaseUrl) const
{
    QSettings s(configPath(), QSettings::IniFormat);
    s.setValue(QStringLiteral("server/host"), host);
    s.setValue(QStringLiteral("server/listen"), listen);
    s.setValue(QStringLiteral("database/url"), databaseUrl);
    s.sync();
    if (s.status() != QSettings::NoError)
        return Status::failure(QStringLiteral("cannot write %1").arg(configPath()));
    return {};
}

namespace {

// A whole number of days from 1 to `maxDays` under `key`, or `fallback` when absent.
Result<int> daysSetting(
    const QSettings &s, const QString &configPath, const QString &key, int fallback, int maxDays)
{
    if (!s.contains(key))
        return fallback;
    bool ok = false;
    const int days = s.value(key).toString().trimmed().toInt(&ok);
    if (!ok || days < 1 || days > maxDays)
        return Result<int>::failure(
            QStringLiteral("%1: %2 must be a number of days from 1 to %3, not '%4'; "
                           "fix it or remove the line to use the default")
                .arg(configPath, key)
                .arg(maxDays)
                .arg(s.value(key).toString()));
    return days;
}

} // namespace

Result<int> DataDir::retentionDaysAfterLeaving() const
{
    QSettings s(configPath(), QSettings::IniFormat);
    return daysSetting(s, configPath(), QStringLiteral("retention/days_after_leaving"),
        kDefaultRetentionDays, 36500);
}

Result<SessionLifetimes> DataDir::sessionLifetimes() const
{
    using R = Result<SessionLifetimes>;
    QSettings s(configPath(), QSettings::IniFormat);
    SessionLifetimes lifetimes;
    const struct
    {
        const char *key;
        int *value;
    } entries[] = {{"sessions/idle_days", &lifetimes.idleDays}, {"sessions/max_age_days", &lifetimes.maxAgeDays}};
    for (const auto &e : entries) {
        const auto days = daysSetting(s, configPath(), QString::fromLatin1(e.key), *e.value, 3650);
        if (!days)
            return R::failure(days.error());
        *e.value = days.value();
    }
    if (lifetimes.idleDays > lifetimes.maxAgeDays)
        return R::failure(QStringLiteral("%1: sessions/idle_days (%2) is longer than sessions/max_age_days (%3): "
                                         "make it shorter or equal")
                              .arg(configPath())
                              .arg(lifetimes.idleDays)
                              .arg(lifetimes.maxAgeDays));
    return lifetimes;
}

Status DataDir::checkKeyPermissions() const
{
    struct stat st {};
    if (::stat(QFile::encodeName(keyPath()).constData(), &st) != 0)
        return Status::failure(QStringLiteral("the TLS key %1 is missing").arg(keyPath()));
    if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
        return Status::failure(QStringLiteral("the TLS key %1 can be read by other users (mode %2): "
                                              "run 'chmod 600 %1' and start again")
                                   .arg(keyPath())
                                   .arg(st.st_mode & 0777, 4, 8, QLatin1Char('0')));
    }
    return {};
}

Result<ListenAddress> parseListen(const QString &text)
{
    using R = Result<ListenAddress>;
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    if (colon <= 0)
        return R::failure(QStringLiteral("'%1' is not ADDRESS:PORT (e.g. 0.0.0.0:7443)").arg(text));
    QString host = text.left(colon);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    bool ok = false;
    const uint port = text.mid(colon + 1).toUInt(&ok);
    if (!ok || port > 65535)
        return R::failure(QStringLiteral("'%1' has no valid port number").arg(text));
    return ListenAddress{host, static_cast<quint16>(port)};
}

} // namespace acorn::server
