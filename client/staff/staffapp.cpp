#include "staffapp.h"

#include "capturepage.h"
#include "datakeystore.h"
#include "enrolment.h"
#include "fingerprintwarning.h"
#include "journalpage.h"
#include "keychainsession.h"
#include "mediathumbnail.h"
#include "observationeditor.h"
#include "protocol.h"
#include "rosterpage.h"
#include "staffwindow.h"
#include "startupprobe.h"
#include "syncscheduler.h"
#include "tlspin.h"

#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QElapsedTimer>
#include <QImage>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QMessageBox>
#include <QPainter>
#include <QPlainTextEdit>
#include <QThread>
#include <QTimer>

namespace acorn::staff {

namespace {
Q_LOGGING_CATEGORY(lcStaff, "acorn.client.staff")
const QList<wire::Role> kStaffRoles { wire::ROLE_LEAD, wire::ROLE_PRACTITIONER };
} // namespace

StaffApp::StaffApp(StaffOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{ }

StaffApp::~StaffApp()
{
    delete m_window;
    delete m_signIn;
    delete m_connect;
}

void StaffApp::fail(const QString &message)
{
    m_error = message;
    qCWarning(lcStaff) << "cannot start:" << message;
    auto *box = new QMessageBox(QMessageBox::Critical, tr("Acorn"), message, QMessageBox::Close);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this] { emit finished(1); });
    box->open();
}

void StaffApp::start()
{
    if (!m_options.server.isEmpty()) {
        const auto address = client::ServerAddress::parse(m_options.server, protocol::kDefaultPort);
        const auto pin = tls::normaliseFingerprint(m_options.pin);
        if (!address || !pin || m_options.username.isEmpty()) {
            fail(tr("--server needs HOST:PORT, --pin a fingerprint and --user a username (%1)")
                     .arg(!address  ? address.error()
                             : !pin ? pin.error()
                                    : tr("no username")));
            return;
        }
        ui::ServerIdentity server;
        server.host = address->host;
        server.port = address->port;
        server.fingerprint = pin.value();
        const QString known = client::ProfileList::pinnedFingerprint(server.host, server.port);
        if (!known.isEmpty() && known != server.fingerprint) {
            auto *dialog = new ui::FingerprintChangedDialog(known, server.fingerprint);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            connect(dialog, &QDialog::finished, this, [this] { emit finished(1); });
            dialog->open();
            return;
        }
        client::Profile p;
        p.host = server.host;
        p.port = server.port;
        p.username = m_options.username.toLower();
        if (m_options.password.isEmpty()) {
            if (const auto existing = client::ProfileList::find(p.id())) {
                restoreSession(*existing);
                return;
            }
            showSignIn(server, m_options.username, {});
            return;
        }
        // Scripted sign-in (demo, screenshots): the same dialog, filled in, not shown
        // unless it fails.
        m_signIn = new ui::SignInDialog(server, wire::CLIENT_KIND_STAFF, kStaffRoles);
        m_signIn->setUsername(m_options.username);
        m_signIn->findChild<QLineEdit *>(QStringLiteral("password"))->setText(m_options.password);
        m_options.password.clear();
        connect(m_signIn, &ui::SignInDialog::signedIn, this,
            [this, server](const ui::SignInResult &r) { signedIn(server, r); });
        connect(m_signIn, &QDialog::rejected, this, [this] {
            if (!m_window)
                emit finished(1);
        });
        connect(m_signIn, &ui::SignInDialog::signedIn, m_signIn, &QObject::deleteLater);
        m_signIn->signIn();
        QTimer::singleShot(0, this, [this] {
            // Shown only if it needs the user (a wrong password, no server...).
            auto watch = new QTimer(this);
            watch->setInterval(100);
            connect(watch, &QTimer::timeout, this, [this, watch] {
                if (!m_signIn || m_window) {
                    watch->deleteLater();
                    return;
                }
                if (!m_signIn->isBusy()) {
                    watch->deleteLater();
                    if (!m_signIn->errorText().isEmpty()) {
                        qCWarning(lcStaff) << "scripted sign-in failed:" << m_signIn->errorText();
                        if (!m_options.screenshots.isEmpty()) {
                            emit finished(1);
                            return;
                        }
                        m_signIn->open();
                    }
                }
            });
            watch->start();
        });
        return;
    }
    if (!m_options.enrolment.isEmpty()) {
        showConnect();
        return;
    }
    if (const auto last = client::ProfileList::last()) {
        restoreSession(*last);
        return;
    }
    showConnect();
}

