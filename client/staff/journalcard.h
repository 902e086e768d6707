#pragma once

#include "acorn.pb.h"
#include "medialoader.h"
#include "observationqueue.h"

#include <QFrame>
#include <QPointer>

class QHBoxLayout;
class QLabel;

namespace acorn::staff {

// One observation as a card in a journal or in the outbox: when and by whom, whether it is
// a draft or still waiting to be sent (or refused, or in conflict, with the reason), the
// text, the EYFS areas in plain words, the other children in it, and thumbnails. Tapping
// the card (or Enter) emits activated(); a thumbnail emits mediaOpened().
class JournalCard : public QFrame
{
    Q_OBJECT
public:
    // `focusRef`: the child whose journal this is (others are listed as "with ...").
    JournalCard(const client::LocalObservation &observation, const QList<wire::Child> &roster,
        client::MediaLoader *loader, const QString &focusRef, QWidget *parent = nullptr);

    QString observationId() const { return m_id; }
    QString statusText() const;
    QString bodyText() const;
    QHBoxLayout *actions() const { return m_actions; }

    // "Waiting to send", "Refused: ..." etc., shared with other screens.
    static QString stateText(const client::LocalObservation &observation);
    static QString whenText(qint64 msSinceEpoch);

signals:
    void activated(const QString &observationId);
    void mediaOpened(const acorn::wire::Media &media);

protected:
    void mouseReleaseEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    QString m_id;
    QLabel *m_status;
    QLabel *m_body;
    QHBoxLayout *m_actions;
};

} // namespace acorn::staff
