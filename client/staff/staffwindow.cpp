#include "staffwindow.h"

#include "capturepage.h"
#include "conflictdialog.h"
#include "fingerprintwarning.h"
#include "journalpage.h"
#include "logging.h"
#include "mediapage.h"
#include "observationeditor.h"
#include "observationpage.h"
#include "outboxpage.h"
#include "rosterpage.h"
#include "rostersummary.h"
#include "staffsettings.h"
#include "syncstatuswidget.h"
#include "touch.h"
#include "trackingpage.h"
#include "twofactorsetupdialog.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QTimeZone>
#include <QToolButton>
#include <QUuid>
#include <QVBoxLayout>

namespace acorn::staff {

StaffWindow::StaffWindow(client::Profile profile, std::unique_ptr<client::ClientStore> store,
    QByteArray token, QWidget *parent)
    : QMainWindow(parent)
    , m_profile(std::move(profile))
    , m_store(std::move(store))
    , m_queue(*m_store, m_profile.outboxDirectory())
    , m_pages(new QStackedWidget(this))
{
    setObjectName(QStringLiteral("staffWindow"));
    client::SyncOptions signIn;
    signIn.host = m_profile.host;
    signIn.port = m_profile.port;
    signIn.pin = m_profile.fingerprint;
    signIn.username = m_profile.username;
    signIn.token = std::move(token);
    signIn.kind = wire::CLIENT_KIND_STAFF;
    m_scheduler = new client::SyncScheduler(*m_store, signIn, this);
    m_loader = new client::MediaLoader(*m_store, m_profile.mediaDirectory(), this);
    m_loader->setSignIn(m_scheduler->signInOptions());

    m_roster = new RosterPage(this);
    m_capture = new CapturePage(
        m_queue.pipeline(), m_profile.directory() + QStringLiteral("/capture"), this);
    m_editor = new ObservationEditor(this);
    m_editor->setMediaLoader(m_loader);
    m_journal = new JournalPage(this);
    m_observation = new ObservationPage(this);
    m_outbox = new OutboxPage(this);
    m_media = new MediaPage(this);
    m_tracking = new TrackingPage(this);
    for (QWidget *p : std::initializer_list<QWidget *> { m_roster, m_capture, m_editor, m_journal,
             m_observation, m_outbox, m_media, m_tracking })
        m_pages->addWidget(p);

    // Header: Back, where we are, New observation, Waiting, menu. Plain buttons in a row
    // rather than a QToolBar, which hides what does not fit behind an overflow arrow.
    auto *header = new QWidget(this);
    header->setObjectName(QStringLiteral("headerBar"));
    header->setAutoFillBackground(true);
    header->setBackgroundRole(QPalette::Button);
    auto *headerLayout = new QHBoxLayout(header);
    headerLayout->setContentsMargins(4, 2, 4, 2);
    const int icon = ui::millimetres(this, 5);
    auto button = [&](QAction *action, const QString &name) {
        action->setObjectName(name);
        addAction(action);
        auto *b = new QToolButton(header);
        b->setObjectName(name + QStringLiteral("Button"));
        b->setDefaultAction(action);
        b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        b->setIconSize(QSize(icon, icon));
        b->setAutoRaise(true);
        b->setMinimumSize(ui::touchTarget(this), ui::touchTarget(this));
        return b;
    };
    m_back = new QAction(style()->standardIcon(QStyle::SP_ArrowBack), tr("Back"), this);
    m_back->setShortcuts({ QKeySequence::Back, QKeySequence(Qt::Key_Back) });
    m_back->setToolTip(tr("Back (Alt+Left)"));
    connect(m_back, &QAction::triggered, this, &StaffWindow::goBack);
    m_backButton = button(m_back, QStringLiteral("back"));
    headerLayout->addWidget(m_backButton);
    m_title = new QLabel(header);
    m_title->setObjectName(QStringLiteral("pageTitle"));
    QFont tf = m_title->font();
    tf.setBold(true);
    tf.setPointSizeF(tf.pointSizeF() * 1.15);
    m_title->setFont(tf);
    headerLayout->addWidget(m_title, 1);
    m_new = new QAction(
        style()->standardIcon(QStyle::SP_FileDialogNewFolder), tr("New observation"), this);
    m_new->setShortcut(QKeySequence::New);
    m_new->setToolTip(tr("New observation (Ctrl+N)"));
    connect(m_new, &QAction::triggered, this, [this] { newObservation(m_roster->pickedRefs()); });
    headerLayout->addWidget(button(m_new, QStringLiteral("newObservation")));
    m_waiting = new QAction(style()->standardIcon(QStyle::SP_ArrowUp), tr("Waiting"), this);
    m_waiting->setShortcut(Qt::CTRL | Qt::Key_U);
    connect(m_waiting, &QAction::triggered, this, &StaffWindow::showOutbox);
    headerLayout->addWidget(button(m_waiting, QStringLiteral("showOutbox")));
    auto *menu = new QMenu(this);
    QAction *roster = menu->addAction(tr("&Children"), this, &StaffWindow::showRoster);
    roster->setShortcut(Qt::CTRL | Qt::Key_Home);
    QAction *find = menu->addAction(tr("&Find a child"), this, [this] {
        showRoster();
        m_roster->focusSearch();
    });
    find->setShortcut(QKeySequence::Find);
    menu->addAction(tr("&Tracking"), this, &StaffWindow::showTracking)
        ->setShortcut(Qt::CTRL | Qt::Key_T);
    menu->addAction(tr("Sync &now"), m_scheduler, &client::SyncScheduler::syncNow);
    menu->addAction(tr("&Settings…"), this, &StaffWindow::openSettings);
    menu->addAction(tr("T&wo-step sign-in…"), this, &StaffWindow::openTwoFactorSetup)
        ->setObjectName(QStringLiteral("twoFactorAction"));
    menu->addSeparator();
    menu->addAction(tr("Sign &out"), this, &StaffWindow::signOutRequested);
    menu->addAction(tr("&Quit"), this, &QWidget::close)->setShortcut(QKeySequence::Quit);
    addActions(menu->actions()); // shortcuts work without opening the menu
    auto *menuButton = new QToolButton(header);
    menuButton->setObjectName(QStringLiteral("menuButton"));
    menuButton->setText(tr("Menu"));
    menuButton->setAccessibleName(tr("Menu"));
    menuButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    menuButton->setAutoRaise(true);
    menuButton->setPopupMode(QToolButton::InstantPopup);
    menuButton->setMenu(menu);
    menuButton->setMinimumSize(ui::touchTarget(this), ui::touchTarget(this));
    headerLayout->addWidget(menuButton);

    m_keychainNotice = new QLabel(this);
    m_keychainNotice->setObjectName(QStringLiteral("keychainNotice"));
    m_keychainNotice->setWordWrap(true);
    m_keychainNotice->setMargin(8);
    m_keychainNotice->setAutoFillBackground(true);
    m_keychainNotice->setBackgroundRole(QPalette::ToolTipBase);
    m_keychainNotice->setForegroundRole(QPalette::ToolTipText);
    m_keychainNotice->setFrameShape(QFrame::StyledPanel);
    m_keychainNotice->setAccessibleName(tr("Sign-in notice"));
    m_keychainNotice->hide();
    m_status = new ui::SyncStatusWidget(m_scheduler, this);

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(header);
    layout->addWidget(m_keychainNotice);
    layout->addWidget(m_pages, 1);
    layout->addWidget(m_status);
    setCentralWidget(central);
    statusBar()->setSizeGripEnabled(false);

    // Screens.
    connect(m_roster, &RosterPage::childActivated, this, &StaffWindow::openJournal);
    connect(m_roster, &RosterPage::observeRequested, this, &StaffWindow::newObservation);
    connect(m_capture, &CapturePage::continueRequested, this, [this] {
        const QList<client::PreparedMedia> media = m_capture->takeMedia();
        m_capture->deactivate();
        if (m_captureAddsToEditor) {
            m_editor->addMedia(media);
            m_history.removeLast(); // the capture screen: back goes where the editor came from
            showPage(m_editor, false);
        } else {
            m_editor->setRoster(m_store->roster());
            m_editor->startNew(m_captureFor, media);
            showPage(m_editor);
        }
        m_captureAddsToEditor = false;
    });
    connect(m_capture, &CapturePage::cancelRequested, this, [this] {
        m_capture->discardMedia();
        goBack();
    });
    connect(m_editor, &ObservationEditor::saveRequested, this, &StaffWindow::saveEditor);
    connect(m_editor, &ObservationEditor::cancelRequested, this, [this] {
        m_editor->startNew({}, {}); // discards media prepared for it
        goBack();
    });
    connect(m_editor, &ObservationEditor::addMediaRequested, this, [this] {
        m_captureAddsToEditor = true;
        m_capture->activate();
        showPage(m_capture);
    });
    connect(m_editor, &ObservationEditor::mediaOpened, this, &StaffWindow::showMedia);
    connect(m_journal, &JournalPage::observationActivated, this, &StaffWindow::showObservation);
    connect(m_journal, &JournalPage::newObservationRequested, this,
        [this](const QString &ref) { newObservation({ ref }); });
    connect(m_journal, &JournalPage::mediaOpened, this, &StaffWindow::showMedia);
    connect(m_observation, &ObservationPage::amendRequested, this, &StaffWindow::amendObservation);
    connect(m_observation, &ObservationPage::deleteRequested, this, &StaffWindow::confirmDelete);
    connect(m_observation, &ObservationPage::resolveRequested, this, &StaffWindow::resolveConflict);
    connect(m_observation, &ObservationPage::mediaOpened, this, &StaffWindow::showMedia);
    connect(m_outbox, &OutboxPage::observationActivated, this, &StaffWindow::showObservation);
    connect(m_tracking, &TrackingPage::observationActivated, this, &StaffWindow::showObservation);
    connect(m_tracking, &TrackingPage::judgementRecorded, this, &StaffWindow::recordJudgement);
    connect(m_outbox, &OutboxPage::amendRequested, this, &StaffWindow::amendObservation);
    connect(m_outbox, &OutboxPage::discardRequested, this, &StaffWindow::confirmDiscard);
    connect(m_outbox, &OutboxPage::resolveRequested, this, &StaffWindow::resolveConflict);
    connect(m_status, &ui::SyncStatusWidget::waitingClicked, this, &StaffWindow::showOutbox);

    // Sync.
    connect(m_scheduler, &client::SyncScheduler::synced, this, [this](const client::SyncReport &r) {
        m_loader->setSignIn(m_scheduler->signInOptions());
        // A quiet periodic sync changes nothing on screen: do not disturb the reader.
        if (r.received || r.removed || r.accepted || r.refused || r.conflicts || r.mediaCompleted
            || !m_refreshed)
            refresh();
        else
            updateChrome();
        m_refreshed = true;
    });
    connect(m_scheduler, &client::SyncScheduler::stateChanged, this, &StaffWindow::updateChrome);
    connect(m_scheduler, &client::SyncScheduler::signInNeeded, this, &StaffWindow::signInNeeded);
    connect(m_scheduler, &client::SyncScheduler::fingerprintChanged, this,
        [this](const QString &pinned, const QString &presented) {
            auto *dialog = new ui::FingerprintChangedDialog(pinned, presented, this);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            dialog->open();
        });

    resize(ui::millimetres(this, 260), ui::millimetres(this, 170));
    refresh();
    showPage(m_roster, false);
    m_scheduler->start();
}

StaffWindow::~StaffWindow()
{
    m_capture->deactivate();
    m_media->leave();
}

QWidget *StaffWindow::currentPage() const
{
    return m_pages->currentWidget();
}

QString StaffWindow::childName(const QString &ref) const
{
    for (const wire::Child &c : m_store->roster()) {
        if (QString::fromStdString(c.ref()) == ref)
            return QString::fromStdString(c.first_name());
    }
    return ref;
}

void StaffWindow::showPage(QWidget *page, bool remember)
{
    QWidget *current = m_pages->currentWidget();
    if (current == page) {
        updateChrome();
        return;
    }
    if (current == m_media)
        m_media->leave();
    if (current == m_capture && page != m_capture)
        m_capture->deactivate();
    if (remember && current)
        m_history.append(current);
    m_pages->setCurrentWidget(page);
    updateChrome();
}

void StaffWindow::updateChrome()
{
    QWidget *page = m_pages->currentWidget();
    m_back->setEnabled(page != m_roster);
    m_backButton->setVisible(page != m_roster);
    QString title;
    if (page == m_roster)
        title = m_profile.role == wire::ROLE_LEAD ? tr("All children") : tr("My classes");
    else if (page == m_capture)
        title = tr("Photos and videos");
    else if (page == m_editor)
        title = m_editor->isAmending() ? tr("Amend observation") : tr("New observation");
    else if (page == m_journal)
        title = tr("%1's journal").arg(childName(m_journal->childRef()));
    else if (page == m_observation)
        title = tr("Observation");
    else if (page == m_outbox)
        title = tr("Waiting to send");
    else if (page == m_media)
        title = tr("Photo or video");
    else if (page == m_tracking)
        title = tr("Tracking");
    m_title->setText(title);
    m_new->setEnabled(page == m_roster || page == m_journal || page == m_outbox);
    const client::OutboxSummary &s = m_scheduler->summary();
    m_waiting->setText(s.waiting > 0 ? tr("Waiting (%1)").arg(s.waiting) : tr("Waiting"));
    m_waiting->setToolTip(tr("Observations waiting to send (Ctrl+U)"));
    const QString school
        = m_profile.schoolName.isEmpty() ? m_profile.address() : m_profile.schoolName;
    setWindowTitle(tr("%1 — %2 — Acorn").arg(title, school));
}

void StaffWindow::goBack()
{
    QWidget *current = m_pages->currentWidget();
    if (current == m_capture) {
        m_capture->discardMedia();
        m_captureAddsToEditor = false;
    }
    if (current == m_editor)
        m_editor->startNew({}, {});
    while (!m_history.isEmpty()) {
        QWidget *previous = m_history.takeLast();
        // Never back into a finished editor or an emptied capture screen.
        if (previous == m_editor || previous == m_capture || previous == current)
            continue;
        if (previous == m_observation && !m_queue.find(m_observation->observationId()))
            continue;
        showPage(previous, false);
        refresh();
        return;
    }
    showPage(m_roster, false);
    refresh();
}

void StaffWindow::showRoster()
{
    m_history.clear();
    showPage(m_roster, false);
    refresh();
}

void StaffWindow::newObservation(const QStringList &childRefs)
{
    m_captureFor = childRefs;
    m_captureAddsToEditor = false;
    m_afterSave = m_pages->currentWidget();
    m_capture->activate();
    showPage(m_capture);
}

void StaffWindow::openJournal(const QString &childRef)
{
    // Every staff view of a child's journal goes in the school's audit log: recorded on the
    // device (offline too) and reported at the next sync.
    if (Status s = m_store->recordJournalView(childRef, QDateTime::currentMSecsSinceEpoch()); !s)
        qCWarning(lcClientStore) << "journal view not recorded:" << s.error();
    showJournal(childRef);
}

void StaffWindow::showJournal(const QString &childRef)
{
    const client::CountingPeriod period
        = client::RosterSummary::currentPeriod(*m_store, QDateTime::currentMSecsSinceEpoch());
    wire::Child child;
    child.set_ref(childRef.toStdString());
    for (const wire::Child &c : m_store->roster()) {
        if (QString::fromStdString(c.ref()) == childRef)
            child = c;
    }
    const int count = m_store->observationCounts(period.fromMs, period.toMs).value(childRef);
    m_journal->showJournal(
        child, count, period.name, m_queue.journal(childRef), m_store->roster(), m_loader);
    showPage(m_journal, m_pages->currentWidget() != m_journal);
}

void StaffWindow::showObservation(const QString &id)
{
    const auto lo = m_queue.find(id);
    if (!lo) {
        statusBar()->showMessage(tr("That observation is no longer on this device."), 5000);
        return;
    }
    m_observation->showObservation(*lo, m_store->roster(), m_loader);
    showPage(m_observation, m_pages->currentWidget() != m_observation);
}

void StaffWindow::amendObservation(const QString &id)
{
    const auto lo = m_queue.find(id);
    if (!lo)
        return;
    m_editor->setRoster(m_store->roster());
    m_editor->startAmend(*lo);
    m_afterSave = m_pages->currentWidget();
    showPage(m_editor);
}

void StaffWindow::showOutbox()
{
    m_outbox->showWaiting(m_queue.waiting(), m_store->roster(), m_loader);
    showPage(m_outbox, m_pages->currentWidget() != m_outbox);
}

void StaffWindow::showTracking()
{
    const client::TrackingGrid::Input device = client::TrackingGrid::fromDevice(*m_store);
    TrackingPage::Data shown;
    shown.roster = device.roster;
    shown.calendar = device.calendar;
    shown.zone = device.zone;
    shown.observations = device.observations;
    shown.assessments = device.assessments;
    shown.assessmentHistory = m_store->assessments();
    shown.unsentAssessments = m_store->assessmentOutbox();
    shown.nowMs = QDateTime::currentMSecsSinceEpoch();
    shown.schoolName = m_profile.schoolName;
    shown.thumbnailPath = [loader = QPointer<client::MediaLoader>(m_loader)](const wire::Media &m) {
        return loader ? loader->localPath(m, wire::THUMBNAIL) : QString();
    };
    m_tracking->showData(std::move(shown));
    showPage(m_tracking, m_pages->currentWidget() != m_tracking);
}

Status StaffWindow::recordJudgement(const QString &childRef, const QString &itemKey,
    const QString &halfTermLastDay, const QString &judgement, quint64 baseRevision)
{
    client::AssessmentEdit e;
    e.assessment.set_child_ref(childRef.toStdString());
    e.assessment.set_item_key(itemKey.toStdString());
    e.assessment.set_half_term(halfTermLastDay.toStdString());
    e.assessment.set_judgement(judgement.toStdString());
    e.baseRevision = baseRevision;
    e.changeId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    e.queuedAt = QDateTime::currentMSecsSinceEpoch();
    // Durable on the device before the grid shows it; sent by the next sync.
    const Status s = m_store->queueAssessment(e);
    if (!s) {
        QMessageBox::warning(this, tr("Not saved"), s.error());
        return s;
    }
    if (m_pages->currentWidget() == m_tracking)
        showTracking();
    m_scheduler->syncNow();
    return s;
}

void StaffWindow::showMedia(const wire::Media &media)
{
    m_media->showMedia(media, m_loader);
    showPage(m_media);
}

bool StaffWindow::saveEditor(wire::ObservationState state)
{
    const wire::Observation o = m_editor->observation(state);
    const Result<QString> saved = m_editor->isAmending()
        ? m_queue.saveAmendment(o, m_editor->newMedia())
        : m_queue.saveNew(o, m_editor->newMedia());
    if (!saved) {
        m_editor->showSaveError(saved.error());
        return false;
    }
    m_editor->takeNewMedia(); // queued: they belong to the outbox now
    const bool amended = m_editor->isAmending();
    m_editor->startNew({}, {});
    m_scheduler->requestSync();
    statusBar()->showMessage(state == wire::DRAFT ? tr("Draft saved on this device.")
            : amended                             ? tr("Amendment saved on this device.")
                                                  : tr("Observation saved on this device."),
        6000);
    // Back to where the observation was started from, showing it.
    QWidget *target = m_afterSave ? m_afterSave.data() : m_roster;
    while (!m_history.isEmpty() && m_history.last() != target)
        m_history.removeLast();
    if (!m_history.isEmpty())
        m_history.removeLast();
    if (target == m_observation) {
        showObservation(saved.value());
    } else if (target == m_journal) {
        showJournal(m_journal->childRef());
    } else {
        showPage(target == m_editor || target == m_capture ? m_roster : target, false);
        refresh();
    }
    return true;
}

Status StaffWindow::keepMine(const QString &id)
{
    Status s = m_queue.keepMine(id);
    if (s)
        m_scheduler->requestSync();
    refresh();
    return s;
}

Status StaffWindow::takeTheirs(const QString &id)
{
    Status s = m_queue.takeTheirs(id);
    m_scheduler->refreshSummary();
    refresh();
    return s;
}

Status StaffWindow::deleteObservation(const QString &id)
{
    Status s = m_queue.markDeleted(id);
    if (s) {
        m_scheduler->requestSync();
        statusBar()->showMessage(
            tr("Deleted. The school's server is told at the next sync."), 6000);
    }
    return s;
}

void StaffWindow::confirmDelete(const QString &id)
{
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Delete this observation?"),
        tr("It is removed from every journal it is in, for staff and families. This cannot "
           "be undone from the app."),
        QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("confirmDelete"));
    QPushButton *yes = box->addButton(tr("Delete"), QMessageBox::DestructiveRole);
    box->addButton(tr("Keep it"), QMessageBox::RejectRole);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, yes, id] {
        if (box->clickedButton() != yes)
            return;
        if (Status s = deleteObservation(id); !s) {
            statusBar()->showMessage(s.error(), 8000);
            return;
        }
        m_history.removeAll(m_observation);
        goBack();
    });
    ui::makeTouchFriendly(box);
    box->open();
}

