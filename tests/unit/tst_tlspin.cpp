// Unit tests for the server's TLS identity (CertificateGenerator) and for SPKI pinning
// (acorn::tls): file safety, what Qt and the openssl command line see in the result, and
// how typed fingerprints are normalised.

#include "certificategenerator.h"
#include "tlspin.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QProcess>
#include <QSslCertificate>
#include <QSslCertificateExtension>
#include <QSslKey>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace acorn;
using server::CertificateGenerator;

namespace {

const QString kHostName = QStringLiteral("journal.kita-sonnenschein.example");
const QString kIpv4 = QStringLiteral("192.168.10.5");
const QString kIpv6 = QStringLiteral("fd00::5");

QByteArray readAll(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

// Runs a shell pipeline with the given arguments as $1, $2, ...; returns stdout.
QByteArray runShell(const QString &script, const QStringList &arguments, bool *ok)
{
    QProcess process;
    process.start(QStringLiteral("sh"),
        QStringList { QStringLiteral("-c"), script, QStringLiteral("sh") } + arguments);
    *ok = process.waitForFinished(30000) && process.exitStatus() == QProcess::NormalExit
        && process.exitCode() == 0;
    if (!*ok)
        qWarning("shell pipeline failed: %s", process.readAllStandardError().constData());
    return process.readAllStandardOutput();
}

QString openSsl()
{
    return QStandardPaths::findExecutable(QStringLiteral("openssl"));
}

} // namespace

class TestTlsPin : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void keyFileIsPrivate();
    void filesLoadInQt();
    void certificateContents();
    void subjectAlternativeNames();
    void refusesToOverwrite();
    void refusesWhenOnlyCertificateExists();
    void rejectsBadInput();
    void eachIdentityIsNew();
    void hostSpellings();

    void fingerprintMatchesOpenSslCli();
    void fingerprintSurvivesRenewalWithSameKey();
    void pemAndDerGiveSameFingerprint();
    void garbageIsNotACertificate_data();
    void garbageIsNotACertificate();

    void normaliseAccepts_data();
    void normaliseAccepts();
    void normaliseRejects_data();
    void normaliseRejects();
    void displayGroupsOfFour();

private:
    QTemporaryDir m_dir;
    CertificateGenerator::Paths m_paths;
    QByteArray m_certificatePem;
    QByteArray m_keyPem;
    QString m_fingerprint;
};

void TestTlsPin::initTestCase()
{
    QVERIFY2(m_dir.isValid(), qPrintable(m_dir.errorString()));
    // A folder that does not exist yet: the generator creates it.
    m_paths.certificatePem = m_dir.filePath(QStringLiteral("tls/server-cert.pem"));
    m_paths.keyPem = m_dir.filePath(QStringLiteral("tls/private/server-key.pem"));
    const Status made = CertificateGenerator::generate(m_paths, { kHostName, kIpv4, kIpv6 });
    QVERIFY2(made.ok(), qPrintable(made.error()));

    m_certificatePem = readAll(m_paths.certificatePem);
    m_keyPem = readAll(m_paths.keyPem);
    QVERIFY(m_certificatePem.startsWith("-----BEGIN CERTIFICATE-----\n"));
    QVERIFY(m_keyPem.startsWith("-----BEGIN PRIVATE KEY-----\n")); // PKCS#8, unencrypted

    const auto fingerprint = tls::spkiFingerprint(m_certificatePem);
    QVERIFY2(fingerprint.ok(), qPrintable(fingerprint.error()));
    m_fingerprint = *fingerprint;
    QCOMPARE(m_fingerprint.size(), 64);
    QCOMPARE(m_fingerprint, m_fingerprint.toLower());
}

void TestTlsPin::keyFileIsPrivate()
{
    struct stat info = {};
    QCOMPARE(::stat(QFile::encodeName(m_paths.keyPem).constData(), &info), 0);
    QCOMPARE(info.st_mode & 07777, mode_t { 0600 });
    QVERIFY(S_ISREG(info.st_mode));
}

