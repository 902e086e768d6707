#pragma once

#include "acorn.pb.h"
#include "syncengine.h"

#include <QObject>
#include <QPointer>

namespace acorn::client {

class ClientStore;

// Sets up two-factor sign-in (an authenticator app's 6-digit codes) for the signed-in account
// from this device, KJob style: start() signs in with the session token and asks the server
// for a new secret (otpauthUri(), secret()); the app shows it (a QR code) and the user adds it
// to their authenticator app; confirm() sends a code from the app, and the server switches
// two-factor sign-in on. Each step ends in stepFinished(); error() tells what went wrong.
//
// Every rule is the server's (who may, how long a set-up waits, single-use codes, the
// throttle); this class only carries the exchange. It never stores the secret: it lives in
// memory until the object goes.
class TwoFactorSetup : public QObject
{
    Q_OBJECT
public:
    enum class Error {
        None,
        Offline, // the server cannot be reached (nothing changed: try again later)
        Tls, // the server's key is not the pinned one
        SessionEnded, // sign in again first
        CodeNeeded, // the account has a second factor: the old app's current code is needed
        WrongCode, // the code is not right (counted as a failed sign-in by the server)
        Expired, // the set-up waited too long: start again
        Throttled, // too many wrong codes or passwords: wait retryAfterSeconds()
        Refused, // the server refused (not allowed, too old a server, ...): errorString() says why
    };

    // `signIn`: the server, pin, client kind, device name and session token of the
    // signed-in account (never a password). `store` is the profile's, untouched here.
    TwoFactorSetup(ClientStore &store, SyncOptions signIn, QObject *parent = nullptr);
    ~TwoFactorSetup() override;

    // Asks for a new secret. `currentCode`: a code of the account's present authenticator
    // app, needed only to replace one (Error::CodeNeeded says so).
    void start(const QString &currentCode = {});
    // Sends a code of the new secret (after start() succeeded).
    void confirm(const QString &code);

    bool isBusy() const { return m_busy; }
    bool isConfirmed() const { return m_confirmed; }
    Error error() const { return m_error; }
    QString errorString() const { return m_errorString; }
    quint32 retryAfterSeconds() const { return m_retryAfterSeconds; }

    // After a successful start().
    QString otpauthUri() const { return m_uri; }
    QString secret() const { return m_secret; } // base32, for typing in by hand
    int digits() const { return m_digits; }
    qint64 expiresAtMs() const { return m_expiresAtMs; } // the server's clock
    bool replacesExisting() const { return m_replaces; }
    // After a successful confirm(): the account's other sessions the server ended.
    int sessionsEnded() const { return m_sessionsEnded; }

signals:
    void stepFinished(acorn::client::TwoFactorSetup *self);

private:
    void send(const wire::Frame &frame);
    void onReply(const wire::Frame &reply);
    void fail(Error error, const QString &message);

    ClientStore &m_store;
    SyncOptions m_signIn;
    QPointer<SyncEngine> m_engine; // a sign-in without push or pull: its connection stays open
    wire::Frame m_waiting; // the request to send once signed in
    bool m_busy = false;
    bool m_confirmed = false;
    Error m_error = Error::None;
    QString m_errorString;
    quint32 m_retryAfterSeconds = 0;
    QString m_uri;
    QString m_secret;
    int m_digits = 6;
    qint64 m_expiresAtMs = 0;
    bool m_replaces = false;
    int m_sessionsEnded = 0;
};

} // namespace acorn::client
