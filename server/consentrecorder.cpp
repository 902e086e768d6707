#include "consentrecorder.h"

#include "clock.h"
#include "serverstore.h"
#include "timeutil.h"

namespace acorn::server {

namespace {

QString yesNo(bool b)
{
    return b ? QStringLiteral("yes") : QStringLiteral("no");
}

ChildConsent consentOf(const ChildRecord &c)
{
    ChildConsent out;
    out.childRef = c.ref;
    out.journalMedia = c.journalMedia;
    out.othersJournals = c.othersJournals;
    out.recordedBy = c.consentRecordedBy;
    out.recordedAtMs = c.consentRecordedAt;
    return out;
}

} // namespace

std::optional<bool> parseConsentAnswer(const QString &text)
{
    const QString t = text.trimmed().toLower();
    if (t == QLatin1String("yes") || t == QLatin1String("y") || t == QLatin1String("true"))
        return true;
    if (t == QLatin1String("no") || t == QLatin1String("n") || t == QLatin1String("false"))
        return false;
    return std::nullopt;
}

QJsonObject ChildConsent::toJson(const QTimeZone &zone) const
{
    return QJsonObject { { QStringLiteral("child"), childRef },
        { QStringLiteral("journal_media"), journalMedia },
        { QStringLiteral("others_journals"), othersJournals },
        { QStringLiteral("recorded_by"), recordedBy },
        { QStringLiteral("recorded_at"),
            recordedAtMs ? timeutil::formatMs(recordedAtMs, zone) : QString() },
        { QStringLiteral("changed"), changed } };
}

ConsentRecorder::ConsentRecorder(ServerStore &store, const Clock &clock)
    : m_store(store)
    , m_clock(clock)
{ }

Result<ChildConsent> ConsentRecorder::current(const QString &childRef)
{
    const std::optional<ChildRecord> child = m_store.childByRef(childRef.trimmed());
    if (!child)
        return Result<ChildConsent>::failure(
            QStringLiteral("there is no child with reference '%1': check the reference in the MIS, "
                           "or import the child first (import-roster or import-school)")
                .arg(childRef.trimmed()));
    return consentOf(*child);
}

Result<ChildConsent> ConsentRecorder::record(
    const QString &childRef, const Change &change, const QString &actor)
{
    using R = Result<ChildConsent>;
    if (!change.journalMedia && !change.othersJournals)
        return R::failure(QStringLiteral("say which consent to record: --journal-media yes|no, "
                                         "--others-journals yes|no, or both"));
    const QString recordedBy = change.recordedBy.simplified();
    if (recordedBy.isEmpty())
        return R::failure(
            QStringLiteral("say who recorded the consent (--recorded-by NAME): the record must "
                           "show who took the decision down"));
    if (recordedBy.size() > kMaxRecordedByChars)
        return R::failure(QStringLiteral("the --recorded-by name is longer than %1 characters")
                              .arg(kMaxRecordedByChars));

    const qint64 now = m_clock.nowMs();
    ServerStore::Transaction tx(m_store);
    if (!tx.ok())
        return R::failure(
            QStringLiteral("cannot write to the database: %1").arg(m_store.lastError()));
    const std::optional<ChildRecord> child = m_store.childByRef(childRef.trimmed());
    if (!child)
        return current(childRef); // the unknown-reference message

    ChildConsent out = consentOf(*child);
    out.journalMedia = change.journalMedia.value_or(child->journalMedia);
    out.othersJournals = change.othersJournals.value_or(child->othersJournals);
    out.recordedBy = recordedBy;
    out.recordedAtMs = now;
    out.changed
        = out.journalMedia != child->journalMedia || out.othersJournals != child->othersJournals;

    Status s = m_store.setConsent(child->id, out.journalMedia, out.othersJournals, recordedBy, now);
    if (s && out.changed) {
        // Parents' journals re-evaluate the child's observations; staff apps re-read the
        // roster that carries the answers.
        s = m_store.touchObservationsOfChild(child->id);
        if (s)
            s = m_store.bumpRosterSeq();
    }
    if (s)
        s = m_store.audit(actor, QStringLiteral("admin"), QStringLiteral("consent"), child->ref,
            QStringLiteral("journal_media=%1 others_journals=%2")
                .arg(yesNo(out.journalMedia), yesNo(out.othersJournals)),
            now);
    if (s)
        s = tx.commit();
    if (!s)
        return R::failure(QStringLiteral("the consent was not recorded: %1").arg(s.error()));
    return out;
}

} // namespace acorn::server
