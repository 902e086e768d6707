#include "observationeditor.h"

#include "eyfstags.h"
#include "mediathumbnail.h"
#include "touch.h"

#include <QBoxLayout>
#include <QCheckBox>
#include <QCoreApplication>
#include <QFrame>
#include <QGridLayout>
#include <QGroupBox>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QResizeEvent>
#include <QScrollArea>
#include <QStyle>

namespace acorn::staff {

namespace {

constexpr int kRefRole = Qt::UserRole + 1;

QPlainTextEdit *makeTextField(QWidget *parent, const QString &name, const QString &accessible,
    const QString &placeholder, int heightMm)
{
    auto *e = new QPlainTextEdit(parent);
    e->setObjectName(name);
    e->setAccessibleName(accessible);
    e->setPlaceholderText(placeholder);
    e->setTabChangesFocus(true);
    e->setMinimumHeight(ui::millimetres(parent, heightMm));
    return e;
}

// A banner: an icon and a wrapped text in a frame; the label is returned, its frame shown
// and hidden with it.
QLabel *banner(QWidget *parent, const QString &name, QStyle::StandardPixmap icon)
{
    auto *frame = new QFrame(parent);
    frame->setFrameShape(QFrame::StyledPanel);
    auto *pic = new QLabel(frame);
    const int side = parent->style()->pixelMetric(QStyle::PM_LargeIconSize);
    pic->setPixmap(parent->style()->standardIcon(icon).pixmap(side, side));
    pic->setAlignment(Qt::AlignTop);
    auto *text = new QLabel(frame);
    text->setObjectName(name);
    text->setWordWrap(true);
    text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *row = new QHBoxLayout(frame);
    row->addWidget(pic);
    row->addWidget(text, 1);
    frame->hide();
    return text;
}

void showBanner(QLabel *label, const QString &text)
{
    label->setText(text);
    label->setAccessibleName(text);
    label->parentWidget()->setVisible(!text.isEmpty());
}

QString childLine(const wire::Child &c)
{
    QString line
        = QStringLiteral("%1 %2 · %3")
              .arg(QString::fromStdString(c.first_name()), QString::fromStdString(c.last_name()),
                  QString::fromStdString(c.class_name()));
    if (!c.consent_journal_media())
        line += QCoreApplication::translate(
            "acorn::staff::ObservationEditor", " · no photos or video");
    return line;
}

} // namespace

ObservationEditor::ObservationEditor(QWidget *parent)
    : QWidget(parent)
    , m_columns(new QBoxLayout(QBoxLayout::LeftToRight))
    , m_title(new QLabel(this))
    , m_childSearch(new QLineEdit(this))
    , m_children(new QListWidget(this))
    , m_picked(new QLabel(this))
    , m_text(makeTextField(this, QStringLiteral("observationText"), tr("What happened"),
          tr("What did the child do or say? What did you notice?"), 28))
    , m_nextSteps(makeTextField(this, QStringLiteral("nextSteps"), tr("Next steps"),
          tr("What could come next for their learning?"), 14))
    , m_note(makeTextField(this, QStringLiteral("staffNote"), tr("Staff-only note"),
          tr("Seen by staff only, never by families"), 12))
    , m_mediaStrip(new QWidget(this))
    , m_mediaLayout(new QHBoxLayout(m_mediaStrip))
    , m_addMedia(new QPushButton(tr("&Add photos or videos…"), this))
    , m_refusal(banner(this, QStringLiteral("consentRefusal"), QStyle::SP_MessageBoxCritical))
    , m_notice(banner(this, QStringLiteral("consentNotice"), QStyle::SP_MessageBoxInformation))
    , m_saveError(banner(this, QStringLiteral("saveError"), QStyle::SP_MessageBoxWarning))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_draft(new QPushButton(tr("Save as &draft"), this))
    , m_publish(new QPushButton(tr("&Publish"), this))
{
    setObjectName(QStringLiteral("observationEditor"));
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.2);
    m_title->setFont(titleFont);
    m_title->hide(); // the window's header says it; kept for accessibleName()

