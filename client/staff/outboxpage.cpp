#include "outboxpage.h"

#include "journalcard.h"
#include "touch.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace acorn::staff {

OutboxPage::OutboxPage(QWidget *parent)
    : QWidget(parent)
    , m_summary(new QLabel(this))
    , m_list(new QWidget(this))
    , m_listLayout(new QVBoxLayout(m_list))
{
    setObjectName(QStringLiteral("outboxPage"));
    auto *title = new QLabel(tr("Waiting to send"), this);
    QFont big = title->font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.2);
    title->setFont(big);
    m_summary->setWordWrap(true);
    m_summary->setObjectName(QStringLiteral("outboxSummary"));
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(m_list);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    ui::enableKineticScrolling(scroll);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(m_summary);
    layout->addWidget(scroll, 1);
}

QList<JournalCard *> OutboxPage::cards() const
{
    return m_list->findChildren<JournalCard *>();
}

void OutboxPage::showWaiting(const QList<client::LocalObservation> &waiting,
    const QList<wire::Child> &roster, client::MediaLoader *loader)
{
    while (QLayoutItem *item = m_listLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_summary->setText(waiting.isEmpty()
            ? tr("Everything is sent. Observations you save appear here until the school's server "
                 "has them.")
            : tr("These are saved on this device and are sent automatically when the school's "
                 "server can be reached. The ones marked need you."));
    for (const client::LocalObservation &lo : waiting) {
        auto *card = new JournalCard(lo, roster, loader, QString(), m_list);
        connect(card, &JournalCard::activated, this, &OutboxPage::observationActivated);
        const QString id = lo.id();
        if (lo.outboxState == QLatin1String("refused")) {
            auto *edit = new QPushButton(tr("Edit"), card);
            edit->setAccessibleName(tr("Edit and send again"));
            auto *discard = new QPushButton(tr("Discard my change…"), card);
            connect(edit, &QPushButton::clicked, this, [this, id] { emit amendRequested(id); });
            connect(
                discard, &QPushButton::clicked, this, [this, id] { emit discardRequested(id); });
            card->actions()->addStretch(1);
            card->actions()->addWidget(discard);
            card->actions()->addWidget(edit);
        } else if (lo.outboxState == QLatin1String("conflict")) {
            auto *resolve = new QPushButton(tr("Choose a version…"), card);
            connect(
                resolve, &QPushButton::clicked, this, [this, id] { emit resolveRequested(id); });
            card->actions()->addStretch(1);
            card->actions()->addWidget(resolve);
        }
        ui::makeTouchFriendly(card);
        m_listLayout->addWidget(card);
    }
    m_listLayout->addStretch(1);
}

} // namespace acorn::staff
