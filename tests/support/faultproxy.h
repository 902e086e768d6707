#pragma once

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>

namespace acorn::test {

// A TCP proxy on 127.0.0.1 that forwards to a server and injects faults: it cuts every
// connection once a number of client-to-server bytes has passed (mid-chunk, mid-frame or
// mid-handshake, depending on the number). It works on the encrypted bytes, so the TLS
// handshake between client and server is real and untouched until the cut.
class FaultProxy : public QObject
{
    Q_OBJECT
public:
    FaultProxy(quint16 targetPort, QObject *parent = nullptr);
    bool listen();
    quint16 port() const { return m_server.serverPort(); }

    // Cut each connection after this many client->server bytes (-1: never).
    void setCutAfterClientBytes(qint64 bytes) { m_cutAfter = bytes; }
    qint64 clientBytes() const { return m_clientBytes; }
    int cuts() const { return m_cuts; }

private:
    void onNewConnection();

    QTcpServer m_server;
    quint16 m_targetPort;
    qint64 m_cutAfter = -1;
    qint64 m_clientBytes = 0;
    int m_cuts = 0;
};

} // namespace acorn::test
