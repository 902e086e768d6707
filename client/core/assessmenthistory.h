#pragma once

#include "acorn.pb.h"
#include "clientstore.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QTimeZone>

namespace acorn::client {

// The story of one assessment (child, framework item, half term) for staff, in words: every
// revision the server applied and every conflicting judgement it kept without applying
// (its history, oldest first), then this device's own unsent judgement, if any, with where
// it stands and what to do ("Record a judgement again to settle it").
//
// Words only: it shows what the server and the device's outbox hold and decides nothing.
class AssessmentHistory
{
public:
    static QStringList lines(const QList<wire::Assessment> &synced,
        const QList<AssessmentEdit> &unsent, const QString &childRef, const QString &itemKey,
        const QString &halfTermLastDay, const QTimeZone &zone);
};

} // namespace acorn::client
