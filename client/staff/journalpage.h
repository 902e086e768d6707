#pragma once

#include "acorn.pb.h"
#include "medialoader.h"
#include "observationqueue.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QPushButton;
class QScrollArea;
class QVBoxLayout;

namespace acorn::staff {

class JournalCard;

// One child's journal as this device has it: newest first, with thumbnails, drafts and
// observations still waiting to be sent included and marked. Tapping an observation opens
// it; "New observation" starts one for this child. Shows what it is given.
class JournalPage : public QWidget
{
    Q_OBJECT
public:
    explicit JournalPage(QWidget *parent = nullptr);

    void showJournal(const wire::Child &child, int observationsThisPeriod,
        const QString &periodName, const QList<client::LocalObservation> &entries,
        const QList<wire::Child> &roster, client::MediaLoader *loader);
    QString childRef() const { return m_ref; }
    QList<JournalCard *> cards() const;

signals:
    void observationActivated(const QString &id);
    void newObservationRequested(const QString &childRef);
    void mediaOpened(const acorn::wire::Media &media);

private:
    void addCards(int from);

    QString m_ref;
    QList<client::LocalObservation> m_entries;
    QList<wire::Child> m_roster;
    QPointer<client::MediaLoader> m_loader;
    QLabel *m_name;
    QLabel *m_summary;
    QPushButton *m_new;
    QScrollArea *m_scroll;
    QWidget *m_list;
    QVBoxLayout *m_listLayout;
    QPushButton *m_more;
    int m_shown = 0;
};

} // namespace acorn::staff