    // Children.
    m_childSearch->setObjectName(QStringLiteral("childSearch"));
    m_childSearch->setAccessibleName(tr("Find a child"));
    m_childSearch->setPlaceholderText(tr("Find a child"));
    m_childSearch->setClearButtonEnabled(true);
    m_children->setObjectName(QStringLiteral("childPicker"));
    m_children->setAccessibleName(tr("Children in this observation"));
    m_children->setMinimumHeight(ui::millimetres(this, 30));
    m_children->setMaximumHeight(ui::millimetres(this, 60));
    ui::enableKineticScrolling(m_children);
    m_picked->setObjectName(QStringLiteral("pickedChildren"));
    m_picked->setWordWrap(true);
    auto *childBox = new QGroupBox(tr("Children"), this);
    auto *childLayout = new QVBoxLayout(childBox);
    childLayout->addWidget(m_childSearch);
    childLayout->addWidget(m_children, 1);
    childLayout->addWidget(m_picked);

    // EYFS tags.
    auto *areas = new QGroupBox(tr("Areas of learning"), this);
    auto *areaGrid = new QGridLayout(areas);
    auto *coel = new QGroupBox(tr("Characteristics of effective learning"), this);
    auto *coelLayout = new QVBoxLayout(coel);
    int n = 0;
    for (const client::EyfsTags::Tag &t : client::EyfsTags::all()) {
        auto *box = new QCheckBox(t.words, this);
        box->setObjectName(QStringLiteral("tag-") + t.key);
        box->setAccessibleName(t.words);
        box->setToolTip(client::EyfsTags::kindWords(t.kind));
        m_tags.insert(t.key, box);
        if (t.kind == client::EyfsTags::Kind::Characteristic) {
            coelLayout->addWidget(box);
        } else {
            areaGrid->addWidget(box, n, 0);
            ++n;
        }
    }

    // Media.
    m_mediaStrip->setObjectName(QStringLiteral("editorMedia"));
    m_mediaStrip->setAccessibleName(tr("Photos and videos"));
    m_mediaLayout->setContentsMargins(0, 0, 0, 0);
    m_addMedia->setObjectName(QStringLiteral("addMedia"));
    m_addMedia->setAccessibleName(tr("Add photos or videos"));
    auto *mediaBox = new QGroupBox(tr("Photos and videos"), this);
    auto *mediaLayout = new QVBoxLayout(mediaBox);
    auto *mediaScroll = new QScrollArea(this);
    mediaScroll->setWidget(m_mediaStrip);
    mediaScroll->setWidgetResizable(true);
    mediaScroll->setFrameShape(QFrame::NoFrame);
    mediaScroll->setMinimumHeight(ui::millimetres(this, 34));
    mediaScroll->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    ui::enableKineticScrolling(mediaScroll);
    mediaLayout->addWidget(mediaScroll);
    mediaLayout->addWidget(m_addMedia, 0, Qt::AlignLeft);

    auto *textBox = new QGroupBox(tr("Observation"), this);
    auto *textLayout = new QVBoxLayout(textBox);
    auto *textLabel = new QLabel(tr("&What happened:"), this);
    textLabel->setBuddy(m_text);
    auto *nextLabel = new QLabel(tr("&Next steps:"), this);
    nextLabel->setBuddy(m_nextSteps);
    auto *noteLabel = new QLabel(tr("Staff-only &note (families never see it):"), this);
    noteLabel->setBuddy(m_note);
    textLayout->addWidget(textLabel);
    textLayout->addWidget(m_text);
    textLayout->addWidget(nextLabel);
    textLayout->addWidget(m_nextSteps);
    textLayout->addWidget(noteLabel);
    textLayout->addWidget(m_note);

    auto *left = new QVBoxLayout;
    left->addWidget(childBox);
    left->addWidget(areas);
    left->addWidget(coel);
    left->addStretch(1);
    auto *right = new QVBoxLayout;
    right->addWidget(mediaBox);
    right->addWidget(textBox);
    right->addStretch(1);
    m_columns->addLayout(left, 2);
    m_columns->addLayout(right, 3);

