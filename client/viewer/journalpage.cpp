#include "journalpage.h"

#include "progresssummary.h"

#include "eyfsareas.h"
#include "observationcard.h"
#include "viewersession.h"

#include <QComboBox>
#include <QDateEdit>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QStyle>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace acorn::viewer {

namespace {
constexpr int kAnyTime = 0;
constexpr int kChooseDates = -1;
} // namespace

JournalPage::JournalPage(ViewerSession &session, QWidget *parent)
    : QWidget(parent)
    , m_session(session)
{
    m_model = new JournalModel(this);

    auto *back
        = new QPushButton(style()->standardIcon(QStyle::SP_ArrowBack), tr("&All children"), this);
    back->setAccessibleName(tr("Back to all children"));
    back->setShortcut(QKeySequence(QKeySequence::Back));
    connect(back, &QPushButton::clicked, this, &JournalPage::backRequested);

    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("journalTitle"));
    QFont tf = m_title->font();
    tf.setPointSizeF(tf.pointSizeF() * 1.6);
    tf.setBold(true);
    m_title->setFont(tf);
    m_title->setTextFormat(Qt::PlainText);
    m_notice = new QLabel(this);
    m_notice->setObjectName(QStringLiteral("releaseNotice"));
    m_notice->setTextFormat(Qt::PlainText);
    m_notice->setWordWrap(true);

    m_export = new QPushButton(tr("&Keep a copy…"), this);
    m_export->setAccessibleName(tr("Keep a copy of this journal on this computer"));
    m_export->setToolTip(
        tr("Save this journal as a folder of web page, photos and videos, each photo labelled with "
           "its date and what it shows."));
    connect(m_export, &QPushButton::clicked, this, [this] { emit exportRequested(m_child); });

    auto *header = new QHBoxLayout;
    header->addWidget(back);
    header->addSpacing(12);
    auto *titles = new QVBoxLayout;
    titles->addWidget(m_title);
    titles->addWidget(m_notice);
    header->addLayout(titles, 1);
    header->addWidget(m_export, 0, Qt::AlignTop);

    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(tr("Search this journal (Ctrl+F)"));
    m_search->setAccessibleName(tr("Search this journal"));
    m_search->setClearButtonEnabled(true);
    m_searchDelay = new QTimer(this);
    m_searchDelay->setSingleShot(true);
    m_searchDelay->setInterval(200);
    connect(m_search, &QLineEdit::textChanged, m_searchDelay, qOverload<>(&QTimer::start));
    connect(m_searchDelay, &QTimer::timeout, this,
        [this] { m_model->setSearchText(m_search->text()); });
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        m_searchDelay->stop();
        m_model->setSearchText(m_search->text());
    });

    auto *areaLabel = new QLabel(tr("A&rea:"), this);
    m_area = new QComboBox(this);
    m_area->setAccessibleName(tr("Show one area of learning"));
    areaLabel->setBuddy(m_area);
    connect(m_area, &QComboBox::activated, this,
        [this] { m_model->setAreaFilter(m_area->currentData().toString()); });

    auto *whenLabel = new QLabel(tr("&When:"), this);
    m_when = new QComboBox(this);
    m_when->setAccessibleName(tr("Show one half term or chosen dates"));
    whenLabel->setBuddy(m_when);
    connect(m_when, &QComboBox::activated, this, &JournalPage::onWhenChanged);
    m_from = new QDateEdit(this);
    m_from->setAccessibleName(tr("From date"));
    m_from->setCalendarPopup(true);
    m_to = new QDateEdit(this);
    m_to->setAccessibleName(tr("To date"));
    m_to->setCalendarPopup(true);
    m_from->hide();
    m_to->hide();
    connect(m_from, &QDateEdit::dateChanged, this, [this] {
        if (m_when->currentData().toInt() == kChooseDates)
            m_model->setDateRange(m_from->date(), m_to->date());
    });
    connect(m_to, &QDateEdit::dateChanged, this, [this] {
        if (m_when->currentData().toInt() == kChooseDates)
            m_model->setDateRange(m_from->date(), m_to->date());
    });

    m_clear = new QPushButton(tr("Show &everything"), this);
    m_clear->setAccessibleName(tr("Clear the search and filters"));
    connect(m_clear, &QPushButton::clicked, this, [this] {
        m_search->clear();
        m_searchDelay->stop();
        m_area->setCurrentIndex(0);
        m_when->setCurrentIndex(0);
        m_from->hide();
        m_to->hide();
        m_model->clearFilters();
    });

    auto *filters = new QHBoxLayout;
    filters->addWidget(m_search, 2);
    filters->addWidget(areaLabel);
    filters->addWidget(m_area, 1);
    filters->addWidget(whenLabel);
    filters->addWidget(m_when, 1);
    filters->addWidget(m_from);
    filters->addWidget(m_to);
    filters->addWidget(m_clear);

    m_summary = new QLabel(this);
    m_summary->setForegroundRole(QPalette::PlaceholderText);

    m_feed = new QWidget;
    m_feed->setObjectName(QStringLiteral("journalFeed"));
    m_feed->setMaximumWidth(1000); // lines a parent can read, centred on wide screens
    m_feedLayout = new QVBoxLayout(m_feed);
    m_feedLayout->setContentsMargins(4, 4, 12, 4);
    m_feedLayout->setSpacing(10);
    m_scroll = new QScrollArea(this);
    m_scroll->setWidgetResizable(true);
    m_scroll->setWidget(m_feed);
    m_scroll->setAlignment(Qt::AlignHCenter | Qt::AlignTop);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setAccessibleName(tr("Journal"));
    m_scroll->setFocusPolicy(Qt::NoFocus);

    m_empty = new QLabel(this);
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setTextFormat(Qt::PlainText);
    m_empty->hide();

    m_progressBox = new QGroupBox(this);
    m_progressBox->setObjectName(QStringLiteral("progressBox"));
    m_progress = new QTableWidget(m_progressBox);
    m_progress->setObjectName(QStringLiteral("progressTable"));
    m_progress->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_progress->setSelectionMode(QAbstractItemView::NoSelection);
    m_progress->setFocusPolicy(Qt::NoFocus);
    m_progress->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_progress->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_progress->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    auto *progressNote = new QLabel(
        tr("The school's judgements at the end of each half term, shared once they are "
           "released."),
        m_progressBox);
    progressNote->setWordWrap(true);
    progressNote->setForegroundRole(QPalette::PlaceholderText);
    auto *progressLayout = new QVBoxLayout(m_progressBox);
    progressLayout->addWidget(progressNote);
    progressLayout->addWidget(m_progress);
    m_progressBox->hide();

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addWidget(m_progressBox);
    layout->addLayout(filters);
    layout->addWidget(m_summary);
    layout->addWidget(m_empty);
    layout->addWidget(m_scroll, 1);

    setTabOrder(back, m_search);
    setTabOrder(m_search, m_area);
    setTabOrder(m_area, m_when);
    setTabOrder(m_when, m_from);
    setTabOrder(m_from, m_to);
    setTabOrder(m_to, m_clear);
    setTabOrder(m_clear, m_export);

    // A new search or filter starts at the top of what it found.
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        applyFilter();
        m_scroll->verticalScrollBar()->setValue(0);
    });
}

