#include "viewerwindow.h"

#include "consentreminder.h"
#include "homepage.h"
#include "journalpage.h"
#include "keepsakejob.h"
#include "photoviewer.h"
#include "videoplayer.h"
#include "viewersession.h"

#include <QAction>
#include <QApplication>
#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QProgressDialog>
#include <QPushButton>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QToolBar>
#include <QUrl>
#include <QVBoxLayout>

namespace acorn::viewer {

ViewerWindow::ViewerWindow(ViewerSession &session, QWidget *parent)
    : QMainWindow(parent)
    , m_session(session)
{
    setWindowTitle(tr("Acorn learning journal"));
    setContextMenuPolicy(
        Qt::NoContextMenu); // no "hide toolbar" menu either: nothing to right-click for

    m_stack = new QStackedWidget(this);
    m_home = new HomePage(session, m_stack);
    m_journal = new JournalPage(session, m_stack);
    m_stack->addWidget(m_home);
    m_stack->addWidget(m_journal);
    // A damaged local store was set aside at start (ClientStore::open): the parent is told
    // what happened and that the journals come down again. Nothing is lost for a parent: the
    // viewer holds no unsent work.
    m_recoveryNotice = new QLabel(this);
    m_recoveryNotice->setObjectName(QStringLiteral("recoveryNotice"));
    m_recoveryNotice->setTextFormat(Qt::PlainText);
    m_recoveryNotice->setWordWrap(true);
    m_recoveryNotice->setFrameShape(QFrame::StyledPanel);
    m_recoveryNotice->setMargin(8);
    if (const auto &recovery = session.store().recovery()) {
        m_recoveryNotice->setText(
            tr("The journal data on this computer was damaged (%1), so Acorn set it aside and "
               "started afresh: the journals are being downloaded again from the school. "
               "Nothing on the school's server was affected. The damaged file is kept as %2 "
               "for the school's IT manager.")
                .arg(recovery->problem, recovery->damagedCopy));
    } else {
        m_recoveryNotice->hide();
    }
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_recoveryNotice);
    layout->addWidget(m_stack, 1);
    setCentralWidget(central);

    connect(m_home, &HomePage::openJournal, this, &ViewerWindow::showJournal);
    connect(m_journal, &JournalPage::backRequested, this, &ViewerWindow::showHome);
    connect(m_journal, &JournalPage::exportRequested, this, &ViewerWindow::exportKeepsake);
    connect(m_journal, &JournalPage::openPhoto, this, &ViewerWindow::openPhoto);
    connect(m_journal, &JournalPage::openVideo, this, &ViewerWindow::openVideo);

