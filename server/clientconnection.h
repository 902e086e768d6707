#pragma once

#include "framecodec.h"
#include "syncservice.h"

#include <QObject>
#include <QSslSocket>
#include <QTimer>

namespace acorn::server {

// One client's TLS connection: reads whole frames (bounded by the frame limit, read in a
// loop on readyRead until no whole frame is left), hands them to the SyncService in order,
// writes replies, and closes on a malformed frame, a handshake that takes too long, or
// silence beyond the idle timeout. Each close is logged with its reason.
class ClientConnection : public QObject
{
    Q_OBJECT
public:
    ClientConnection(QSslSocket *socket, SyncService &service, int handshakeTimeoutMs, int idleTimeoutMs,
                     QObject *parent = nullptr);

    QString peer() const { return m_state.peerAddress; }
    QSslSocket *socket() const { return m_socket; }

signals:
    void closed(ClientConnection *self);
    // The TLS handshake completed.
    void established(ClientConnection *self);

private:
    void onReadyRead();
    void send(const wire::Frame &frame);
    void close(const QString &reason);

    QSslSocket *m_socket;
    SyncService &m_service;
    FrameDecoder m_decoder;
    ConnectionState m_state;
    QTimer m_timer;
    int m_idleTimeoutMs;
    bool m_closing = false;
};

} // namespace acorn::server
