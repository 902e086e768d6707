#pragma once

#include "syncservice.h"

#include <QHash>
#include <QHostAddress>
#include <QQueue>
#include <QSslSocket>
#include <QSslConfiguration>
#include <QTcpServer>

namespace acorn::server {

class ClientConnection;

// Limits that keep one misbehaving or hostile peer from starving the school's server.
struct ConnectionLimits
{
    int maxConnections = 512;
    int maxConnectionsPerAddress = 64;
    // TLS handshakes cost the server CPU: at most this many run at once. Connections beyond
    // them wait (first come, first served) until a handshake finishes or times out, so a
    // release storm queues instead of failing, and a flood of half-open connections costs
    // no more CPU than the cap allows.
    int maxPendingHandshakes = 64;
    int handshakeTimeoutMs = 10'000;
    int idleTimeoutMs = 5 * 60'000;
};

// The TLS listener. Accepts TCP connections, runs the TLS handshake (1.2 minimum), and
// gives each connection a ClientConnection that decodes frames and passes them to the
// SyncService. It knows nothing about journals.
class SyncServer : public QTcpServer
{
    Q_OBJECT
public:
    SyncServer(SyncService &service, QSslConfiguration tls, ConnectionLimits limits = {}, QObject *parent = nullptr);
    ~SyncServer() override;

    int connectionCount() const { return static_cast<int>(m_connections.size()); }
    int pendingHandshakeCount() const { return static_cast<int>(m_handshaking.size()); }
    // Accepted connections waiting for a handshake slot.
    int waitingCount() const { return static_cast<int>(m_waiting.size()); }

protected:
    void incomingConnection(qintptr socketDescriptor) override;

private:
    void forget(ClientConnection *c);
    void startHandshake(QSslSocket *socket);
    // Starts the handshakes of waiting connections while there is room; accepts again
    // once none wait.
    void startWaiting();

    SyncService &m_service;
    QSslConfiguration m_tls;
    ConnectionLimits m_limits;
    QSet<ClientConnection *> m_connections;
    QSet<ClientConnection *> m_handshaking;
    QQueue<QSslSocket *> m_waiting; // accepted, not yet handshaking (children of this)
    QHash<QString, int> m_perAddress;
};

// Loads the data directory's certificate and key into a server TLS configuration.
Result<QSslConfiguration> loadServerTls(const QString &certificatePem, const QString &keyPem);

} // namespace acorn::server
