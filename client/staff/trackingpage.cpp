#include "trackingpage.h"

#include "assessmenthistory.h"
#include "journalbook.h"
#include "rostersummary.h"
#include "trackingchartsview.h"
#include "trackingreport.h"

#include <QComboBox>
#include <QDateEdit>
#include <QDateTime>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHash>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QSaveFile>
#include <QStyledItemDelegate>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace acorn::staff {

namespace {

// Gaps stand out: a warm background and the words "No evidence" (colour is never the only
// signal).
class GapDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        if (index.data(client::TrackingGridModel::GapRole).toBool()) {
            option->backgroundBrush = QColor(255, 224, 178);
            option->font.setItalic(true);
        }
    }
};

QString str(const std::string &s)
{
    return QString::fromStdString(s);
}

} // namespace

TrackingPage::TrackingPage(QWidget *parent)
    : QWidget(parent)
    , m_model(new client::TrackingGridModel(this))
    , m_class(new QComboBox(this))
    , m_halfTerm(new QComboBox(this))
    , m_columns(new QComboBox(this))
    , m_summary(new QLabel(this))
    , m_table(new QTableView(this))
    , m_evidenceTitle(new QLabel(this))
    , m_evidence(new QListWidget(this))
    , m_judgementLabel(new QLabel(this))
    , m_judgement(new QComboBox(this))
    , m_record(new QPushButton(tr("Record judgement"), this))
    , m_export(new QPushButton(tr("Export CSV…"), this))
    , m_print(new QPushButton(tr("Summary PDF…"), this))
    , m_childPdf(new QPushButton(tr("Child's summary PDF…"), this))
    , m_journalPdf(new QPushButton(tr("Child's journal PDF…"), this))
    , m_history(new QListWidget(this))
    , m_tabs(new QTabWidget(this))
    , m_charts(new TrackingChartsView(this))
{
    setObjectName(QStringLiteral("trackingPage"));
    auto *title = new QLabel(tr("Tracking"), this);
    QFont big = title->font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.2);
    title->setFont(big);

    m_class->setObjectName(QStringLiteral("trackingClass"));
    m_class->setAccessibleName(tr("Class"));
    m_halfTerm->setObjectName(QStringLiteral("trackingHalfTerm"));
    m_halfTerm->setAccessibleName(tr("Half term"));
    m_columns->setObjectName(QStringLiteral("trackingColumns"));
    m_columns->setAccessibleName(tr("Columns"));
    m_columns->addItem(
        tr("Areas of learning"), static_cast<int>(client::TrackingGrid::Columns::Areas));
    m_columns->addItem(tr("Early Learning Goals"),
        static_cast<int>(client::TrackingGrid::Columns::EarlyLearningGoals));
    m_export->setObjectName(QStringLiteral("trackingExport"));
    m_print->setObjectName(QStringLiteral("trackingPdf"));
    m_childPdf->setObjectName(QStringLiteral("trackingChildPdf"));
    m_journalPdf->setObjectName(QStringLiteral("trackingJournalPdf"));
    m_summary->setObjectName(QStringLiteral("trackingSummary"));
    m_summary->setWordWrap(true);

    m_table->setObjectName(QStringLiteral("trackingGrid"));
    m_table->setModel(m_model);
    m_table->setItemDelegate(new GapDelegate(m_table));
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setSelectionBehavior(QAbstractItemView::SelectItems);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_evidence->setObjectName(QStringLiteral("trackingEvidence"));
    m_evidence->setAccessibleName(tr("Evidence"));
    m_evidenceTitle->setWordWrap(true);

    m_judgement->setObjectName(QStringLiteral("trackingJudgement"));
    m_judgement->setAccessibleName(tr("Judgement"));
    m_record->setObjectName(QStringLiteral("trackingRecord"));
    auto *judgementRow = new QHBoxLayout;
    judgementRow->addWidget(m_judgementLabel, 1);
    judgementRow->addWidget(m_judgement);
    judgementRow->addWidget(m_record);
    judgementRow->addWidget(m_childPdf);
    judgementRow->addWidget(m_journalPdf);

    auto *choosers = new QHBoxLayout;
    choosers->addWidget(m_class);
    choosers->addWidget(m_halfTerm);
    choosers->addWidget(m_columns);
    choosers->addStretch(1);
    choosers->addWidget(m_export);
    choosers->addWidget(m_print);
    auto *gridTab = new QWidget(this);
    auto *gridLayout = new QVBoxLayout(gridTab);
    gridLayout->setContentsMargins(0, 0, 0, 0);
    gridLayout->addWidget(m_table, 3);
    gridLayout->addWidget(m_evidenceTitle);
    gridLayout->addWidget(m_evidence, 1);
    gridLayout->addLayout(judgementRow);
    m_history->setObjectName(QStringLiteral("trackingHistory"));
    m_history->setAccessibleName(tr("History of this judgement"));
    m_history->setWordWrap(true);
    m_history->setMaximumHeight(m_history->fontMetrics().lineSpacing() * 7);
    gridLayout->addWidget(m_history);
    m_tabs->setObjectName(QStringLiteral("trackingTabs"));
    m_tabs->addTab(gridTab, tr("Grid"));
    m_tabs->addTab(m_charts, tr("Charts"));

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addLayout(choosers);
    layout->addWidget(m_summary);
    layout->addWidget(m_tabs, 1);

    connect(m_class, &QComboBox::currentIndexChanged, this, &TrackingPage::rebuild);
    connect(m_halfTerm, &QComboBox::currentIndexChanged, this, &TrackingPage::rebuild);
    connect(m_columns, &QComboBox::currentIndexChanged, this, &TrackingPage::rebuild);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentChanged, this,
        &TrackingPage::showEvidence);
    connect(m_table, &QTableView::clicked, this, &TrackingPage::showEvidence);
    connect(m_evidence, &QListWidget::itemActivated, this, [this](QListWidgetItem *item) {
        emit observationActivated(item->data(Qt::UserRole).toString());
    });
    connect(m_record, &QPushButton::clicked, this, [this] {
        const QModelIndex index = m_table->currentIndex();
        const QString item = m_model->grid().columns().value(index.column()).assessedItem;
        if (!index.isValid() || item.isEmpty() || m_judgement->currentData().toString().isEmpty())
            return;
        const client::TrackingGrid::Cell &cell
            = m_model->grid().rows().at(index.row()).cells.at(index.column());
        emit judgementRecorded(index.data(client::TrackingGridModel::ChildRefRole).toString(), item,
            m_halfTerm->currentData().toString(), m_judgement->currentData().toString(),
            cell.revision);
    });
    connect(m_print, &QPushButton::clicked, this, [this] {
        saveAs(tr("Save the tracking summary"), QStringLiteral("tracking.pdf"),
            tr("PDF files (*.pdf)"), [this](const QString &path) { return exportPdf(path); });
    });
    connect(m_childPdf, &QPushButton::clicked, this, [this] {
        saveAs(tr("Save the child's summary"), QStringLiteral("summary.pdf"),
            tr("PDF files (*.pdf)"),
            [this](const QString &path) { return exportChildSummary(path); });
    });
    connect(m_journalPdf, &QPushButton::clicked, this, &TrackingPage::saveChildJournal);
    connect(m_export, &QPushButton::clicked, this, [this] {
        saveAs(tr("Export the tracking grid"), QStringLiteral("tracking.csv"),
            tr("CSV files (*.csv)"), [this](const QString &path) { return exportCsv(path); });
    });
}