void StaffWindow::confirmDiscard(const QString &id)
{
    const auto lo = m_queue.find(id);
    const bool onServer = lo && lo->baseRevision > 0;
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Discard your change?"),
        onServer ? tr("Your change is dropped; the version on the school's server stays.")
                 : tr("This observation never reached the school's server. Discarding it "
                      "deletes it from this device for good."),
        QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("confirmDiscard"));
    QPushButton *yes = box->addButton(tr("Discard"), QMessageBox::DestructiveRole);
    box->addButton(tr("Keep it"), QMessageBox::RejectRole);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, yes, id] {
        if (box->clickedButton() == yes) {
            if (Status s = takeTheirs(id); !s)
                statusBar()->showMessage(s.error(), 8000);
            showOutbox();
        }
    });
    ui::makeTouchFriendly(box);
    box->open();
}

void StaffWindow::resolveConflict(const QString &id)
{
    const auto mine = m_store->outboxItem(id);
    const auto theirs = m_queue.serverCopy(id);
    if (!mine)
        return;
    if (!theirs) {
        statusBar()->showMessage(
            tr("The server's version is not on this device yet: sync, then try again."), 8000);
        return;
    }
    auto *dialog = new ConflictDialog(mine->observation, *theirs, m_store->roster(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::finished, this, [this, dialog, id] {
        Status s;
        if (dialog->choice() == ConflictDialog::KeepMine)
            s = keepMine(id);
        else if (dialog->choice() == ConflictDialog::TakeTheirs)
            s = takeTheirs(id);
        if (!s)
            statusBar()->showMessage(s.error(), 8000);
    });
    dialog->open();
}

void StaffWindow::openSettings()
{
    auto *dialog = new StaffSettingsDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

ui::TwoFactorSetupDialog *StaffWindow::openTwoFactorSetup()
{
    auto *dialog = new ui::TwoFactorSetupDialog(*m_store, m_scheduler->signInOptions(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

void StaffWindow::setKeychainNotice(const QString &text)
{
    m_keychainNotice->setText(text);
    m_keychainNotice->setVisible(!text.isEmpty());
}

void StaffWindow::setToken(const QByteArray &token)
{
    m_scheduler->setToken(token);
    m_loader->setSignIn(m_scheduler->signInOptions());
}

void StaffWindow::refresh()
{
    const client::CountingPeriod period
        = client::RosterSummary::currentPeriod(*m_store, QDateTime::currentMSecsSinceEpoch());
    m_roster->setRoster(client::RosterSummary::build(*m_store, period), period);
    QWidget *page = m_pages->currentWidget();
    if (page == m_journal && !m_journal->childRef().isEmpty()) {
        const int count
            = m_store->observationCounts(period.fromMs, period.toMs).value(m_journal->childRef());
        wire::Child child;
        for (const wire::Child &c : m_store->roster()) {
            if (QString::fromStdString(c.ref()) == m_journal->childRef())
                child = c;
        }
        if (child.ref().empty())
            child.set_ref(m_journal->childRef().toStdString());
        m_journal->showJournal(child, count, period.name, m_queue.journal(m_journal->childRef()),
            m_store->roster(), m_loader);
    } else if (page == m_outbox) {
        m_outbox->showWaiting(m_queue.waiting(), m_store->roster(), m_loader);
    } else if (page == m_tracking) {
        showTracking();
    } else if (page == m_observation) {
        if (const auto lo = m_queue.find(m_observation->observationId()))
            m_observation->showObservation(*lo, m_store->roster(), m_loader);
    }
    if (page != m_editor)
        m_editor->setRoster(m_store->roster());
    updateChrome();
}

void StaffWindow::closeEvent(QCloseEvent *event)
{
    m_capture->deactivate();
    QMainWindow::closeEvent(event);
}

} // namespace acorn::staff
