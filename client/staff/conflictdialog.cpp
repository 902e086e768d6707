#include "conflictdialog.h"

#include "consentcheck.h"
#include "eyfstags.h"
#include "journalcard.h"
#include "touch.h"

#include <QDialogButtonBox>
#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace acorn::staff {

ConflictDialog::ConflictDialog(const wire::Observation &mine, const wire::Observation &theirs,
    const QList<wire::Child> &roster, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("conflictDialog"));
    setWindowTitle(tr("Choose which version to keep"));
    auto *intro = new QLabel(
        tr("This observation was changed on another device while you amended it here. "
           "Compare the two versions and choose one. Fields that differ are marked ●."),
        this);
    intro->setWordWrap(true);

    auto children = [&](const wire::Observation &o) {
        QStringList n;
        for (const std::string &r : o.child_refs())
            n.append(client::childName(roster, QString::fromStdString(r)));
        return QLocale().createSeparatedList(n);
    };
    auto tags = [](const wire::Observation &o) {
        QStringList t;
        for (const std::string &s : o.eyfs_tags())
            t.append(client::EyfsTags::words(QString::fromStdString(s)));
        return t.join(QStringLiteral(", "));
    };
    auto state = [](const wire::Observation &o) {
        if (o.deleted())
            return tr("Deleted");
        return o.state() == wire::DRAFT ? tr("Draft") : tr("Published");
    };
    struct Row
    {
        QString title;
        QString mine;
        QString theirs;
    };
    const QList<Row> rows = {
        { tr("Children"), children(mine), children(theirs) },
        { tr("What happened"), QString::fromStdString(mine.text()),
            QString::fromStdString(theirs.text()) },
        { tr("Next steps"), QString::fromStdString(mine.next_steps()),
            QString::fromStdString(theirs.next_steps()) },
        { tr("Staff-only note"), QString::fromStdString(mine.staff_note()),
            QString::fromStdString(theirs.staff_note()) },
        { tr("EYFS"), tags(mine), tags(theirs) },
        { tr("Photos and videos"), QString::number(mine.media_size()),
            QString::number(theirs.media_size()) },
        { tr("State"), state(mine), state(theirs) },
    };

    auto *grid = new QGridLayout;
    auto *mineHead = new QLabel(tr("Your version (this device)"), this);
    auto *theirsHead
        = new QLabel(tr("Version on the server (%1)")
                         .arg(theirs.author_name().empty()
                                 ? JournalCard::whenText(theirs.updated_at_ms())
                                 : tr("%1, %2").arg(QString::fromStdString(theirs.author_name()),
                                     JournalCard::whenText(theirs.updated_at_ms()))),
            this);
    for (QLabel *h : { mineHead, theirsHead }) {
        QFont f = h->font();
        f.setBold(true);
        f.setPointSizeF(f.pointSizeF() * 1.1);
        h->setFont(f);
        h->setWordWrap(true);
    }
    grid->addWidget(mineHead, 0, 1);
    grid->addWidget(theirsHead, 0, 2);
    int r = 1;
    for (const Row &row : rows) {
        const bool differs = row.mine != row.theirs;
        if (differs)
            m_differences.append(row.title);
        auto *title = new QLabel((differs ? QStringLiteral("● ") : QString()) + row.title, this);
        QFont f = title->font();
        f.setBold(differs);
        title->setFont(f);
        title->setAlignment(Qt::AlignTop);
        grid->addWidget(title, r, 0);
        for (int c = 0; c < 2; ++c) {
            auto *value = new QLabel(c == 0 ? row.mine : row.theirs, this);
            value->setWordWrap(true);
            value->setTextFormat(Qt::PlainText);
            value->setAlignment(Qt::AlignTop | Qt::AlignLeft);
            value->setTextInteractionFlags(Qt::TextSelectableByMouse);
            value->setAccessibleName(
                tr("%1, %2").arg(row.title, c == 0 ? tr("yours") : tr("on the server")));
            grid->addWidget(value, r, c + 1);
        }
        ++r;
    }
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(2, 1);
    auto *content = new QWidget(this);
    content->setLayout(grid);
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    ui::enableKineticScrolling(scroll);

    auto *buttons = new QDialogButtonBox(this);
    auto *keepMine = buttons->addButton(tr("Keep &mine"), QDialogButtonBox::AcceptRole);
    keepMine->setObjectName(QStringLiteral("keepMine"));
    keepMine->setToolTip(tr("Send your version; it replaces the one on the server"));
    auto *takeTheirs
        = buttons->addButton(tr("Keep the &server's"), QDialogButtonBox::DestructiveRole);
    takeTheirs->setObjectName(QStringLiteral("takeTheirs"));
    takeTheirs->setToolTip(tr("Drop your changes; the server's version stays"));
    auto *later = buttons->addButton(tr("Decide &later"), QDialogButtonBox::RejectRole);
    later->setObjectName(QStringLiteral("decideLater"));
    connect(keepMine, &QPushButton::clicked, this, [this] {
        m_choice = KeepMine;
        accept();
    });
    connect(takeTheirs, &QPushButton::clicked, this, [this] {
        m_choice = TakeTheirs;
        accept();
    });
    connect(later, &QPushButton::clicked, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(scroll, 1);
    layout->addWidget(buttons);
    ui::makeTouchFriendly(this);
    resize(ui::millimetres(this, 200), ui::millimetres(this, 140));
}

} // namespace acorn::staff