void JournalPage::showChild(const wire::Child &child)
{
    const bool other = child.ref() != m_child.ref();
    m_child = child;
    if (other) {
        m_search->clear();
        m_searchDelay->stop();
        m_from->hide();
        m_to->hide();
        m_model->clearFilters();
    }
    reload();
    if (other)
        m_scroll->verticalScrollBar()->setValue(0);
}

void JournalPage::refreshHeader()
{
    const QString name = QStringLiteral("%1 %2")
                             .arg(QString::fromStdString(m_child.first_name()),
                                 QString::fromStdString(m_child.last_name()))
                             .simplified();
    m_title->setText(tr("%1's journal").arg(name));
    m_export->setAccessibleName(tr("Keep a copy of %1's journal on this computer").arg(name));
    const auto cls = m_session.classInfo(QString::fromStdString(m_child.class_name()));
    m_notice->setText(cls ? m_session.calendar().nextUpdateText(*cls) : QString());
    m_notice->setVisible(!m_notice->text().isEmpty());
    showProgress();
}

void JournalPage::showProgress()
{
    const ProgressSummary progress = ProgressSummary::build(
        m_session.store().assessments(childRef()), m_session.store().calendar());
    m_progressBox->setTitle(
        tr("How %1 is getting on").arg(QString::fromStdString(m_child.first_name())));
    m_progress->clear();
    m_progress->setColumnCount(static_cast<int>(progress.halfTermNames.size()));
    m_progress->setRowCount(static_cast<int>(progress.rows.size()));
    m_progress->setHorizontalHeaderLabels(progress.halfTermNames);
    for (int r = 0; r < progress.rows.size(); ++r) {
        const ProgressSummary::Row &row = progress.rows.at(r);
        m_progress->setVerticalHeaderItem(r, new QTableWidgetItem(row.words));
        for (int c = 0; c < row.judgements.size(); ++c) {
            auto *cell = new QTableWidgetItem(row.judgements.at(c));
            cell->setTextAlignment(Qt::AlignCenter);
            m_progress->setItem(r, c, cell);
        }
    }
    // As tall as its rows, no taller: the journal below is what parents came for.
    m_progress->resizeRowsToContents();
    int height = m_progress->horizontalHeader()->sizeHint().height() + 2 * m_progress->frameWidth();
    for (int r = 0; r < m_progress->rowCount(); ++r)
        height += m_progress->rowHeight(r);
    m_progress->setFixedHeight(height);
    m_progressBox->setVisible(!progress.isEmpty());
}

