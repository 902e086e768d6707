#pragma once

#include "acorn.pb.h"
#include "result.h"
#include "roles.h"

#include <QList>
#include <QString>

#include <optional>

namespace acorn::client {

// One account on one school server, as this device knows it: where the server is, the
// fingerprint the device pinned for it, and who signed in. Each profile has its own folder
// under QStandardPaths::AppDataLocation/profiles/<username>@<host>_<port>/ with the local
// store (acorn.db), queued media (outbox/) and downloaded media (media/).
//
// A profile never holds a password or a session token: the token lives in the OS keychain
// under keychainKey().
struct Profile
{
    QString host;
    quint16 port = 0;
    QString fingerprint; // 64 lower-case hex digits (SPKI SHA-256)
    QString username;
    QString displayName;
    wire::Role role = wire::ROLE_UNSPECIFIED;
    QString schoolName;

    bool isValid() const
    {
        return !host.isEmpty() && port != 0 && fingerprint.size() == 64 && !username.isEmpty();
    }
    // "jo.smith@journal.school.example_7443": stable, safe as a folder name.
    QString id() const;
    QString directory() const;
    QString databasePath() const;
    QString outboxDirectory() const;
    QString mediaDirectory() const;
    // The key of this profile's session token in the keychain ("jo.smith@host:7443").
    QString keychainKey() const;
    // "host:port" with IPv6 in brackets.
    QString address() const;

    static bool isStaff(wire::Role role)
    {
        return role == wire::ROLE_LEAD || role == wire::ROLE_PRACTITIONER;
    }
};

// The profiles this app knows on this device, kept with QSettings (organisation and
// application names of the running app), and which one was used last. Deleting a profile
// here forgets it; its folder is removed only by removeWithData().
class ProfileList
{
public:
    static QList<Profile> all();
    static std::optional<Profile> find(const QString &id);
    // The fingerprint this device pinned for a server, from any profile on it (empty if
    // the server is new to this device). A different fingerprint later is a warning.
    static QString pinnedFingerprint(const QString &host, quint16 port);
    static Status save(const Profile &profile);
    static void remove(const QString &id);
    static Status removeWithData(const Profile &profile);

    static std::optional<Profile> last();
    static void setLast(const QString &id);
};

} // namespace acorn::client
