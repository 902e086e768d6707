#include "viewerapp.h"

#include "datakeystore.h"
#include "connectpage.h"
#include "consentdialog.h"
#include "consentreminder.h"
#include "keychainsession.h"
#include "signindialog.h"
#include "viewersession.h"
#include "viewerwindow.h"

#include <QMessageBox>

namespace acorn::viewer {


ViewerApp::ViewerApp(QObject *parent)
    : QObject(parent)
{ }

ViewerApp::~ViewerApp()
{
    closeProfile();
}

ViewerWindow *ViewerApp::window() const
{
    return m_window;
}

void ViewerApp::start()
{
    const auto last = client::ProfileList::last();
    if (!last || !last->isValid() || last->role != wire::ROLE_PARENT) {
        showConnect();
        return;
    }
    m_profile = *last;
    auto *keychain = new ui::KeychainSession(m_profile.keychainKey(), this);
    connect(keychain, &ui::KeychainSession::finished, this, [this](ui::KeychainSession *k) {
        k->deleteLater();
        if (k->outcome() == ui::KeychainSession::Outcome::Ok && !k->token().isEmpty()) {
            openProfile(m_profile, k->token());
            return;
        }
        QString notice;
        if (k->outcome() == ui::KeychainSession::Outcome::Unavailable) {
            notice = ui::KeychainSession::unavailableText();
            m_toldNoKeychain = true;
        }
        showSignIn(ui::identityOf(m_profile), m_profile.username, notice);
    });
    keychain->restore();
}

void ViewerApp::showConnect()
{
    auto *dialog = new ui::ConnectDialog(wire::CLIENT_KIND_VIEWER);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Connect to your child's school"));
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const ui::ServerIdentity server = dialog->identity();
        // An enrolment code with an activation code goes straight to activation.
        showSignIn(server, QString(), QString());
    });
    connect(dialog, &QDialog::rejected, this, &ViewerApp::quitRequested);
    dialog->show();
}

ui::SignInDialog *ViewerApp::showSignIn(
    const ui::ServerIdentity &server, const QString &username, const QString &notice)
{
    auto *dialog = new ui::SignInDialog(server, wire::CLIENT_KIND_VIEWER, { wire::ROLE_PARENT });
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Sign in to your child's journal"));
    if (!username.isEmpty())
        dialog->setUsername(username, false);
    dialog->setNotice(notice);
    connect(dialog, &ui::SignInDialog::signedIn, this,
        [this, server](const ui::SignInResult &result) { signedIn(server, result); });
    connect(dialog, &QDialog::rejected, this, [this] {
        if (!m_window)
            emit quitRequested();
    });
    dialog->show();
    return dialog;
}

void ViewerApp::signedIn(const ui::ServerIdentity &server, const ui::SignInResult &result)
{
    client::Profile p = ui::profileFor(server, result);
    if (Status s = client::ProfileList::save(p); !s) {
        QMessageBox::warning(nullptr, tr("Acorn"),
            tr("This computer could not remember the school: %1").arg(s.error()));
    } else {
        client::ProfileList::setLast(p.id());
    }
    if (m_session && m_profile.id() == p.id()) {
        // The session had ended while the window was open: carry on with the new token.
        m_session->setToken(result.token);
        storeToken(result.token);
        m_session->syncNow();
        return;
    }
    closeProfile();
    openProfile(p, result.token, [this, result] {
        if (m_session)
            m_session->rememberAccount(result.displayName, result.schoolName, result.schoolContact);
    });
    storeToken(result.token);
}

void ViewerApp::storeToken(const QByteArray &token)
{
    auto *keychain = new ui::KeychainSession(m_profile.keychainKey(), this);
    connect(keychain, &ui::KeychainSession::finished, this, [this](ui::KeychainSession *k) {
        k->deleteLater();
        if (k->outcome() == ui::KeychainSession::Outcome::Ok || m_toldNoKeychain)
            return;
        m_toldNoKeychain = true;
        QMessageBox::information(m_window, tr("Signing in next time"),
            k->outcome() == ui::KeychainSession::Outcome::Unavailable
                ? ui::KeychainSession::unavailableText()
                : tr("Acorn could not keep you signed in (%1): you will sign in again next "
                     "time.")
                      .arg(k->errorString()));
    });
    keychain->store(token);
}

void ViewerApp::openProfile(
    const client::Profile &profile, const QByteArray &token, std::function<void()> opened)
{
    m_profile = profile;
    const ViewerAccount account { profile.directory(), profile.host, profile.port,
        profile.fingerprint, profile.username };
    // The cache is sealed with the profile's data key, read from the keychain first.
    auto *keys = new client::DataKeyStore(ViewerSession::keychainKey(account), this);
    connect(keys, &client::DataKeyStore::finished, this,
        [this, profile, token, account, opened](client::DataKeyStore *k) {
            k->deleteLater();
            if (k->failed()) {
                QMessageBox::critical(nullptr, tr("Acorn"), k->errorString());
                emit quitRequested();
                return;
            }
            openSession(profile, token, account, k->key());
            if (opened)
                opened();
        });
    keys->start(!client::ClientStore::holdsSealedData(ViewerSession::databasePath(account)));
}

void ViewerApp::openSession(const client::Profile &profile, const QByteArray &token,
    const ViewerAccount &account, const client::DataKey &key)
{
    auto session = ViewerSession::open(account, key);
    if (!session) {
        QMessageBox::critical(nullptr, tr("Acorn"), session.error());
        emit quitRequested();
        return;
    }
    m_session = std::move(session).value();
    m_session->setToken(token);
    m_session->rememberAccount(profile.displayName, profile.schoolName, QString());

    if (ConsentReminder::isAccepted(m_session->store())) {
        showWindow();
        return;
    }
    auto *reminder = new ConsentDialog(m_session->schoolName());
    reminder->setAttribute(Qt::WA_DeleteOnClose);
    connect(reminder, &QDialog::accepted, this, [this] {
        ConsentReminder::accept(m_session->store());
        showWindow();
    });
    connect(reminder, &QDialog::rejected, this, &ViewerApp::signOut);
    reminder->show();
}

void ViewerApp::showWindow()
{
    m_window = new ViewerWindow(*m_session);
    m_window->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_window, &QObject::destroyed, this, [this] {
        if (m_session)
            emit quitRequested();
    });
    connect(m_window, &ViewerWindow::signOutRequested, this, &ViewerApp::signOut);
    connect(m_window, &ViewerWindow::signInNeeded, this, [this](const QString &message) {
        showSignIn(ui::identityOf(m_profile), m_profile.username, message);
    });
    m_window->show();
    m_window->start();
}

void ViewerApp::signOut()
{
    // Forget the token on this device; the cached journal stays for the next sign-in of
    // this profile (it is this family's own data), the sign-in dialog comes back.
    auto *keychain = new ui::KeychainSession(m_profile.keychainKey(), this);
    connect(keychain, &ui::KeychainSession::finished, keychain, &QObject::deleteLater);
    keychain->forget();
    const client::Profile profile = m_profile;
    closeProfile();
    showSignIn(ui::identityOf(profile), profile.username, tr("You have signed out."));
}

void ViewerApp::closeProfile()
{
    if (m_window) {
        ViewerWindow *w = m_window;
        m_window = nullptr;
        disconnect(w, nullptr, this, nullptr);
        delete w;
    }
    m_session.reset();
}

} // namespace acorn::viewer