void JournalPage::reload()
{
    refreshHeader();
    const SchoolCalendar calendar = m_session.calendar();
    // Rebuild the cards from the cache (a sync may have added, changed or removed some),
    // then let the model's reset apply the filters to them.
    const QList<wire::Observation> journal = m_session.journal(childRef());
    m_model->blockSignals(true);
    m_model->setJournal(journal, calendar);
    m_model->blockSignals(false);
    rebuild(journal);
    fillFilters();
    // Filters were kept: re-apply them.
    m_model->setSearchText(m_search->text());
    m_model->setAreaFilter(m_area->currentData().toString());
    applyFilter();
}

void JournalPage::fillFilters()
{
    const QString area = m_area->currentData().toString();
    m_area->clear();
    m_area->addItem(tr("All areas of learning"), QString());
    for (const QString &key : m_model->areasInJournal())
        m_area->addItem(EyfsAreas::plainWords(key), key);
    m_area->setCurrentIndex(std::max(0, m_area->findData(area)));
    if (m_area->currentIndex() == 0 && !area.isEmpty())
        m_model->setAreaFilter({});

    const QString when = m_when->currentText();
    const int whenKind = m_when->currentData().toInt();
    m_when->clear();
    m_when->addItem(tr("Any time"), kAnyTime);
    int n = 1;
    for (const JournalModel::PeriodRange &r : m_model->periods()) {
        m_when->addItem(r.period.title, n++);
        m_when->setItemData(
            m_when->count() - 1, QVariantList { r.first, r.last }, Qt::UserRole + 1);
    }
    m_when->addItem(tr("Choose dates…"), kChooseDates);
    int keep = whenKind == kChooseDates ? m_when->count() - 1 : m_when->findText(when);
    m_when->setCurrentIndex(std::max(0, keep));
    if (m_when->currentIndex() == 0)
        m_model->setDateRange({}, {});
    const QDate first
        = m_model->firstDate().isValid() ? m_model->firstDate() : QDate::currentDate();
    const QDate last = m_model->lastDate().isValid() ? m_model->lastDate() : QDate::currentDate();
    if (whenKind != kChooseDates) {
        m_from->setDate(first);
        m_to->setDate(last);
    }
}

void JournalPage::onWhenChanged()
{
    const int kind = m_when->currentData().toInt();
    m_from->setVisible(kind == kChooseDates);
    m_to->setVisible(kind == kChooseDates);
    if (kind == kAnyTime) {
        m_model->setDateRange({}, {});
    } else if (kind == kChooseDates) {
        m_model->setDateRange(m_from->date(), m_to->date());
        m_from->setFocus();
    } else {
        const QVariantList range = m_when->currentData(Qt::UserRole + 1).toList();
        if (range.size() == 2)
            m_model->setDateRange(range.at(0).toDate(), range.at(1).toDate());
    }
}

