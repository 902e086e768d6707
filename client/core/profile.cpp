#include "profile.h"

#include <QDir>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>

namespace acorn::client {

namespace {

const QString kGroup = QStringLiteral("profiles");
const QString kLast = QStringLiteral("lastProfile");

// Keeps a folder name portable: IPv6 colons and anything unusual become '-'.
QString safeForPath(const QString &s)
{
    QString out = s.toLower();
    static const QRegularExpression unsafe(QStringLiteral("[^a-z0-9._@-]"));
    out.replace(unsafe, QStringLiteral("-"));
    return out;
}

Profile read(QSettings &settings)
{
    Profile p;
    p.host = settings.value(QStringLiteral("host")).toString();
    p.port = static_cast<quint16>(settings.value(QStringLiteral("port")).toUInt());
    p.fingerprint = settings.value(QStringLiteral("fingerprint")).toString();
    p.username = settings.value(QStringLiteral("username")).toString();
    p.displayName = settings.value(QStringLiteral("displayName")).toString();
    p.role = roleFromName(settings.value(QStringLiteral("role")).toString());
    p.schoolName = settings.value(QStringLiteral("schoolName")).toString();
    return p;
}

} // namespace

QString Profile::id() const
{
    return safeForPath(QStringLiteral("%1@%2_%3").arg(username, host).arg(port));
}

QString Profile::directory() const
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
        + QStringLiteral("/profiles/") + id();
}

QString Profile::databasePath() const
{
    return directory() + QStringLiteral("/acorn.db");
}

QString Profile::outboxDirectory() const
{
    return directory() + QStringLiteral("/outbox");
}

QString Profile::mediaDirectory() const
{
    return directory() + QStringLiteral("/media");
}

QString Profile::keychainKey() const
{
    return QStringLiteral("%1@%2").arg(username, address());
}

QString Profile::address() const
{
    return QStringLiteral("%1:%2")
        .arg(host.contains(u':') ? QStringLiteral("[%1]").arg(host) : host)
        .arg(port);
}

QList<Profile> ProfileList::all()
{
    QSettings settings;
    settings.beginGroup(kGroup);
    QList<Profile> out;
    for (const QString &key : settings.childGroups()) {
        settings.beginGroup(key);
        const Profile p = read(settings);
        settings.endGroup();
        if (p.isValid())
            out.append(p);
    }
    return out;
}

std::optional<Profile> ProfileList::find(const QString &id)
{
    for (const Profile &p : all()) {
        if (p.id() == id)
            return p;
    }
    return std::nullopt;
}

QString ProfileList::pinnedFingerprint(const QString &host, quint16 port)
{
    for (const Profile &p : all()) {
        if (p.host.compare(host, Qt::CaseInsensitive) == 0 && p.port == port)
            return p.fingerprint;
    }
    return {};
}

Status ProfileList::save(const Profile &profile)
{
    if (!profile.isValid())
        return Status::failure(QStringLiteral("the profile is incomplete"));
    QSettings settings;
    settings.beginGroup(kGroup);
    settings.beginGroup(profile.id());
    settings.setValue(QStringLiteral("host"), profile.host);
    settings.setValue(QStringLiteral("port"), profile.port);
    settings.setValue(QStringLiteral("fingerprint"), profile.fingerprint);
    settings.setValue(QStringLiteral("username"), profile.username);
    settings.setValue(QStringLiteral("displayName"), profile.displayName);
    settings.setValue(QStringLiteral("role"), roleName(profile.role));
    settings.setValue(QStringLiteral("schoolName"), profile.schoolName);
    settings.endGroup();
    settings.endGroup();
    settings.sync();
    if (settings.status() != QSettings::NoError)
        return Status::failure(QStringLiteral("this device could not save its settings (%1)")
                                   .arg(settings.fileName()));
    if (!QDir().mkpath(profile.directory()))
        return Status::failure(
            QStringLiteral("this device could not create the folder %1").arg(profile.directory()));
    return {};
}

void ProfileList::remove(const QString &id)
{
    QSettings settings;
    settings.beginGroup(kGroup);
    settings.remove(id);
    settings.endGroup();
    if (settings.value(kLast).toString() == id)
        settings.remove(kLast);
    settings.sync();
}

Status ProfileList::removeWithData(const Profile &profile)
{
    remove(profile.id());
    QDir dir(profile.directory());
    if (dir.exists() && !dir.removeRecursively())
        return Status::failure(
            QStringLiteral("this device could not remove the folder %1").arg(profile.directory()));
    return {};
}

std::optional<Profile> ProfileList::last()
{
    QSettings settings;
    const QString id = settings.value(kLast).toString();
    return id.isEmpty() ? std::nullopt : find(id);
}

void ProfileList::setLast(const QString &id)
{
    QSettings settings;
    settings.setValue(kLast, id);
    settings.sync();
}

} // namespace acorn::client
