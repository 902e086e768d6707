#pragma once

#include "result.h"

#include <QByteArray>
#include <QString>

class QSslCertificate;

// Certificate pinning by the SHA-256 of the certificate's SubjectPublicKeyInfo (SPKI).
// Pinning the key rather than the whole certificate lets the IT manager renew the
// certificate with the same key without breaking every device's pin.
namespace acorn::tls {

// SHA-256 of the DER SubjectPublicKeyInfo of a DER or PEM certificate, as 64 lower-case
// hex digits. Fails on anything that is not a parsable X.509 certificate.
Result<QString> spkiFingerprint(const QByteArray &certificateDerOrPem);
Result<QString> spkiFingerprint(const QSslCertificate &certificate);

// Accepts what a person types or pastes: upper or lower case, with or without ':' or
// spaces, an optional "sha256:" prefix. Returns 64 lower-case hex digits or a failure
// saying what is wrong.
Result<QString> normaliseFingerprint(const QString &typed);

// "ab12 cd34 ..." groups of four for reading aloud and comparing on screen.
QString displayFingerprint(const QString &fingerprint);

} // namespace acorn::tls
