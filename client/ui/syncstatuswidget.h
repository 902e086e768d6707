#pragma once

#include <QPointer>
#include <QTimer>
#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;

namespace acorn::client {
class SyncScheduler;
}

namespace acorn::ui {

// The sync status area of the apps: online or offline, how many observations are waiting
// to be sent (and how many need the user: refused or in conflict), a progress bar with
// bytes while media uploads, when the device last synced, and why the last attempt failed
// with when it will try again. "Sync now" runs a sync at once.
//
// It only shows what SyncScheduler says; it decides nothing.
class SyncStatusWidget : public QWidget
{
    Q_OBJECT
public:
    explicit SyncStatusWidget(client::SyncScheduler *scheduler, QWidget *parent = nullptr);

    QString stateText() const;
    QString waitingText() const;
    QString errorText() const;
    QString progressText() const;
    bool isProgressVisible() const;
    QPushButton *syncNowButton() const { return m_syncNow; }

signals:
    // The user tapped the waiting count (to see the outbox).
    void waitingClicked();

private:
    void refresh();

    QPointer<client::SyncScheduler> m_scheduler;
    QLabel *m_icon;
    QLabel *m_state;
    QPushButton *m_waiting;
    QLabel *m_last;
    QProgressBar *m_progress;
    QLabel *m_error;
    QPushButton *m_syncNow;
    QTimer m_clock;
};

} // namespace acorn::ui
