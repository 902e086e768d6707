#include "consentcheck.h"

#include <QCoreApplication>
#include <QLocale>

#include <algorithm>

namespace acorn::client {

namespace {

QString tr(const char *text, int n = -1)
{
    return QCoreApplication::translate("acorn::client::ConsentCheck", text, nullptr, n);
}

const wire::Child *findChild(const QList<wire::Child> &roster, const QString &ref)
{
    const auto it = std::find_if(roster.cbegin(), roster.cend(),
        [&](const wire::Child &c) { return QString::fromStdString(c.ref()) == ref; });
    return it == roster.cend() ? nullptr : &*it;
}

QString names(const QList<wire::Child> &roster, const QStringList &refs)
{
    QStringList out;
    for (const QString &ref : refs)
        out.append(childName(roster, ref));
    return QLocale().createSeparatedList(out);
}

} // namespace

QString childName(const QList<wire::Child> &roster, const QString &ref)
{
    const wire::Child *c = findChild(roster, ref);
    if (!c)
        return ref;
    return QStringLiteral("%1 %2")
        .arg(QString::fromStdString(c->first_name()), QString::fromStdString(c->last_name()))
        .trimmed();
}

ConsentCheck ConsentCheck::evaluate(
    const QList<wire::Child> &roster, const QStringList &childRefs, bool hasMedia)
{
    ConsentCheck out;
    if (roster.isEmpty())
        return out;
    for (const QString &ref : childRefs) {
        const wire::Child *c = findChild(roster, ref);
        if (!c) {
            out.unknownRefs.append(ref);
            continue;
        }
        if (hasMedia && !c->consent_journal_media())
            out.refusedRefs.append(ref);
        if (hasMedia && childRefs.size() > 1 && !c->consent_others_journals())
            out.mediaHiddenRefs.append(ref);
    }
    if (!out.unknownRefs.isEmpty()) {
        out.refusal = tr(
            "%1 is not in your classes on this device: remove them from this observation, or sync "
            "and try again.")
                          .arg(out.unknownRefs.join(QStringLiteral(", ")));
    } else if (!out.refusedRefs.isEmpty()) {
        out.refusal = tr(
            "%1 cannot be in an observation with photos or video: their family has not given "
            "consent for photos or video in their journal. Remove them from this observation, or "
            "remove the photos and video.",
            static_cast<int>(out.refusedRefs.size()))
                          .arg(names(roster, out.refusedRefs));
    }
    if (!out.mediaHiddenRefs.isEmpty()) {
        out.notice = (out.mediaHiddenRefs.size() == 1
                ? tr(
                    "%1's family has not agreed to their image appearing in other children's "
                    "journals, so the other families will see the text of this observation but not "
                    "its photos or video.")
                : tr(
                    "The families of %1 have not agreed to their image appearing in other "
                    "children's "
                    "journals, so the other families will see the text of this observation but not "
                    "its photos or video."))
                         .arg(names(roster, out.mediaHiddenRefs));
    }
    return out;
}

} // namespace acorn::client