void TrackingPage::showData(Data shown)
{
    m_data = std::move(shown);
    const QString chosenClass = m_class->currentText();
    const QString chosenTerm = m_halfTerm->currentData().toString();
    {
        const QSignalBlocker blockClass(m_class);
        const QSignalBlocker blockTerm(m_halfTerm);
        m_class->clear();
        QStringList classes;
        for (const wire::Child &c : m_data.roster) {
            if (!classes.contains(str(c.class_name())))
                classes.append(str(c.class_name()));
        }
        std::sort(classes.begin(), classes.end(),
            [](const QString &a, const QString &b) { return a.localeAwareCompare(b) < 0; });
        m_class->addItems(classes);
        m_class->setCurrentIndex(std::max(0, static_cast<int>(classes.indexOf(chosenClass))));

        m_halfTerm->clear();
        const QList<client::CountingPeriod> terms
            = client::CountingPeriod::halfTerms(m_data.calendar, m_data.zone);
        const client::CountingPeriod now
            = client::CountingPeriod::current(m_data.calendar, m_data.zone, m_data.nowMs);
        int current = static_cast<int>(terms.size()) - 1;
        for (qsizetype i = 0; i < terms.size(); ++i) {
            m_halfTerm->addItem(terms[i].name, terms[i].lastDay);
            if (terms[i].lastDay == (chosenTerm.isEmpty() ? now.lastDay : chosenTerm))
                current = static_cast<int>(i);
        }
        m_halfTerm->setCurrentIndex(current);
    }
    rebuild();
}

