#pragma once

#include "releasegate.h"
#include "result.h"
#include "serverstore.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace acorn::server {

class Clock;

// What an import file says about the school, once it has been read and checked: the
// things to create or update. The JSON importer (SchoolImporter) and the MIS roster
// importer (RosterImporter) both produce one and hand it to SchoolImporter::apply, so a
// school is written in exactly one way whatever file it came from.
struct SchoolData
{
    struct Child
    {
        ChildRecord record; // ref, names, date of birth, family ref, consent
        QString className; // a class of this data or of the database
    };
    struct Account
    {
        QString username;
        QString name;
        QString role; // admin | lead | practitioner | parent
        QString family; // guardians: the family ref
        QStringList classes; // staff: class names
        QString where; // the place in the file, for error messages
    };

    std::optional<SchoolSettings> school; // absent: the settings stay as they are
    std::optional<QList<HalfTerm>> calendar; // absent: the calendar stays as it is
    QMap<QString, bool> classes; // name -> live; created or updated
    QList<Child> children; // keyed by ref; created or updated
    QList<Account> accounts; // keyed by username; created or updated
};

// Creates or updates a school from the JSON a school (or its MIS export script) writes:
// school settings, calendar, classes, staff, children with consent, guardians.
//
// Keyed by child `ref` and account `username`, so running it again with the same file
// changes nothing, and running it with an edited file applies exactly the edits. The whole
// file is validated before anything is written, and written in one transaction: a bad
// file leaves the school as it was, with an error naming the place ("children[3].class:
// there is no class 'Recption'"). It never deletes children or accounts.
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
        // Notes for the person running the import (e.g. ignored columns); not in toJson().
        QStringList warnings;
        QJsonObject toJson() const;
    };

    Result<Outcome> importJson(const QByteArray &json, const QString &actor);

    // Writes checked data in one transaction: all of it, or (on a database failure)
    // nothing. The caller has checked that every class it names exists in `data` or in
    // the database and that accountConflict() has no objection to any account.
    // Children whose class, family or consent changed have their observations touched, so
    // every device re-evaluates them at its next sync. `auditAction` names the import in
    // the audit log ("import-school", "import-roster").
    Result<Outcome> apply(const SchoolData &data, const QString &actor, const QString &auditAction);

    // Why an account of an import cannot be written over the account of the same username
    // already in the database (a staff name reused for a guardian, a guardian of another
    // family), or nullopt when it can.
    std::optional<QString> accountConflict(const SchoolData::Account &account);

    // Lower-case letters, digits, '.', '_' and '-', 2 to 64 characters.
    static bool isValidUsername(const QString &username);

    // How long a new activation code stays valid.
    static constexpr qint64 kActivationValidityMs = 30LL * 24 * 3600 * 1000;

private:
    ServerStore &m_store;
    const Clock &m_clock;
};

} // namespace acorn::server
