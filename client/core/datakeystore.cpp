#include "datakeystore.h"

#include "credentialstore.h"
#include "logging.h"

#include <QDir>
#include <QEventLoop>
#include <QTimer>

namespace acorn::client {

DataKeyStore::DataKeyStore(QString profileKey, QObject *parent)
    : QObject(parent)
    , m_profileKey(std::move(profileKey))
{ }

QString DataKeyStore::unavailableText()
{
    return tr("This device has no working keychain (the safe place where apps keep their keys), "
              "so Acorn cannot keep the journal encrypted on it, and it never keeps it in plain "
              "text. Ask the school's IT manager to set up the keychain (Secret Service, e.g. "
              "GNOME Keyring or KWallet), then open Acorn again.");
}

void DataKeyStore::start(bool mayCreate)
{
    m_error.clear();
    m_unavailable = false;
    auto *read = new CredentialStore(m_profileKey, CredentialStore::Secret::DataKey, this);
    connect(read, &CredentialStore::finished, this, [this, mayCreate](CredentialStore *r) {
        r->deleteLater();
        if (!r->failed()) {
            m_key = DataKey::fromBytes(r->token());
            done(m_key.isValid() ? QString()
                                 : tr("the data key in this device's keychain is damaged, so the "
                                      "journal on this device cannot be opened; it is kept "
                                      "untouched for the school's IT manager"));
            return;
        }
        if (r->keychainUnavailable()) {
            m_unavailable = true;
            done(unavailableText() + u' ' + r->errorString());
            return;
        }
        if (!mayCreate) {
            done(tr("the key of the encrypted journal on this device is missing from the "
                    "keychain, so it cannot be opened. Nothing was deleted: restore the keychain, "
                    "or ask the school's IT manager to remove this account from the device and "
                    "sign in again (anything not yet sent would then be lost)."));
            return;
        }
        const DataKey fresh = DataKey::generate();
        auto *write = new CredentialStore(m_profileKey, CredentialStore::Secret::DataKey, this);
        connect(write, &CredentialStore::finished, this, [this, fresh](CredentialStore *w) {
            w->deleteLater();
            if (w->failed()) {
                m_unavailable = w->keychainUnavailable();
                done(m_unavailable ? unavailableText() + u' ' + w->errorString()
                                   : w->errorString());
                return;
            }
            qCInfo(lcClientStore) << "made a new data key for this profile";
            m_key = fresh;
            done();
        });
        write->startWrite(fresh.bytes());
    });
    read->startRead();
}

void DataKeyStore::done(const QString &error)
{
    m_error = error;
    if (!error.isEmpty())
        m_key = DataKey();
    // Queued: the caller's handler may open windows or dialogs (nested event loops), which
    // must not run inside QtKeychain's callback, whose job would be freed under it.
    QMetaObject::invokeMethod(this, [this] { emit finished(this); }, Qt::QueuedConnection);
}

namespace {
// Starts a KJob-style job and waits for its `finished` signal in a local event loop, at most
// `timeoutMs`; false if it did not answer in time.
template<typename Job, typename Signal, typename Start>
bool runAndWait(Job &job, Signal finished, Start start, int timeoutMs)
{
    QEventLoop loop;
    bool answered = false;
    QObject::connect(&job, finished, &loop, [&] {
        answered = true;
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    start();
    if (!answered)
        loop.exec();
    return answered;
}
} // namespace

// Both blocking helpers keep their jobs on the heap and delete them later: the keychain
// backend (libsecret through QtKeychain) may still call into a job after it answered, so a
// job on the stack, gone when the helper returns, would be used after it was freed.
Status DataKeyStore::save(const QString &profileKey, const DataKey &key, int timeoutMs)
{
    auto *write = new CredentialStore(profileKey, CredentialStore::Secret::DataKey);
    const bool answered = runAndWait(
        *write, &CredentialStore::finished, [&] { write->startWrite(key.bytes()); }, timeoutMs);
    const Status s = !answered ? Status::failure(unavailableText() + tr(" (the keychain did not answer)"))
        : write->failed()      ? Status::failure(write->errorString())
                               : Status();
    write->deleteLater();
    return s;
}

QString DataKeyStore::folderKeyName(const QString &profileDirectory)
{
    return QStringLiteral("folder:") + QDir(profileDirectory).absolutePath();
}

Result<DataKey> DataKeyStore::obtain(const QString &profileKey, bool mayCreate, int timeoutMs)
{
    using R = Result<DataKey>;
    auto *job = new DataKeyStore(profileKey);
    const bool answered
        = runAndWait(*job, &DataKeyStore::finished, [&] { job->start(mayCreate); }, timeoutMs);
    const R result = !answered ? R::failure(unavailableText() + tr(" (the keychain did not answer)"))
        : job->failed()        ? R::failure(job->errorString())
                               : R(job->key());
    job->deleteLater();
    return result;
}

} // namespace acorn::client
