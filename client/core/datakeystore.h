#pragma once

#include "atrest.h"
#include "result.h"

#include <QObject>
#include <QString>

namespace acorn::client {

// Finds a profile's at-rest data key (DataKey) in the OS keychain, next to its session
// token (CredentialStore, another service name), or makes and stores one when the profile
// has nothing sealed yet. Never a key in a file, never a plain-text fallback: without a
// keychain, or with the key gone from it, the caller gets a clear error and the sealed data
// stays on the disk untouched (a restored keychain opens it again).
//
// Asynchronous, KJob style: start(), then finished() (always queued, never from inside the
// keychain's own callback); obtain() waits for it in a local event loop (acorn-cli, tests;
// never from inside another job's callback).
class DataKeyStore : public QObject
{
    Q_OBJECT
public:
    explicit DataKeyStore(QString profileKey, QObject *parent = nullptr);

    // `mayCreate`: the profile has no sealed data yet (a new profile, or a store from before
    // encryption), so a missing key may be made now. Otherwise a missing key is an error.
    void start(bool mayCreate);

    bool failed() const { return !m_error.isEmpty(); }
    QString errorString() const { return m_error; }
    // The failure means "no keychain on this device", not "no key stored".
    bool keychainUnavailable() const { return m_unavailable; }
    DataKey key() const { return m_key; }

    static Result<DataKey> obtain(const QString &profileKey, bool mayCreate, int timeoutMs = 60000);
    // The keychain name of the data key of a profile folder that is not in the app's profile
    // list (acorn-cli --profile DIR): "folder:" and the folder's absolute path.
    static QString folderKeyName(const QString &profileDirectory);
    // Stores `key` under `profileKey`, waiting for the keychain (a profile copied to another
    // folder takes its key along).
    static Status save(const QString &profileKey, const DataKey &key, int timeoutMs = 60000);

    // What the user is told when there is no keychain for the data key.
    static QString unavailableText();

signals:
    void finished(acorn::client::DataKeyStore *self);

private:
    void done(const QString &error = {});

    QString m_profileKey;
    DataKey m_key;
    QString m_error;
    bool m_unavailable = false;
};

} // namespace acorn::client