    auto *content = new QWidget(this);
    content->setLayout(m_columns);
    auto *scroll = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("editorScroll"));
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    ui::enableKineticScrolling(scroll);

    m_cancel->setObjectName(QStringLiteral("editorCancel"));
    m_cancel->setShortcut(Qt::Key_Escape);
    m_draft->setObjectName(QStringLiteral("saveDraft"));
    m_draft->setAccessibleName(tr("Save as draft"));
    m_draft->setShortcut(QKeySequence::Save);
    m_draft->setToolTip(
        tr("Saved on this device and sent to the school, but not shown to families (Ctrl+S)"));
    m_publish->setObjectName(QStringLiteral("publish"));
    m_publish->setAccessibleName(tr("Publish"));
    m_publish->setShortcut(Qt::CTRL | Qt::Key_Return);
    m_publish->setToolTip(
        tr("Add it to the journal; families see it when their class's journal is released "
           "(Ctrl+Enter)"));
    m_publish->setDefault(true);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_cancel);
    buttons->addStretch(1);
    buttons->addWidget(m_draft);
    buttons->addWidget(m_publish);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(scroll, 1);
    layout->addWidget(m_refusal->parentWidget());
    layout->addWidget(m_notice->parentWidget());
    layout->addWidget(m_saveError->parentWidget());
    layout->addLayout(buttons);

    connect(m_childSearch, &QLineEdit::textChanged, this, [this](const QString &text) {
        const QString t = text.simplified();
        for (int i = 0; i < m_children->count(); ++i) {
            QListWidgetItem *item = m_children->item(i);
            item->setHidden(!t.isEmpty() && !item->text().contains(t, Qt::CaseInsensitive));
        }
    });
    connect(m_children, &QListWidget::itemChanged, this, &ObservationEditor::recheck);
    // The whole row is the touch target, not only the small box; Space and Enter too.
    connect(m_children, &QListWidget::itemClicked, this, [](QListWidgetItem *item) {
        item->setCheckState(item->checkState() == Qt::Checked ? Qt::Unchecked : Qt::Checked);
    });
    m_children->installEventFilter(this);
    connect(m_addMedia, &QPushButton::clicked, this, &ObservationEditor::addMediaRequested);
    connect(m_cancel, &QPushButton::clicked, this, &ObservationEditor::cancelRequested);
    connect(m_draft, &QPushButton::clicked, this, [this] {
        if (m_consent.allowed())
            emit saveRequested(wire::DRAFT);
    });
    connect(m_publish, &QPushButton::clicked, this, [this] {
        if (m_consent.allowed())
            emit saveRequested(wire::PUBLISHED);
    });
    connect(m_text, &QPlainTextEdit::textChanged, this, &ObservationEditor::recheck);
    ui::makeTouchFriendly(this);
    startNew({}, {});
}

void ObservationEditor::setRoster(const QList<wire::Child> &roster)
{
    m_roster = roster;
    fillChildren(childRefs());
}

void ObservationEditor::fillChildren(const QStringList &picked)
{
    m_children->blockSignals(true);
    m_children->clear();
    QStringList refs;
    for (const wire::Child &c : m_roster) {
        auto *item = new QListWidgetItem(childLine(c), m_children);
        const QString ref = QString::fromStdString(c.ref());
        refs.append(ref);
        item->setData(kRefRole, ref);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
        item->setCheckState(picked.contains(ref) ? Qt::Checked : Qt::Unchecked);
        item->setSizeHint(QSize(0, ui::touchTarget(this)));
    }
    // Children tagged on an observation but not in this device's roster stay tagged.
    for (const QString &ref : picked) {
        if (refs.contains(ref))
            continue;
        auto *item = new QListWidgetItem(ref, m_children);
        item->setData(kRefRole, ref);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
        item->setCheckState(Qt::Checked);
        item->setSizeHint(QSize(0, ui::touchTarget(this)));
    }
    m_children->blockSignals(false);
    recheck();
}

QStringList ObservationEditor::childRefs() const
{
    QStringList out;
    for (int i = 0; i < m_children->count(); ++i) {
        if (m_children->item(i)->checkState() == Qt::Checked)
            out.append(m_children->item(i)->data(kRefRole).toString());
    }
    return out;
}

