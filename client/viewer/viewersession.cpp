#include "viewersession.h"

#include "datakeystore.h"
#include "profile.h"

#include <QDateTime>
#include <QDir>
#include <QLoggingCategory>
#include <QSet>
#include <QTimeZone>

Q_LOGGING_CATEGORY(lcViewer, "acorn.viewer")

namespace acorn::viewer {

using client::ClientStore;
using client::SyncEngine;
using client::SyncError;
using client::SyncOptions;

namespace {
const QString kDisplayName = QStringLiteral("display_name");
const QString kSchoolName = QStringLiteral("school_name");
const QString kSchoolContact = QStringLiteral("school_contact");
const QString kLastSync = QStringLiteral("last_sync_ms");
} // namespace

Result<std::unique_ptr<ViewerSession>> ViewerSession::open(
    const ViewerAccount &account, QObject *parent)
{
    using R = Result<std::unique_ptr<ViewerSession>>;
    // The cache is sealed with the profile's data key, kept in the keychain next to the
    // session token (made on first use).
    const auto key = client::DataKeyStore::obtain(
        keychainKey(account), !ClientStore::holdsSealedData(databasePath(account)));
    if (!key)
        return R::failure(key.error());
    return open(account, key.value(), parent);
}

QString ViewerSession::keychainKey(const ViewerAccount &account)
{
    client::Profile profile;
    profile.host = account.host;
    profile.port = account.port;
    profile.username = account.username;
    return profile.keychainKey();
}

QString ViewerSession::databasePath(const ViewerAccount &account)
{
    return QDir(account.profileDir).absoluteFilePath(QStringLiteral("acorn.db"));
}

Result<std::unique_ptr<ViewerSession>> ViewerSession::open(
    const ViewerAccount &account, const client::DataKey &key, QObject *parent)
{
    using R = Result<std::unique_ptr<ViewerSession>>;
    auto store = ClientStore::open(databasePath(account), key);
    if (!store)
        return R::failure(store.error());
    return R(std::unique_ptr<ViewerSession>(
        new ViewerSession(account, std::move(store).value(), parent)));
}

ViewerSession::ViewerSession(
    const ViewerAccount &account, std::unique_ptr<ClientStore> store, QObject *parent)
    : QObject(parent)
    , m_account(account)
    , m_store(std::move(store))
{
    m_fetcher = new MediaFetcher(mediaCache(), m_store->dataKey(), this);
    // Media asked for while offline (or after the server closed an idle connection):
    // sign in again, which also brings the journal up to date.
    connect(m_fetcher, &MediaFetcher::connectionNeeded, this, [this] {
        if (!isSyncing() && !m_token.isEmpty())
            syncNow();
        else if (m_token.isEmpty())
            m_fetcher->setConnection(nullptr);
    });
}

ViewerSession::~ViewerSession()
{
    // Downloads hold the engine's connection: the fetcher goes first.
    delete m_fetcher;
    m_fetcher = nullptr;
    delete m_engine.data();
}

MediaCache ViewerSession::mediaCache() const
{
    return MediaCache(QDir(m_account.profileDir).absoluteFilePath(QStringLiteral("media")));
}

SchoolCalendar ViewerSession::calendar()
{
    const QString zone = m_store->schoolTimeZone();
    return SchoolCalendar(zone.isEmpty() ? QTimeZone::systemTimeZone() : QTimeZone(zone.toUtf8()),
        m_store->calendar());
}

QList<wire::Child> ViewerSession::children()
{
    return m_store->roster();
}

QList<wire::Observation> ViewerSession::journal(const QString &childRef)
{
    return m_store->journal(childRef);
}

std::optional<wire::ClassInfo> ViewerSession::classInfo(const QString &className)
{
    for (const wire::ClassInfo &c : m_store->classes()) {
        if (QString::fromStdString(c.name()) == className)
            return c;
    }
    return std::nullopt;
}

QString ViewerSession::familyName()
{
    const QString n = m_store->setting(kDisplayName);
    return n.isEmpty() ? m_account.username : n;
}

QString ViewerSession::schoolName()
{
    return m_store->setting(kSchoolName);
}

QString ViewerSession::schoolContact()
{
    return m_store->setting(kSchoolContact);
}

void ViewerSession::rememberAccount(
    const QString &displayName, const QString &schoolName, const QString &schoolContact)
{
    if (!displayName.isEmpty())
        m_store->setSetting(kDisplayName, displayName);
    if (!schoolName.isEmpty())
        m_store->setSetting(kSchoolName, schoolName);
    if (!schoolContact.isEmpty())
        m_store->setSetting(kSchoolContact, schoolContact);
}

qint64 ViewerSession::lastSyncMs()
{
    return m_store->setting(kLastSync).toLongLong();
}

QString ViewerSession::stageText(const QString &stage)
{
    if (stage == QLatin1String("connecting"))
        return tr("Connecting to the school…");
    if (stage == QLatin1String("signing in"))
        return tr("Signing in…");
    if (stage == QLatin1String("receiving"))
        return tr("Receiving the journal…");
    return tr("Updating…");
}

void ViewerSession::syncNow()
{
    SyncOptions o;
    o.token = m_token;
    start(std::move(o));
}

void ViewerSession::signIn(const QString &password)
{
    SyncOptions o;
    o.password = password;
    start(std::move(o));
}

void ViewerSession::activate(const QString &code, const QString &newPassword)
{
    SyncOptions o;
    o.activationCode = code;
    o.password = newPassword;
    start(std::move(o));
}

void ViewerSession::start(SyncOptions o)
{
    if (isSyncing())
        return;
    o.host = m_account.host;
    o.port = m_account.port;
    o.pin = m_account.pin;
    o.username = m_account.username;
    o.kind = wire::CLIENT_KIND_VIEWER;
    o.push = false; // read-only: the viewer never sends journal changes
    o.pull = true;
    m_tokenAttempt = !o.token.isEmpty();
    if (m_engine)
        retire(m_engine);
    auto *engine = new SyncEngine(*m_store, std::move(o), this);
    m_engine = engine;
    m_running = true;
    connect(engine, &SyncEngine::progress, this,
        [this](const QString &stage, qint64 done, qint64 total) {
            emit syncProgress(stageText(stage), done, total);
        });
    connect(engine, &SyncEngine::finished, this, &ViewerSession::onFinished);
    emit syncStarted();
    engine->start();
}

void ViewerSession::retire(SyncEngine *engine)
{
    // The previous engine's connection may still carry a download: keep it until the
    // fetcher is idle. Waiting requests wait for the new sign-in.
    m_fetcher->suspend();
    if (!m_fetcher->isBusy()) {
        engine->deleteLater();
        return;
    }
    auto once = std::make_shared<QMetaObject::Connection>();
    *once = connect(m_fetcher, &MediaFetcher::idle, engine, [engine, once] {
        QObject::disconnect(*once);
        engine->deleteLater();
    });
}

void ViewerSession::onFinished(SyncEngine *engine)
{
    if (engine != m_engine)
        return;
    m_running = false;
    m_lastError = engine->error();
    m_lastErrorString = engine->errorString();
    m_lastPresentedPin = engine->presentedPin();
    const client::SyncReport &r = engine->report();
    if (m_lastError == SyncError::None) {
        if (!r.newToken.isEmpty()) {
            m_token = r.newToken;
            emit tokenIssued(m_token);
        }
        if (!r.displayName.isEmpty())
            m_store->setSetting(kDisplayName, r.displayName);
        if (engine->connection()) {
            const wire::HelloReply &hello = engine->connection()->hello();
            if (!hello.school_name().empty())
                m_store->setSetting(kSchoolName, QString::fromStdString(hello.school_name()));
            m_store->setSetting(kSchoolContact, QString::fromStdString(hello.school_contact()));
        }
        m_store->setSetting(kLastSync, QString::number(QDateTime::currentMSecsSinceEpoch()));
        // Files of observations that were retracted go with them.
        QSet<QString> keep;
        for (const wire::Observation &o : m_store->journal()) {
            for (const wire::Media &m : o.media())
                keep.insert(QString::fromStdString(m.id()));
        }
        if (!m_fetcher->isBusy())
            mediaCache().prune(keep);
        qCInfo(lcViewer) << "sync done:" << r.received << "received," << r.removed << "removed";
        m_fetcher->setConnection(engine->connection());
        emit journalChanged(r.received > 0 || r.removed > 0);
        emit syncFinished(true, {});
        return;
    }
    qCInfo(lcViewer) << "sync failed:" << static_cast<int>(m_lastError);
    m_fetcher->setConnection(nullptr);
    QString message;
    switch (m_lastError) {
    case SyncError::Unreachable:
        message = tr(
            "The school's server cannot be reached, so this is the journal as it was at the last "
            "update. Check the internet connection and press F5 to try again.");
        break;
    case SyncError::Tls:
        message = tr("The connection to the school's server was not safe, so nothing was sent: %1")
                      .arg(m_lastErrorString);
        break;
    case SyncError::Authentication:
        message = m_lastErrorString.isEmpty() ? tr("Please sign in again.") : m_lastErrorString;
        break;
    case SyncError::Local:
        message = tr("This computer could not save the journal: %1").arg(m_lastErrorString);
        break;
    default:
        message = m_lastErrorString;
        break;
    }
    if (m_lastError == SyncError::Authentication && m_tokenAttempt)
        emit signInNeeded(message);
    emit syncFinished(false, message);
}

} // namespace acorn::viewer
