#pragma once

#include "acorn.pb.h"
#include "journalmodel.h"

#include <QHash>
#include <QWidget>

class QComboBox;
class QDateEdit;
class QLabel;
class QLineEdit;
class QPushButton;
class QScrollArea;
class QTableWidget;
class QGroupBox;
class QTimer;
class QVBoxLayout;

namespace acorn::viewer {

class ObservationCard;
class ViewerSession;

// One child's journal: a header with the child's name and the class's next update, a
// filter bar (search, area of learning, when) and the observations newest first under
// half-term headings. The cards come from JournalModel; filtering shows and hides them.
// Above them, when the school shares judgements with parents and they are released, how the
// child is getting on (ProgressSummary).
class JournalPage : public QWidget
{
    Q_OBJECT
public:
    JournalPage(ViewerSession &session, QWidget *parent = nullptr);

    void showChild(const wire::Child &child);
    // Reloads from the cache (after a sync), keeping the filters.
    void reload();
    // Only the title and the class's next-update line (a sync that changed no observation).
    void refreshHeader();
    QString childRef() const { return QString::fromStdString(m_child.ref()); }
    const wire::Child &child() const { return m_child; }

    JournalModel *model() const { return m_model; }
    QLineEdit *searchField() const { return m_search; }
    QComboBox *areaFilter() const { return m_area; }
    QComboBox *whenFilter() const { return m_when; }
    void setDateRange(const QDate &from, const QDate &to);
    // Cards of the observations that pass the filters, in order.
    QList<ObservationCard *> visibleCards() const;
    ObservationCard *card(const QString &observationId) const
    {
        return m_cards.value(observationId);
    }
    QString summaryText() const;
    // The child's judgements, when the school shares them and they are released (hidden
    // otherwise): a row per area or goal, a column per half term, in plain words.
    QGroupBox *progressBox() const { return m_progressBox; }
    QTableWidget *progressTable() const { return m_progress; }
    QString noticeText() const;

    void focusSearch();

signals:
    void backRequested();
    void exportRequested(const wire::Child &child);
    void openPhoto(const wire::Observation &observation, const QString &mediaId);
    void openVideo(const wire::Observation &observation, const wire::Media &media);

private:
    void rebuild(const QList<wire::Observation> &journal);
    void applyFilter();
    void fillFilters();
    void onWhenChanged();
    void showProgress();

    ViewerSession &m_session;
    wire::Child m_child;
    JournalModel *m_model = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_notice = nullptr;
    QLineEdit *m_search = nullptr;
    QTimer *m_searchDelay = nullptr;
    QComboBox *m_area = nullptr;
    QComboBox *m_when = nullptr;
    QDateEdit *m_from = nullptr;
    QDateEdit *m_to = nullptr;
    QPushButton *m_clear = nullptr;
    QPushButton *m_export = nullptr;
    QLabel *m_summary = nullptr;
    QGroupBox *m_progressBox = nullptr;
    QTableWidget *m_progress = nullptr;
    QScrollArea *m_scroll = nullptr;
    QWidget *m_feed = nullptr;
    QVBoxLayout *m_feedLayout = nullptr;
    QLabel *m_empty = nullptr;
    QHash<QString, ObservationCard *> m_cards; // by observation id
    QHash<QString, QLabel *> m_headings; // by period key
    QHash<QString, QString> m_periodOfCard; // observation id -> period key
};

} // namespace acorn::viewer
