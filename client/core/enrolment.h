#pragma once

#include "result.h"

#include <QString>

namespace acorn::client {

// An enrolment code: what the school's IT manager prints for staff and parents so that a
// device can find and trust the school's server without typing 64 hex digits.
//
// Text form: `acorn:1:HOST:PORT:FINGERPRINT[:ACTIVATIONCODE]`, where HOST is a name, an
// IPv4 address or an IPv6 address in brackets (`[fd00::5]`), FINGERPRINT is the 64 hex
// digits of the server's SPKI SHA-256 and ACTIVATIONCODE the optional one-time code of a new
// account. Whitespace anywhere is ignored (codes get wrapped and retyped). It carries no
// password or session and grants nothing by itself: the fingerprint only lets the device
// recognise the real server.
struct EnrolmentCode
{
    static constexpr int kVersion = 1;

    QString host; // without brackets
    quint16 port = 0;
    QString fingerprint; // 64 lower-case hex digits
    QString activationCode;

    // Reads a code as printed or pasted; the failure says what is wrong and what to do.
    static Result<EnrolmentCode> parse(const QString &text);
    // The text form (upper-case activation code, lower-case fingerprint).
    QString make() const;
    // "HOST:PORT" with IPv6 hosts in brackets, as people type a server address.
    QString address() const;
};

// Reads "HOST", "HOST:PORT", "[v6]" or "[v6]:PORT" as a person types a server address.
// `defaultPort` applies when none is given. The failure says what is wrong.
struct ServerAddress
{
    QString host;
    quint16 port = 0;

    static Result<ServerAddress> parse(const QString &text, quint16 defaultPort);
    QString toString() const;
};

} // namespace acorn::client
