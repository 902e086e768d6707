#pragma once

#include "rostersummary.h"

#include <QAbstractListModel>
#include <QSet>
#include <QSortFilterProxyModel>
#include <QStyledItemDelegate>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QPushButton;

namespace acorn::staff {

// The roster as a list model: one row per child with name, class and observation count.
// Roles are for the delegate and the filter; it computes nothing.
class RosterModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role {
        RefRole = Qt::UserRole + 1,
        ClassRole,
        CountRole,
        UnderObservedRole,
        InitialsRole,
        PickedRole,
    };

    using QAbstractListModel::QAbstractListModel;
    void setChildren(QList<client::ChildSummary> children);
    const QList<client::ChildSummary> &children() const { return m_children; }
    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;

    void setPicked(const QString &ref, bool picked);
    void clearPicked();
    QStringList picked() const;

private:
    QList<client::ChildSummary> m_children;
    QSet<QString> m_picked;
};

// Filters the roster by class and by a name search, and sorts by name or by fewest
// observations first.
class RosterFilter : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setClassName(const QString &className);
    void setSearch(const QString &text);
    void setFewestFirst(bool fewestFirst);

protected:
    bool filterAcceptsRow(int row, const QModelIndex &parent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    QString m_class;
    QString m_search;
    bool m_fewestFirst = false;
};

// Paints one child as a tile: initials, name, class, "N this half term", and a "Needs
// observing" badge for under-observed children. Colours come from the palette.
class RosterDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit RosterDelegate(QObject *parent = nullptr);
    void paint(QPainter *painter, const QStyleOptionViewItem &option,
        const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    void setTileSize(QSize size) { m_tile = size; }

private:
    QSize m_tile { 220, 96 };
};

// The staff roster: the children of the user's classes (a lead: all classes) with how many
// observations each has this half term, so that children with few stand out. Filter by
// class, search by name, sort by fewest observations. Tapping a child opens their
// journal; in "Choose children" mode taps pick several children for a group observation.
class RosterPage : public QWidget
{
    Q_OBJECT
public:
    explicit RosterPage(QWidget *parent = nullptr);

    void setRoster(
        const QList<client::ChildSummary> &children, const client::CountingPeriod &period);
    // Visible rows after filtering, in order (refs).
    QStringList visibleRefs() const;
    QStringList pickedRefs() const { return m_model->picked(); }
    void setChoosing(bool choosing);
    bool isChoosing() const { return m_choosing; }
    void activateRef(const QString &ref); // as a tap on that child

    QComboBox *classFilter() const { return m_class; }
    QLineEdit *searchField() const { return m_search; }
    QListView *view() const { return m_view; }
    RosterModel *model() const { return m_model; }
    void focusSearch();

signals:
    void childActivated(const QString &ref);
    void observeRequested(const QStringList &refs);

protected:
    void resizeEvent(QResizeEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void updateChooseBar();
    void layoutTiles();
    void onActivated(const QModelIndex &proxyIndex);

    RosterModel *m_model;
    RosterFilter *m_filter;
    RosterDelegate *m_delegate;
    QListView *m_view;
    QComboBox *m_class;
    QLineEdit *m_search;
    QComboBox *m_sort;
    QLabel *m_period;
    QLabel *m_empty;
    QPushButton *m_choose;
    QPushButton *m_observePicked;
    bool m_choosing = false;
    QSize m_tile;
};

} // namespace acorn::staff
