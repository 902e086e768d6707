#pragma once

#include "result.h"

#include <QString>
#include <QStringList>

namespace acorn::server {

// Makes the server's TLS identity at `acorn-server init`: an ECDSA P-256 key and a
// self-signed X.509 v3 certificate (SHA-256 signature, 10 years, subjectAltName for each
// host name / IP address given, basicConstraints CA:FALSE, keyUsage digitalSignature,
// extendedKeyUsage serverAuth). The key file is created with mode 0600 from the start
// (never written world-readable and then chmodded). Never overwrites existing files.
class CertificateGenerator
{
public:
    struct Paths
    {
        QString certificatePem;
        QString keyPem;
    };

    // hosts: DNS names and/or IP addresses; the first is also the common name.
    static Status generate(const Paths &paths, const QStringList &hosts, int validDays = 3650);
};

} // namespace acorn::server
