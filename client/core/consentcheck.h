#pragma once

#include "acorn.pb.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace acorn::client {

// The device's own copy of the consent rules (DESIGN.md section 4), applied before an
// observation is queued so that staff see the reason at once rather than a refusal from
// the server later. The server applies the same rules and has the last word; this check
// never lets through what the server would refuse, and it never hides anything.
//
// - A child without `journal_media` consent cannot be tagged in an observation with
//   photos or video: a refusal naming the child.
// - In an observation with media tagging several children, a child without
//   `others_journals` consent means the other families get the text but not the media:
//   a notice, not a refusal.
struct ConsentCheck
{
    QStringList refusedRefs; // no journal_media consent, and the observation has media
    QStringList unknownRefs; // not in this device's roster (not in your classes)
    QStringList mediaHiddenRefs; // no others_journals consent, in a group observation with media
    QString refusal; // for the person: what is wrong and what to do; empty if allowed
    QString notice; // for the person: what others will not see; may be empty

    bool allowed() const { return refusal.isEmpty(); }

    // `roster` empty means "not synced yet": nothing is refused here, the server decides.
    static ConsentCheck evaluate(
        const QList<wire::Child> &roster, const QStringList &childRefs, bool hasMedia);
};

// "Ava Brown", or the reference when the child is not in the roster.
QString childName(const QList<wire::Child> &roster, const QString &ref);

} // namespace acorn::client