void TestTlsPin::filesLoadInQt()
{
    if (!QSslSocket::supportsSsl())
        QSKIP("Qt has no TLS backend with OpenSSL here; cannot check that Qt loads the files");
    const QSslKey key(m_keyPem, QSsl::Ec, QSsl::Pem, QSsl::PrivateKey);
    QVERIFY(!key.isNull());
    QCOMPARE(key.algorithm(), QSsl::Ec);
    QCOMPARE(key.length(), 256);

    const QSslCertificate certificate(m_certificatePem, QSsl::Pem);
    QVERIFY(!certificate.isNull());
    QCOMPARE(certificate.publicKey().algorithm(), QSsl::Ec);
    const auto fromQt = tls::spkiFingerprint(certificate);
    QVERIFY2(fromQt.ok(), qPrintable(fromQt.error()));
    QCOMPARE(*fromQt, m_fingerprint);
}

void TestTlsPin::certificateContents()
{
    const QSslCertificate certificate(m_certificatePem, QSsl::Pem);
    QVERIFY(!certificate.isNull());
    QCOMPARE(certificate.version(), QByteArray("3"));
    // Not QSslCertificate::isSelfSigned(): that asks OpenSSL's X509_check_issued(), which
    // also wants keyCertSign in keyUsage, and a server certificate must not have it. The
    // openssl verify run below checks the self-signature instead.
    QCOMPARE(certificate.issuerDisplayName(), certificate.subjectDisplayName());
    QCOMPARE(certificate.subjectInfo(QSslCertificate::CommonName), QStringList { kHostName });
    QCOMPARE(certificate.subjectInfo(QSslCertificate::Organization),
        QStringList { QStringLiteral("Acorn Learning Journal") });
    QCOMPARE(certificate.issuerInfo(QSslCertificate::CommonName), QStringList { kHostName });

    const QDateTime now = QDateTime::currentDateTimeUtc();
    QVERIFY(certificate.effectiveDate() <= now.addSecs(-3500));
    QVERIFY(certificate.effectiveDate() >= now.addSecs(-3700));
    QVERIFY(certificate.expiryDate() >= now.addDays(3650).addSecs(-120));
    QVERIFY(certificate.expiryDate() <= now.addDays(3650).addSecs(120));

    // Serial: positive, at most 20 octets.
    const QByteArray serial = QByteArray::fromHex(certificate.serialNumber().replace(":", ""));
    QVERIFY(serial.size() >= 19 && serial.size() <= 20);
    QVERIFY((static_cast<unsigned char>(serial.at(0)) & 0x80) == 0);

    QHash<QString, QSslCertificateExtension> extensions;
    for (const QSslCertificateExtension &extension : certificate.extensions())
        extensions.insert(extension.name(), extension);
    QVERIFY(extensions.contains(QStringLiteral("subjectAltName")));
    QVERIFY(extensions.contains(QStringLiteral("basicConstraints")));
    QVERIFY(extensions.value(QStringLiteral("basicConstraints")).isCritical());
    QCOMPARE(extensions.value(QStringLiteral("basicConstraints"))
                 .value()
                 .toMap()
                 .value(QStringLiteral("ca"))
                 .toBool(),
        false);
    QVERIFY(extensions.contains(QStringLiteral("keyUsage")));
    QVERIFY(extensions.value(QStringLiteral("keyUsage")).isCritical());
    QVERIFY(extensions.contains(QStringLiteral("extendedKeyUsage")));
    QVERIFY(!extensions.value(QStringLiteral("extendedKeyUsage")).isCritical());
    QVERIFY(extensions.contains(QStringLiteral("subjectKeyIdentifier")));

    if (openSsl().isEmpty())
        return; // the details below need the openssl command line
    bool ok = false;
    const QString text = QString::fromUtf8(runShell(
        QStringLiteral("openssl x509 -in \"$1\" -noout -text"), { m_paths.certificatePem }, &ok));
    QVERIFY(ok);
    QVERIFY2(text.contains(QLatin1String("Digital Signature")), qPrintable(text));
    QVERIFY(!text.contains(QLatin1String("Key Encipherment")));
    QVERIFY(text.contains(QLatin1String("TLS Web Server Authentication")));
    QVERIFY(text.contains(QLatin1String("CA:FALSE")));
    QVERIFY(text.contains(QLatin1String("ecdsa-with-SHA256")));
    QVERIFY(text.contains(QLatin1String("NIST CURVE: P-256")));

    // Trusted as its own anchor (what a client pinning it does), for server use.
    runShell(QStringLiteral("openssl verify -purpose sslserver -CAfile \"$1\" \"$1\""),
        { m_paths.certificatePem }, &ok);
    QVERIFY(ok);
}