void ObservationEditor::setChildPicked(const QString &ref, bool picked)
{
    for (int i = 0; i < m_children->count(); ++i) {
        if (m_children->item(i)->data(kRefRole).toString() == ref)
            m_children->item(i)->setCheckState(picked ? Qt::Checked : Qt::Unchecked);
    }
}

bool ObservationEditor::hasMedia() const
{
    return !m_keptMedia.isEmpty() || !m_newMedia.isEmpty();
}

QString ObservationEditor::consentText() const
{
    return m_refusal->parentWidget()->isHidden() ? QString() : m_refusal->text();
}

QString ObservationEditor::noticeText() const
{
    return m_notice->parentWidget()->isHidden() ? QString() : m_notice->text();
}

void ObservationEditor::startNew(
    const QStringList &childRefs, const QList<client::PreparedMedia> &media)
{
    client::ObservationQueue::discardPrepared(m_newMedia);
    m_amending = false;
    m_base = wire::Observation();
    m_keptMedia.clear();
    m_newMedia = media;
    m_title->setText(tr("New observation"));
    m_text->clear();
    m_nextSteps->clear();
    m_note->clear();
    for (QCheckBox *b : std::as_const(m_tags))
        b->setChecked(false);
    m_childSearch->clear();
    showSaveError({});
    fillChildren(childRefs);
    rebuildMedia();
    m_text->setFocus();
}

void ObservationEditor::startAmend(const client::LocalObservation &current)
{
    client::ObservationQueue::discardPrepared(m_newMedia);
    m_amending = true;
    m_base = current.observation;
    m_keptMedia = QList<wire::Media>(m_base.media().begin(), m_base.media().end());
    m_newMedia.clear();
    m_title->setText(tr("Amend observation"));
    m_text->setPlainText(QString::fromStdString(m_base.text()));
    m_nextSteps->setPlainText(QString::fromStdString(m_base.next_steps()));
    m_note->setPlainText(QString::fromStdString(m_base.staff_note()));
    QStringList tags;
    for (const std::string &t : m_base.eyfs_tags())
        tags.append(QString::fromStdString(t));
    for (auto it = m_tags.cbegin(); it != m_tags.cend(); ++it)
        it.value()->setChecked(tags.contains(it.key(), Qt::CaseInsensitive));
    m_childSearch->clear();
    showSaveError({});
    QStringList refs;
    for (const std::string &r : m_base.child_refs())
        refs.append(QString::fromStdString(r));
    fillChildren(refs);
    rebuildMedia();
    m_text->setFocus();
}

void ObservationEditor::addMedia(const QList<client::PreparedMedia> &media)
{
    m_newMedia.append(media);
    rebuildMedia();
}

QList<client::PreparedMedia> ObservationEditor::takeNewMedia()
{
    return std::exchange(m_newMedia, {});
}

