#include "twofactorsetup.h"

#include "clientstore.h"
#include "serverconnection.h"

#include <QSysInfo>

namespace acorn::client {

namespace {
QString str(const std::string &s)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}
} // namespace

TwoFactorSetup::TwoFactorSetup(ClientStore &store, SyncOptions signIn, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_signIn(std::move(signIn))
{
    // Only the sign-in: the outbox and the journal are the scheduler's business.
    m_signIn.push = false;
    m_signIn.pull = false;
    m_signIn.password.clear();
    m_signIn.activationCode.clear();
    if (m_signIn.deviceName.isEmpty()) // named in the audit log's entries of the set-up
        m_signIn.deviceName = QSysInfo::machineHostName();
}

TwoFactorSetup::~TwoFactorSetup() = default;

void TwoFactorSetup::start(const QString &currentCode)
{
    m_uri.clear();
    m_secret.clear();
    m_confirmed = false;
    wire::Frame f;
    f.mutable_two_factor_setup()->set_current_code(currentCode.trimmed().toStdString());
    send(f);
}

void TwoFactorSetup::confirm(const QString &code)
{
    wire::Frame f;
    f.mutable_two_factor_confirm()->set_code(code.trimmed().toStdString());
    send(f);
}

void TwoFactorSetup::send(const wire::Frame &frame)
{
    m_busy = true;
    m_error = Error::None;
    m_errorString.clear();
    m_retryAfterSeconds = 0;
    ServerConnection *connection = m_engine ? m_engine->connection() : nullptr;
    if (connection && connection->isReady()) {
        connection->request(frame, [this](const wire::Frame &reply) { onReply(reply); });
        return;
    }
    // Not signed in yet (or the connection dropped since): sign in with the token first.
    if (m_engine)
        m_engine->deleteLater();
    m_waiting = frame;
    m_engine = new SyncEngine(m_store, m_signIn, this);
    connect(m_engine, &SyncEngine::finished, this, [this](SyncEngine *engine) {
        if (engine != m_engine)
            return;
        switch (engine->error()) {
        case SyncError::None:
            break;
        case SyncError::Unreachable:
            fail(Error::Offline, engine->errorString());
            return;
        case SyncError::Tls:
            fail(Error::Tls, engine->errorString());
            return;
        case SyncError::Authentication:
            fail(Error::SessionEnded, engine->errorString());
            return;
        default:
            fail(Error::Refused, engine->errorString());
            return;
        }
        ServerConnection *c = engine->connection();
        if (!c) {
            fail(Error::Offline, QStringLiteral("the connection to the server closed"));
            return;
        }
        // A connection that fails while the request is out: no reply will come.
        connect(c, &ServerConnection::failed, this, [this](FailureKind, const QString &message) {
            if (m_busy)
                fail(Error::Offline, message);
        });
        c->request(m_waiting, [this](const wire::Frame &reply) { onReply(reply); });
    });
    m_engine->start();
}

void TwoFactorSetup::onReply(const wire::Frame &reply)
{
    if (reply.has_two_factor_setup_reply()) {
        const wire::TwoFactorSetupReply &r = reply.two_factor_setup_reply();
        m_uri = str(r.otpauth_uri());
        m_secret = str(r.secret_base32());
        m_digits = r.digits() ? int(r.digits()) : 6;
        m_expiresAtMs = r.expires_at_ms();
        m_replaces = r.replaces_existing();
        m_busy = false;
        emit stepFinished(this);
        return;
    }
    if (reply.has_two_factor_confirm_reply()) {
        m_sessionsEnded = int(reply.two_factor_confirm_reply().sessions_ended());
        m_confirmed = true;
        m_busy = false;
        emit stepFinished(this);
        return;
    }
    if (!reply.has_error()) {
        fail(Error::Refused,
            QStringLiteral("the server sent an answer this app does not understand"));
        return;
    }
    const wire::Error &e = reply.error();
    const QString message = str(e.message());
    switch (e.code()) {
    case wire::Error::UNAUTHENTICATED:
        fail(Error::SessionEnded, message);
        break;
    case wire::Error::SECOND_FACTOR_REQUIRED:
        fail(Error::CodeNeeded, message);
        break;
    case wire::Error::AUTH_FAILED:
        fail(Error::WrongCode, message);
        break;
    case wire::Error::CODE_EXPIRED:
    case wire::Error::NOT_FOUND:
        fail(Error::Expired, message);
        break;
    case wire::Error::THROTTLED:
        m_retryAfterSeconds = e.retry_after_seconds();
        fail(Error::Throttled, message);
        break;
    case wire::Error::UNSUPPORTED:
        fail(Error::Refused,
            QStringLiteral("the school's server cannot set up two-factor sign-in from a device "
                           "yet: ask the IT manager to update it, or to run 'acorn-server admin "
                           "user 2fa' for you"));
        break;
    case wire::Error::INTERNAL:
    case wire::Error::STORAGE_FULL:
        fail(Error::Offline, message);
        break;
    default:
        fail(Error::Refused, message);
        break;
    }
}

void TwoFactorSetup::fail(Error error, const QString &message)
{
    m_busy = false;
    m_error = error;
    m_errorString = message;
    emit stepFinished(this);
}

} // namespace acorn::client
