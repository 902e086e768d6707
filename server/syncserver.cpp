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
    if (m_connections.size() >= m_limits.maxConnections
        || m_perAddress.value(address) >= m_limits.maxConnectionsPerAddress) {
        qCWarning(lcServerNet) << "refusing a connection from" << address << ": too many connections";
        socket->abort();
        delete socket;
        return;
    }
    if (m_handshaking.size() >= m_limits.maxPendingHandshakes) {
        qCWarning(lcServerNet) << "refusing a connection from" << address << ": too many TLS handshakes at once";
        socket->abort();
        delete socket;
        return;
    }
    socket->setSslConfiguration(m_tls);
    auto *connection = new ClientConnection(socket, m_service, m_limits.handshakeTimeoutMs, m_limits.idleTimeoutMs, this);
    m_connections.insert(connection);
    m_handshaking.insert(connection);
    m_perAddress[address]++;
    connect(connection, &ClientConnection::closed, this, &SyncServer::forget);
    connect(connection, &ClientConnection::established, this, [this](ClientConnection *c) { m_handshaking.remove(c); });
    socket->startServerEncryption();
}

void SyncServer::forget(ClientConnection *c)
{
    m_handshaking.remove(c);
    if (!m_connections.remove(c))
        return;
    const QString address = c->peer();
    if (--m_perAddress[address] <= 0)
        m_perAddress.remove(address);
}

} // namespace acorn::server