void StaffApp::restoreSession(const client::Profile &profile)
{
    auto *keychain = new ui::KeychainSession(profile.keychainKey(), this);
    connect(
        keychain, &ui::KeychainSession::finished, this, [this, profile](ui::KeychainSession *k) {
            k->deleteLater();
            switch (k->outcome()) {
            case ui::KeychainSession::Outcome::Ok:
                m_keychainUnavailable = false;
                openWindow(profile, k->token(), {});
                return;
            case ui::KeychainSession::Outcome::Unavailable:
                m_keychainUnavailable = true;
                showSignIn(
                    ui::identityOf(profile), profile.username, ui::KeychainSession::unavailableText());
                return;
            default:
                showSignIn(ui::identityOf(profile), profile.username, {});
                return;
            }
        });
    keychain->restore();
}

void StaffApp::showConnect()
{
    m_connect = new ui::ConnectDialog(wire::CLIENT_KIND_STAFF);
    m_connect->setAttribute(Qt::WA_DeleteOnClose);
    if (!m_options.enrolment.isEmpty())
        m_connect->page()->setEnrolmentCode(m_options.enrolment);
    connect(m_connect, &QDialog::finished, this, [this](int result) {
        if (result != QDialog::Accepted) {
            emit finished(0);
            return;
        }
        const ui::ServerIdentity server = m_connect->identity();
        showSignIn(server, QString(), {});
    });
    m_connect->open();
}

void StaffApp::showSignIn(
    const ui::ServerIdentity &server, const QString &username, const QString &notice)
{
    if (m_signIn)
        m_signIn->deleteLater();
    m_signIn = new ui::SignInDialog(server, wire::CLIENT_KIND_STAFF, kStaffRoles, m_window);
    m_signIn->setAttribute(Qt::WA_DeleteOnClose);
    m_signIn->setUsername(username, username.isEmpty() || !m_window);
    m_signIn->setNotice(notice);
    connect(m_signIn, &ui::SignInDialog::signedIn, this,
        [this, server](const ui::SignInResult &r) { signedIn(server, r); });
    connect(m_signIn, &QDialog::rejected, this, [this] {
        if (!m_window)
            emit finished(0);
    });
    m_signIn->open();
}

void StaffApp::signedIn(const ui::ServerIdentity &server, const ui::SignInResult &result)
{
    const client::Profile profile = ui::profileFor(server, result);
    if (Status s = client::ProfileList::save(profile); !s) {
        fail(s.error());
        return;
    }
    client::ProfileList::setLast(profile.id());
    const QByteArray token = result.token;
    auto *keychain = new ui::KeychainSession(profile.keychainKey(), this);
    connect(keychain, &ui::KeychainSession::finished, this,
        [this, profile, token](ui::KeychainSession *k) {
            k->deleteLater();
            QString notice;
            m_keychainUnavailable = k->outcome() == ui::KeychainSession::Outcome::Unavailable;
            if (m_keychainUnavailable)
                notice = ui::KeychainSession::unavailableText();
            else if (k->outcome() != ui::KeychainSession::Outcome::Ok)
                notice = tr("Acorn could not keep you signed in on this device (%1): you will sign "
                            "in each time.")
                             .arg(k->errorString());
            if (m_window && m_window->profile().id() == profile.id()) {
                m_window->setKeychainNotice(notice);
                m_window->setToken(token);
                return;
            }
            openWindow(profile, token, notice);
        });
    keychain->store(token);
}

