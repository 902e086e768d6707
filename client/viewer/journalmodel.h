#pragma once

#include "acorn.pb.h"
#include "schoolcalendar.h"

#include <QAbstractListModel>
#include <QDate>
#include <QList>
#include <QString>
#include <QStringList>

namespace acorn::viewer {

// One child's journal as the parent reads it: the observations the cache holds for the
// child, newest first, each with its half-term heading, date in the school's zone, EYFS
// areas in plain words and its media (withheld media marked, never dropped), narrowed by
// an optional text search, area and date range.
//
// It shows what the server sent and nothing else: it never decides what is released or
// consented (the server already did), so it has no rules to get wrong.
class JournalModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role {
        IdRole = Qt::UserRole + 1,
        ObservedAtRole, // qint64 ms since the epoch
        DateTimeTextRole, // "Mon 5 October 2026, 09:30"
        TextRole,
        NextStepsRole,
        AuthorRole,
        AreaKeysRole, // QStringList: EyfsAreas keys
        AreasRole, // QStringList: plain words
        PeriodKeyRole,
        PeriodTitleRole, // "Autumn 2 2026"
        FirstInPeriodRole, // bool: the first visible row under its heading
        PhotoCountRole,
        VideoCountRole,
        WithheldCountRole, // media the server withheld because it shows other children
    };
    Q_ENUM(Role)

    explicit JournalModel(QObject *parent = nullptr);

    // Replaces the journal (observations as the cache returns them) and the calendar used
    // for headings and dates. Observations are sorted newest first whatever their order.
    void setJournal(const QList<wire::Observation> &observations, const SchoolCalendar &calendar);

    // Filters; an empty value means "any".
    void setSearchText(const QString &text);
    void setAreaFilter(const QString &areaKey);
    void setDateRange(const QDate &from, const QDate &to);
    void clearFilters();
    QString searchText() const { return m_search; }
    QString areaFilter() const { return m_area; }
    bool isFiltered() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    const wire::Observation &observation(int row) const;
    int rowOf(const QString &observationId) const;
    // All observations held (before filtering).
    int totalCount() const { return static_cast<int>(m_all.size()); }
    // Area keys used anywhere in this journal, in the framework's order.
    QStringList areasInJournal() const;
    // The dates (school zone) of the oldest and newest observation held.
    QDate firstDate() const;
    QDate lastDate() const;
    // The headings of the whole journal, newest first, each with the first and last day
    // (school zone) of its observations: what a "when" filter offers.
    struct PeriodRange
    {
        JournalPeriod period;
        QDate first;
        QDate last;
        int count = 0;
    };
    QList<PeriodRange> periods() const;
    const SchoolCalendar &calendar() const { return m_calendar; }

private:
    struct Entry
    {
        wire::Observation observation;
        QStringList areaKeys;
        QString searchable; // lower case: text, next steps, areas
        QDate day; // school zone
        JournalPeriod period;
    };
    void refilter();
    bool accepts(const Entry &e) const;

    QList<Entry> m_all;
    QList<int> m_visible; // indexes into m_all
    SchoolCalendar m_calendar;
    QString m_search;
    QString m_area;
    QDate m_from;
    QDate m_to;
};

} // namespace acorn::viewer
