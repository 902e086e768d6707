#pragma once

#include "acorn.pb.h"
#include "clientstore.h"
#include "result.h"
#include "trackinggrid.h"

#include <QTimeZone>
#include <QWidget>

#include <functional>

class QComboBox;
class QLabel;
class QListWidget;
class QPushButton;
class QTabWidget;
class QTableView;

namespace acorn::staff {

class TrackingChartsView;

// The tracking grid for a lead or practitioner: pick a class and a half term, see each
// child against each area of learning (or Early Learning Goal) with the judgement and the
// number of observations evidencing it; gaps stand out. Selecting a cell lists the evidence
// (activating one opens it) and offers the judgements of the cell's scale to record one;
// Export writes the grid as CSV for the school's MIS; the Charts tab draws the class's
// judgements, observations per child and the selected child's progress.
//
// Display only: the grid is computed in the core (client::TrackingGrid) from what this
// device holds; this page decides nothing.
class TrackingPage : public QWidget
{
    Q_OBJECT
public:
    explicit TrackingPage(QWidget *parent = nullptr);

    struct Data
    {
        QList<wire::Child> roster;
        QList<wire::HalfTermInfo> calendar;
        QTimeZone zone = QTimeZone::systemTimeZone();
        QList<wire::Observation> observations;
        QList<wire::Assessment> assessments;
        qint64 nowMs = 0; // chooses the current half term the first time
        QString schoolName; // for the printed summary
        // For the history of the selected cell's judgement: the synced assessments (with their
        // history) and this device's unsent judgements with their states.
        QList<wire::Assessment> assessmentHistory;
        QList<client::AssessmentEdit> unsentAssessments;
        // The file of a media item's thumbnail on this device, or empty (the journal book).
        std::function<QString(const wire::Media &)> thumbnailPath;
    };
    // Shows the data, keeping the chosen class, half term and columns where they still exist.
    void showData(Data shown);

    client::TrackingGridModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QListWidget *evidenceList() const { return m_evidence; }
    QComboBox *classChooser() const { return m_class; }
    QComboBox *halfTermChooser() const { return m_halfTerm; }
    QComboBox *columnsChooser() const { return m_columns; }
    QComboBox *judgementChooser() const { return m_judgement; }
    TrackingChartsView *charts() const { return m_charts; }
    QPushButton *recordButton() const { return m_record; }
    QPushButton *journalButton() const { return m_journalPdf; }
    // The selected cell's judgement: its revisions, conflicts and this device's unsent one.
    QListWidget *historyList() const { return m_history; }
    // Writes the grid shown as CSV (the Export button asks where).
    Status exportCsv(const QString &path) const;
    // Writes the grid shown as the class tracking summary PDF (client::TrackingReport).
    Status exportPdf(const QString &path) const;
    // Writes the summary of learning of the selected cell's child, through the half term
    // shown. Fails when no child is selected.
    Status exportChildSummary(const QString &path) const;
    // Writes the journal book (client::JournalBook) of the selected cell's child for the
    // days from `from` to `to`. Fails when no child is selected.
    Status exportChildJournal(const QString &path, const QDate &from, const QDate &to) const;

signals:
    void observationActivated(const QString &id);
    // The user recorded a judgement for the selected cell (the window queues it).
    void judgementRecorded(const QString &childRef, const QString &itemKey,
        const QString &halfTermLastDay, const QString &judgement, quint64 baseRevision);

private:
    void rebuild();
    void showEvidence();
    void showJudgementChoice();
    void showProgress();
    void showHistory();
    // Asks for the dates of the journal book, then where to save it.
    void saveChildJournal();
    // Asks where to save, writes, and says how it went.
    void saveAs(const QString &caption, const QString &suggestedName, const QString &filter,
        const std::function<Status(const QString &)> &write);

    Data m_data;
    client::TrackingGridModel *m_model;
    QComboBox *m_class;
    QComboBox *m_halfTerm;
    QComboBox *m_columns;
    QLabel *m_summary;
    QTableView *m_table;
    QLabel *m_evidenceTitle;
    QListWidget *m_evidence;
    QLabel *m_judgementLabel;
    QComboBox *m_judgement;
    QPushButton *m_record;
    QPushButton *m_export;
    QPushButton *m_print;
    QPushButton *m_childPdf;
    QPushButton *m_journalPdf;
    QListWidget *m_history;
    QTabWidget *m_tabs;
    TrackingChartsView *m_charts;
    client::TrackingGrid::Input m_input; // what the grid shown was built from
};

} // namespace acorn::staff
