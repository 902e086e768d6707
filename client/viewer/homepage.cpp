#include "homepage.h"

#include "viewersession.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace acorn::viewer {

namespace {

// A round badge with the child's initials, in the palette's highlight colour.
QPixmap initialsBadge(const QString &first, const QString &last, const QPalette &palette, int size)
{
    QPixmap pm(size, size);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(palette.color(QPalette::Highlight));
    p.drawEllipse(0, 0, size, size);
    QFont f;
    f.setPixelSize(size * 2 / 5);
    f.setBold(true);
    p.setFont(f);
    p.setPen(palette.color(QPalette::HighlightedText));
    p.drawText(QRect(0, 0, size, size), Qt::AlignCenter, (first.left(1) + last.left(1)).toUpper());
    return pm;
}

} // namespace

ChildCard::ChildCard(const wire::Child &child, const QString &notice, int observations,
    const QString &latest, QWidget *parent)
    : QFrame(parent)
    , m_child(child)
{
    setObjectName(QStringLiteral("childCard"));
    setFrameShape(QFrame::StyledPanel);
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
    setMinimumWidth(260);
    setMaximumWidth(380);
    setCursor(Qt::PointingHandCursor);
    const QString first = QString::fromStdString(child.first_name());
    const QString last = QString::fromStdString(child.last_name());

    auto *badge = new QLabel(this);
    badge->setPixmap(initialsBadge(first, last, palette(), 72));
    badge->setAlignment(Qt::AlignCenter);
    badge->setAccessibleName(tr("Initials of %1").arg(childName()));

    auto *name = new QLabel(childName(), this);
    name->setTextFormat(Qt::PlainText);
    QFont f = name->font();
    f.setPointSizeF(f.pointSizeF() * 1.5);
    f.setBold(true);
    name->setFont(f);
    name->setAlignment(Qt::AlignCenter);

    auto *cls = new QLabel(QString::fromStdString(child.class_name()), this);
    cls->setTextFormat(Qt::PlainText);
    cls->setAlignment(Qt::AlignCenter);

    auto *count = new QLabel(observations == 0
            ? tr("Nothing shared yet")
            : tr("Observations: %1\nThe latest: %2").arg(observations).arg(latest),
        this);
    count->setTextFormat(Qt::PlainText);
    count->setWordWrap(true);
    count->setAlignment(Qt::AlignCenter);
    count->setForegroundRole(QPalette::PlaceholderText);

    m_notice = new QLabel(notice, this);
    m_notice->setObjectName(QStringLiteral("releaseNotice"));
    m_notice->setTextFormat(Qt::PlainText);
    m_notice->setWordWrap(true);
    m_notice->setAlignment(Qt::AlignCenter);
    m_notice->setVisible(!notice.isEmpty());

    m_open = new QPushButton(tr("Open %1's journal").arg(first), this);
    m_open->setAccessibleName(tr("Open %1's journal").arg(childName()));
    m_open->setDefault(false);
    connect(m_open, &QPushButton::clicked, this, [this] { emit openJournal(m_child); });

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(20, 20, 20, 20);
    layout->setSpacing(8);
    layout->addWidget(badge);
    layout->addWidget(name);
    layout->addWidget(cls);
    layout->addWidget(count);
    layout->addWidget(m_notice);
    layout->addSpacing(8);
    layout->addWidget(m_open);
    setAccessibleName(tr("%1, %2").arg(childName(), QString::fromStdString(child.class_name())));
}

QString ChildCard::childName() const
{
    return QStringLiteral("%1 %2")
        .arg(QString::fromStdString(m_child.first_name()),
            QString::fromStdString(m_child.last_name()))
        .simplified();
}

QString ChildCard::noticeText() const
{
    return m_notice->text();
}

void ChildCard::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton && rect().contains(event->position().toPoint()))
        emit openJournal(m_child);
    QFrame::mouseReleaseEvent(event);
}

// ------------------------------------------------------------------ HomePage

HomePage::HomePage(ViewerSession &session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
{
    m_greeting = new QLabel(this);
    m_greeting->setObjectName(QStringLiteral("homeGreeting"));
    QFont f = m_greeting->font();
    f.setPointSizeF(f.pointSizeF() * 1.6);
    f.setBold(true);
    m_greeting->setFont(f);
    m_greeting->setTextFormat(Qt::PlainText);
    m_updated = new QLabel(this);
    m_updated->setForegroundRole(QPalette::PlaceholderText);
    m_updated->setTextFormat(Qt::PlainText);
    m_empty = new QLabel(this);
    m_empty->setWordWrap(true);
    m_empty->setTextFormat(Qt::PlainText);
    m_empty->hide();

    m_row = new QWidget;
    auto *column = new QVBoxLayout(m_row);
    column->setContentsMargins(0, 8, 0, 8);
    m_rowLayout = new QHBoxLayout;
    m_rowLayout->setSpacing(16);
    column->addLayout(m_rowLayout);
    column->addStretch(1); // cards as tall as their content, not the window
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setWidget(m_row);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setFocusPolicy(Qt::NoFocus);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(24, 16, 24, 16);
    layout->addWidget(m_greeting);
    layout->addWidget(m_updated);
    layout->addWidget(m_empty);
    layout->addWidget(scroll, 1);
}

void HomePage::reload()
{
    while (QLayoutItem *item = m_rowLayout->takeAt(0)) {
        if (QWidget *w = item->widget())
            w->deleteLater();
        delete item;
    }
    m_cards.clear();

    const QString family = m_session.familyName();
    m_greeting->setText(
        family.isEmpty() ? tr("Your children's journals") : tr("Hello, %1").arg(family));
    const qint64 last = m_session.lastSyncMs();
    const QDateTime when = QDateTime::fromMSecsSinceEpoch(last);
    //: when the journals were last synchronised: %1 a date, %2 a time
    m_updated->setText(last > 0
            ? tr("Journals brought up to date on %1 at %2.")
                  .arg(QLocale().toString(when.date(), QStringLiteral("ddd d MMMM yyyy")),
                      QLocale().toString(when.time(), QLocale::ShortFormat))
            : tr("The journals have not been brought up to date on this computer yet."));

    const SchoolCalendar calendar = m_session.calendar();
    const QList<wire::Child> children = m_session.children();
    m_empty->setVisible(children.isEmpty());
    if (children.isEmpty()) {
        const QString contact = m_session.schoolContact();
        m_empty->setText(
            contact.isEmpty() ? tr(
                "No children are linked to this account yet. Please speak to a member of staff.")
                              : tr("No children are linked to this account yet. Please speak to a "
                                   "member of staff (%1).")
                                    .arg(contact));
    }
    m_rowLayout->addStretch(1);
    QWidget *previous = nullptr;
    for (const wire::Child &c : children) {
        const QString cls = QString::fromStdString(c.class_name());
        const auto info = m_session.classInfo(cls);
        const QList<wire::Observation> journal = m_session.journal(QString::fromStdString(c.ref()));
        const QString latest = journal.isEmpty()
            ? QString()
            : calendar.formatDate(journal.constFirst().observed_at_ms());
        auto *card = new ChildCard(c, info ? calendar.nextUpdateText(*info) : QString(),
            static_cast<int>(journal.size()), latest, m_row);
        connect(card, &ChildCard::openJournal, this, &HomePage::openJournal);
        m_rowLayout->addWidget(card);
        m_cards.append(card);
        if (previous)
            setTabOrder(previous, card->openButton());
        previous = card->openButton();
    }
    m_rowLayout->addStretch(1);
}

} // namespace acorn::viewer