void TrackingPage::rebuild()
{
    client::TrackingGrid::Input in;
    in.className = m_class->currentText();
    in.halfTermLastDay = m_halfTerm->currentData().toString();
    in.calendar = m_data.calendar;
    in.zone = m_data.zone;
    in.roster = m_data.roster;
    in.observations = m_data.observations;
    in.assessments = m_data.assessments;
    in.columns = static_cast<client::TrackingGrid::Columns>(m_columns->currentData().toInt());
    m_model->setGrid(client::TrackingGrid::build(in));
    m_input = in;
    m_charts->showClass(client::TrackingCharts::distribution(m_model->grid()),
        client::TrackingCharts::observationCounts(m_model->grid()));
    const int cells = m_model->rowCount() * m_model->columnCount();
    const int gaps = m_model->grid().gapCount();
    if (in.halfTermLastDay.isEmpty())
        m_summary->setText(tr("The school calendar has not reached this device yet: sync first."));
    else if (m_model->rowCount() == 0)
        m_summary->setText(tr("No children in this class on this device."));
    else
        m_summary->setText(
            tr("%1 of %2 cells have no observation this half term.").arg(gaps).arg(cells));
    m_evidenceTitle->setText(tr("Select a cell to list its evidence."));
    m_evidence->clear();
    showJudgementChoice();
}

void TrackingPage::showJudgementChoice()
{
    showProgress();
    const QModelIndex index = m_table->currentIndex();
    m_judgement->clear();
    const QString item = index.isValid()
        ? m_model->grid().columns().value(index.column()).assessedItem
        : QString();
    const EyfsFramework::Scale *scale
        = item.isEmpty() ? nullptr : EyfsFramework::standard().scaleOf(item);
    m_childPdf->setEnabled(index.isValid());
    m_journalPdf->setEnabled(index.isValid());
    showHistory();
    m_judgement->setEnabled(scale != nullptr);
    m_record->setEnabled(scale != nullptr);
    if (!scale) {
        m_judgementLabel->setText(
            index.isValid() ? tr("This column has no judgement for this class.") : QString());
        return;
    }
    const EyfsFramework::Item *framework = EyfsFramework::standard().item(item);
    m_judgementLabel->setText(tr("Judgement (%1):").arg(framework ? framework->title : item));
    for (const EyfsFramework::Judgement &j : scale->judgements)
        m_judgement->addItem(j.title, j.key);
    const QString current = index.data(client::TrackingGridModel::JudgementRole).toString();
    m_judgement->setCurrentIndex(std::max(0, m_judgement->findData(current)));
}

void TrackingPage::showHistory()
{
    m_history->clear();
    const QModelIndex index = m_table->currentIndex();
    if (!index.isValid())
        return;
    const QString item = m_model->grid().columns().value(index.column()).assessedItem;
    if (item.isEmpty())
        return;
    m_history->addItems(client::AssessmentHistory::lines(m_data.assessmentHistory,
        m_data.unsentAssessments, index.data(client::TrackingGridModel::ChildRefRole).toString(),
        item, m_halfTerm->currentData().toString(), m_data.zone));
}

void TrackingPage::showEvidence()
{
    const QModelIndex index = m_table->currentIndex();
    m_evidence->clear();
    showJudgementChoice();
    if (!index.isValid())
        return;
    const QStringList ids
        = index.data(client::TrackingGridModel::ObservationIdsRole).toStringList();
    const QString child = m_model->headerData(index.row(), Qt::Vertical).toString();
    const QString column = m_model->headerData(index.column(), Qt::Horizontal).toString();
    m_evidenceTitle->setText(ids.isEmpty()
            ? tr("No observation of %1 in %2 this half term.").arg(child, column)
            : tr("%n observation(s) of %1 in %2:", nullptr, static_cast<int>(ids.size()))
                  .arg(child, column));
    QHash<QString, const wire::Observation *> byId;
    for (const wire::Observation &o : m_data.observations)
        byId.insert(str(o.id()), &o);
    const QLocale locale;
    for (const QString &id : ids) { // oldest first, as the grid lists them
        const wire::Observation *o = byId.value(id);
        if (!o)
            continue;
        const QDateTime when = QDateTime::fromMSecsSinceEpoch(o->observed_at_ms(), m_data.zone);
        const QString firstLine = str(o->text()).section(QLatin1Char('\n'), 0, 0);
        auto *item = new QListWidgetItem(
            QStringLiteral("%1 — %2").arg(locale.toString(when, QLocale::ShortFormat), firstLine));
        item->setData(Qt::UserRole, id);
        m_evidence->addItem(item);
    }
}