void TestTlsPin::subjectAlternativeNames()
{
    const QSslCertificate certificate(m_certificatePem, QSsl::Pem);
    const auto names = certificate.subjectAlternativeNames();
    QCOMPARE(names.values(QSsl::DnsEntry), QStringList { kHostName });

    const QStringList ips = names.values(QSsl::IpAddressEntry);
    QCOMPARE(ips.size(), 2);
    QList<QHostAddress> addresses;
    for (const QString &ip : ips)
        addresses.append(QHostAddress(ip));
    QVERIFY2(addresses.contains(QHostAddress(kIpv4)), qPrintable(ips.join(u',')));
    QVERIFY2(addresses.contains(QHostAddress(kIpv6)), qPrintable(ips.join(u',')));
    // An IP address must not also appear as a DNS name (clients would not match it).
    QVERIFY(!names.values(QSsl::DnsEntry).contains(kIpv4));
}

void TestTlsPin::refusesToOverwrite()
{
    const Status again = CertificateGenerator::generate(m_paths, { kHostName });
    QVERIFY(!again.ok());
    QVERIFY2(again.error().contains(QDir::toNativeSeparators(m_paths.keyPem))
            || again.error().contains(QDir::toNativeSeparators(m_paths.certificatePem)),
        qPrintable(again.error()));
    QCOMPARE(readAll(m_paths.certificatePem), m_certificatePem);
    QCOMPARE(readAll(m_paths.keyPem), m_keyPem);
}

void TestTlsPin::refusesWhenOnlyCertificateExists()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const CertificateGenerator::Paths paths { dir.filePath(QStringLiteral("cert.pem")),
        dir.filePath(QStringLiteral("key.pem")) };
    QFile existing(paths.certificatePem);
    QVERIFY(existing.open(QIODevice::WriteOnly));
    existing.write("not mine to replace");
    existing.close();

    const Status made = CertificateGenerator::generate(paths, { kHostName });
    QVERIFY(!made.ok());
    QVERIFY2(made.error().contains(QDir::toNativeSeparators(paths.certificatePem)),
        qPrintable(made.error()));
    QVERIFY(!QFile::exists(paths.keyPem)); // no key left behind without its certificate
    QCOMPARE(readAll(paths.certificatePem), QByteArray("not mine to replace"));

    // A dangling symbolic link in place of the key is refused too.
    const CertificateGenerator::Paths linked { dir.filePath(QStringLiteral("c2.pem")),
        dir.filePath(QStringLiteral("k2.pem")) };
    QVERIFY(QFile::link(dir.filePath(QStringLiteral("elsewhere.pem")), linked.keyPem));
    QVERIFY(!CertificateGenerator::generate(linked, { kHostName }).ok());
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("elsewhere.pem"))));
}

void TestTlsPin::rejectsBadInput()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const CertificateGenerator::Paths paths { dir.filePath(QStringLiteral("cert.pem")),
        dir.filePath(QStringLiteral("key.pem")) };
    QVERIFY(!CertificateGenerator::generate(paths, {}).ok());
    QVERIFY(!CertificateGenerator::generate(paths, { kHostName }, 0).ok());
    QVERIFY(!CertificateGenerator::generate(paths, { QString() }).ok());
    QVERIFY(
        !CertificateGenerator::generate(paths, { QString(65, u'a') + QStringLiteral(".example") })
             .ok());
    QVERIFY(
        !CertificateGenerator::generate(paths, { kHostName, QStringLiteral("bad name,IP:1.2.3.4") })
             .ok());
    QVERIFY(!CertificateGenerator::generate({ paths.keyPem, paths.keyPem }, { kHostName }).ok());
    QVERIFY(!QFile::exists(paths.certificatePem));
    QVERIFY(!QFile::exists(paths.keyPem));
}

