// A practitioner's day in the staff app, with real widgets (offscreen) against a real
// acorn-server on 127.0.0.1, in order: the roster with counts and filters; the capture
// screen (camera where there is one, else the no-camera screen) and file import by button
// and by drag and drop; an observation of two children from an imported photo, published
// and synced; one saved while the server is stopped, queued, and sent automatically when
// it is back; an amendment; the consent refusal in the editor; a conflict with another
// device settled side by side; a deletion with confirmation. What reached the server is
// checked with acorn-cli as another user, not with the app's own view.
#include "atrest.h"
#include "capturepage.h"
#include "conflictdialog.h"
#include "journalcard.h"
#include "journalpage.h"
#include "mediapage.h"
#include "mediathumbnail.h"
#include "mediaviewer.h"
#include "observationeditor.h"
#include "observationpage.h"
#include "outboxpage.h"
#include "rosterpage.h"
#include "staffapp.h"
#include "staffgui.h"
#include "staffwindow.h"
#include "syncstatuswidget.h"
#include "testserver.h"

#include <QCameraDevice>
#include <QCheckBox>
#include <QComboBox>
#include <QImageReader>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QListWidget>
#include <QMediaDevices>
#include <QMediaPlayer>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QUrl>

using namespace acorn;
using namespace acorn::test;
using acorn::staff::StaffApp;
using acorn::staff::StaffWindow;

namespace {
const QString kLeePassword = QStringLiteral("lee's password 22");
const QString kNinaPassword = QStringLiteral("nina's password 1");
} // namespace

class TestStaffObserve : public QObject
{
    Q_OBJECT

    TestServer m_server;
    QTemporaryDir m_files;
    std::unique_ptr<StaffApp> m_app;
    QPointer<StaffWindow> w;
    QString m_firstId;
    QString m_offlineId;

    // What nina.nursery's own device (acorn-cli) receives for a child: the server's truth.
    QJsonArray serverJournal(const QString &childRef,
        const QString &user = QStringLiteral("nina.nursery"),
        const QString &password = kNinaPassword)
    {
        const QString profile = m_files.filePath(QStringLiteral("cli-") + user);
        const CliResult sync
            = runCli(m_server, profile, user, password, { QStringLiteral("sync") });
        if (sync.exitCode != 0)
            qWarning("acorn-cli sync failed: %s", sync.err.constData());
        const CliResult journal = runCli(m_server, profile, user, password,
            { QStringLiteral("journal"), QStringLiteral("--child"), childRef });
        return QJsonDocument::fromJson(journal.out).array();
    }

    static QJsonObject find(const QJsonArray &journal, const QString &id)
    {
        for (const QJsonValue &v : journal) {
            if (v.toObject().value(QStringLiteral("id")).toString() == id)
                return v.toObject();
        }
        return {};
    }

    bool waitSynced(int timeoutMs = 30000)
    {
        return QTest::qWaitFor(
            [this] {
                const auto *s = w->scheduler();
                return s->state() == client::SyncScheduler::State::Idle && s->summary().waiting == 0
                    && s->lastSyncMs() > 0;
            },
            timeoutMs);
    }

    QPushButton *editorRemoveButton() const
    {
        for (QPushButton *b : w->editor()
                                  ->findChild<QWidget *>(QStringLiteral("editorMedia"))
                                  ->findChildren<QPushButton *>()) {
            if (b->text() == QStringLiteral("Remove"))
                return b;
        }
        return nullptr;
    }