void TrackingPage::showProgress()
{
    const QModelIndex index = m_table->currentIndex();
    if (!index.isValid()) {
        m_charts->showProgress({}, {});
        return;
    }
    QStringList names;
    const QList<client::TrackingGrid> grids = client::TrackingGrid::buildThrough(m_input, &names);
    m_charts->showProgress(client::TrackingCharts::progress(grids, names,
                               index.data(client::TrackingGridModel::ChildRefRole).toString()),
        m_model->headerData(index.row(), Qt::Vertical).toString());
}

Status TrackingPage::exportPdf(const QString &path) const
{
    return client::TrackingReport::writePdf(m_model->grid(),
        { m_data.schoolName, m_class->currentText(), m_halfTerm->currentText() }, path);
}

void TrackingPage::saveAs(const QString &caption, const QString &suggestedName,
    const QString &filter, const std::function<Status(const QString &)> &write)
{
    const QString path = QFileDialog::getSaveFileName(this, caption, suggestedName, filter);
    if (path.isEmpty())
        return;
    const Status s = write(path);
    m_summary->setText(s ? tr("Saved to %1.").arg(path) : s.error());
}

Status TrackingPage::exportChildSummary(const QString &path) const
{
    const QString child
        = m_table->currentIndex().data(client::TrackingGridModel::ChildRefRole).toString();
    if (child.isEmpty())
        return Status::failure(tr("Select a child's cell first."));
    return client::TrackingReport::writeChildSummaryPdf(m_input, child, m_data.schoolName, path);
}

void TrackingPage::saveChildJournal()
{
    if (!m_table->currentIndex().isValid())
        return;
    // The dates: from the first day of the school year on this device to the end of the half
    // term shown.
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Child's journal PDF"));
    auto *from = new QDateEdit(&dialog);
    auto *to = new QDateEdit(&dialog);
    for (QDateEdit *edit : { from, to }) {
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(QStringLiteral("d MMMM yyyy"));
    }
    from->setObjectName(QStringLiteral("journalFrom"));
    to->setObjectName(QStringLiteral("journalTo"));
    const QDate shownEnd = QDate::fromString(m_halfTerm->currentData().toString(), Qt::ISODate);
    to->setDate(shownEnd.isValid() ? shownEnd : QDate::currentDate());
    const QDate yearStart = m_data.calendar.isEmpty()
        ? QDate()
        : QDate::fromString(str(m_data.calendar.first().first_day()), Qt::ISODate);
    from->setDate(yearStart.isValid() ? yearStart : to->date().addYears(-1));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto *form = new QFormLayout(&dialog);
    form->addRow(tr("From"), from);
    form->addRow(tr("To"), to);
    form->addRow(buttons);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const QDate first = from->date();
    const QDate last = to->date();
    saveAs(tr("Save the child's journal"), QStringLiteral("journal.pdf"), tr("PDF files (*.pdf)"),
        [this, first, last](const QString &path) { return exportChildJournal(path, first, last); });
}

Status TrackingPage::exportChildJournal(
    const QString &path, const QDate &from, const QDate &to) const
{
    const QString child
        = m_table->currentIndex().data(client::TrackingGridModel::ChildRefRole).toString();
    if (child.isEmpty())
        return Status::failure(tr("Select a child's cell first."));
    if (from.isValid() && to.isValid() && from > to)
        return Status::failure(tr("The first day is after the last day: choose the dates again."));
    client::JournalBook::Input in;
    for (const wire::Child &c : m_data.roster) {
        if (str(c.ref()) == child)
            in.child = c;
    }
    in.schoolName = m_data.schoolName;
    in.from = from;
    in.to = to;
    in.zone = m_data.zone;
    in.observations = m_data.observations;
    in.roster = m_data.roster;
    in.thumbnailPath = m_data.thumbnailPath;
    return Status::from(client::JournalBook::writePdf(in, path));
}

Status TrackingPage::exportCsv(const QString &path) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Status::failure(tr("Could not write %1: %2").arg(path, file.errorString()));
    file.write(m_model->grid().toCsv());
    if (!file.commit())
        return Status::failure(tr("Could not write %1: %2").arg(path, file.errorString()));
    return {};
}

} // namespace acorn::staff
