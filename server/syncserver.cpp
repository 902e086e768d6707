#include "syncserver.h"

#include "clientconnection.h"
#include "logging.h"

#include <QFile>
#include <QSslCipher>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>

namespace acorn::server {

Result<QSslConfiguration> loadServerTls(const QString &certificatePem, const QString &keyPem)
{
    using R = Result<QSslConfiguration>;
    QFile certFile(certificatePem);
    QFile keyFile(keyPem);
    if (!certFile.open(QIODevice::ReadOnly))
        return R::failure(QStringLiteral("cannot read the certificate %1: %2").arg(certificatePem, certFile.errorString()));
    if (!keyFile.open(QIODevice::ReadOnly))
        return R::failure(QStringLiteral("cannot read the key %1: %2").arg(keyPem, keyFile.errorString()));
    const QSslCertificate cert(certFile.readAll(), QSsl::Pem);
    const QSslKey key(keyFile.readAll(), QSsl::Ec, QSsl::Pem);
    if (cert.isNull())
        return R::failure(QStringLiteral("%1 does not hold a PEM certificate").arg(certificatePem));
    if (key.isNull())
        return R::failure(QStringLiteral("%1 does not hold an ECDSA private key").arg(keyPem));
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setProtocol(QSsl::TlsV1_2OrLater);
    tls.setLocalCertificate(cert);
    tls.setPrivateKey(key);
    tls.setPeerVerifyMode(QSslSocket::VerifyNone);
    // Forward-secret AEAD suites only for TLS 1.2; TLS 1.3 suites are all strong.
    QList<QSslCipher> ciphers;
    for (const QSslCipher &c : QSslConfiguration::supportedCiphers()) {
        const QString n = c.name();
        const bool tls13 = c.protocol() == QSsl::TlsV1_3;
        const bool strong12 = c.protocol() == QSsl::TlsV1_2 && n.startsWith(QLatin1String("ECDHE-ECDSA-"))
                              && (n.contains(QLatin1String("GCM")) || n.contains(QLatin1String("CHACHA20")));
        if (tls13 || strong12)
            ciphers.append(c);
    }
    if (!ciphers.isEmpty())
        tls.setCiphers(ciphers);
    return tls;
}

SyncServer::SyncServer(SyncService &service, QSslConfiguration tls, ConnectionLimits limits, QObject *parent)
    : QTcpServer(parent)
    , m_service(service)
    , m_tls(std::move(tls))
    , m_limits(limits)
{
    // Qt's default is 50. When a whole school's parents connect at once, connections beyond
    // the backlog have their SYN dropped and retry a second later; nginx uses 511.
    setListenBacklogSize(511);
}

SyncServer::~SyncServer()
{
    const auto connections = m_connections;
    for (ClientConnection *c : connections)
        delete c;
}

void SyncServer::incomingConnection(qintptr socketDescriptor)
{
    auto *socket = new QSslSocket;
    if (!socket->setSocketDescriptor(socketDescriptor)) {
        delete socket;
        return;
    }
    const QString address = socket->peerAddress().toString();
    if (m_connections.size() + m_waiting.size() >= m_limits.maxConnections
        || m_perAddress.value(address) >= m_limits.maxConnectionsPerAddress) {
        qCWarning(lcServerNet) << "refusing a connection from" << address << ": too many connections";
        socket->abort();
        delete socket;
        return;
    }
    m_perAddress[address]++;
    if (m_handshaking.size() >= m_limits.maxPendingHandshakes) {
        // A release storm, or a flood of half-open connections: this one waits its turn
        // (no TLS work is done for it yet), and new ones wait in the kernel's backlog until
        // the queue is empty again. Refusing would fail every device beyond the cap.
        socket->setParent(this);
        socket->setReadBufferSize(64 * 1024); // what it sends meanwhile stays small
        m_waiting.enqueue(socket);
        pauseAccepting();
        return;
    }
    startHandshake(socket);
}

void SyncServer::startHandshake(QSslSocket *socket)
{
    socket->setParent(nullptr);
    socket->setSslConfiguration(m_tls);
    auto *connection = new ClientConnection(socket, m_service, m_limits.handshakeTimeoutMs, m_limits.idleTimeoutMs, this);
    m_connections.insert(connection);
    m_handshaking.insert(connection);
    connect(connection, &ClientConnection::closed, this, &SyncServer::forget);
    connect(connection, &ClientConnection::established, this, [this](ClientConnection *c) {
        m_handshaking.remove(c);
        startWaiting();
    });
    socket->startServerEncryption();
}

void SyncServer::startWaiting()
{
    while (!m_waiting.isEmpty() && m_handshaking.size() < m_limits.maxPendingHandshakes)
        startHandshake(m_waiting.dequeue());
    if (m_waiting.isEmpty())
        resumeAccepting();
}

void SyncServer::forget(ClientConnection *c)
{
    m_handshaking.remove(c);
    if (!m_connections.remove(c))
        return;
    const QString address = c->peer();
    if (--m_perAddress[address] <= 0)
        m_perAddress.remove(address);
    startWaiting();
}

} // namespace acorn::server
