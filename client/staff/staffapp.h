#pragma once

#include "connectpage.h"
#include "profile.h"
#include "signindialog.h"
#include "staffwindow.h"

#include <QObject>
#include <QPointer>

namespace acorn::staff {

// How acorn-staff was started. All optional: with none, the app asks.
struct StaffOptions
{
    QString server; // HOST:PORT (demo and scripts)
    QString pin; // the fingerprint to pin with --server
    QString username;
    QString password; // only from the environment (ACORN_PASSWORD), for demos and scripts
    QString enrolment; // an enrolment code to start from
    QString screenshots; // save PNGs of the main screens here after the first sync, then quit
};

// The staff app's way in, from start to the main window: the last profile's session from
// the keychain (no password needed), or sign-in for a known profile, or first contact with
// a school server (ConnectDialog, then SignInDialog). After a sign-in the profile is saved
// and the session token goes to the keychain; when there is no keychain the window says
// that the user will sign in each time and the token lives in memory only. An ended session
// or a sign-out brings the sign-in back; a changed server fingerprint is never passed.
class StaffApp : public QObject
{
    Q_OBJECT
public:
    explicit StaffApp(StaffOptions options, QObject *parent = nullptr);
    ~StaffApp() override;

    void start();

    StaffWindow *window() const { return m_window; }
    ui::ConnectDialog *connectDialog() const { return m_connect; }
    ui::SignInDialog *signInDialog() const { return m_signIn; }
    // Whether the last keychain operation found no keychain (sign in each time).
    bool keychainUnavailable() const { return m_keychainUnavailable; }
    QString lastError() const { return m_error; }

signals:
    void windowOpened(acorn::staff::StaffWindow *window);
    void finished(int exitCode); // the app should quit
    void screenshotsTaken(const QStringList &files);

private:
    void restoreSession(const client::Profile &profile);
    void showConnect();
    void showSignIn(
        const ui::ServerIdentity &server, const QString &username, const QString &notice);
    void signedIn(const ui::ServerIdentity &server, const ui::SignInResult &result);
    void openWindow(const client::Profile &profile, const QByteArray &token, const QString &notice);
    void openStore(const client::Profile &profile, const QByteArray &token, const QString &notice,
        const client::DataKey &key);
    void signOut();
    void fail(const QString &message);
    void takeScreenshots();

    StaffOptions m_options;
    QPointer<StaffWindow> m_window;
    QPointer<ui::ConnectDialog> m_connect;
    QPointer<ui::SignInDialog> m_signIn;
    bool m_keychainUnavailable = false;
    QString m_error;
};

} // namespace acorn::staff
