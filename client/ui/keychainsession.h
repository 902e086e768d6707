#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>

namespace acorn::ui {

// Keeps a profile signed in across app starts: after a sign-in the session token goes into
// the OS keychain (CredentialStore, QtKeychain); on the next start it is read back and the
// app signs in with it, without asking for the password.
//
// When no keychain works on this device it says so plainly (unavailableText()) and the app
// falls back to "sign in each time": the token is kept in memory for this run only. There
// is no other fallback: never the password, never a token in a plain file.
class KeychainSession : public QObject
{
    Q_OBJECT
public:
    enum class Outcome {
        Pending,
        Ok, // stored / read / forgotten
        NotFound, // read: nothing stored for this profile
        Unavailable, // no keychain works on this device: sign in each time
        Failed, // the keychain answered with an error
    };
    Q_ENUM(Outcome)

    explicit KeychainSession(QString keychainKey, QObject *parent = nullptr);

    void store(const QByteArray &token);
    void restore();
    void forget();

    // A keychain that does not answer (a locked keyring waiting for a prompt nobody sees)
    // counts as unavailable after this long.
    void setTimeout(int ms) { m_timeoutMs = ms; }

    Outcome outcome() const { return m_outcome; }
    QByteArray token() const { return m_token; }
    QString errorString() const { return m_error; }

    // What the user is told when there is no keychain, in plain words.
    static QString unavailableText();

signals:
    void finished(acorn::ui::KeychainSession *self);

private:
    void start(int operation, const QByteArray &token);

    QString m_key;
    int m_timeoutMs = 60000;
    int m_generation = 0;
    Outcome m_outcome = Outcome::Pending;
    QByteArray m_token;
    QString m_error;
};

} // namespace acorn::ui
