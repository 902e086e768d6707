#pragma once

#include "acorn.pb.h"
#include "eyfsframework.h"
#include "serverstore.h"

#include <QHash>
#include <QSet>

#include <optional>

namespace acorn::server {

// Who is asking, with everything the rules need to know about them, resolved once per
// request (roster, scope, release cutoffs at the clock's "now").
struct Viewer
{
    qint64 userId = 0;
    QString username;
    wire::Role role = wire::ROLE_UNSPECIFIED;
    qint64 familyId = 0;
    // The children whose journals this viewer reads, with the release cutoff for each:
    // observations observed before the cutoff are released to this viewer. Staff have
    // kEverything for each child in scope; parents their family's children with their
    // class's gate; admins nobody.
    QHash<qint64, qint64> cutoffs;
};

// The safeguarding rules of DESIGN.md section 4, in one place. Given a viewer and a stored
// observation, it decides whether the viewer may see it and, if so, exactly what they may
// see of it: parents never get the staff note, drafts, other families' children or media
// withheld by consent. Every request path (pull, media fetch, push) asks this class.
class JournalRules
{
public:
    // `children` is the whole roster by id (the rules need other children's consent).
    JournalRules(const QHash<qint64, ChildRecord> &children, const QHash<qint64, ClassRecord> &classes);

    bool isStaff(const Viewer &v) const;

    // The view of `o` this viewer may see, or nullopt when they may see nothing of it.
    std::optional<wire::Observation> view(const Viewer &v, const ObservationRecord &o) const;

    // Whether the viewer may fetch this media item of an observation they can view.
    bool mayFetchMedia(const Viewer &v, const ObservationRecord &o, const QString &mediaId) const;
    // The media items a view (what view() returned) lets its viewer fetch: those not withheld.
    static QStringList fetchableMedia(const wire::Observation &seen);

    // Whether staff member `v` may create or change an observation tagging `childIds`
    // (and, for an edit, the children it tagged before). Returns a reason when not.
    std::optional<QString> refuseEdit(const Viewer &v, const QList<qint64> &childIds,
                                      const QList<qint64> &previousChildIds, bool hasMedia) const;

    // Whether staff member `v` may record `judgement` on framework item `itemKey` for the
    // child: staff only, the child in their classes, an assessable item of the framework and
    // a judgement of its scale. Returns a reason when not.
    std::optional<QString> refuseAssessment(const Viewer &v, qint64 childId, const QString &itemKey,
                                            const QString &judgement, const EyfsFramework &framework) const;

    // The view of an assessment this viewer may see, or nullopt. Staff see their classes'
    // assessments with who made them and the whole history. A parent sees their own child's
    // current judgement (no names, no history) only when the school shows assessments to
    // parents and the release gate has passed `assessmentMomentMs` (ReleaseGate) for the
    // child, exactly as for an observation made then.
    std::optional<wire::Assessment> viewAssessment(const Viewer &v, const AssessmentRecord &a,
                                                   qint64 assessmentMomentMs, bool parentsSeeAssessments) const;

    // True when the viewer's journal scope contains (or contained, for tombstones) one of
    // the children.
    bool touchesScope(const Viewer &v, const ObservationRecord &o) const;

private:
    wire::Withheld mediaWithheldFor(const Viewer &v, const ObservationRecord &o) const;

    const QHash<qint64, ChildRecord> &m_children;
    const QHash<qint64, ClassRecord> &m_classes;
};

} // namespace acorn::server
