#pragma once

#include "acorn.pb.h"
#include "medialoader.h"
#include "observationqueue.h"

#include <QPointer>
#include <QWidget>

class QGridLayout;
class QLabel;
class QPushButton;

namespace acorn::staff {

// One observation in full, as staff see it: children, text, next steps, the staff-only
// note, EYFS areas, photos and videos (tap to view), and where it stands (draft, waiting,
// refused with the reason, in conflict). Offers Amend, Delete (the window confirms) and,
// for a conflict, "Choose a version".
class ObservationPage : public QWidget
{
    Q_OBJECT
public:
    explicit ObservationPage(QWidget *parent = nullptr);

    void showObservation(const client::LocalObservation &observation,
        const QList<wire::Child> &roster, client::MediaLoader *loader);
    QString observationId() const { return m_current.id(); }
    QString text() const;
    QPushButton *amendButton() const { return m_amend; }
    QPushButton *deleteButton() const { return m_delete; }
    QPushButton *resolveButton() const { return m_resolve; }

signals:
    void amendRequested(const QString &id);
    void deleteRequested(const QString &id);
    void resolveRequested(const QString &id);
    void mediaOpened(const acorn::wire::Media &media);

private:
    client::LocalObservation m_current;
    QLabel *m_title;
    QLabel *m_status;
    QLabel *m_children;
    QLabel *m_text;
    QLabel *m_nextSteps;
    QLabel *m_note;
    QLabel *m_tags;
    QWidget *m_media;
    QGridLayout *m_mediaGrid;
    QPushButton *m_amend;
    QPushButton *m_delete;
    QPushButton *m_resolve;
};

} // namespace acorn::staff