    // ---- actions
    auto *home = new QAction(style()->standardIcon(QStyle::SP_DirHomeIcon), tr("&Home"), this);
    home->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Home));
    home->setToolTip(tr("All children (Alt+Home)"));
    connect(home, &QAction::triggered, this, &ViewerWindow::showHome);

    m_syncAction
        = new QAction(style()->standardIcon(QStyle::SP_BrowserReload), tr("&Update now"), this);
    m_syncAction->setShortcut(QKeySequence(Qt::Key_F5));
    m_syncAction->setToolTip(tr("Bring the journals up to date (F5)"));
    connect(m_syncAction, &QAction::triggered, this, &ViewerWindow::syncNow);

    auto *find = new QAction(tr("&Find in journal"), this);
    find->setShortcut(QKeySequence::Find);
    connect(find, &QAction::triggered, this, [this] {
        if (!isShowingJournal()) {
            const auto cards = m_home->cards();
            if (cards.size() != 1)
                return; // which journal? the parent picks one first
            showJournal(m_session.children().constFirst());
        }
        m_journal->focusSearch();
    });

    m_exportAction = new QAction(
        style()->standardIcon(QStyle::SP_DialogSaveButton), tr("&Keep a copy…"), this);
    m_exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_exportAction->setToolTip(tr("Keep a copy of this journal on this computer (Ctrl+E)"));
    m_exportAction->setEnabled(false);
    connect(
        m_exportAction, &QAction::triggered, this, [this] { exportKeepsake(m_journal->child()); });

    auto *about = new QAction(tr("&About and privacy"), this);
    about->setShortcut(QKeySequence::HelpContents);
    connect(about, &QAction::triggered, this, &ViewerWindow::showAbout);

    auto *signOut = new QAction(tr("Sign &out"), this);
    connect(signOut, &QAction::triggered, this, &ViewerWindow::signOutRequested);
    auto *quit = new QAction(tr("&Quit"), this);
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    QMenu *journal = menuBar()->addMenu(tr("&Journal"));
    journal->addAction(home);
    journal->addAction(m_syncAction);
    journal->addAction(find);
    journal->addAction(m_exportAction);
    journal->addSeparator();
    journal->addAction(signOut);
    journal->addAction(quit);
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(about);

    QToolBar *bar = addToolBar(tr("Journal"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addAction(home);
    bar->addAction(m_syncAction);

    // ---- status bar: what is happening, progress while syncing, online or not
    m_status = new QLabel(this);
    m_status->setTextFormat(Qt::PlainText);
    m_progress = new QProgressBar(this);
    m_progress->setAccessibleName(tr("Progress of bringing the journals up to date"));
    m_progress->setMaximumWidth(220);
    m_progress->setTextVisible(false);
    m_progress->hide();
    m_online = new QLabel(this);
    statusBar()->addWidget(m_status, 1);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_online);

    connect(&session, &ViewerSession::syncStarted, this, [this] {
        m_syncAction->setEnabled(false);
        m_progress->setRange(0, 0);
        m_progress->show();
        setStatus(tr("Bringing the journals up to date…"));
    });
    connect(&session, &ViewerSession::syncProgress, this,
        [this](const QString &text, qint64 done, qint64 total) {
            setStatus(text);
            if (total > 0) {
                m_progress->setRange(0, 1000);
                m_progress->setValue(
                    static_cast<int>(std::min<qint64>(done, total) * 1000 / total));
            } else {
                m_progress->setRange(0, 0);
            }
        });
    connect(&session, &ViewerSession::syncFinished, this, &ViewerWindow::onSyncFinished);
    connect(&session, &ViewerSession::journalChanged, this, &ViewerWindow::reloadAll);
    connect(&session, &ViewerSession::signInNeeded, this, &ViewerWindow::signInNeeded);

    resize(1100, 780);
}

ViewerWindow::~ViewerWindow()
{
    delete m_photo.data();
    delete m_video.data();
}

PhotoViewer *ViewerWindow::photoViewer() const
{
    return m_photo;
}

VideoPlayer *ViewerWindow::videoPlayer() const
{
    return m_video;
}

void ViewerWindow::start()
{
    reloadAll();
    showHome();
    syncNow();
}

bool ViewerWindow::isShowingJournal() const
{
    return m_stack->currentWidget() == m_journal;
}

QString ViewerWindow::recoveryNotice() const
{
    return m_recoveryNotice->isHidden() ? QString() : m_recoveryNotice->text();
}

QString ViewerWindow::statusText() const
{
    return m_status->text();
}

void ViewerWindow::setStatus(const QString &text)
{
    m_status->setText(text);
}

void ViewerWindow::showHome()
{
    m_stack->setCurrentWidget(m_home);
    m_exportAction->setEnabled(false);
    if (!m_home->cards().isEmpty())
        m_home->cards().constFirst()->openButton()->setFocus();
}

void ViewerWindow::showJournal(const wire::Child &child)
{
    m_journal->showChild(child);
    m_stack->setCurrentWidget(m_journal);
    m_exportAction->setEnabled(true);
    m_journal->searchField()->setFocus();
}

void ViewerWindow::syncNow()
{
    m_session.syncNow();
}

void ViewerWindow::reloadAll(bool observationsChanged)
{
    const bool homeHadFocus = m_home->isAncestorOf(QApplication::focusWidget());
    m_home->reload();
    if (homeHadFocus && !m_home->cards().isEmpty())
        m_home->cards().constFirst()->openButton()->setFocus();
    if (!m_journal->childRef().isEmpty()) {
        // The child may have left the roster (moved school): go home then.
        bool still = false;
        for (const wire::Child &c : m_session.children()) {
            if (c.ref() == m_journal->child().ref()) {
                still = true;
                if (observationsChanged)
                    m_journal->showChild(c);
                else
                    m_journal->refreshHeader();
            }
        }
        if (!still && isShowingJournal())
            showHome();
    }
}

