#include "assessmenthistory.h"

#include "eyfstags.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QLocale>

namespace acorn::client {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("acorn::client::AssessmentHistory", text);
}

QString str(const std::string &s)
{
    return QString::fromStdString(s);
}

bool sameAssessment(const wire::Assessment &a, const QString &childRef, const QString &itemKey,
    const QString &halfTerm)
{
    return str(a.child_ref()) == childRef
        && str(a.item_key()).compare(itemKey, Qt::CaseInsensitive) == 0
        && str(a.half_term()) == halfTerm;
}

} // namespace

QStringList AssessmentHistory::lines(const QList<wire::Assessment> &synced,
    const QList<AssessmentEdit> &unsent, const QString &childRef, const QString &itemKey,
    const QString &halfTermLastDay, const QTimeZone &zone)
{
    QStringList out;
    const QLocale locale;
    const auto when = [&](qint64 ms) {
        return locale.toString(QDateTime::fromMSecsSinceEpoch(ms, zone), QLocale::ShortFormat);
    };
    quint64 current = 0;
    for (const wire::Assessment &a : synced) {
        if (!sameAssessment(a, childRef, itemKey, halfTermLastDay))
            continue;
        current = a.revision();
        for (const wire::AssessmentRevision &r : a.history()) {
            const QString words = EyfsTags::judgementWords(itemKey, str(r.judgement()));
            const QString who = str(r.by_name().empty() ? r.by_username() : r.by_name());
            out.append((r.conflict() ? tr("Not applied (conflict with revision %1): %2, by %3, %4")
                                     : tr("Revision %1: %2, by %3, %4"))
                           .arg(r.revision())
                           .arg(words, who, when(r.at_ms())));
        }
    }
    for (const AssessmentEdit &e : unsent) {
        if (!sameAssessment(e.assessment, childRef, itemKey, halfTermLastDay))
            continue;
        const QString words = EyfsTags::judgementWords(itemKey, str(e.assessment.judgement()));
        if (e.state == QLatin1String("conflict")) {
            out.append(tr("On this device, in conflict with revision %1: %2 (%3). Record a "
                          "judgement again to settle it.")
                           .arg(current ? current : e.baseRevision)
                           .arg(words, e.reason));
        } else if (e.state == QLatin1String("refused")) {
            out.append(tr("On this device, refused by the server: %1 (%2).").arg(words, e.reason));
        } else {
            out.append(tr("On this device, not sent yet: %1.").arg(words));
        }
    }
    return out;
}

} // namespace acorn::client
