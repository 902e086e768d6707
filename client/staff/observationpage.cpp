#include "observationpage.h"

#include "consentcheck.h"
#include "eyfstags.h"
#include "journalcard.h"
#include "mediathumbnail.h"
#include "touch.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QStyle>
#include <QVBoxLayout>

namespace acorn::staff {

namespace {
QLabel *section(QWidget *parent, const QString &title, QVBoxLayout *layout)
{
    auto *heading = new QLabel(title, parent);
    QFont f = heading->font();
    f.setBold(true);
    heading->setFont(f);
    auto *value = new QLabel(parent);
    value->setWordWrap(true);
    value->setTextFormat(Qt::PlainText);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    value->setAccessibleName(title);
    layout->addWidget(heading);
    layout->addWidget(value);
    return value;
}
} // namespace

ObservationPage::ObservationPage(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_status(new QLabel(this))
    , m_amend(new QPushButton(tr("&Amend"), this))
    , m_delete(new QPushButton(tr("&Delete…"), this))
    , m_resolve(new QPushButton(tr("&Choose a version…"), this))
{
    setObjectName(QStringLiteral("observationPage"));
    QFont big = m_title->font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.2);
    m_title->setFont(big);
    m_status->setObjectName(QStringLiteral("observationStatus"));
    m_status->setWordWrap(true);

    auto *content = new QWidget(this);
    auto *v = new QVBoxLayout(content);
    m_children = section(content, tr("Children"), v);
    m_text = section(content, tr("What happened"), v);
    m_text->setObjectName(QStringLiteral("observationText"));
    m_nextSteps = section(content, tr("Next steps"), v);
    m_note = section(content, tr("Staff-only note"), v);
    m_tags = section(content, tr("EYFS"), v);
    m_media = new QWidget(content);
    m_mediaGrid = new QGridLayout(m_media);
    m_mediaGrid->setContentsMargins(0, 0, 0, 0);
    m_mediaGrid->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    v->addWidget(m_media);
    v->addStretch(1);
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    ui::enableKineticScrolling(scroll);

    m_amend->setObjectName(QStringLiteral("amend"));
    m_amend->setShortcut(Qt::CTRL | Qt::Key_E);
    m_amend->setIcon(style()->standardIcon(QStyle::SP_FileDialogDetailedView));
    m_delete->setObjectName(QStringLiteral("delete"));
    m_delete->setShortcut(QKeySequence::Delete);
    m_delete->setIcon(style()->standardIcon(QStyle::SP_TrashIcon));
    m_resolve->setObjectName(QStringLiteral("resolve"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_delete);
    buttons->addStretch(1);
    buttons->addWidget(m_resolve);
    buttons->addWidget(m_amend);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_status);
    layout->addWidget(scroll, 1);
    layout->addLayout(buttons);

    connect(m_amend, &QPushButton::clicked, this, [this] { emit amendRequested(m_current.id()); });
    connect(
        m_delete, &QPushButton::clicked, this, [this] { emit deleteRequested(m_current.id()); });
    connect(
        m_resolve, &QPushButton::clicked, this, [this] { emit resolveRequested(m_current.id()); });
    ui::makeTouchFriendly(this);
}

QString ObservationPage::text() const
{
    return m_text->text();
}

void ObservationPage::showObservation(const client::LocalObservation &lo,
    const QList<wire::Child> &roster, client::MediaLoader *loader)
{
    m_current = lo;
    const wire::Observation &o = lo.observation;
    QString title = JournalCard::whenText(o.observed_at_ms());
    if (!o.author_name().empty())
        title += QStringLiteral(" · ") + QString::fromStdString(o.author_name());
    m_title->setText(title);
    const QString state = JournalCard::stateText(lo);
    m_status->setText(!state.isEmpty() ? state
            : o.revision() > 1         ? tr("Published · amended (revision %1)").arg(o.revision())
                                       : tr("Published"));
    QStringList names;
    for (const std::string &r : o.child_refs())
        names.append(client::childName(roster, QString::fromStdString(r)));
    m_children->setText(QLocale().createSeparatedList(names));
    m_text->setText(QString::fromStdString(o.text()));
    auto setOptional = [](QLabel *l, const QString &t) {
        l->setText(t);
        l->setVisible(!t.isEmpty());
        // The heading above it.
        if (auto *layout = qobject_cast<QVBoxLayout *>(l->parentWidget()->layout())) {
            const int i = layout->indexOf(l);
            if (i > 0)
                if (QWidget *heading = layout->itemAt(i - 1)->widget())
                    heading->setVisible(!t.isEmpty());
        }
    };
    setOptional(m_nextSteps, QString::fromStdString(o.next_steps()));
    setOptional(m_note, QString::fromStdString(o.staff_note()));
    QStringList tags;
    for (const std::string &t : o.eyfs_tags())
        tags.append(client::EyfsTags::words(QString::fromStdString(t)));
    setOptional(m_tags, tags.join(QStringLiteral(" · ")));

    while (QLayoutItem *item = m_mediaGrid->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    int i = 0;
    const int columns = std::max(1, width() / std::max(1, ui::millimetres(this, 42)));
    for (const wire::Media &m : o.media()) {
        auto *t = new ui::MediaThumbnail(m_media);
        t->setSide(ui::millimetres(this, 38));
        t->setMedia(m, loader);
        connect(t, &QToolButton::clicked, this, [this, m] { emit mediaOpened(m); });
        m_mediaGrid->addWidget(t, i / columns, i % columns);
        ++i;
    }
    m_resolve->setVisible(lo.outboxState == QLatin1String("conflict"));
    m_amend->setEnabled(lo.outboxState != QLatin1String("conflict"));
    m_delete->setEnabled(lo.outboxState != QLatin1String("conflict"));
}

} // namespace acorn::staff
