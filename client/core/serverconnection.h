#pragma once

#include "acorn.pb.h"
#include "framecodec.h"

#include <QHash>
#include <QObject>
#include <QSslSocket>
#include <QTimer>

#include <functional>

namespace acorn::client {

// Why talking to the server failed, in the categories the apps and acorn-cli report.
enum class FailureKind {
    None,
    Unreachable, // no route, refused, timed out, or the connection dropped
    Tls,         // handshake failed
    PinMismatch, // the server's key is not the one this device trusts
    Protocol,    // the server sent something this client cannot read
};

// A TLS connection to the school's server with the server's key pinned.
//
// The pin (SHA-256 of the certificate's SubjectPublicKeyInfo) is checked as soon as the
// handshake completes and before a single byte of ours is sent, so a wrong server never
// sees a password or token. Requests carry ids; replies are matched to their callbacks.
class ServerConnection : public QObject
{
    Q_OBJECT
public:
    using ReplyHandler = std::function<void(const wire::Frame &)>;

    explicit ServerConnection(QObject *parent = nullptr);
    ~ServerConnection() override;

    // Connects, checks the pin, sends Hello. Emits ready() or failed().
    void open(const QString &host, quint16 port, const QString &expectedPin, wire::ClientKind kind);
    void close();
    bool isReady() const { return m_ready; }

    // Sends a request; `handler` gets the reply (possibly an Error frame). If the
    // connection fails first, failed() is emitted and pending handlers are dropped.
    void request(wire::Frame frame, ReplyHandler handler);

    const wire::HelloReply &hello() const { return m_hello; }
    // The fingerprint the server presented (for "changed key" messages).
    QString presentedPin() const { return m_presentedPin; }
    qint64 bytesWritten() const { return m_bytesWritten; }

    // Seconds to wait for connect + handshake, and for each reply.
    void setTimeouts(int connectMs, int replyMs);

signals:
    void ready();
    void failed(acorn::client::FailureKind kind, const QString &message);

private:
    void onEncrypted();
    void onReadyRead();
    void fail(FailureKind kind, const QString &message);

    QSslSocket *m_socket = nullptr;
    FrameDecoder m_decoder;
    QHash<quint64, ReplyHandler> m_pending;
    quint64 m_nextId = 1;
    QString m_expectedPin;
    QString m_presentedPin;
    QString m_host;
    wire::ClientKind m_kind = wire::CLIENT_KIND_CLI;
    wire::HelloReply m_hello;
    bool m_ready = false;
    bool m_failed = false;
    QTimer m_timer;
    int m_connectTimeoutMs = 15000;
    int m_replyTimeoutMs = 120000;
    qint64 m_bytesWritten = 0;
};

QString describe(FailureKind kind);

} // namespace acorn::client
