#include "journalcard.h"

#include "consentcheck.h"
#include "eyfstags.h"
#include "mediathumbnail.h"
#include "touch.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QMouseEvent>
#include <QVBoxLayout>

namespace acorn::staff {

QString JournalCard::whenText(qint64 ms)
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(ms);
    const QLocale locale;
    return tr("%1, %2").arg(locale.toString(t.date(), QStringLiteral("ddd d MMM yyyy")),
        locale.toString(t.time(), QStringLiteral("HH:mm")));
}

QString JournalCard::stateText(const client::LocalObservation &o)
{
    QStringList parts;
    if (o.observation.state() == wire::DRAFT)
        parts.append(tr("Draft"));
    if (o.outboxState == QLatin1String("pending"))
        parts.append(
            o.observation.deleted() ? tr("Deletion waiting to send") : tr("Waiting to send"));
    else if (o.outboxState == QLatin1String("uploading"))
        parts.append(tr("Sending photos and video"));
    else if (o.outboxState == QLatin1String("refused"))
        parts.append(tr("Not accepted by the server: %1").arg(o.reason));
    else if (o.outboxState == QLatin1String("conflict"))
        parts.append(tr("Changed on another device too: choose which version to keep"));
    return parts.join(QStringLiteral(" · "));
}

JournalCard::JournalCard(const client::LocalObservation &lo, const QList<wire::Child> &roster,
    client::MediaLoader *loader, const QString &focusRef, QWidget *parent)
    : QFrame(parent)
    , m_id(lo.id())
    , m_status(new QLabel(this))
    , m_body(new QLabel(this))
    , m_actions(new QHBoxLayout)
{
    setObjectName(QStringLiteral("journalCard"));
    setFrameShape(QFrame::StyledPanel);
    setFocusPolicy(Qt::StrongFocus);
    setCursor(Qt::PointingHandCursor);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Base);
    const wire::Observation &o = lo.observation;

    auto *when = new QLabel(this);
    QString header = whenText(o.observed_at_ms());
    if (!o.author_name().empty())
        header += QStringLiteral(" · ") + QString::fromStdString(o.author_name());
    when->setText(header);
    QFont bold = when->font();
    bold.setBold(true);
    when->setFont(bold);

    m_status->setObjectName(QStringLiteral("cardStatus"));
    m_status->setWordWrap(true);
    m_status->setText(stateText(lo));
    m_status->setVisible(!m_status->text().isEmpty());
    m_status->setForegroundRole(
        lo.outboxState == QLatin1String("refused") || lo.outboxState == QLatin1String("conflict")
            ? QPalette::Highlight
            : QPalette::PlaceholderText);

    const QString text = QString::fromStdString(o.text());
    m_body->setObjectName(QStringLiteral("cardText"));
    m_body->setWordWrap(true);
    m_body->setText(text.isEmpty() ? tr("(no text)") : text);
    m_body->setTextFormat(Qt::PlainText);

    QStringList others;
    for (const std::string &r : o.child_refs()) {
        const QString ref = QString::fromStdString(r);
        if (ref != focusRef)
            others.append(client::childName(roster, ref));
    }
    auto *with = new QLabel(this);
    with->setWordWrap(true);
    with->setText(others.isEmpty() ? QString()
                                   : (focusRef.isEmpty() ? tr("Children: %1") : tr("With %1"))
                                         .arg(QLocale().createSeparatedList(others)));
    with->setVisible(!others.isEmpty());

    // Next steps and the staff-only note, as the journal is read at planning meetings.
    // Plain text: what staff typed is never interpreted as markup.
    const auto extra = [this](const QString &label, const std::string &value) {
        auto *l = new QLabel(this);
        l->setWordWrap(true);
        l->setTextFormat(Qt::PlainText);
        if (!value.empty())
            l->setText(label.arg(QString::fromStdString(value)));
        l->setVisible(!value.empty());
        return l;
    };
    QLabel *nextSteps = extra(tr("Next steps: %1"), o.next_steps());
    nextSteps->setObjectName(QStringLiteral("cardNextSteps"));
    QLabel *note = extra(tr("Staff only: %1"), o.staff_note());
    note->setObjectName(QStringLiteral("cardStaffNote"));
    note->setForegroundRole(QPalette::PlaceholderText);

    QStringList tags;
    for (const std::string &t : o.eyfs_tags())
        tags.append(client::EyfsTags::words(QString::fromStdString(t)));
    auto *tagLabel = new QLabel(tags.join(QStringLiteral(" · ")), this);
    tagLabel->setObjectName(QStringLiteral("cardTags"));
    tagLabel->setWordWrap(true);
    tagLabel->setForegroundRole(QPalette::PlaceholderText);
    tagLabel->setVisible(!tags.isEmpty());

    auto *thumbs = new QHBoxLayout;
    int shown = 0;
    for (const wire::Media &m : o.media()) {
        if (shown == 4) {
            thumbs->addWidget(new QLabel(tr("+%1 more").arg(o.media_size() - shown), this));
            break;
        }
        auto *t = new ui::MediaThumbnail(this);
        t->setSide(ui::millimetres(this, 20));
        t->setMedia(m, loader);
        connect(t, &QToolButton::clicked, this, [this, m] { emit mediaOpened(m); });
        thumbs->addWidget(t);
        ++shown;
    }
    thumbs->addStretch(1);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(when);
    layout->addWidget(m_status);
    layout->addWidget(m_body);
    layout->addWidget(with);
    layout->addWidget(nextSteps);
    layout->addWidget(note);
    layout->addWidget(tagLabel);
    if (shown > 0)
        layout->addLayout(thumbs);
    else
        delete thumbs;
    layout->addLayout(m_actions);

    setAccessibleName(tr("Observation of %1").arg(header));
    setAccessibleDescription(QStringList { m_status->text(), text, with->text(), nextSteps->text(),
        note->text(), tagLabel->text() }
                                 .join(u'\n')
                                 .trimmed());
}

QString JournalCard::statusText() const
{
    return m_status->text();
}

QString JournalCard::bodyText() const
{
    return m_body->text();
}

void JournalCard::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton && rect().contains(event->position().toPoint()))
        emit activated(m_id);
    QFrame::mouseReleaseEvent(event);
}

void JournalCard::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter
        || event->key() == Qt::Key_Space) {
        emit activated(m_id);
        return;
    }
    QFrame::keyPressEvent(event);
}

} // namespace acorn::staff
