#include "credentialstore.h"

#include <qt6keychain/keychain.h>

namespace acorn::client {

CredentialStore::CredentialStore(QString profileKey, QObject *parent) : QObject(parent), m_key(std::move(profileKey)) { }

CredentialStore::CredentialStore(QString profileKey, Secret secret, QObject *parent)
    : QObject(parent)
    , m_key(std::move(profileKey))
    , m_secret(secret)
{ }

QString CredentialStore::serviceName(Secret secret)
{
    return secret == Secret::DataKey ? QStringLiteral("org.acorn-journal.datakey")
                                     : QStringLiteral("org.acorn-journal.session");
}

namespace {
template<typename Job>
void configure(Job *job, const QString &key)
{
    job->setAutoDelete(true);
    job->setKey(key);
    job->setInsecureFallback(false); // never a plain-text fallback
}
} // namespace

void CredentialStore::startWrite(const QByteArray &token)
{
    auto *job = new QKeychain::WritePasswordJob(serviceName(m_secret), this);
    configure(job, m_key);
    job->setBinaryData(token);
    connect(job, &QKeychain::Job::finished, this, [this](QKeychain::Job *j) {
        m_unavailable = j->error() == QKeychain::NoBackendAvailable || j->error() == QKeychain::NotImplemented
                        || j->error() == QKeychain::OtherError || j->error() == QKeychain::AccessDenied;
        m_error = j->error() == QKeychain::NoError
                      ? QString()
                      : QStringLiteral("this device's keychain could not store the sign-in (%1)").arg(j->errorString());
        emit finished(this);
    });
    job->start();
}

void CredentialStore::startRead()
{
    auto *job = new QKeychain::ReadPasswordJob(serviceName(m_secret), this);
    configure(job, m_key);
    connect(job, &QKeychain::Job::finished, this, [this](QKeychain::Job *j) {
        auto *read = static_cast<QKeychain::ReadPasswordJob *>(j);
        m_token = read->binaryData();
        m_unavailable = j->error() != QKeychain::NoError && j->error() != QKeychain::EntryNotFound;
        m_error = j->error() == QKeychain::NoError ? QString()
                  : j->error() == QKeychain::EntryNotFound
                      ? QStringLiteral("no sign-in is stored for this account on this device")
                      : QStringLiteral("this device's keychain cannot be read (%1)").arg(j->errorString());
        emit finished(this);
    });
    job->start();
}

void CredentialStore::startDelete()
{
    auto *job = new QKeychain::DeletePasswordJob(serviceName(m_secret), this);
    configure(job, m_key);
    connect(job, &QKeychain::Job::finished, this, [this](QKeychain::Job *j) {
        m_unavailable = j->error() != QKeychain::NoError && j->error() != QKeychain::EntryNotFound;
        m_error = m_unavailable ? QStringLiteral("this device's keychain could not forget the sign-in (%1)").arg(j->errorString())
                                : QString();
        emit finished(this);
    });
    job->start();
}

} // namespace acorn::client
