#pragma once

#include "result.h"

#include <QJsonObject>
#include <QString>
#include <QTimeZone>

#include <optional>

namespace acorn::server {

class Clock;
class ServerStore;

// Reads a consent answer as schools write it: yes/no, true/false, y/n in any case, with
// surrounding spaces. Anything else is nullopt, never a guess.
std::optional<bool> parseConsentAnswer(const QString &text);

// A child's consent record as it stands.
struct ChildConsent
{
    QString childRef;
    bool journalMedia = false;
    bool othersJournals = false;
    QString recordedBy;
    qint64 recordedAtMs = 0;
    bool changed = false; // whether this recording changed either answer

    // {"child", "journal_media", "others_journals", "recorded_by", "recorded_at", "changed"}
    QJsonObject toJson(const QTimeZone &zone) const;
};

// Records a parent's consent decision for one child (the admin `consent` command): the
// new answers, who recorded them and when, an audit entry, and a nudge to every device.
//
// A change takes effect at every device's next sync in both directions: the child's
// observations are marked changed, so each parent's journal re-evaluates which media it
// may show, and the roster is marked changed, so staff apps learn the new answers before
// tagging the child in a photo. It never writes a name into the audit log.
class ConsentRecorder
{
public:
    ConsentRecorder(ServerStore &store, const Clock &clock);

    struct Change
    {
        std::optional<bool> journalMedia; // absent: stays as it is
        std::optional<bool> othersJournals; // absent: stays as it is
        QString recordedBy; // the person who took the decision down
    };

    // Applies `change` to the child with MIS reference `childRef`, in one transaction.
    // `actor` is who ran the command (for the audit log).
    Result<ChildConsent> record(
        const QString &childRef, const Change &change, const QString &actor);

    // The child's consent as stored, or a failure naming the unknown reference.
    Result<ChildConsent> current(const QString &childRef);

    static constexpr int kMaxRecordedByChars = 100;

private:
    ServerStore &m_store;
    const Clock &m_clock;
};

} // namespace acorn::server
