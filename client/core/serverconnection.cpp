#include "serverconnection.h"

#include "logging.h"
#include "protocol.h"
#include "tlspin.h"

#include <QCoreApplication>
#include <QSslConfiguration>

namespace acorn::client {

QString describe(FailureKind kind)
{
    switch (kind) {
    case FailureKind::None:
        return QStringLiteral("no failure");
    case FailureKind::Unreachable:
        return QStringLiteral("server unreachable");
    case FailureKind::Tls:
        return QStringLiteral("secure connection failed");
    case FailureKind::PinMismatch:
        return QStringLiteral("server fingerprint mismatch");
    case FailureKind::Protocol:
        return QStringLiteral("protocol error");
    }
    return {};
}

ServerConnection::ServerConnection(QObject *parent) : QObject(parent)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        fail(FailureKind::Unreachable,
             m_ready ? QStringLiteral("the server stopped answering") : QStringLiteral("the server did not answer in time"));
    });
}

ServerConnection::~ServerConnection()
{
    if (m_socket)
        m_socket->abort();
}

void ServerConnection::setTimeouts(int connectMs, int replyMs)
{
    m_connectTimeoutMs = connectMs;
    m_replyTimeoutMs = replyMs;
}

void ServerConnection::open(const QString &host, quint16 port, const QString &expectedPin, wire::ClientKind kind)
{
    m_expectedPin = expectedPin;
    m_kind = kind;
    m_host = host;
    m_socket = new QSslSocket(this);
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setProtocol(QSsl::TlsV1_2OrLater);
    // The CA system does not apply to a school's self-signed server: trust is the pin,
    // checked in onEncrypted() before anything is sent.
    tls.setPeerVerifyMode(QSslSocket::QueryPeer);
    m_socket->setSslConfiguration(tls);
    m_socket->setReadBufferSize(256 * 1024);
    connect(m_socket, &QSslSocket::encrypted, this, &ServerConnection::onEncrypted);
    connect(m_socket, &QSslSocket::readyRead, this, &ServerConnection::onReadyRead);
    connect(m_socket, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &) {
        // QueryPeer reports untrusted chains here; the pin decides, so carry on.
        m_socket->ignoreSslErrors();
    });
    connect(m_socket, &QAbstractSocket::errorOccurred, this, [this](QAbstractSocket::SocketError e) {
        if (e == QAbstractSocket::SslHandshakeFailedError || e == QAbstractSocket::SslInternalError
            || e == QAbstractSocket::SslInvalidUserDataError)
            fail(FailureKind::Tls, QStringLiteral("the secure connection failed: %1").arg(m_socket->errorString()));
        else if (e == QAbstractSocket::RemoteHostClosedError && m_ready)
            fail(FailureKind::Unreachable, QStringLiteral("the server closed the connection"));
        else
            fail(FailureKind::Unreachable, QStringLiteral("cannot reach the server at %1: %2").arg(m_host, m_socket->errorString()));
    });
    m_timer.start(m_connectTimeoutMs);
    qCDebug(lcClientNet) << "connecting to" << host << port;
    m_socket->connectToHostEncrypted(host, port);
}

void ServerConnection::close()
{
    m_pending.clear();
    m_ready = false;
    m_timer.stop();
    if (m_socket)
        m_socket->disconnectFromHost();
}

void ServerConnection::onEncrypted()
{
    const auto presented = tls::spkiFingerprint(m_socket->peerCertificate());
    m_presentedPin = presented ? presented.value() : QString();
    if (!presented || m_presentedPin != m_expectedPin) {
        // Nothing has been sent yet: no credential leaves this device.
        fail(FailureKind::PinMismatch,
             QStringLiteral("the server's fingerprint has changed or is wrong. Expected %1, the server presented %2. "
                            "Do not continue unless the school's IT manager confirms the new one.")
                 .arg(tls::displayFingerprint(m_expectedPin), tls::displayFingerprint(m_presentedPin)));
        return;
    }
    wire::Frame hello;
    hello.mutable_hello()->set_protocol_version(protocol::kProtocolVersion);
    hello.mutable_hello()->set_client_kind(m_kind);
    hello.mutable_hello()->set_app_version(QCoreApplication::applicationVersion().toStdString());
    request(hello, [this](const wire::Frame &reply) {
        if (reply.has_error()) {
            fail(FailureKind::Protocol, QString::fromStdString(reply.error().message()));
            return;
        }
        if (!reply.has_hello_reply()) {
            fail(FailureKind::Protocol, QStringLiteral("the server did not say hello"));
            return;
        }
        m_hello = reply.hello_reply();
        m_ready = true;
        emit ready();
    });
}

void ServerConnection::request(wire::Frame frame, ReplyHandler handler)
{
    if (m_failed || !m_socket)
        return;
    const quint64 id = m_nextId++;
    frame.set_request_id(id);
    m_pending.insert(id, std::move(handler));
    const QByteArray bytes = encodeFrame(frame);
    m_bytesWritten += bytes.size();
    m_socket->write(bytes);
    if (!m_timer.isActive() || m_ready)
        m_timer.start(m_replyTimeoutMs);
}

void ServerConnection::onReadyRead()
{
    while (!m_failed && m_socket && m_socket->bytesAvailable() > 0) {
        if (m_decoder.readFrom(*m_socket) <= 0)
            break;
        if (m_decoder.state() == FrameDecoder::State::Failed) {
            fail(FailureKind::Protocol, QStringLiteral("the server sent an unreadable message: %1").arg(m_decoder.error()));
            return;
        }
        if (m_decoder.state() != FrameDecoder::State::FrameReady)
            continue;
        const wire::Frame frame = m_decoder.takeFrame();
        const auto it = m_pending.find(frame.request_id());
        if (it == m_pending.end())
            continue; // unsolicited: tolerated
        ReplyHandler handler = std::move(it.value());
        m_pending.erase(it);
        if (m_pending.isEmpty())
            m_timer.stop();
        else
            m_timer.start(m_replyTimeoutMs);
        handler(frame);
    }
}

void ServerConnection::fail(FailureKind kind, const QString &message)
{
    if (m_failed)
        return;
    m_failed = true;
    m_ready = false;
    m_timer.stop();
    m_pending.clear();
    if (m_socket)
        m_socket->abort();
    qCInfo(lcClientNet) << describe(kind) << message;
    emit failed(kind, message);
}

} // namespace acorn::client