void JournalPage::setDateRange(const QDate &from, const QDate &to)
{
    m_when->setCurrentIndex(m_when->count() - 1);
    m_from->setVisible(true);
    m_to->setVisible(true);
    m_from->setDate(from);
    m_to->setDate(to);
    m_model->setDateRange(from, to);
}

void JournalPage::rebuild(const QList<wire::Observation> &journal)
{
    // Remove everything, then one heading per period and one card per observation, in the
    // model's order (filters cleared here only in the sense that all cards exist).
    while (QLayoutItem *item = m_feedLayout->takeAt(0)) {
        if (QWidget *w = item->widget())
            w->deleteLater();
        delete item;
    }
    m_cards.clear();
    m_headings.clear();
    m_periodOfCard.clear();

    JournalModel all;
    all.setJournal(journal, m_model->calendar());
    for (int row = 0; row < all.rowCount(); ++row) {
        const QModelIndex i = all.index(row);
        const QString key = i.data(JournalModel::PeriodKeyRole).toString();
        if (!m_headings.contains(key)) {
            auto *h = new QLabel(i.data(JournalModel::PeriodTitleRole).toString(), m_feed);
            h->setObjectName(QStringLiteral("periodHeading"));
            h->setTextFormat(Qt::PlainText);
            QFont f = h->font();
            f.setPointSizeF(f.pointSizeF() * 1.3);
            f.setBold(true);
            h->setFont(f);
            h->setContentsMargins(0, 10, 0, 0);
            h->setAccessibleName(tr("Half term: %1").arg(h->text()));
            m_headings.insert(key, h);
            m_feedLayout->addWidget(h);
        }
        auto *card = new ObservationCard(m_session, all.observation(row),
            i.data(JournalModel::DateTimeTextRole).toString(),
            i.data(JournalModel::AreasRole).toStringList(), m_feed);
        connect(card, &ObservationCard::openPhoto, this, &JournalPage::openPhoto);
        connect(card, &ObservationCard::openVideo, this, &JournalPage::openVideo);
        const QString id = i.data(JournalModel::IdRole).toString();
        m_cards.insert(id, card);
        m_periodOfCard.insert(id, key);
        m_feedLayout->addWidget(card);
    }
    m_feedLayout->addStretch(1);
}

void JournalPage::applyFilter()
{
    QSet<QString> visible;
    QSet<QString> periods;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const QString id = m_model->index(row).data(JournalModel::IdRole).toString();
        visible.insert(id);
        periods.insert(m_periodOfCard.value(id));
    }
    for (auto it = m_cards.cbegin(); it != m_cards.cend(); ++it)
        it.value()->setVisible(visible.contains(it.key()));
    for (auto it = m_headings.cbegin(); it != m_headings.cend(); ++it)
        it.value()->setVisible(periods.contains(it.key()));

    const int shown = m_model->rowCount();
    const int total = m_model->totalCount();
    m_summary->setText(summaryText());
    m_clear->setEnabled(m_model->isFiltered());
    const bool empty = shown == 0;
    m_empty->setVisible(empty);
    m_scroll->setVisible(!empty);
    if (empty) {
        m_empty->setText(total == 0
                ? tr("Nothing has been shared in this journal yet.\n%1").arg(m_notice->text())
                : tr("Nothing in this journal matches. Press \"Show everything\" to see it all."));
    }
}

QString JournalPage::summaryText() const
{
    const int shown = m_model->rowCount();
    const int total = m_model->totalCount();
    if (!m_model->isFiltered())
        return tr("Observations: %1").arg(total);
    return tr("Matching: %1 of %2").arg(shown).arg(total);
}

QString JournalPage::noticeText() const
{
    return m_notice->text();
}

QList<ObservationCard *> JournalPage::visibleCards() const
{
    QList<ObservationCard *> out;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (ObservationCard *c
            = m_cards.value(m_model->index(row).data(JournalModel::IdRole).toString()))
            out.append(c);
    }
    return out;
}

void JournalPage::focusSearch()
{
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

} // namespace acorn::viewer