void ViewerWindow::onSyncFinished(bool ok, const QString &message)
{
    m_syncAction->setEnabled(true);
    m_progress->hide();
    if (ok) {
        setStatus(tr("Up to date."));
        m_online->setText(tr("Online"));
    } else {
        setStatus(message);
        m_online->setText(tr("Offline: showing the journals saved on this computer"));
    }
    m_online->setAccessibleName(m_online->text());
}

PhotoViewer *ViewerWindow::openPhoto(const wire::Observation &observation, const QString &mediaId)
{
    delete m_photo.data();
    m_photo = new PhotoViewer(m_session, observation, mediaId, this);
    m_photo->setAttribute(Qt::WA_DeleteOnClose);
    m_photo->open();
    return m_photo;
}

VideoPlayer *ViewerWindow::openVideo(const wire::Observation &observation, const wire::Media &media)
{
    delete m_video.data();
    m_video = new VideoPlayer(m_session, observation, media, this);
    m_video->setAttribute(Qt::WA_DeleteOnClose);
    m_video->open();
    return m_video;
}

void ViewerWindow::exportKeepsake(const wire::Child &child)
{
    const QString base
        = QFileDialog::getExistingDirectory(this, tr("Choose where to keep the copy"),
            QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation));
    if (base.isEmpty())
        return;
    const QString folder
        = QDir(base).absoluteFilePath(KeepsakeExporter::suggestedFolderName(child));
    KeepsakeJob *job = exportKeepsakeTo(child, folder);
    auto *dialog = new QProgressDialog(tr("Keeping a copy of the journal…"), QString(), 0, 0, this);
    dialog->setWindowTitle(tr("Keep a copy"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setMinimumDuration(300);
    connect(
        job, &KeepsakeJob::progress, dialog, [dialog](const QString &text, int done, int total) {
            dialog->setLabelText(text);
            dialog->setMaximum(total);
            dialog->setValue(done);
        });
    connect(job, &KeepsakeJob::finished, dialog, &QProgressDialog::close);
    connect(job, &KeepsakeJob::finished, this, [this](KeepsakeJob *j) {
        if (j->failed()) {
            QMessageBox::warning(this, tr("Keep a copy"),
                tr("The copy could not be made. %1").arg(j->errorString()));
            return;
        }
        const KeepsakeReport &r = j->report();
        QString text = tr("The copy is in %1.").arg(r.folder) + QLatin1Char('\n')
            + tr("Observations: %1, photos: %2, videos: %3.")
                  .arg(r.observations)
                  .arg(r.photos)
                  .arg(r.videos);
        if (r.missing > 0)
            text += QLatin1Char('\n')
                + tr("Photos or videos that could not be downloaded now: %1. Make the copy again "
                     "when this "
                     "computer is online.")
                      .arg(r.missing);
        QMessageBox box(QMessageBox::Information, tr("Keep a copy"), text, QMessageBox::Ok, this);
        QPushButton *open = box.addButton(tr("&Open the folder"), QMessageBox::ActionRole);
        box.exec();
        if (box.clickedButton() == open)
            QDesktopServices::openUrl(QUrl::fromLocalFile(r.indexPath));
    });
}

KeepsakeJob *ViewerWindow::exportKeepsakeTo(const wire::Child &child, const QString &folder)
{
    auto *job = new KeepsakeJob(m_session, child, folder, this);
    connect(job, &KeepsakeJob::finished, job, &QObject::deleteLater);
    job->start();
    return job;
}

void ViewerWindow::showAbout()
{
    const QString school = m_session.schoolName();
    const QString contact = m_session.schoolContact();
    QString text = tr("<h3>Acorn learning journal %1</h3><p>Signed in as %2%3.</p>")
                       .arg(QCoreApplication::applicationVersion().toHtmlEscaped(),
                           m_session.familyName().toHtmlEscaped(),
                           school.isEmpty() ? QString() : tr(" at %1").arg(school.toHtmlEscaped()));
    text += QStringLiteral("<h4>%1</h4>").arg(ConsentReminder::title().toHtmlEscaped())
        + ConsentReminder::text(school);
    if (!contact.isEmpty())
        text += tr("<p>Questions about the journal: %1.</p>").arg(contact.toHtmlEscaped());
    text += tr("<p>Acorn is free software.</p>");
    QMessageBox box(this);
    box.setWindowTitle(tr("About Acorn"));
    box.setTextFormat(Qt::RichText);
    box.setText(text);
    box.setObjectName(QStringLiteral("aboutBox"));
    box.exec();
}

} // namespace acorn::viewer
