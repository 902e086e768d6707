#pragma once

#include "acorn.pb.h"
#include "medialoader.h"
#include "observationqueue.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QVBoxLayout;

namespace acorn::staff {

class JournalCard;

// What is waiting to leave this device: observations not yet sent, media still uploading,
// and the ones that need the user: refused by the server (with the reason: edit or discard)
// and conflicts (choose a version). Nothing is ever removed from here except by the
// server accepting it or by the user's explicit choice.
class OutboxPage : public QWidget
{
    Q_OBJECT
public:
    explicit OutboxPage(QWidget *parent = nullptr);
    void showWaiting(const QList<client::LocalObservation> &waiting,
        const QList<wire::Child> &roster, client::MediaLoader *loader);
    QList<JournalCard *> cards() const;

signals:
    void observationActivated(const QString &id);
    void amendRequested(const QString &id);
    void discardRequested(const QString &id);
    void resolveRequested(const QString &id);

private:
    QLabel *m_summary;
    QWidget *m_list;
    QVBoxLayout *m_listLayout;
};

} // namespace acorn::staff
