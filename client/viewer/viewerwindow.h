#pragma once

#include "acorn.pb.h"

#include <QMainWindow>
#include <QPointer>

class QAction;
class QLabel;
class QProgressBar;
class QStackedWidget;

namespace acorn::viewer {

class HomePage;
class JournalPage;
class KeepsakeJob;
class PhotoViewer;
class VideoPlayer;
class ViewerSession;

// The parent viewer's main window: home (the family's children) and a child's journal,
// a status bar with a progress bar while the journal is brought up to date, and the
// actions: Update now (F5), Find (Ctrl+F), Keep a copy, About, Sign out.
//
// Read-only: it has no action that changes a journal and no way to save a single photo.
class ViewerWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit ViewerWindow(ViewerSession &session, QWidget *parent = nullptr);
    ~ViewerWindow() override;

    // Shows what the cache holds at once, then syncs.
    void start();

    HomePage *homePage() const { return m_home; }
    JournalPage *journalPage() const { return m_journal; }
    QProgressBar *syncProgress() const { return m_progress; }
    QString statusText() const;
    // What the parent was told about a damaged local store found at start (empty if none).
    QString recoveryNotice() const;
    bool isShowingJournal() const;

    void showHome();
    void showJournal(const wire::Child &child);
    void syncNow();
    // Asks for a folder, then exports (exportKeepsakeTo without the dialog).
    void exportKeepsake(const wire::Child &child);
    KeepsakeJob *exportKeepsakeTo(const wire::Child &child, const QString &folder);
    void showAbout();

    PhotoViewer *openPhoto(const wire::Observation &observation, const QString &mediaId);
    VideoPlayer *openVideo(const wire::Observation &observation, const wire::Media &media);
    PhotoViewer *photoViewer() const;
    VideoPlayer *videoPlayer() const;

signals:
    void signOutRequested();
    void signInNeeded(const QString &message);

private:
    void onSyncFinished(bool ok, const QString &message);
    void reloadAll(bool observationsChanged = true);
    void setStatus(const QString &text);

    ViewerSession &m_session;
    QStackedWidget *m_stack = nullptr;
    HomePage *m_home = nullptr;
    JournalPage *m_journal = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_online = nullptr;
    QLabel *m_recoveryNotice = nullptr;
    QProgressBar *m_progress = nullptr;
    QAction *m_syncAction = nullptr;
    QAction *m_exportAction = nullptr;
    QPointer<PhotoViewer> m_photo;
    QPointer<VideoPlayer> m_video;
};

} // namespace acorn::viewer
