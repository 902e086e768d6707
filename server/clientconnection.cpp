#include "clientconnection.h"

#include "logging.h"

#include <QSslCipher>

namespace acorn::server {

ClientConnection::ClientConnection(QSslSocket *socket, SyncService &service, int handshakeTimeoutMs,
                                   int idleTimeoutMs, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_service(service)
    , m_idleTimeoutMs(idleTimeoutMs)
{
    m_socket->setParent(this);
    m_state.peerAddress = m_socket->peerAddress().toString();
    // Qt's own buffer stays small; FrameDecoder holds at most one frame.
    m_socket->setReadBufferSize(256 * 1024);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        // A device waiting for its own sign-in is not idle: after a release, hundreds of
        // password checks queue for the hash pool, and the last ones take minutes.
        if (m_socket->isEncrypted() && m_state.loginInProgress) {
            m_timer.start(m_idleTimeoutMs);
            return;
        }
        close(m_socket->isEncrypted() ? QStringLiteral("idle timeout") : QStringLiteral("TLS handshake timeout"));
    });
    m_timer.start(handshakeTimeoutMs);
    connect(m_socket, &QSslSocket::encrypted, this, [this] {
        if (m_closing)
            return;
        qCDebug(lcServerNet) << "TLS established with" << m_state.peerAddress << m_socket->sessionCipher().name();
        m_timer.start(m_idleTimeoutMs);
        emit established(this);
        onReadyRead();
    });
    connect(m_socket, &QSslSocket::readyRead, this, &ClientConnection::onReadyRead);
    connect(m_socket, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        close(QStringLiteral("TLS error: %1").arg(errors.value(0).errorString()));
    });
    connect(m_socket, &QAbstractSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
        if (m_socket->error() == QAbstractSocket::RemoteHostClosedError)
            close(QStringLiteral("client closed the connection"));
        else
            close(m_socket->errorString());
    });
    connect(m_socket, &QAbstractSocket::disconnected, this, [this] { close(QStringLiteral("disconnected")); });
}

void ClientConnection::onReadyRead()
{
    if (m_closing || !m_socket->isEncrypted())
        return;
    m_timer.start(m_idleTimeoutMs);
    // Read only as much as the current frame needs, so nothing beyond one frame is held,
    // and keep going until no whole frame is left in the socket.
    while (!m_closing && m_socket->bytesAvailable() > 0) {
        if (m_decoder.readFrom(*m_socket) <= 0)
            break;
        if (m_decoder.state() == FrameDecoder::State::Failed) {
            close(QStringLiteral("protocol error: %1").arg(m_decoder.error()));
            return;
        }
        if (m_decoder.state() == FrameDecoder::State::FrameReady) {
            const wire::Frame frame = m_decoder.takeFrame();
            m_service.handle(m_state, frame, [this](const wire::Frame &f) { send(f); }, this);
        }
    }
}

void ClientConnection::send(const wire::Frame &frame)
{
    if (m_closing)
        return;
    m_socket->write(encodeFrame(frame));
}

void ClientConnection::close(const QString &reason)
{
    if (m_closing)
        return;
    m_closing = true;
    m_timer.stop();
    qCInfo(lcServerNet) << "closing connection from" << m_state.peerAddress << ":" << reason;
    emit closed(this);
    // Tear the socket down from the event loop, never from inside one of its own signals: a
    // failed TLS handshake reports its error from deep inside Qt's OpenSSL backend, and
    // aborting there frees the OpenSSL objects that code goes on to use (a crash any
    // client could cause by offering TLS 1.1; tst_security_tls).
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_socket->disconnectFromHost();
            if (m_socket->state() != QAbstractSocket::UnconnectedState)
                m_socket->abort();
            deleteLater();
        },
        Qt::QueuedConnection);
}

} // namespace acorn::server
