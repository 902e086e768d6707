#pragma once

#include "atrest.h"
#include "profile.h"
#include "viewersession.h"

#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>

namespace acorn::ui {
struct ServerIdentity;
struct SignInResult;
class SignInDialog;
} // namespace acorn::ui

namespace acorn::viewer {

class ViewerSession;
class ViewerWindow;

// The viewer's way in, step by step: first run (ConnectDialog: enrolment code or address
// and fingerprint; SignInDialog: password, or the activation code from the school's letter
// and a new password), the consent reminder on a profile's first sign-in, then the window.
// Later starts restore the session token from the keychain (KeychainSession) and open the
// last profile's cached journals at once, syncing in the background; when the token is
// gone or ended, the sign-in dialog comes back with the username filled in.
//
// Only the token is kept (keychain); with no keychain the app says so and asks each time.
class ViewerApp : public QObject
{
    Q_OBJECT
public:
    explicit ViewerApp(QObject *parent = nullptr);
    ~ViewerApp() override;

    void start();

    // The steps, for tests and for start().
    void showConnect();
    ui::SignInDialog *showSignIn(
        const ui::ServerIdentity &server, const QString &username, const QString &notice);
    // Opens `profile` with `token`: the consent reminder first if this profile has not
    // accepted it, then the window (cache at once, then a sync).
    // Reads the profile's data key (asynchronously), then opens its session; `opened` runs
    // once the session is open.
    void openProfile(const client::Profile &profile, const QByteArray &token,
        std::function<void()> opened = {});
    void openSession(const client::Profile &profile, const QByteArray &token,
        const ViewerAccount &account, const client::DataKey &key);

    ViewerWindow *window() const;
    ViewerSession *session() const { return m_session.get(); }
    const client::Profile &profile() const { return m_profile; }

signals:
    void quitRequested();

private:
    void signedIn(const ui::ServerIdentity &server, const ui::SignInResult &result);
    void storeToken(const QByteArray &token);
    void showWindow();
    void signOut();
    void closeProfile();

    client::Profile m_profile;
    std::unique_ptr<ViewerSession> m_session;
    QPointer<ViewerWindow> m_window;
    bool m_toldNoKeychain = false;
};

} // namespace acorn::viewer
