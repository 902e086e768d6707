#pragma once

#include "clientstore.h"
#include "medialoader.h"
#include "observationqueue.h"
#include "profile.h"
#include "syncscheduler.h"

#include <QMainWindow>
#include <QPointer>

#include <memory>

class QAction;
class QLabel;
class QStackedWidget;

namespace acorn::ui {
class SyncStatusWidget;
class TwoFactorSetupDialog;
}

namespace acorn::staff {

class CapturePage;
class JournalPage;
class MediaPage;
class ObservationEditor;
class ObservationPage;
class OutboxPage;
class RosterPage;
class TrackingPage;

// The staff app's main window for one signed-in profile: roster, capture, editor, a
// child's journal, one observation, the outbox and the media viewer, with a Back button,
// keyboard shortcuts and the sync status at the bottom.
//
// It wires screens to the core: saves go through ObservationQueue (durable before "saved"
// is shown), syncs through SyncScheduler (automatic, with back-off, and "Sync now"), media
// through MediaLoader. It holds no rule of its own: consent and conflicts are decided in
// the core and by the server, and shown here.
class StaffWindow : public QMainWindow
{
    Q_OBJECT
public:
    StaffWindow(client::Profile profile, std::unique_ptr<client::ClientStore> store,
        QByteArray token, QWidget *parent = nullptr);
    ~StaffWindow() override;

    const client::Profile &profile() const { return m_profile; }
    client::ClientStore &store() const { return *m_store; }
    client::ObservationQueue &queue() { return m_queue; }
    client::SyncScheduler *scheduler() const { return m_scheduler; }
    client::MediaLoader *mediaLoader() const { return m_loader; }

    RosterPage *rosterPage() const { return m_roster; }
    CapturePage *capturePage() const { return m_capture; }
    ObservationEditor *editor() const { return m_editor; }
    JournalPage *journalPage() const { return m_journal; }
    ObservationPage *observationPage() const { return m_observation; }
    OutboxPage *outboxPage() const { return m_outbox; }
    MediaPage *mediaPage() const { return m_media; }
    TrackingPage *trackingPage() const { return m_tracking; }
    ui::SyncStatusWidget *syncStatus() const { return m_status; }
    QWidget *currentPage() const;

    // Navigation (what taps and shortcuts do).
    void showRoster();
    void newObservation(const QStringList &childRefs);
    // A child's journal opened from the roster: the view is recorded for the audit log.
    void openJournal(const QString &childRef);
    void showJournal(const QString &childRef);
    void showObservation(const QString &id);
    void amendObservation(const QString &id);
    void showOutbox();
    // The tracking grid of the classes this device holds.
    void showTracking();
    // Queues a judgement in the device's assessment outbox (the tracking page's Record).
    Status recordJudgement(const QString &childRef, const QString &itemKey,
        const QString &halfTermLastDay, const QString &judgement, quint64 baseRevision);
    void showMedia(const wire::Media &media);
    void goBack();

    // Saves what the editor holds (as the Publish / Save as draft buttons do).
    bool saveEditor(wire::ObservationState state);
    // Conflict and refusal decisions (the dialogs call these).
    Status keepMine(const QString &id);
    Status takeTheirs(const QString &id);
    Status deleteObservation(const QString &id);

    // "Two-step sign-in…": sets up an authenticator app for this account (a QR code).
    ui::TwoFactorSetupDialog *openTwoFactorSetup();

    // Shown under the toolbar while no keychain keeps the session (sign in each time).
    void setKeychainNotice(const QString &text);
    // A new session after the old one ended.
    void setToken(const QByteArray &token);
    // Re-reads everything shown from the store.
    void refresh();

signals:
    void signInNeeded(const QString &message);
    void signOutRequested();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void showPage(QWidget *page, bool remember = true);
    void confirmDelete(const QString &id);
    void confirmDiscard(const QString &id);
    void resolveConflict(const QString &id);
    void openSettings();
    void updateChrome();
    QString childName(const QString &ref) const;

    client::Profile m_profile;
    std::unique_ptr<client::ClientStore> m_store;
    client::ObservationQueue m_queue;
    client::SyncScheduler *m_scheduler;
    client::MediaLoader *m_loader;

    QStackedWidget *m_pages;
    RosterPage *m_roster;
    CapturePage *m_capture;
    ObservationEditor *m_editor;
    JournalPage *m_journal;
    ObservationPage *m_observation;
    OutboxPage *m_outbox;
    TrackingPage *m_tracking;
    MediaPage *m_media;
    ui::SyncStatusWidget *m_status;
    QLabel *m_keychainNotice;
    QLabel *m_title;
    QAction *m_back;
    QWidget *m_backButton;
    QAction *m_new;
    QAction *m_waiting;

    QList<QWidget *> m_history;
    QStringList m_captureFor; // children chosen before capture
    bool m_captureAddsToEditor = false;
    bool m_refreshed = false; // after the first sync
    QPointer<QWidget> m_afterSave; // where to return after saving
};

} // namespace acorn::staff