    void importAndWait(const QStringList &files, qsizetype expected)
    {
        w->capturePage()->importFiles(files);
        QTRY_VERIFY_WITH_TIMEOUT(!w->capturePage()->isPreparing(), 30000);
        QCOMPARE(w->capturePage()->media().size(), expected);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_files.isValid());
        QVERIFY(m_server.init(smallSchoolJson()));
        QVERIFY(m_server.setPassword(QStringLiteral("lee.lead"), kLeePassword));
        QVERIFY(m_server.setPassword(QStringLiteral("nina.nursery"), kNinaPassword));
        QVERIFY(m_server.start());
        staff::StaffOptions options;
        options.server = QStringLiteral("127.0.0.1:%1").arg(m_server.port());
        options.pin = m_server.fingerprint();
        options.username = QStringLiteral("lee.lead");
        options.password = kLeePassword;
        m_app = std::make_unique<StaffApp>(options);
        m_app->start();
        QTRY_VERIFY_WITH_TIMEOUT(m_app->window(), 60000);
        w = m_app->window();
        w->resize(1280, 800);
        // Retry quickly so that the test does not wait out a real back-off.
        w->scheduler()->setRetryDelays({ 300, 600, 1000 });
        QVERIFY(waitSynced());
    }

    void cleanupTestCase() { m_app.reset(); }

    void rosterCountsAndFilters()
    {
        staff::RosterPage *roster = w->rosterPage();
        QTRY_COMPARE(roster->visibleRefs(),
            (QStringList { QStringLiteral("C001"), QStringLiteral("C002"), QStringLiteral("C003"),
                QStringLiteral("C004") }));
        for (const client::ChildSummary &c : roster->model()->children()) {
            QCOMPARE(c.observations, 0);
            QVERIFY(c.underObserved); // nobody observed yet: everyone stands out
        }
        QComboBox *classes = roster->classFilter();
        QVERIFY(!classes->isHidden());
        classes->setCurrentIndex(classes->findData(QStringLiteral("Reception")));
        QCOMPARE(roster->visibleRefs(),
            (QStringList { QStringLiteral("C003"), QStringLiteral("C004") }));
        classes->setCurrentIndex(0);
        QTest::keyClicks(roster->searchField(), QStringLiteral("av br"));
        QCOMPARE(roster->visibleRefs(), QStringList { QStringLiteral("C001") });
        roster->searchField()->clear();
        QCOMPARE(roster->visibleRefs().size(), 4);
        // Tapping a child opens their journal.
        const int viewsBefore = static_cast<int>(w->store().pendingJournalViews(100).size());
        roster->activateRef(QStringLiteral("C002"));
        QCOMPARE(w->currentPage(), w->journalPage());
        QCOMPARE(w->journalPage()->childRef(), QStringLiteral("C002"));
        // ...and the view is recorded for the school's audit log, then reported.
        const QList<wire::JournalView> views = w->store().pendingJournalViews(100);
        QCOMPARE(views.size(), viewsBefore + 1);
        QCOMPARE(QString::fromStdString(views.last().child_ref()), QStringLiteral("C002"));
        w->scheduler()->syncNow();
        QTRY_VERIFY_WITH_TIMEOUT(w->store().pendingJournalViews(100).isEmpty(), 30000);
        const QByteArray audit = m_server.admin({ QStringLiteral("audit"), QStringLiteral("--action"),
            QStringLiteral("view-journal"), QStringLiteral("--child"), QStringLiteral("C002") });
        QVERIFY2(audit.contains("\"actor\":\"lee.lead\""), audit.constData());
        w->goBack();
        QCOMPARE(w->currentPage(), w->rosterPage());
    }

    void cameraCapture()
    {
        if (QMediaDevices::videoInputs().isEmpty())
            QSKIP("No camera on this machine (QMediaDevices::videoInputs() is empty): the camera "
                  "path "
                  "(QCamera, QImageCapture, QMediaRecorder) is built but cannot be exercised here. "
                  "The "
                  "no-camera screen and file import are tested instead.");
        w->newObservation({ QStringLiteral("C001") });
        staff::CapturePage *capture = w->capturePage();
        QVERIFY(capture->noCameraPanel()->isHidden());
        QTRY_VERIFY_WITH_TIMEOUT(capture->isCameraActive(), 20000);
        capture->takePhoto();
        QTRY_VERIFY_WITH_TIMEOUT(capture->media().size() == 1 && !capture->isPreparing(), 30000);
        QCOMPARE(capture->media().first().kind, wire::PHOTO);
        capture->toggleRecording();
        QTRY_VERIFY_WITH_TIMEOUT(capture->isRecording(), 10000);
        QTest::qWait(1500);
        capture->toggleRecording();
        QTRY_VERIFY_WITH_TIMEOUT(capture->media().size() == 2 && !capture->isPreparing(), 30000);
        w->goBack(); // discards them
        QVERIFY(capture->media().isEmpty());
    }

    void noCameraScreenAndImport()
    {
        w->showRoster();
        w->newObservation({ QStringLiteral("C001"), QStringLiteral("C002") });
        staff::CapturePage *capture = w->capturePage();
        QCOMPARE(w->currentPage(), capture);
        if (QMediaDevices::videoInputs().isEmpty()) {
            QVERIFY(!capture->hasCamera());
            QVERIFY(capture->noCameraPanel()->isVisible());
            QVERIFY(child<QLabel>(capture, QStringLiteral("noCameraText"))
                        ->text()
                        .contains(QStringLiteral("No camera")));
            QVERIFY(capture->importButton()->isVisible());
            QVERIFY(capture->importButton()->isEnabled());
        } else {
            QVERIFY(child<QPushButton>(capture, QStringLiteral("importWithCamera"))->isVisible());
        }
        // Import by the button's path (several files at once) ...
        const QString big
            = makePhoto(m_files.filePath(QStringLiteral("blocks.jpg")), 1, QSize(3200, 2400));
        importAndWait({ big }, 1);
        const client::PreparedMedia &prepared = capture->media().first();
        QCOMPARE(prepared.kind, wire::PHOTO);
        QVERIFY(QFileInfo::exists(prepared.thumbnailPath));
        {
            // Sealed at rest: read as the app reads it, with the profile's key.
            const auto file = client::openMediaFile(prepared.originalPath);
            QVERIFY(file);
            QCOMPARE(QImageReader(file.get()).size(), QSize(2560, 1920)); // long edge capped
        }
        QVERIFY(prepared.originalPath.startsWith(w->profile().outboxDirectory()));
        // ... and by dropping a file on the screen.
        const QString second = makePhoto(m_files.filePath(QStringLiteral("garden.jpg")), 2);
        QMimeData mime;
        mime.setUrls({ QUrl::fromLocalFile(second) });
        QDragEnterEvent enter(
            QPoint(20, 20), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(capture, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(20, 20), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(capture, &drop);
        QTRY_VERIFY_WITH_TIMEOUT(!capture->isPreparing() && capture->media().size() == 2, 30000);
        // Something that is not a photo is refused with its name, and nothing else is lost.
        const QString junk = m_files.filePath(QStringLiteral("notes.txt"));
        QFile f(junk);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not a photo");
        f.close();
        importAndWait({ junk }, 2);
        QVERIFY2(capture->statusText().contains(QStringLiteral("notes.txt")),
            qPrintable(capture->statusText()));
    }

    void observationOfTwoChildrenFromImportedPhotos()
    {
        click(w->capturePage()->continueButton());
        staff::ObservationEditor *editor = w->editor();
        QCOMPARE(w->currentPage(), editor);
        QCOMPARE(
            editor->childRefs(), (QStringList { QStringLiteral("C001"), QStringLiteral("C002") }));
        QCOMPARE(editor->newMedia().size(), 2);
        QVERIFY(editor->consentText().isEmpty());
        // Ben (C002) may not appear in other journals: a notice, not a refusal.
        QVERIFY2(editor->noticeText().contains(QStringLiteral("Ben Okafor")),
            qPrintable(editor->noticeText()));
        QTest::keyClicks(editor->textField(),
            QStringLiteral("Ava and Ben built a tower of eight blocks together."));
        QTest::keyClicks(editor->nextStepsField(), QStringLiteral("Count beyond ten."));
        QTest::keyClicks(editor->noteField(), QStringLiteral("Staff only: Ben counted too."));
        editor->tagBox(QStringLiteral("M"))->setChecked(true);
        editor->tagBox(QStringLiteral("COEL-PE"))->setChecked(true);
        // What the status area says while the photos upload (it listens to the same signal).
        QStringList uploading;
        const auto watch = connect(
            w->scheduler(), &client::SyncScheduler::progress, this, [&](const QString &stage) {
                if (stage == QLatin1String("uploading"))
                    uploading << w->syncStatus()->progressText();
            });
        click(editor->publishButton());
        QCOMPARE(w->currentPage(), w->rosterPage());
        QVERIFY(w->statusBar()->currentMessage().contains(QStringLiteral("saved")));
        QVERIFY(waitSynced());
        disconnect(watch);
        QVERIFY(!uploading.isEmpty());
        QVERIFY2(uploading.last().startsWith(QStringLiteral("Uploading "))
                && uploading.last().contains(QStringLiteral(" of ")),
            qPrintable(uploading.join(u'|')));
        QVERIFY(!w->syncStatus()->isProgressVisible()); // gone when done
        // The roster counts it for both children.
        for (const client::ChildSummary &c : w->rosterPage()->model()->children()) {
            const bool tagged
                = c.ref() == QLatin1String("C001") || c.ref() == QLatin1String("C002");
            QCOMPARE(c.observations, tagged ? 1 : 0);
        }
        const auto journal = w->queue().journal(QStringLiteral("C001"));
        QCOMPARE(journal.size(), 1);
        m_firstId = journal.first().id();
        QCOMPARE(journal.first().observation.revision(), quint64(1));
        // The server has it, with both photos, as another member of staff sees it.
        const QJsonObject seen = find(serverJournal(QStringLiteral("C002")), m_firstId);
        QCOMPARE(seen.value(QStringLiteral("text")).toString(),
            QStringLiteral("Ava and Ben built a tower of eight blocks together."));
        QCOMPARE(seen.value(QStringLiteral("children")).toArray().size(), 2);
        QCOMPARE(seen.value(QStringLiteral("eyfs_tags")).toArray(),
            (QJsonArray { QStringLiteral("M"), QStringLiteral("COEL-PE") }));
        QCOMPARE(seen.value(QStringLiteral("note")).toString(),
            QStringLiteral("Staff only: Ben counted too."));
        const QJsonArray media = seen.value(QStringLiteral("media")).toArray();
        QCOMPARE(media.size(), 2);
        for (const QJsonValue &m : media)
            QVERIFY(m.toObject().value(QStringLiteral("available")).toBool());
    }

    void queuedWhileTheServerIsStoppedThenSynced()
    {
        m_server.stop();
        w->newObservation({ QStringLiteral("C001") });
        click(w->capturePage()->continueButton()); // no media this time
        QTest::keyClicks(
            w->editor()->textField(), QStringLiteral("Ava watered the beans on her own."));
        click(w->editor()->publishButton());
        QVERIFY(w->statusBar()->currentMessage().contains(QStringLiteral("saved on this device")));
        // Saved durably and counted at once, though nothing could be sent.
        QCOMPARE(w->scheduler()->summary().waiting, 1);
        QTRY_COMPARE_WITH_TIMEOUT(
            w->scheduler()->state(), client::SyncScheduler::State::Offline, 20000);
        QVERIFY2(w->syncStatus()->stateText().contains(QStringLiteral("Offline")),
            qPrintable(w->syncStatus()->stateText()));
        QCOMPARE(w->syncStatus()->waitingText(), QStringLiteral("Waiting to send: 1"));
        QVERIFY(!w->syncStatus()->errorText().isEmpty());
        QCOMPARE(w->store().outbox().size(), 1);
        m_offlineId = QString::fromStdString(w->store().outbox().first().observation.id());
        for (const client::ChildSummary &c : w->rosterPage()->model()->children()) {
            if (c.ref() == QLatin1String("C001"))
                QCOMPARE(c.observations, 2);
        }
        w->showOutbox();
        QCOMPARE(w->outboxPage()->cards().size(), 1);
        QVERIFY(w->outboxPage()->cards().first()->statusText().contains(
            QStringLiteral("Waiting to send")));
        // Back again: sent without anyone pressing anything.
        QVERIFY(m_server.start());
        QVERIFY(waitSynced(30000));
        QCOMPARE(w->syncStatus()->stateText(), QStringLiteral("Online"));
        QCOMPARE(w->syncStatus()->waitingText(), QStringLiteral("Everything is sent"));
        QVERIFY(w->store().outbox().isEmpty());
        QTRY_VERIFY(w->outboxPage()->cards().isEmpty()); // the outbox screen refreshed
        QCOMPARE(find(serverJournal(QStringLiteral("C001")), m_offlineId)
                     .value(QStringLiteral("text"))
                     .toString(),
            QStringLiteral("Ava watered the beans on her own."));
        w->showRoster();
    }

    void amendAnObservation()
    {
        w->showJournal(QStringLiteral("C001"));
        const auto cards = w->journalPage()->cards();
        QCOMPARE(cards.size(), 2);
        // Newest first: the offline one was observed after the first.
        QCOMPARE(cards.first()->observationId(), m_offlineId);
        // Staff read the next steps and the staff-only note on the card itself.
        QCOMPARE(cards.last()->findChild<QLabel *>(QStringLiteral("cardNextSteps"))->text(),
            QStringLiteral("Next steps: Count beyond ten."));
        QCOMPARE(cards.last()->findChild<QLabel *>(QStringLiteral("cardStaffNote"))->text(),
            QStringLiteral("Staff only: Staff only: Ben counted too."));
        QTest::mouseClick(cards.last(), Qt::LeftButton);
        QCOMPARE(w->currentPage(), w->observationPage());
        QCOMPARE(w->observationPage()->observationId(), m_firstId);
        click(w->observationPage()->amendButton());
        staff::ObservationEditor *editor = w->editor();
        QVERIFY(editor->isAmending());
        QCOMPARE(editor->textField()->toPlainText(),
            QStringLiteral("Ava and Ben built a tower of eight blocks together."));
        QVERIFY(editor->tagBox(QStringLiteral("M"))->isChecked());
        editor->textField()->setPlainText(
            QStringLiteral("Ava and Ben built a tower of nine blocks together."));
        editor->tagBox(QStringLiteral("CL"))->setChecked(true);
        click(editor->publishButton());
        QCOMPARE(w->currentPage(), w->observationPage());
        QVERIFY(waitSynced());
        QTRY_COMPARE(w->observationPage()->text(),
            QStringLiteral("Ava and Ben built a tower of nine blocks together."));
        QCOMPARE(w->store().cached(m_firstId)->revision(), quint64(2));
        const QJsonObject seen = find(serverJournal(QStringLiteral("C001")), m_firstId);
        QCOMPARE(seen.value(QStringLiteral("revision")).toInt(), 2);
        QCOMPARE(seen.value(QStringLiteral("text")).toString(),
            QStringLiteral("Ava and Ben built a tower of nine blocks together."));
        QVERIFY(seen.value(QStringLiteral("eyfs_tags")).toArray().contains(QStringLiteral("CL")));
        QCOMPARE(seen.value(QStringLiteral("media")).toArray().size(), 2); // the photos stay
    }

    void consentRefusalInTheEditor()
    {
        w->showRoster();
        const qsizetype queuedBefore = w->store().outbox().size();
        // Dev (C004) has no consent for photos or video in his journal.
        w->newObservation({ QStringLiteral("C004") });
        importAndWait({ makePhoto(m_files.filePath(QStringLiteral("dev.jpg")), 3) }, 1);
        click(w->capturePage()->continueButton());
        staff::ObservationEditor *editor = w->editor();
        QTest::keyClicks(editor->textField(), QStringLiteral("Dev painted a rainbow."));
        const QString refusal = editor->consentText();
        QVERIFY2(refusal.contains(QStringLiteral("Dev Shah")), qPrintable(refusal));
        QVERIFY2(refusal.contains(QStringLiteral("consent")), qPrintable(refusal));
        QVERIFY(!editor->publishButton()->isEnabled());
        QVERIFY(!editor->draftButton()->isEnabled());
        QVERIFY(editor->publishButton()->toolTip().contains(QStringLiteral("Dev Shah")));
        // Even asked directly, the core refuses to queue it, with the same reason.
        QVERIFY(!w->saveEditor(wire::PUBLISHED));
        QCOMPARE(w->store().outbox().size(), queuedBefore);
        QCOMPARE(w->currentPage(), editor);
        // Without the photo it is fine.
        click(editorRemoveButton());
        QVERIFY(editor->consentText().isEmpty());
        QVERIFY(editor->publishButton()->isEnabled());
        // Adding another child with a photo is refused for Dev again, with both named right.
        editor->setChildPicked(QStringLiteral("C003"), true);
        click(editor->findChild<QPushButton *>(QStringLiteral("editorCancel")));
        QCOMPARE(w->store().outbox().size(), queuedBefore);
    }

    void conflictIsShownSideBySide()
    {
        // Another device amends the first observation (revision 3) ...
        const QString other = m_files.filePath(QStringLiteral("cli-lee"));
        runCli(
            m_server, other, QStringLiteral("lee.lead"), kLeePassword, { QStringLiteral("sync") });
        const CliResult amended = runCli(m_server, other, QStringLiteral("lee.lead"), kLeePassword,
            { QStringLiteral("amend"), m_firstId, QStringLiteral("--text"),
                QStringLiteral("Changed on the classroom PC.") });
        QVERIFY2(amended.exitCode == 0, amended.err.constData());
        // ... while this one, still at revision 2, amends it too.
        w->showObservation(m_firstId);
        click(w->observationPage()->amendButton());
        w->editor()->textField()->setPlainText(QStringLiteral("Changed on the tablet."));
        click(w->editor()->publishButton());
        QTRY_COMPARE_WITH_TIMEOUT(w->scheduler()->summary().conflicts, 1, 30000);
        QCOMPARE(w->store().outboxItem(m_firstId)->state, QStringLiteral("conflict"));
        QVERIFY(w->syncStatus()->waitingText().contains(QStringLiteral("attention")));
        w->showOutbox();
        QCOMPARE(w->outboxPage()->cards().size(), 1);
        QVERIFY(w->outboxPage()->cards().first()->statusText().contains(QStringLiteral("choose")));
        QPushButton *resolve = nullptr;
        for (QPushButton *b : w->outboxPage()->findChildren<QPushButton *>()) {
            if (b->text().startsWith(QStringLiteral("Choose a version")))
                resolve = b;
        }
        click(resolve);
        auto *dialog = w->findChild<staff::ConflictDialog *>();
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        QVERIFY(dialog->differences().contains(QStringLiteral("What happened")));
        const QString both = [&] {
            QStringList texts;
            for (QLabel *l : dialog->findChildren<QLabel *>())
                texts << l->text();
            return texts.join(u'\n');
        }();
        QVERIFY(both.contains(QStringLiteral("Changed on the tablet.")));
        QVERIFY(both.contains(QStringLiteral("Changed on the classroom PC.")));
        click(child<QPushButton>(dialog, QStringLiteral("keepMine")));
        QVERIFY(waitSynced());
        QCOMPARE(w->store().cached(m_firstId)->revision(), quint64(4));
        const QJsonObject seen = find(serverJournal(QStringLiteral("C001")), m_firstId);
        QCOMPARE(seen.value(QStringLiteral("text")).toString(),
            QStringLiteral("Changed on the tablet."));
        QCOMPARE(seen.value(QStringLiteral("revision")).toInt(), 4);
    }

    void deleteAfterConfirmation()
    {
        w->showObservation(m_offlineId);
        auto answer = [this](const QString &buttonText) {
            click(w->observationPage()->deleteButton());
            QMessageBox *box = nullptr;
            QTRY_VERIFY((box = w->findChild<QMessageBox *>(QStringLiteral("confirmDelete")))
                && box->isVisible());
            QAbstractButton *chosen = nullptr;
            for (QAbstractButton *b : box->buttons()) {
                if (b->text() == buttonText)
                    chosen = b;
            }
            click(qobject_cast<QPushButton *>(chosen));
            QTRY_VERIFY(!w->findChild<QMessageBox *>(QStringLiteral("confirmDelete")));
        };
        answer(QStringLiteral("Keep it"));
        QVERIFY(w->queue().find(m_offlineId));
        QVERIFY(w->store().outbox().isEmpty());
        answer(QStringLiteral("Delete"));
        QVERIFY(waitSynced());
        QVERIFY(!find(serverJournal(QStringLiteral("C001")), m_firstId).isEmpty());
        QVERIFY(find(serverJournal(QStringLiteral("C001")), m_offlineId).isEmpty());
        w->showJournal(QStringLiteral("C001"));
        QTRY_COMPARE(w->journalPage()->cards().size(), 1);
    }

    void othersPhotosAreDownloadedAndCached()
    {
        // Nina records on her own device; this app gets the thumbnail over the wire.
        const QString photo = makePhoto(m_files.filePath(QStringLiteral("ninas.jpg")), 4);
        const CliResult made
            = runCli(m_server, m_files.filePath(QStringLiteral("cli-nina.nursery")),
                QStringLiteral("nina.nursery"), kNinaPassword,
                { QStringLiteral("observe"), QStringLiteral("--child"), QStringLiteral("C002"),
                    QStringLiteral("--text"), QStringLiteral("Ben found a snail."),
                    QStringLiteral("--photo"), photo });
        QVERIFY2(made.exitCode == 0, made.err.constData());
        const QString id
            = QJsonDocument::fromJson(made.out).object().value(QStringLiteral("id")).toString();
        QSignalSpy synced(w->scheduler(), &client::SyncScheduler::synced);
        click(w->syncStatus()->syncNowButton());
        QVERIFY(synced.wait(30000));
        w->showJournal(QStringLiteral("C002"));
        QTRY_VERIFY(!w->journalPage()->cards().isEmpty());
        staff::JournalCard *card = nullptr;
        for (staff::JournalCard *c : w->journalPage()->cards()) {
            if (c->observationId() == id)
                card = c;
        }
        QVERIFY(card);
        auto *thumb = card->findChild<ui::MediaThumbnail *>();
        QVERIFY(thumb);
        QTRY_VERIFY_WITH_TIMEOUT(thumb->hasImage(), 20000);
        const QString cached = w->mediaLoader()->localPath(thumb->media(), wire::THUMBNAIL);
        QVERIFY2(cached.startsWith(w->profile().mediaDirectory()), qPrintable(cached));
        // The full photo on demand, checked against its SHA-256 on the way.
        QTest::mouseClick(thumb, Qt::LeftButton);
        QCOMPARE(w->currentPage(), w->mediaPage());
        QTRY_VERIFY_WITH_TIMEOUT(w->mediaPage()->viewer()->isShowingPhoto(), 20000);
        QVERIFY(!w->mediaLoader()->localPath(thumb->media(), wire::ORIGINAL).isEmpty());
        w->goBack();
        QCOMPARE(w->currentPage(), w->journalPage());
    }

    void videoPlaysInTheMediaViewer()
    {
        const QString video = m_files.filePath(QStringLiteral("clip.mp4"));
        QProcess ffmpeg;
        ffmpeg.start(QStringLiteral("ffmpeg"),
            { QStringLiteral("-loglevel"), QStringLiteral("error"), QStringLiteral("-f"),
                QStringLiteral("lavfi"), QStringLiteral("-i"),
                QStringLiteral("testsrc=duration=2:size=320x240:rate=15"),
                QStringLiteral("-pix_fmt"), QStringLiteral("yuv420p"), video });
        if (!ffmpeg.waitForStarted(10000))
            QSKIP("ffmpeg is not installed: no test video can be made (./acorn deps installs it)");
        QVERIFY(ffmpeg.waitForFinished(60000));
        QCOMPARE(ffmpeg.exitCode(), 0);
        w->showRoster();
        w->newObservation({ QStringLiteral("C001") });
        importAndWait({ video }, 1);
        QCOMPARE(w->capturePage()->media().first().kind, wire::VIDEO);
        click(w->capturePage()->continueButton());
        QTest::keyClicks(w->editor()->textField(), QStringLiteral("Ava on the balance beam."));
        click(w->editor()->publishButton());
        QVERIFY(waitSynced());
        const auto journal = w->queue().journal(QStringLiteral("C001"));
        QVERIFY(!journal.isEmpty());
        const wire::Observation &o = journal.first().observation;
        QCOMPARE(o.media_size(), 1);
        QCOMPARE(o.media(0).kind(), wire::VIDEO);
        // The server confirmed the upload: the original left this tablet (docs/at-rest.md),
        // so the viewer below plays the copy fetched back from the server, sealed in media/.
        const QString queued
            = w->queue().store().queuedMediaPath(QString::fromStdString(o.media(0).id()), wire::ORIGINAL);
        QVERIFY(queued.startsWith(w->profile().outboxDirectory()));
        QTRY_VERIFY_WITH_TIMEOUT(!QFileInfo::exists(queued), 10000);
        w->showMedia(o.media(0));
        QCOMPARE(w->currentPage(), w->mediaPage());
        ui::MediaViewer *viewer = w->mediaPage()->viewer();
        QTRY_VERIFY_WITH_TIMEOUT(viewer->isShowingVideo(), 20000); // fetched from the server
        QTRY_VERIFY_WITH_TIMEOUT(viewer->player()->duration() > 1000
                || viewer->player()->error() != QMediaPlayer::NoError,
            20000);
        QVERIFY2(viewer->player()->error() == QMediaPlayer::NoError,
            qPrintable(viewer->player()->errorString()));
        QTRY_VERIFY_WITH_TIMEOUT(viewer->player()->position() > 0, 20000); // it plays
        const QString fetched = w->mediaLoader()->localPath(o.media(0), wire::ORIGINAL);
        QVERIFY2(fetched.startsWith(w->profile().mediaDirectory()), qPrintable(fetched));
        QVERIFY(client::sealedfile::isSealed(fetched));
        w->goBack();
        QCOMPARE(viewer->player()->playbackState(), QMediaPlayer::StoppedState);
    }
};

ACORN_STAFF_TEST_MAIN(TestStaffObserve)
#include "tst_staff_observe.moc"