void TestTlsPin::eachIdentityIsNew()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const CertificateGenerator::Paths paths { dir.filePath(QStringLiteral("cert.pem")),
        dir.filePath(QStringLiteral("key.pem")) };
    const Status made = CertificateGenerator::generate(paths, { kIpv4 }, 30);
    QVERIFY2(made.ok(), qPrintable(made.error()));
    const auto other = tls::spkiFingerprint(readAll(paths.certificatePem));
    QVERIFY(other.ok());
    QVERIFY(*other != m_fingerprint);

    const QSslCertificate certificate(readAll(paths.certificatePem), QSsl::Pem);
    QCOMPARE(certificate.subjectInfo(QSslCertificate::CommonName), QStringList { kIpv4 });
    QVERIFY(certificate.subjectAlternativeNames().values(QSsl::DnsEntry).isEmpty());
    QVERIFY(certificate.expiryDate() <= QDateTime::currentDateTimeUtc().addDays(31));
}

void TestTlsPin::hostSpellings()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const CertificateGenerator::Paths paths { dir.filePath(QStringLiteral("cert.pem")),
        dir.filePath(QStringLiteral("key.pem")) };
    const Status made = CertificateGenerator::generate(
        paths, { QStringLiteral("Bücher.example."), QStringLiteral("[fd00::7]") });
    QVERIFY2(made.ok(), qPrintable(made.error()));
    const QSslCertificate certificate(readAll(paths.certificatePem), QSsl::Pem);
    const auto names = certificate.subjectAlternativeNames();
    QCOMPARE(names.values(QSsl::DnsEntry), QStringList { QStringLiteral("xn--bcher-kva.example") });
    QCOMPARE(names.values(QSsl::IpAddressEntry).size(), 1);
    QCOMPARE(QHostAddress(names.values(QSsl::IpAddressEntry).constFirst()),
        QHostAddress(QStringLiteral("fd00::7")));
}

void TestTlsPin::fingerprintMatchesOpenSslCli()
{
    if (openSsl().isEmpty())
        QSKIP("the openssl command line tool is not installed; cannot cross-check the "
              "fingerprint");
    bool ok = false;
    const QByteArray output
        = runShell(QStringLiteral("openssl x509 -in \"$1\" -pubkey -noout | openssl pkey -pubin "
                                  "-outform DER | sha256sum"),
            { m_paths.certificatePem }, &ok);
    QVERIFY(ok);
    QCOMPARE(QString::fromLatin1(output.left(64)), m_fingerprint);
}

void TestTlsPin::fingerprintSurvivesRenewalWithSameKey()
{
    // Why we pin the key: the IT manager renews the certificate with the same key and no
    // device's pin breaks.
    if (openSsl().isEmpty())
        QSKIP("the openssl command line tool is not installed; cannot make a renewed "
              "certificate");
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString renewedPath = dir.filePath(QStringLiteral("renewed.pem"));
    bool ok = false;
    runShell(QStringLiteral("openssl req -new -x509 -key \"$1\" -subj /CN=renewed -days 30 "
                            "-out \"$2\""),
        { m_paths.keyPem, renewedPath }, &ok);
    QVERIFY(ok);
    const QByteArray renewed = readAll(renewedPath);
    QVERIFY(renewed != m_certificatePem);
    const auto fingerprint = tls::spkiFingerprint(renewed);
    QVERIFY2(fingerprint.ok(), qPrintable(fingerprint.error()));
    QCOMPARE(*fingerprint, m_fingerprint);
}

void TestTlsPin::pemAndDerGiveSameFingerprint()
{
    const QSslCertificate certificate(m_certificatePem, QSsl::Pem);
    const QByteArray der = certificate.toDer();
    QVERIFY(!der.isEmpty());
    QVERIFY(!der.startsWith("-----"));
    const auto fromDer = tls::spkiFingerprint(der);
    QVERIFY2(fromDer.ok(), qPrintable(fromDer.error()));
    QCOMPARE(*fromDer, m_fingerprint);

    // Leading blank lines and CRLF line ends, as pasted from an email.
    QByteArray pasted = "\r\n\n" + m_certificatePem;
    pasted.replace("\n", "\r\n");
    const auto fromPasted = tls::spkiFingerprint(pasted);
    QVERIFY2(fromPasted.ok(), qPrintable(fromPasted.error()));
    QCOMPARE(*fromPasted, m_fingerprint);
}

