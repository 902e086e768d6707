#include "journalpage.h"

#include "journalcard.h"
#include "touch.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QStyle>
#include <QTimer>
#include <QVBoxLayout>

namespace acorn::staff {

namespace {
constexpr int kPageSize = 40;
}

JournalPage::JournalPage(QWidget *parent)
    : QWidget(parent)
    , m_name(new QLabel(this))
    , m_summary(new QLabel(this))
    , m_new(new QPushButton(this))
    , m_scroll(new QScrollArea(this))
    , m_list(new QWidget(this))
    , m_listLayout(new QVBoxLayout(m_list))
    , m_more(new QPushButton(tr("Show older observations"), this))
{
    setObjectName(QStringLiteral("journalPage"));
    QFont big = m_name->font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.3);
    m_name->setFont(big);
    m_name->setObjectName(QStringLiteral("journalChild"));
    m_summary->setObjectName(QStringLiteral("journalSummary"));
    m_summary->setWordWrap(true);
    m_new->setObjectName(QStringLiteral("journalNew"));
    m_new->setIcon(style()->standardIcon(QStyle::SP_FileDialogNewFolder));
    m_scroll->setObjectName(QStringLiteral("journalScroll"));
    m_scroll->setWidget(m_list);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setAccessibleName(tr("Observations, newest first"));
    m_list->setObjectName(QStringLiteral("journalList"));
    ui::enableKineticScrolling(m_scroll);
    m_more->setObjectName(QStringLiteral("journalMore"));

    auto *header = new QHBoxLayout;
    auto *names = new QVBoxLayout;
    names->addWidget(m_name);
    names->addWidget(m_summary);
    header->addLayout(names, 1);
    header->addWidget(m_new, 0, Qt::AlignTop);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addWidget(m_scroll, 1);

    connect(m_new, &QPushButton::clicked, this, [this] { emit newObservationRequested(m_ref); });
    connect(m_more, &QPushButton::clicked, this, [this] { addCards(m_shown); });
    ui::makeTouchFriendly(this);
}

QList<JournalCard *> JournalPage::cards() const
{
    return m_list->findChildren<JournalCard *>();
}

void JournalPage::showJournal(const wire::Child &child, int observationsThisPeriod,
    const QString &periodName, const QList<client::LocalObservation> &entries,
    const QList<wire::Child> &roster, client::MediaLoader *loader)
{
    const bool sameChild = m_ref == QString::fromStdString(child.ref());
    const int scrolled = sameChild ? m_scroll->verticalScrollBar()->value() : 0;
    m_ref = QString::fromStdString(child.ref());
    m_entries = entries;
    m_roster = roster;
    m_loader = loader;
    const QString first = QString::fromStdString(child.first_name());
    m_name->setText(
        QStringLiteral("%1 %2").arg(first, QString::fromStdString(child.last_name())).trimmed());
    QStringList consent;
    if (!child.consent_journal_media())
        consent.append(tr("no photos or video (no consent)"));
    else if (!child.consent_others_journals())
        consent.append(tr("photos only in their own journal"));
    QString summary = tr("%1 · observations in %2: %3")
                          .arg(QString::fromStdString(child.class_name()), periodName)
                          .arg(observationsThisPeriod);
    if (!consent.isEmpty())
        summary += QStringLiteral(" · ") + consent.join(QStringLiteral(", "));
    m_summary->setText(summary);
    m_new->setText(tr("&New observation for %1").arg(first));
    m_new->setAccessibleName(m_new->text().remove(u'&'));

    while (QLayoutItem *item = m_listLayout->takeAt(0)) {
        if (item->widget() != m_more)
            delete item->widget();
        delete item;
    }
    m_shown = 0;
    if (entries.isEmpty()) {
        auto *none = new QLabel(tr("No observations of %1 on this device yet.").arg(first), m_list);
        none->setAlignment(Qt::AlignCenter);
        m_listLayout->addWidget(none);
    }
    m_listLayout->addWidget(m_more);
    m_listLayout->addStretch(1);
    addCards(0);
    if (sameChild) {
        // Keep the reader's place when the same journal is shown again after a sync.
        while (m_shown < m_entries.size()
            && m_list->sizeHint().height() < scrolled + m_scroll->height())
            addCards(m_shown);
    }
    // After the new cards are laid out, or the scroll range would clamp the value.
    QTimer::singleShot(
        0, m_scroll, [bar = m_scroll->verticalScrollBar(), scrolled] { bar->setValue(scrolled); });
}

void JournalPage::addCards(int from)
{
    const int to = std::min<int>(static_cast<int>(m_entries.size()), from + kPageSize);
    const int insertAt = m_listLayout->indexOf(m_more);
    for (int i = from; i < to; ++i) {
        auto *card = new JournalCard(m_entries.at(i), m_roster, m_loader, m_ref, m_list);
        connect(card, &JournalCard::activated, this, &JournalPage::observationActivated);
        connect(card, &JournalCard::mediaOpened, this, &JournalPage::mediaOpened);
        m_listLayout->insertWidget(insertAt + (i - from), card);
    }
    m_shown = to;
    m_more->setVisible(m_shown < m_entries.size());
}

} // namespace acorn::staff