void ObservationEditor::rebuildMedia()
{
    while (QLayoutItem *item = m_mediaLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    auto addCell = [this](ui::MediaThumbnail *thumb, const std::function<void()> &remove) {
        auto *cell = new QWidget(m_mediaStrip);
        auto *v = new QVBoxLayout(cell);
        v->setContentsMargins(0, 0, 0, 0);
        thumb->setParent(cell);
        auto *button = new QPushButton(tr("Remove"), cell);
        button->setAccessibleName(tr("Remove from this observation"));
        ui::makeTouchFriendly(button);
        connect(button, &QPushButton::clicked, this, remove);
        v->addWidget(thumb);
        v->addWidget(button);
        m_mediaLayout->addWidget(cell);
    };
    for (const wire::Media &m : std::as_const(m_keptMedia)) {
        auto *thumb = new ui::MediaThumbnail(m_mediaStrip);
        thumb->setMedia(m, m_loader);
        connect(thumb, &QToolButton::clicked, this, [this, m] { emit mediaOpened(m); });
        const std::string id = m.id();
        addCell(thumb, [this, id] {
            m_keptMedia.removeIf([&](const wire::Media &k) { return k.id() == id; });
            rebuildMedia();
        });
    }
    for (const client::PreparedMedia &p : std::as_const(m_newMedia)) {
        auto *thumb = new ui::MediaThumbnail(m_mediaStrip);
        thumb->setLocalFile(p.thumbnailPath, p.kind == wire::VIDEO);
        const QString id = p.mediaId;
        addCell(thumb, [this, id] {
            for (qsizetype i = 0; i < m_newMedia.size(); ++i) {
                if (m_newMedia[i].mediaId == id) {
                    client::ObservationQueue::discardPrepared({ m_newMedia[i] });
                    m_newMedia.removeAt(i);
                    break;
                }
            }
            rebuildMedia();
        });
    }
    if (m_keptMedia.isEmpty() && m_newMedia.isEmpty()) {
        auto *none = new QLabel(tr("No photos or videos."), m_mediaStrip);
        none->setEnabled(false);
        m_mediaLayout->addWidget(none);
    }
    m_mediaLayout->addStretch(1);
    recheck();
}

void ObservationEditor::recheck()
{
    const QStringList refs = childRefs();
    m_consent = client::ConsentCheck::evaluate(m_roster, refs, hasMedia());
    showBanner(m_refusal, m_consent.refusal);
    showBanner(m_notice, m_consent.notice);
    QStringList names;
    for (const QString &r : refs)
        names.append(client::childName(m_roster, r));
    m_picked->setText(names.isEmpty() ? tr("Choose one or more children.")
                                      : tr("With: %1").arg(QLocale().createSeparatedList(names)));
    const bool something = !m_text->toPlainText().trimmed().isEmpty() || hasMedia();
    const bool ok = m_consent.allowed() && !refs.isEmpty() && something;
    m_publish->setEnabled(ok);
    m_draft->setEnabled(ok);
    const QString why = !m_consent.allowed() ? m_consent.refusal
        : refs.isEmpty()                     ? tr("Choose at least one child.")
        : !something                         ? tr("Write what happened, or add a photo or video.")
                                             : QString();
    m_publish->setToolTip(why.isEmpty() ? tr("Add it to the journal (Ctrl+Enter)") : why);
}

wire::Observation ObservationEditor::observation(wire::ObservationState state) const
{
    wire::Observation o = m_base;
    o.clear_child_refs();
    for (const QString &r : childRefs())
        o.add_child_refs(r.toStdString());
    o.set_text(m_text->toPlainText().trimmed().toStdString());
    o.set_next_steps(m_nextSteps->toPlainText().trimmed().toStdString());
    o.set_staff_note(m_note->toPlainText().trimmed().toStdString());
    o.clear_eyfs_tags();
    for (const client::EyfsTags::Tag &t : client::EyfsTags::all()) {
        if (m_tags.value(t.key)->isChecked())
            o.add_eyfs_tags(t.key.toStdString());
    }
    // Tags this app does not offer (from the full framework) are kept as they were.
    for (const std::string &t : m_base.eyfs_tags()) {
        if (!m_tags.contains(QString::fromStdString(t)))
            o.add_eyfs_tags(t);
    }
    o.clear_media();
    for (const wire::Media &m : m_keptMedia)
        *o.add_media() = m;
    o.set_state(state);
    return o;
}

void ObservationEditor::showSaveError(const QString &text)
{
    showBanner(m_saveError, text);
}

bool ObservationEditor::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_children && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if ((key == Qt::Key_Space || key == Qt::Key_Return || key == Qt::Key_Enter)
            && m_children->currentItem()) {
            QListWidgetItem *item = m_children->currentItem();
            item->setCheckState(item->checkState() == Qt::Checked ? Qt::Unchecked : Qt::Checked);
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void ObservationEditor::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    // Landscape: children and tags beside the text; portrait: one column.
    m_columns->setDirection(width() >= ui::millimetres(this, 180) && width() > height() * 9 / 10
            ? QBoxLayout::LeftToRight
            : QBoxLayout::TopToBottom);
}

} // namespace acorn::staff