void StaffApp::openWindow(
    const client::Profile &profile, const QByteArray &token, const QString &notice)
{
    // The profile's data key from the keychain (made on first use): the store is sealed with it.
    auto *keys = new client::DataKeyStore(profile.keychainKey(), this);
    connect(keys, &client::DataKeyStore::finished, this,
        [this, profile, token, notice](client::DataKeyStore *k) {
            k->deleteLater();
            if (k->failed()) {
                fail(tr("This device's Acorn data cannot be opened: %1").arg(k->errorString()));
                return;
            }
            openStore(profile, token, notice, k->key());
        });
    keys->start(!client::ClientStore::holdsSealedData(profile.databasePath()));
}

void StaffApp::openStore(const client::Profile &profile, const QByteArray &token,
    const QString &notice, const client::DataKey &key)
{
    auto store = client::ClientStore::open(profile.databasePath(), key);
    if (!store) {
        fail(tr("This device's Acorn data cannot be opened: %1").arg(store.error()));
        return;
    }
    // A damaged local store was replaced at open: the user is told what was rescued.
    QString shown = notice;
    if (const auto &recovery = store.value()->recovery())
        shown = shown.isEmpty() ? recovery->message() : recovery->message() + u'\n' + shown;
    delete m_window;
    m_window = new StaffWindow(profile, std::move(store).value(), token);
    m_window->setAttribute(Qt::WA_DeleteOnClose);
    m_window->setKeychainNotice(shown);
    connect(m_window, &StaffWindow::signInNeeded, this, [this](const QString &message) {
        if (!m_window || m_signIn)
            return;
        const client::Profile p = m_window->profile();
        QString why = tr("Please sign in again: %1").arg(message);
        if (m_keychainUnavailable)
            why += u'\n' + ui::KeychainSession::unavailableText();
        showSignIn(ui::identityOf(p), p.username, why);
    });
    connect(m_window, &StaffWindow::signOutRequested, this, &StaffApp::signOut);
    connect(m_window, &QObject::destroyed, this, [this] {
        if (!m_signIn && !m_connect)
            emit finished(0);
    });
    m_window->show();
    // The start-up benchmark's measuring point (acorn-bench staff-start); nothing otherwise.
    if (qEnvironmentVariableIsSet("ACORN_STARTUP_PROBE"))
        new StartupProbe(m_window, qEnvironmentVariable("ACORN_STARTUP_PROBE"), [this] { emit finished(0); });
    emit windowOpened(m_window);
    if (!m_options.screenshots.isEmpty())
        takeScreenshots();
}

void StaffApp::signOut()
{
    if (!m_window)
        return;
    const client::Profile p = m_window->profile();
    auto *keychain = new ui::KeychainSession(p.keychainKey(), this);
    connect(keychain, &ui::KeychainSession::finished, keychain, &QObject::deleteLater);
    keychain->forget();
    // The profile and its data stay: work waiting to be sent is sent after the next sign-in.
    StaffWindow *w = m_window;
    m_window = nullptr;
    w->hide();
    w->deleteLater();
    showSignIn(ui::identityOf(p), p.username,
        tr("You are signed out. Anything waiting is kept on this device and "
           "sent after you sign in again."));
}

