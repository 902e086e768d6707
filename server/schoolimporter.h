#pragma once

#include "result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

namespace acorn::server {

class ServerStore;
class Clock;

// Creates or updates a school from the JSON a school (or its MIS export script) writes:
// school settings, calendar, classes, staff, children with consent, guardians.
//
// Keyed by child `ref` and account `username`, so running it again with the same file
// changes nothing, and running it with an edited file applies exactly the edits. The whole
// file is validated before anything is written, and written in one transaction: a bad
// file leaves the school as it was, with an error naming the place ("children[3].class:
// there is no class 'Recption'").
class SchoolImporter
{
public:
    SchoolImporter(ServerStore &store, const Clock &clock);

    struct Outcome
    {
        QStringList createdAccounts;
        QStringList updatedAccounts;
        // One-time activation codes of the accounts this import created.
        QMap<QString, QString> activationCodes;
        int children = 0;
        QJsonObject toJson() const;
    };

    Result<Outcome> importJson(const QByteArray &json, const QString &actor);

    // How long a new activation code stays valid.
    static constexpr qint64 kActivationValidityMs = 30LL * 24 * 3600 * 1000;

private:
    ServerStore &m_store;
    const Clock &m_clock;
};

} // namespace acorn::server
