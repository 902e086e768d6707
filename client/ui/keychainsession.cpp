#include "keychainsession.h"

#include "credentialstore.h"

#include <QTimer>

namespace acorn::ui {

namespace {
enum Operation { Store, Restore, Forget };
}

KeychainSession::KeychainSession(QString keychainKey, QObject *parent)
    : QObject(parent)
    , m_key(std::move(keychainKey))
{ }

QString KeychainSession::unavailableText()
{
    return tr("This device has no working keychain (the safe place where apps keep sign-ins), so "
              "Acorn cannot "
              "keep you signed in. You will sign in each time you open the app. Your password and "
              "sign-in are "
              "never written to a file.");
}

void KeychainSession::store(const QByteArray &token)
{
    start(Store, token);
}

void KeychainSession::restore()
{
    start(Restore, {});
}

void KeychainSession::forget()
{
    start(Forget, {});
}

void KeychainSession::start(int operation, const QByteArray &token)
{
    m_outcome = Outcome::Pending;
    m_error.clear();
    m_token.clear();
    const int generation = ++m_generation;
    auto *credentials = new client::CredentialStore(m_key, this);
    QTimer::singleShot(m_timeoutMs, this, [this, generation] {
        if (generation != m_generation || m_outcome != Outcome::Pending)
            return;
        ++m_generation; // a late answer is ignored
        m_outcome = Outcome::Unavailable;
        m_error = tr("the keychain did not answer");
        emit finished(this);
    });
    connect(credentials, &client::CredentialStore::finished, this,
        [this, operation, generation](client::CredentialStore *c) {
            c->deleteLater();
            if (generation != m_generation)
                return;
            m_error = c->errorString();
            if (!c->failed()) {
                m_outcome = Outcome::Ok;
                m_token = operation == Restore ? c->token() : QByteArray();
                if (operation == Restore && m_token.isEmpty())
                    m_outcome = Outcome::NotFound;
            } else if (c->keychainUnavailable()) {
                m_outcome = Outcome::Unavailable;
            } else if (operation == Restore) {
                m_outcome = Outcome::NotFound;
            } else {
                m_outcome = Outcome::Failed;
            }
            emit finished(this);
        });
    switch (operation) {
    case Store:
        credentials->startWrite(token);
        break;
    case Restore:
        credentials->startRead();
        break;
    default:
        credentials->startDelete();
        break;
    }
}

} // namespace acorn::ui
