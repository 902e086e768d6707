#pragma once

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>

#include <functional>

namespace acorn::test {

// A TCP proxy on 127.0.0.1 that forwards to a server and injects faults. It works on the
// encrypted bytes, so the TLS handshake between client and server is real and untouched
// until a fault strikes. Faults, each set per connection (connections are numbered from 1
// in the order they arrive):
//  - a cut after a number of client-to-server bytes (mid-chunk, mid-frame or mid-handshake,
//    depending on the number);
//  - a cut at a TLS record boundary: after N records have passed, in either direction, the
//    next one is not forwarded (each frame the client or server writes is one or more
//    records, so this is a cut between messages, including just after the server answered
//    and before the client heard it);
//  - a reset (TCP RST) in the TLS handshake, half-way through the server's first flight;
//  - a delay on every piece forwarded.
// A cut closes both sides at once; nothing after the cut is forwarded.
class FaultProxy : public QObject
{
    Q_OBJECT
public:
    FaultProxy(quint16 targetPort, QObject *parent = nullptr);
    ~FaultProxy() override;
    bool listen();
    quint16 port() const { return m_server.serverPort(); }
    // The server moved (restarted on another port).
    void setTargetPort(quint16 port) { m_targetPort = port; }

    // Cut each connection after this many client->server bytes (-1: never).
    void setCutAfterClientBytes(qint64 bytes)
    {
        m_cutBytes = [bytes](int) { return bytes; };
    }
    // Per connection number: client->server bytes before the cut (-1: never).
    void setCutAfterClientBytes(std::function<qint64(int connection)> schedule) { m_cutBytes = std::move(schedule); }
    // Per connection number: TLS records (both directions) forwarded before the cut (-1: never).
    void setCutAfterRecords(std::function<int(int connection)> schedule) { m_cutRecords = std::move(schedule); }
    // Per connection number: reset it during the TLS handshake.
    void setResetInHandshake(std::function<bool(int connection)> schedule) { m_resetHandshake = std::move(schedule); }
    // Hold every piece this long before forwarding it (0: none).
    void setDelayMs(int ms) { m_delayMs = ms; }
    // Stop injecting faults (a healed network); delays too.
    void heal();

    qint64 clientBytes() const { return m_clientBytes; }
    int connections() const { return m_connections; }
    int cuts() const { return m_cuts; }
    int resets() const { return m_resets; }

private:
    struct Link;
    void onNewConnection();
    void forward(Link &link, bool fromClient, QByteArray data);
    void cut(Link &link, bool reset);

    QTcpServer m_server;
    quint16 m_targetPort;
    std::function<qint64(int)> m_cutBytes;
    std::function<int(int)> m_cutRecords;
    std::function<bool(int)> m_resetHandshake;
    int m_delayMs = 0;
    qint64 m_clientBytes = 0;
    int m_connections = 0;
    int m_cuts = 0;
    int m_resets = 0;
    QList<Link *> m_links;
};

} // namespace acorn::test
