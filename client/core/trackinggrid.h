#pragma once

#include "acorn.pb.h"
#include "eyfsframework.h"

#include <QAbstractTableModel>
#include <QList>
#include <QString>
#include <QStringList>
#include <QTimeZone>

namespace acorn::client {

class ClientStore;

// The tracking grid of one class for one half term: a row per child, a column per area of
// learning (or per Early Learning Goal), each cell the child's judgement and the observations
// that evidence it. A cell with no observation is a gap: the lead's "who have we not seen
// doing what this half term".
//
// Computed from what the device holds (roster, journal cache, assessments, calendar); it
// decides nothing about who may see what — the server already did when it sent them.
class TrackingGrid
{
public:
    enum class Columns { Areas, EarlyLearningGoals };

    struct Column
    {
        QString key; // "CL" or "CL-ELG-02"
        QString title;
        QString assessedItem; // the framework item whose judgement fills the cells, or empty
    };

    struct Cell
    {
        QString judgement; // judgement key ("expected"), empty when none was recorded
        QString judgementTitle; // "Expected"
        quint64 revision = 0; // the server revision of the judgement (0: none, or not yet sent)
        QStringList observationIds; // the evidence, oldest first
        int evidence() const { return static_cast<int>(observationIds.size()); }
        bool gap() const { return observationIds.isEmpty(); }
    };

    struct Row
    {
        wire::Child child;
        QList<Cell> cells; // one per column
    };

    struct Input
    {
        QString className;
        QString halfTermLastDay; // YYYY-MM-DD: the half term shown
        QList<wire::HalfTermInfo> calendar;
        QTimeZone zone = QTimeZone::systemTimeZone();
        QList<wire::Child> roster;
        QList<wire::Observation> observations;
        // Later entries win: pass the synced ones, then this device's unsent edits.
        QList<wire::Assessment> assessments;
        Columns columns = Columns::Areas;
        // The Development Matters band whose judgements fill the area columns ("R", "34",
        // "B3"); empty: bandForClass(className).
        QString band;
    };

    // What this device holds, for the grid and the printed reports: roster, calendar and
    // time zone, the synced journal with this device's unsent versions in place of the
    // cached ones (an observation saved offline is evidence at once), and the synced
    // judgements followed by the unsent ones (later entries win; refused ones left out).
    // className, halfTermLastDay and columns are left for the caller.
    static Input fromDevice(ClientStore &store);

    // "R" for a Reception class, "34" otherwise (the band most children of a Nursery or
    // Kindergarten class are in).
    static QString bandForClass(const QString &className);

    static TrackingGrid build(
        const Input &input, const EyfsFramework &framework = EyfsFramework::standard());
    // One grid per half term of the calendar up to and including input.halfTermLastDay,
    // oldest first, with the half terms' names in *names.
    static QList<TrackingGrid> buildThrough(const Input &input, QStringList *names,
        const EyfsFramework &framework = EyfsFramework::standard());

    const QList<Column> &columns() const { return m_columns; }
    const QList<Row> &rows() const { return m_rows; }
    // The half term's window: observations made in [fromMs, toMs) count (the holiday before
    // a half term belongs to it, as for release). Both 0 when the half term is unknown.
    qint64 fromMs() const { return m_fromMs; }
    qint64 toMs() const { return m_toMs; }
    int gapCount() const;

    // The grid for the school's MIS: RFC 4180 CSV, one row per child (ref, first name, last
    // name), then per column its judgement key and its number of observations.
    QByteArray toCsv() const;

private:
    QList<Column> m_columns;
    QList<Row> m_rows;
    qint64 m_fromMs = 0;
    qint64 m_toMs = 0;
};

// The grid as a table model for views: DisplayRole "Expected (3)", "3" or "No evidence";
// the roles below give the parts. Qt Core only, no Widgets.
class TrackingGridModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Role {
        JudgementRole = Qt::UserRole + 1, // QString key
        EvidenceCountRole, // int
        GapRole, // bool
        ObservationIdsRole, // QStringList
        ChildRefRole, // QString
        ColumnKeyRole, // QString
    };

    explicit TrackingGridModel(QObject *parent = nullptr);
    void setGrid(TrackingGrid grid);
    const TrackingGrid &grid() const { return m_grid; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    TrackingGrid m_grid;
};

} // namespace acorn::client
