#pragma once

#include "acorn.pb.h"
#include "clientstore.h"
#include "connectpage.h"
#include "profile.h"
#include "syncengine.h"

#include <QDialog>
#include <QList>
#include <QPointer>

#include <memory>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;

namespace acorn::ui {

// Who signed in, and the session token the server issued for this device.
struct SignInResult
{
    QByteArray token;
    QString username;
    QString displayName;
    wire::Role role = wire::ROLE_UNSPECIFIED;
    QString schoolName;
    QString schoolContact;
};

// The profile this device keeps for an account that signed in to that server.
client::Profile profileFor(const ServerIdentity &server, const SignInResult &result);
// The server a saved profile signs in to.
ServerIdentity identityOf(const client::Profile &profile);

// Signs in to a school's server: username and password, or, for a new account, the
// activation code from the school's letter and a new password typed twice. When the server
// answers that the account has two-factor sign-in, the form asks for the 6-digit code from
// the user's authenticator app and signs in again with password and code. Only the
// session token comes out (result()); the password is cleared from the form as soon as the
// server has answered, and is never kept.
//
// Failures are told in plain words with what to do: a wrong password or authenticator code, a code
// that is wrong, used or expired, an account that is switched off (with the school's contact from
// the server's hello), a server that cannot be reached, a changed fingerprint, and an
// account of a kind this app is not for (a parent in the staff app).
class SignInDialog : public QDialog
{
    Q_OBJECT
public:
    SignInDialog(ServerIdentity server, wire::ClientKind kind, QList<wire::Role> allowedRoles,
        QWidget *parent = nullptr);
    ~SignInDialog() override;

    void setUsername(const QString &username, bool editable = true);
    void setActivationMode(bool activation);
    bool isActivationMode() const;
    // A line above the form: why the user is asked (e.g. "your session ended").
    void setNotice(const QString &text);
    // Whether the form shows the authenticator-code field (after the server asked for it).
    bool asksForSecondFactor() const;
    // What the Sign in button does.
    void signIn();

    bool isBusy() const { return m_engine != nullptr; }
    QString errorText() const;
    const SignInResult &result() const { return m_result; }

    // The wording for a sign-in failure, shared with apps that sign in elsewhere.
    static QString friendlyError(
        const client::SyncEngine &engine, const QString &schoolContact, bool activation);

signals:
    void signedIn(const acorn::ui::SignInResult &result);

private:
    void finished(client::SyncEngine *engine);
    void showError(const QString &text);
    void setBusy(bool busy);

    ServerIdentity m_server;
    wire::ClientKind m_kind;
    QList<wire::Role> m_allowed;
    QLabel *m_school;
    QLabel *m_notice;
    QLineEdit *m_username;
    QStackedWidget *m_modes;
    QLineEdit *m_password;
    QLabel *m_secondFactorLabel;
    QLineEdit *m_secondFactor; // shown once the server asks for a second factor
    QLineEdit *m_code;
    QLineEdit *m_newPassword;
    QLineEdit *m_repeatPassword;
    QCheckBox *m_activation;
    QLabel *m_error;
    QPushButton *m_signIn;
    QPushButton *m_cancel;
    std::unique_ptr<client::ClientStore> m_scratch; // the engine needs a store; nothing is kept
    QPointer<client::SyncEngine> m_engine;
    SignInResult m_result;
};

} // namespace acorn::ui
