#include "journalrules.h"

namespace acorn::server {

JournalRules::JournalRules(const QHash<qint64, ChildRecord> &children, const QHash<qint64, ClassRecord> &classes)
    : m_children(children)
    , m_classes(classes)
{
}

bool JournalRules::isStaff(const Viewer &v) const
{
    return v.role == wire::ROLE_LEAD || v.role == wire::ROLE_PRACTITIONER;
}

bool JournalRules::touchesScope(const Viewer &v, const ObservationRecord &o) const
{
    for (qint64 c : o.currentChildIds) {
        if (v.cutoffs.contains(c))
            return true;
    }
    for (qint64 c : o.pastChildIds) {
        if (v.cutoffs.contains(c))
            return true;
    }
    return false;
}

wire::Withheld JournalRules::mediaWithheldFor(const Viewer &v, const ObservationRecord &o) const
{
    if (isStaff(v))
        return wire::NOT_WITHHELD;
    wire::Withheld reason = wire::NOT_WITHHELD;
    for (qint64 c : o.currentChildIds) {
        const auto child = m_children.constFind(c);
        if (child == m_children.cend())
            return wire::OTHER_CHILDREN; // unknown child: withhold rather than guess
        // Media shows another family's child only with that child's others_journals consent.
        if (child->familyId != v.familyId && !child->othersJournals)
            return wire::OTHER_CHILDREN;
        // Consent for media in the journal, withdrawn after publication, hides it from then on.
        if (!child->journalMedia)
            reason = wire::CONSENT_WITHDRAWN;
    }
    return reason;
}

std::optional<wire::Observation> JournalRules::view(const Viewer &v, const ObservationRecord &o) const
{
    const wire::Observation &c = o.content;
    if (v.role == wire::ROLE_ADMIN || v.role == wire::ROLE_UNSPECIFIED)
        return std::nullopt;

    if (isStaff(v)) {
        bool inScope = false;
        for (qint64 child : o.currentChildIds)
            inScope = inScope || v.cutoffs.contains(child);
        if (!inScope)
            return std::nullopt;
        // Drafts are private to their author until published.
        if (c.state() == wire::DRAFT && o.authorId != v.userId)
            return std::nullopt;
        if (c.deleted())
            return std::nullopt;
        return c;
    }

    // Parent.
    if (c.state() != wire::PUBLISHED || c.deleted())
        return std::nullopt;
    QSet<qint64> ownReleased;
    for (qint64 child : o.currentChildIds) {
        const auto cutoff = v.cutoffs.constFind(child);
        if (cutoff != v.cutoffs.cend() && c.observed_at_ms() < *cutoff)
            ownReleased.insert(child);
    }
    if (ownReleased.isEmpty())
        return std::nullopt;

    wire::Observation out;
    out.set_id(c.id());
    out.set_observed_at_ms(c.observed_at_ms());
    out.set_text(c.text());
    out.set_next_steps(c.next_steps());
    *out.mutable_eyfs_tags() = c.eyfs_tags();
    out.set_state(wire::PUBLISHED);
    out.set_revision(c.revision());
    out.set_author_name(c.author_name());
    out.set_updated_at_ms(c.updated_at_ms());
    // Only the viewer's own released children are named; other children stay anonymous.
    for (qint64 child : o.currentChildIds) {
        if (ownReleased.contains(child))
            out.add_child_refs(m_children.value(child).ref.toStdString());
    }
    const wire::Withheld withheld = mediaWithheldFor(v, o);
    for (const wire::Media &m : c.media()) {
        wire::Media *pm = out.add_media();
        pm->set_id(m.id());
        pm->set_kind(m.kind());
        if (withheld != wire::NOT_WITHHELD) {
            pm->set_withheld(withheld);
            continue;
        }
        *pm = m;
    }
    return out;
}

bool JournalRules::mayFetchMedia(const Viewer &v, const ObservationRecord &o, const QString &mediaId) const
{
    const std::optional<wire::Observation> seen = view(v, o);
    return seen && fetchableMedia(*seen).contains(mediaId);
}

QStringList JournalRules::fetchableMedia(const wire::Observation &seen)
{
    QStringList ids;
    for (const wire::Media &m : seen.media()) {
        if (m.withheld() == wire::NOT_WITHHELD)
            ids.append(QString::fromStdString(m.id()));
    }
    return ids;
}

std::optional<QString> JournalRules::refuseEdit(const Viewer &v, const QList<qint64> &childIds,
                                                const QList<qint64> &previousChildIds, bool hasMedia) const
{
    if (!isStaff(v))
        return QStringLiteral("only staff can add to or change a journal");
    if (childIds.isEmpty())
        return QStringLiteral("an observation must tag at least one child");
    for (qint64 c : childIds + previousChildIds) {
        if (!v.cutoffs.contains(c)) {
            const auto child = m_children.constFind(c);
            const QString ref = child == m_children.cend() ? QStringLiteral("?") : child->ref;
            return QStringLiteral("child %1 is not in a class you are assigned to").arg(ref);
        }
    }
    if (hasMedia) {
        for (qint64 c : childIds) {
            const ChildRecord child = m_children.value(c);
            if (!child.journalMedia)
                return QStringLiteral("child %1 has no consent for photos or video in their journal: "
                                      "remove the child or the media")
                    .arg(child.ref);
        }
    }
    return std::nullopt;
}

std::optional<QString> JournalRules::refuseAssessment(const Viewer &v, qint64 childId, const QString &itemKey,
                                                      const QString &judgement,
                                                      const EyfsFramework &framework) const
{
    if (!isStaff(v))
        return QStringLiteral("only staff can record assessments");
    if (!v.cutoffs.contains(childId)) {
        const auto child = m_children.constFind(childId);
        const QString ref = child == m_children.cend() ? QStringLiteral("?") : child->ref;
        return QStringLiteral("child %1 is not in a class you are assigned to").arg(ref);
    }
    const EyfsFramework::Item *item = framework.item(itemKey);
    if (!item)
        return QStringLiteral("%1 is not an item of the school's EYFS framework").arg(itemKey);
    const EyfsFramework::Scale *scale = framework.scaleOf(item->key);
    if (!scale)
        return QStringLiteral("%1 is not assessed (it has no judgement scale)").arg(item->key);
    QStringList allowed;
    for (const EyfsFramework::Judgement &j : scale->judgements) {
        if (j.key == judgement)
            return std::nullopt;
        allowed.append(j.key);
    }
    return QStringLiteral("\"%1\" is not a judgement for %2 (use one of: %3)")
        .arg(judgement, item->key, allowed.join(QStringLiteral(", ")));
}

std::optional<wire::Assessment> JournalRules::viewAssessment(const Viewer &v, const AssessmentRecord &a,
                                                             qint64 assessmentMomentMs,
                                                             bool parentsSeeAssessments) const
{
    const auto cutoff = v.cutoffs.constFind(a.childId);
    const auto child = m_children.constFind(a.childId);
    if (cutoff == v.cutoffs.cend() || child == m_children.cend())
        return std::nullopt; // admins, other classes, other families
    wire::Assessment out;
    out.set_child_ref(child->ref.toStdString());
    out.set_item_key(a.itemKey.toStdString());
    out.set_half_term(a.halfTerm.toStdString());
    out.set_judgement(a.judgement.toStdString());
    out.set_revision(a.revision);
    out.set_at_ms(a.at);
    if (isStaff(v)) {
        out.set_by_username(a.byUsername.toStdString());
        out.set_by_name(a.byName.toStdString());
        for (const AssessmentRecord::Revision &r : a.history) {
            wire::AssessmentRevision *h = out.add_history();
            h->set_revision(r.revision);
            h->set_judgement(r.judgement.toStdString());
            h->set_by_username(r.byUsername.toStdString());
            h->set_by_name(r.byName.toStdString());
            h->set_at_ms(r.at);
            h->set_conflict(r.conflict);
        }
        return out;
    }
    if (v.role != wire::ROLE_PARENT || !parentsSeeAssessments)
        return std::nullopt;
    if (!(assessmentMomentMs < *cutoff))
        return std::nullopt;
    return out;
}

} // namespace acorn::server
