#include "syncscheduler.h"

#include "logging.h"

#include <QDateTime>
#include <QNetworkInformation>

namespace acorn::client {

SyncScheduler::SyncScheduler(ClientStore &store, SyncOptions signIn, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_options(std::move(signIn))
{
    m_options.password.clear(); // sessions only: a password never waits in memory here
    m_options.activationCode.clear();
    m_options.push = true;
    m_options.pull = true;
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &SyncScheduler::run);
    // When the operating system reports the network is back, do not wait out the back-off.
    if (QNetworkInformation::loadBackendByFeatures(QNetworkInformation::Feature::Reachability)) {
        connect(QNetworkInformation::instance(), &QNetworkInformation::reachabilityChanged, this,
            [this](QNetworkInformation::Reachability r) {
                if (r == QNetworkInformation::Reachability::Online && m_started
                    && (m_state == State::Offline || m_state == State::Failed))
                    syncNow();
            });
    }
    refreshSummary();
}

SyncScheduler::~SyncScheduler() = default;

ServerConnection *SyncScheduler::connection() const
{
    if (!m_engine || m_engine->error() != SyncError::None || m_state == State::Syncing)
        return nullptr;
    ServerConnection *c = m_engine->connection();
    return c && c->isReady() ? c : nullptr;
}

void SyncScheduler::start()
{
    m_started = true;
    scheduleIn(0);
}

void SyncScheduler::stop()
{
    m_started = false;
    m_timer.stop();
    m_nextAttemptMs = 0;
}

void SyncScheduler::syncNow()
{
    if (m_state == State::FingerprintChanged)
        return; // blocked until the user deals with it
    m_started = true;
    m_failures = 0;
    if (m_state == State::Syncing) {
        m_again = true;
        return;
    }
    scheduleIn(0);
}

void SyncScheduler::requestSync()
{
    refreshSummary();
    if (!m_started || m_state == State::SignInNeeded || m_state == State::FingerprintChanged)
        return;
    if (m_state == State::Syncing) {
        m_again = true;
        return;
    }
    // Offline: the back-off timer is already set; a save does not hammer a missing server.
    if (m_state == State::Offline || m_state == State::Failed)
        return;
    scheduleIn(300);
}

void SyncScheduler::setToken(const QByteArray &token)
{
    m_options.token = token;
    if (m_state == State::SignInNeeded)
        setState(State::Idle);
    syncNow();
}

void SyncScheduler::refreshSummary()
{
    m_summary = OutboxSummary::of(m_store);
    emit stateChanged();
}

void SyncScheduler::scheduleIn(int ms)
{
    m_nextAttemptMs = QDateTime::currentMSecsSinceEpoch() + ms;
    m_timer.start(ms);
    emit stateChanged();
}

void SyncScheduler::setState(State s)
{
    m_state = s;
    emit stateChanged();
}

void SyncScheduler::run()
{
    if (!m_started || m_state == State::Syncing || m_state == State::FingerprintChanged
        || m_state == State::SignInNeeded)
        return;
    if (m_options.token.isEmpty()) {
        setState(State::SignInNeeded);
        emit signInNeeded(tr("Please sign in to send and receive observations."));
        return;
    }
    if (m_engine)
        m_engine->deleteLater();
    m_again = false;
    m_nextAttemptMs = 0;
    m_stage = QStringLiteral("connecting");
    m_done = m_total = 0;
    m_engine = new SyncEngine(m_store, m_options, this);
    connect(m_engine, &SyncEngine::progress, this,
        [this](const QString &stage, qint64 done, qint64 total) {
            m_stage = stage;
            m_done = done;
            m_total = total;
            emit progress(stage, done, total);
        });
    connect(m_engine, &SyncEngine::finished, this, &SyncScheduler::onFinished);
    setState(State::Syncing);
    m_engine->start();
}

void SyncScheduler::onFinished(SyncEngine *engine)
{
    if (engine != m_engine)
        return;
    m_lastError = engine->error();
    m_errorString = engine->errorString();
    m_stage.clear();
    m_done = m_total = 0;
    m_summary = OutboxSummary::of(m_store);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto backOff = [this] {
        const int delay = m_retryDelays.isEmpty()
            ? 60000
            : m_retryDelays.at(std::min<qsizetype>(m_failures, m_retryDelays.size() - 1));
        ++m_failures;
        return delay;
    };

    switch (m_lastError) {
    case SyncError::None:
        m_online = true;
        m_failures = 0;
        m_lastSyncMs = now;
        m_lastReport = engine->report();
        if (!m_lastReport.newToken.isEmpty())
            m_options.token = m_lastReport.newToken;
        m_state = State::Idle;
        emit synced(m_lastReport);
        if (m_again || m_summary.waiting > m_summary.refused + m_summary.conflicts)
            scheduleIn(m_again ? 0 : 2000); // something was saved meanwhile, or media remains
        else if (m_intervalMs > 0)
            scheduleIn(m_intervalMs);
        else
            emit stateChanged();
        return;
    case SyncError::Authentication:
        m_online = true;
        m_options.token.clear();
        setState(State::SignInNeeded);
        emit signInNeeded(m_errorString);
        return;
    case SyncError::Tls: {
        m_presented = engine->presentedPin();
        if (!m_presented.isEmpty() && m_presented != m_options.pin) {
            m_online = false;
            m_timer.stop();
            setState(State::FingerprintChanged);
            emit fingerprintChanged(m_options.pin, m_presented);
            return;
        }
        m_online = false;
        m_state = State::Offline;
        scheduleIn(backOff());
        return;
    }
    case SyncError::Unreachable:
        m_online = false;
        m_state = State::Offline;
        scheduleIn(backOff());
        return;
    case SyncError::Refused:
    case SyncError::Local: {
        m_online = m_lastError == SyncError::Refused;
        m_state = State::Failed;
        const int wait = engine->retryAfterSeconds() > 0
            ? static_cast<int>(engine->retryAfterSeconds()) * 1000
            : backOff();
        qCInfo(lcClientSync) << "sync failed; retrying in" << wait << "ms";
        scheduleIn(wait);
        return;
    }
    }
}

} // namespace acorn::client
