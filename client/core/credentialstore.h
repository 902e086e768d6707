#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

namespace acorn::client {

// Keeps a device's secrets (the session token, and the profile's at-rest data key) in the
// operating system's keychain (Secret Service on
// Linux, Keychain on macOS, Credential Manager on Windows) through QtKeychain. Never the
// password, never a plain-text file: when no keychain works the caller is told plainly
// (error()) and the app asks for the password each time instead.
//
// Asynchronous, KJob style: call one of the start functions, wait for finished().
class CredentialStore : public QObject
{
    Q_OBJECT
public:
    // Which secret of the profile: each is its own keychain entry (service name).
    enum class Secret { SessionToken, DataKey };

    // `profileKey` names the server+account profile, e.g. "jo.smith@school:7443".
    explicit CredentialStore(QString profileKey, QObject *parent = nullptr);
    CredentialStore(QString profileKey, Secret secret, QObject *parent = nullptr);

    void startWrite(const QByteArray &token);
    void startRead();
    void startDelete();

    bool failed() const { return !m_error.isEmpty(); }
    // True when the failure means "there is no keychain on this device" rather than
    // "there is no token stored yet".
    bool keychainUnavailable() const { return m_unavailable; }
    QString errorString() const { return m_error; }
    QByteArray token() const { return m_token; }

    static QString serviceName(Secret secret = Secret::SessionToken);

signals:
    void finished(acorn::client::CredentialStore *self);

private:
    QString m_key;
    Secret m_secret = Secret::SessionToken;
    QByteArray m_token;
    QString m_error;
    bool m_unavailable = false;
};

} // namespace acorn::client