// --screenshots DIR: the roster, the capture screen, the editor and a child's journal,
// each saved as a PNG after the first sync. For documentation and review, not a test.
void StaffApp::takeScreenshots()
{
    StaffWindow *w = m_window;
    const QString dir = m_options.screenshots;
    QDir().mkpath(dir);
    // Lets thumbnails arrive (they load over the network) before a picture is taken.
    auto settle = [w] {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 5000) {
            QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
            const auto thumbs = w->currentPage()->findChildren<ui::MediaThumbnail *>();
            if (std::all_of(thumbs.cbegin(), thumbs.cend(), [](const ui::MediaThumbnail *th) {
                    return th->hasImage() || th->media().kind() == wire::VIDEO;
                }))
                break;
            QThread::msleep(20);
        }
    };
    auto grab = [w, dir, settle](const QString &name) {
        settle();
        QCoreApplication::processEvents();
        const QString file = dir + QStringLiteral("/staff-%1.png").arg(name);
        const bool ok = w->grab().save(file);
        qCInfo(lcStaff) << "screenshot" << file << (ok ? "saved" : "FAILED");
        return file;
    };
    auto run = [this, w, grab] {
        QStringList files;
        w->resize(1280, 800);
        w->showRoster();
        files << grab(QStringLiteral("roster"));
        // The journal of the child with the most observations.
        const QList<client::ChildSummary> children = w->rosterPage()->model()->children();
        QString ref;
        int most = -1;
        for (const auto &c : children) {
            if (c.observations > most) {
                most = c.observations;
                ref = c.ref();
            }
        }
        if (!ref.isEmpty()) {
            w->showJournal(ref);
            files << grab(QStringLiteral("journal"));
            const auto entries = w->queue().journal(ref);
            if (!entries.isEmpty()) {
                w->showObservation(entries.first().id());
                files << grab(QStringLiteral("observation"));
            }
        }
        QStringList two;
        for (const auto &c : children) {
            if (two.size() < 2)
                two.append(c.ref());
        }
        w->showRoster();
        w->newObservation(two);
        const QString photo = qEnvironmentVariable("ACORN_SCREENSHOT_PHOTO");
        files << grab(QStringLiteral("capture"));
        if (!photo.isEmpty()) {
            w->capturePage()->importFiles({ photo });
            for (int i = 0; i < 200 && w->capturePage()->isPreparing(); ++i) {
                QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
                QThread::msleep(20);
            }
            files << grab(QStringLiteral("capture-imported"));
        }
        emit w->capturePage()->continueRequested();
        w->editor()->textField()->setPlainText(
            tr("Built a tall tower with the large blocks together, counting each block aloud up to "
               "eight."));
        w->editor()->nextStepsField()->setPlainText(tr("Count beyond ten with objects."));
        if (QCheckBox *m = w->editor()->tagBox(QStringLiteral("M")))
            m->setChecked(true);
        if (QCheckBox *pe = w->editor()->tagBox(QStringLiteral("COEL-PE")))
            pe->setChecked(true);
        files << grab(QStringLiteral("editor"));
        w->resize(800, 1280);
        files << grab(QStringLiteral("editor-portrait"));
        w->goBack();
        w->showRoster();
        files << grab(QStringLiteral("roster-portrait"));
        w->resize(1280, 800);
        w->showTracking();
        files << grab(QStringLiteral("tracking"));
        w->showRoster();
        // Dark mode: the app follows the system palette; this one stands in for a dark desktop.
        w->resize(1280, 800);
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(37, 37, 38));
        dark.setColor(QPalette::WindowText, QColor(230, 230, 230));
        dark.setColor(QPalette::Base, QColor(28, 28, 30));
        dark.setColor(QPalette::AlternateBase, QColor(45, 45, 48));
        dark.setColor(QPalette::Text, QColor(230, 230, 230));
        dark.setColor(QPalette::Button, QColor(50, 50, 53));
        dark.setColor(QPalette::ButtonText, QColor(230, 230, 230));
        dark.setColor(QPalette::Highlight, QColor(64, 128, 200));
        dark.setColor(QPalette::HighlightedText, Qt::white);
        dark.setColor(QPalette::ToolTipBase, QColor(60, 56, 40));
        dark.setColor(QPalette::ToolTipText, QColor(240, 240, 230));
        dark.setColor(QPalette::PlaceholderText, QColor(150, 150, 150));
        dark.setColor(QPalette::Mid, QColor(80, 80, 85));
        QApplication::setPalette(dark);
        files << grab(QStringLiteral("roster-dark"));
        if (!ref.isEmpty()) {
            w->showJournal(ref);
            files << grab(QStringLiteral("journal-dark"));
        }
        emit screenshotsTaken(files);
        emit finished(0);
    };
    // After the first sync, or after 20 s whatever happened (offline screenshots are useful too).
    auto *once = new QObject(this);
    connect(w->scheduler(), &client::SyncScheduler::synced, once, [once, run] {
        delete once;
        QTimer::singleShot(500, run);
    });
    QTimer::singleShot(20000, once, [once, run] {
        delete once;
        run();
    });
}

} // namespace acorn::staff