void TestTlsPin::garbageIsNotACertificate_data()
{
    QTest::addColumn<QByteArray>("input");
    const QByteArray der = QSslCertificate(m_certificatePem, QSsl::Pem).toDer();

    QTest::newRow("empty") << QByteArray();
    QTest::newRow("text") << QByteArray("hello, this is not a certificate");
    QTest::newRow("random") << QByteArray::fromHex("3082deadbeef00112233445566778899");
    QTest::newRow("pem-header-only") << QByteArray("-----BEGIN CERTIFICATE-----\n");
    QTest::newRow("pem-bad-body") << QByteArray("-----BEGIN CERTIFICATE-----\nAAAA\n"
                                                "-----END CERTIFICATE-----\n");
    QTest::newRow("pem-key") << m_keyPem;
    QTest::newRow("der-truncated") << der.chopped(1);
    QTest::newRow("der-trailing-bytes") << der + QByteArray("x");
}

void TestTlsPin::garbageIsNotACertificate()
{
    QFETCH(QByteArray, input);
    const auto fingerprint = tls::spkiFingerprint(input);
    QVERIFY(!fingerprint.ok());
    QCOMPARE(fingerprint.error(), QStringLiteral("not a valid X.509 certificate"));
}

void TestTlsPin::normaliseAccepts_data()
{
    QTest::addColumn<QString>("typed");
    const QString hex = m_fingerprint;
    QString colons;
    for (qsizetype i = 0; i < hex.size(); i += 2)
        colons += (i ? QStringLiteral(":") : QString()) + hex.mid(i, 2).toUpper();

    QTest::newRow("canonical") << hex;
    QTest::newRow("upper") << hex.toUpper();
    QTest::newRow("colons-with-prefix") << QStringLiteral("SHA256:") + colons;
    QTest::newRow("lower-prefix") << QStringLiteral("sha256:") + hex;
    QTest::newRow("prefix-and-spaces") << QStringLiteral("  sha256: ") + colons + u' ';
    QTest::newRow("display-form") << tls::displayFingerprint(hex);
    QTest::newRow("line-break") << hex.left(32) + QStringLiteral("\n") + hex.mid(32);
}

void TestTlsPin::normaliseAccepts()
{
    QFETCH(QString, typed);
    const auto normalised = tls::normaliseFingerprint(typed);
    QVERIFY2(normalised.ok(), qPrintable(normalised.error()));
    QCOMPARE(*normalised, m_fingerprint);
}

void TestTlsPin::normaliseRejects_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("messagePart");
    const QString hex = m_fingerprint;

    QTest::newRow("63-digits") << hex.left(63) << QStringLiteral("this one has 63");
    QTest::newRow("65-digits") << hex + u'a' << QStringLiteral("this one has 65");
    QTest::newRow("sha1-length") << hex.left(
        40) << QStringLiteral("a fingerprint has 64 hex digits; this one has 40");
    QTest::newRow("non-hex") << hex.left(63) + u'g' << QStringLiteral("\"g\"");
    QTest::newRow("dash-separated") << hex.left(32) + u'-' + hex.mid(32) << QStringLiteral("\"-\"");
    QTest::newRow("other-algorithm") << QStringLiteral("md5:") + hex << QStringLiteral("\"m\"");
    QTest::newRow("empty") << QString() << QStringLiteral("no fingerprint");
    QTest::newRow("prefix-only") << QStringLiteral("SHA256:") << QStringLiteral("no fingerprint");
}

void TestTlsPin::normaliseRejects()
{
    QFETCH(QString, typed);
    QFETCH(QString, messagePart);
    const auto normalised = tls::normaliseFingerprint(typed);
    QVERIFY(!normalised.ok());
    QVERIFY2(normalised.error().contains(messagePart), qPrintable(normalised.error()));
}

void TestTlsPin::displayGroupsOfFour()
{
    const QString shown = tls::displayFingerprint(m_fingerprint);
    QCOMPARE(shown.size(), 64 + 15);
    const QStringList groups = shown.split(u' ');
    QCOMPARE(groups.size(), 16);
    for (const QString &group : groups)
        QCOMPARE(group.size(), 4);
    QCOMPARE(groups.join(QString()), m_fingerprint);
    QCOMPARE(tls::displayFingerprint(QStringLiteral("ab12cd34ef")), QStringLiteral("ab12 cd34 ef"));
    QCOMPARE(tls::displayFingerprint(QString()), QString());
}

QTEST_GUILESS_MAIN(TestTlsPin)
#include "tst_tlspin.moc"
