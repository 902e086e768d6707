#pragma once

#include "acorn.pb.h"
#include "framecodec.h"
#include "protocol.h"

#include <QSslSocket>
#include <QTest>

#include <algorithm>
#include <optional>

namespace acorn::test {

// One device's connection to a server: a real TLS client socket speaking wire frames, for
// tests that need the protocol itself rather than the client engine. It does not check the
// server's key (tests/unit/tst_tlspin covers pinning). Waits spin the event loop, so an
// in-process server keeps serving.
class WireConnection
{
public:
    bool open(quint16 port)
    {
        m_socket.setPeerVerifyMode(QSslSocket::VerifyNone); // pinning is tested elsewhere
        m_socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
        return QTest::qWaitFor([&] { return m_socket.isEncrypted(); }, 10000);
    }

    wire::Frame call(wire::Frame frame, int timeoutMs = 20000)
    {
        frame.set_request_id(m_next++);
        m_socket.write(encodeFrame(frame));
        std::optional<wire::Frame> got;
        (void)QTest::qWaitFor(
            [&] {
                while (!got && m_socket.bytesAvailable() > 0) {
                    m_decoder.feed(m_socket.read(
                        std::min<qint64>(m_decoder.bytesWanted(), m_socket.bytesAvailable())));
                    if (m_decoder.state() == FrameDecoder::State::FrameReady)
                        got = m_decoder.takeFrame();
                    else if (m_decoder.state() == FrameDecoder::State::Failed)
                        break;
                }
                return got.has_value() || m_socket.state() == QAbstractSocket::UnconnectedState;
            },
            timeoutMs);
        if (!got) {
            wire::Frame e;
            e.mutable_error()->set_code(wire::Error::UNKNOWN);
            e.mutable_error()->set_message("no reply");
            return e;
        }
        return *got;
    }

    wire::Frame hello()
    {
        wire::Frame f;
        f.mutable_hello()->set_protocol_version(protocol::kProtocolVersion);
        f.mutable_hello()->set_client_kind(wire::CLIENT_KIND_CLI);
        return call(f);
    }
    wire::Frame login(
        const QString &user, const QString &password, const QString &secondFactorCode = {})
    {
        wire::Frame f;
        f.mutable_login()->set_username(user.toStdString());
        f.mutable_login()->set_password(password.toStdString());
        f.mutable_login()->set_device_name("test tablet");
        f.mutable_login()->set_second_factor_code(secondFactorCode.toStdString());
        return call(f);
    }
    wire::Frame tokenLogin(const std::string &token)
    {
        wire::Frame f;
        f.mutable_token_login()->set_token(token);
        f.mutable_token_login()->set_device_name("test tablet");
        return call(f);
    }
    wire::Frame activate(const QString &user, const QString &code, const QString &password)
    {
        wire::Frame f;
        f.mutable_activate()->set_username(user.toStdString());
        f.mutable_activate()->set_code(code.toStdString());
        f.mutable_activate()->set_new_password(password.toStdString());
        f.mutable_activate()->set_device_name("test tablet");
        return call(f);
    }
    wire::Frame pull()
    {
        wire::Frame f;
        f.mutable_pull();
        return call(f);
    }

    QSslSocket &socket() { return m_socket; }

private:
    QSslSocket m_socket;
    FrameDecoder m_decoder;
    quint64 m_next = 1;
};

inline bool isError(const wire::Frame &f, wire::Error::Code code)
{
    return f.has_error() && f.error().code() == code;
}

inline QString describe(const wire::Frame &f)
{
    if (f.has_error())
        return QStringLiteral("error %1: %2")
            .arg(f.error().code())
            .arg(QString::fromStdString(f.error().message()));
    return QStringLiteral("body %1").arg(f.body_case());
}

} // namespace acorn::test
