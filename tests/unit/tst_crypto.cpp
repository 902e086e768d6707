// Unit tests for acorn::crypto: scrypt password hashes (format, known answers, tampering),
// activation codes, constant-time comparison and AES-256-GCM sealing.

#include "crypto.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace acorn;

namespace {

// Fast parameters for everything except the one test of the real cost.
constexpr crypto::ScryptParams kFast { 12, 8, 1 };

QString replaceAt(QString text, qsizetype index, QChar c)
{
    text[index] = c;
    return text;
}

// A different base64 character for the one at `index`.
QString alterBase64At(const QString &text, qsizetype index)
{
    return replaceAt(text, index, text.at(index) == u'A' ? u'B' : u'A');
}

QByteArray key(char fill)
{
    return QByteArray(32, fill);
}

} // namespace

class TestCrypto : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void randomBytes();
    void sha256();
    void constantTimeEquals();

    void scryptKnownAnswers_data();
    void scryptKnownAnswers();
    void scryptRawRejectsBadInput();

    void hashAndVerifyWithRealParameters();
    void oldParametersStillVerifyAndAskForRehash();
    void hashAndVerifyRoundTrip_data();
    void hashAndVerifyRoundTrip();
    void hashHasDocumentedFormat();
    void sameThenDifferentSalt();
    void verifiesHashMadeElsewhere();
    void hashRejectsOutOfRangeParameters();
    void tamperedHashesNeverVerify_data();
    void tamperedHashesNeverVerify();

    void activationCodeFormat();
    void activationCodesUseWholeAlphabet();
    void normaliseActivationCode_data();
    void normaliseActivationCode();

    void sealRoundTrip_data();
    void sealRoundTrip();
    void sealUsesFreshNonce();
    void openWithWrongKeyFails();
    void openTamperedFails();
    void openWithWrongAadFails();
    void openShortInputFails();
    void wrongKeySizeFails();

private:
    QString m_fastHash; // "correct horse battery staple" with kFast
};

void TestCrypto::initTestCase()
{
    const auto hash = crypto::hashPassword(QStringLiteral("correct horse battery staple"), kFast);
    QVERIFY2(hash.ok(), qPrintable(hash.error()));
    m_fastHash = *hash;
}

void TestCrypto::randomBytes()
{
    QCOMPARE(crypto::randomBytes(0).size(), 0);
    QCOMPARE(crypto::randomBytes(-3).size(), 0);
    const QByteArray a = crypto::randomBytes(32);
    const QByteArray b = crypto::randomBytes(32);
    QCOMPARE(a.size(), 32);
    QVERIFY(a != b);
}

void TestCrypto::sha256()
{
    QCOMPARE(crypto::sha256Hex("abc"),
        QStringLiteral("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    QCOMPARE(crypto::sha256("abc").toHex(), crypto::sha256Hex("abc").toLatin1());
    QCOMPARE(crypto::sha256Hex({}),
        QStringLiteral("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
}

void TestCrypto::constantTimeEquals()
{
    QVERIFY(crypto::constantTimeEquals("token", "token"));
    QVERIFY(!crypto::constantTimeEquals("token", "tokeN"));
    QVERIFY(!crypto::constantTimeEquals("token", "token2"));
    QVERIFY(!crypto::constantTimeEquals("", "x"));
    QVERIFY(crypto::constantTimeEquals("", ""));
    QVERIFY(crypto::constantTimeEquals(QByteArrayView(), QByteArray()));
    const QByteArray withNul("a\0b", 3);
    QVERIFY(!crypto::constantTimeEquals(withNul, QByteArray("a\0c", 3)));
}

void TestCrypto::scryptKnownAnswers_data()
{
    QTest::addColumn<QByteArray>("password");
    QTest::addColumn<QByteArray>("salt");
    QTest::addColumn<int>("log2N");
    QTest::addColumn<int>("r");
    QTest::addColumn<int>("p");
    QTest::addColumn<QByteArray>("expectedHex");

    // RFC 7914, section 12 (the 1 GiB fourth vector is left out).
    QTest::newRow("rfc7914-1") << QByteArray() << QByteArray() << 4 << 1 << 1
                               << QByteArray(
                                      "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa"
                                      "3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d"
                                      "3628cf35e20c38d18906");
    QTest::newRow("rfc7914-2") << QByteArray("password") << QByteArray("NaCl") << 10 << 8 << 16
                               << QByteArray("fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e7737"
                                             "6634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a"
                                             "83ee6d8360cbdfa2cc0640");
    QTest::newRow("rfc7914-3") << QByteArray("pleaseletmein") << QByteArray("SodiumChloride") << 14
                               << 8 << 1
                               << QByteArray("7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b54"
                                             "3f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d"
                                             "651e40dfcf017b45575887");
}

void TestCrypto::scryptKnownAnswers()
{
    QFETCH(QByteArray, password);
    QFETCH(QByteArray, salt);
    QFETCH(int, log2N);
    QFETCH(int, r);
    QFETCH(int, p);
    QFETCH(QByteArray, expectedHex);

    const QByteArray out = crypto::scryptRaw(password, salt, { log2N, r, p }, 64);
    QCOMPARE(out.toHex(), expectedHex);
}

void TestCrypto::scryptRawRejectsBadInput()
{
    QVERIFY(crypto::scryptRaw("pw", "salt", { 10, 8, 1 }, 0).isEmpty());
    QVERIFY(crypto::scryptRaw("pw", "salt", { 0, 8, 1 }, 32).isEmpty());
    QVERIFY(crypto::scryptRaw("pw", "salt", { 10, 0, 1 }, 32).isEmpty());
    QVERIFY(crypto::scryptRaw("pw", "salt", { 10, 8, 0 }, 32).isEmpty());
}

void TestCrypto::hashAndVerifyWithRealParameters()
{
    const QString password = QStringLiteral("Acorn staff password 2024!");
    QElapsedTimer timer;
    timer.start();
    const auto hash = crypto::hashPassword(password);
    const qint64 hashMs = timer.restart();
    QVERIFY2(hash.ok(), qPrintable(hash.error()));
    QVERIFY(hash->startsWith(QLatin1String("$scrypt$ln=16,r=8,p=2$")));
    QVERIFY(crypto::verifyPassword(password, *hash));
    const qint64 verifyMs = timer.elapsed();
    qInfo("scrypt ln=16,r=8,p=2: hash %lld ms, verify %lld ms", hashMs, verifyMs);
    QVERIFY(!crypto::needsRehash(*hash));
    QCOMPARE(crypto::scryptMemory({}), quint64(128 * 8 * ((1 << 16) + 2) + 128 * 8 * 2)); // ~64 MiB
}

// Hashes made before the change (N=2^17, r=8, p=1: 128 MiB) still verify, and say they
// should be replaced.
void TestCrypto::oldParametersStillVerifyAndAskForRehash()
{
    const QString password = QStringLiteral("Acorn staff password 2024!");
    const auto old = crypto::hashPassword(password, { 17, 8, 1 });
    QVERIFY2(old.ok(), qPrintable(old.error()));
    QVERIFY(old->startsWith(QLatin1String("$scrypt$ln=17,r=8,p=1$")));
    QVERIFY(crypto::verifyPassword(password, *old));
    QVERIFY(crypto::needsRehash(*old));
    const auto params = crypto::storedParams(*old);
    QVERIFY(params.has_value());
    QCOMPARE(params->log2N, 17);
    QCOMPARE(params->p, 1);
    QVERIFY(!crypto::needsRehash(QStringLiteral("not a hash"))); // nothing to replace it from
    QVERIFY(!crypto::storedParams(QStringLiteral("$scrypt$ln=17,r=8,p=1$bad$bad")).has_value());
}

void TestCrypto::hashAndVerifyRoundTrip_data()
{
    QTest::addColumn<QString>("password");
    QTest::newRow("ascii") << QStringLiteral("correct horse battery staple");
    QTest::newRow("empty") << QString();
    QTest::newRow("unicode") << QStringLiteral("Grüße aus der Kita \U0001F330");
    QTest::newRow("long") << QString(1000, u'x');
}

void TestCrypto::hashAndVerifyRoundTrip()
{
    QFETCH(QString, password);
    const auto hash = crypto::hashPassword(password, kFast);
    QVERIFY2(hash.ok(), qPrintable(hash.error()));
    QVERIFY(crypto::verifyPassword(password, *hash));
    QVERIFY(!crypto::verifyPassword(password + u'x', *hash));
    QVERIFY(!crypto::verifyPassword(QStringLiteral("wrong password"), *hash));
}

void TestCrypto::hashHasDocumentedFormat()
{
    static const QRegularExpression format(
        QStringLiteral("^\\$scrypt\\$ln=12,r=8,p=1\\$([A-Za-z0-9+/=]+)\\$([A-Za-z0-9+/=]+)$"));
    const auto match = format.match(m_fastHash);
    QVERIFY2(match.hasMatch(), qPrintable(m_fastHash));
    QCOMPARE(QByteArray::fromBase64(match.captured(1).toLatin1()).size(), 16);
    QCOMPARE(QByteArray::fromBase64(match.captured(2).toLatin1()).size(), 32);
}

void TestCrypto::sameThenDifferentSalt()
{
    const QString password = QStringLiteral("correct horse battery staple");
    const auto again = crypto::hashPassword(password, kFast);
    QVERIFY(again.ok());
    QVERIFY(*again != m_fastHash);
    QCOMPARE(again->section(u'$', 2, 2), m_fastHash.section(u'$', 2, 2));
    QVERIFY(again->section(u'$', 3, 3) != m_fastHash.section(u'$', 3, 3));
    QVERIFY(crypto::verifyPassword(password, *again));
    QVERIFY(crypto::verifyPassword(password, m_fastHash));
}

void TestCrypto::verifiesHashMadeElsewhere()
{
    // Made with Python's hashlib.scrypt(n=4096, r=8, p=1, dklen=32), salt "0123456789abcdef".
    const QString encoded = QStringLiteral("$scrypt$ln=12,r=8,p=1$MDEyMzQ1Njc4OWFiY2RlZg==$"
                                           "BLi/oY39hBw/owpoCnC4inJjwRWuJsDnBNlE+UjmY6s=");
    QVERIFY(crypto::verifyPassword(QStringLiteral("correct horse battery staple"), encoded));
    QVERIFY(!crypto::verifyPassword(QStringLiteral("correct horse battery stapler"), encoded));
}

void TestCrypto::hashRejectsOutOfRangeParameters()
{
    const crypto::ScryptParams bad[] = { { 9, 8, 1 }, { 23, 8, 1 }, { 12, 0, 1 }, { 12, 33, 1 },
        { 12, 8, 0 }, { 12, 8, 17 }, { 22, 32, 1 } };
    for (const auto &params : bad) {
        const auto hash = crypto::hashPassword(QStringLiteral("pw"), params);
        QVERIFY2(!hash.ok(),
            qPrintable(QStringLiteral("ln=%1 r=%2 p=%3 was accepted")
                           .arg(params.log2N)
                           .arg(params.r)
                           .arg(params.p)));
        QVERIFY(!hash.error().isEmpty());
    }
}

void TestCrypto::tamperedHashesNeverVerify_data()
{
    QTest::addColumn<QString>("encoded");

    const QString good = m_fastHash;
    const QStringList parts = good.split(u'$');
    QCOMPARE(parts.size(), 5);
    const QString &salt = parts[3];
    const QString &hash = parts[4];
    const auto withParams = [&](const QString &params) {
        return QStringLiteral("$scrypt$%1$%2$%3").arg(params, salt, hash);
    };
    const auto withSalt = [&](const QString &s) {
        return QStringLiteral("$scrypt$%1$%2$%3").arg(parts[2], s, hash);
    };
    const auto withHash = [&](const QString &h) {
        return QStringLiteral("$scrypt$%1$%2$%3").arg(parts[2], salt, h);
    };

    QTest::newRow("empty") << QString();
    QTest::newRow("algorithm") << QString(good).replace(
        QLatin1String("$scrypt$"), QLatin1String("$scrypy$"));
    QTest::newRow("no-leading-dollar") << good.mid(1);
    QTest::newRow("extra-part") << good + QStringLiteral("$AAAA");
    QTest::newRow("ln-changed") << withParams(QStringLiteral("ln=13,r=8,p=1"));
    QTest::newRow("r-changed") << withParams(QStringLiteral("ln=12,r=7,p=1"));
    QTest::newRow("p-changed") << withParams(QStringLiteral("ln=12,r=8,p=2"));
    QTest::newRow("params-reordered") << withParams(QStringLiteral("r=8,ln=12,p=1"));
    QTest::newRow("params-missing") << withParams(QStringLiteral("ln=12,r=8"));
    QTest::newRow("params-spaces") << withParams(QStringLiteral("ln=12, r=8, p=1"));
    QTest::newRow("ln-signed") << withParams(QStringLiteral("ln=+12,r=8,p=1"));
    QTest::newRow("ln-not-number") << withParams(QStringLiteral("ln=xx,r=8,p=1"));
    QTest::newRow("ln-too-small") << withParams(QStringLiteral("ln=9,r=8,p=1"));
    QTest::newRow("ln-too-large") << withParams(QStringLiteral("ln=23,r=8,p=1"));
    QTest::newRow("ln-huge") << withParams(QStringLiteral("ln=4294967308,r=8,p=1"));
    QTest::newRow("r-zero") << withParams(QStringLiteral("ln=12,r=0,p=1"));
    QTest::newRow("r-too-large") << withParams(QStringLiteral("ln=12,r=33,p=1"));
    QTest::newRow("p-zero") << withParams(QStringLiteral("ln=12,r=8,p=0"));
    QTest::newRow("p-too-large") << withParams(QStringLiteral("ln=12,r=8,p=17"));
    // In range individually, but would need 16 GiB: must be refused before allocating.
    QTest::newRow("memory-too-large") << withParams(QStringLiteral("ln=22,r=32,p=1"));
    QTest::newRow("salt-altered") << withSalt(alterBase64At(salt, 0));
    QTest::newRow("salt-empty") << withSalt(QString());
    QTest::newRow("salt-bad-base64") << withSalt(replaceAt(salt, 2, u'!'));
    QTest::newRow("salt-truncated") << withSalt(salt.left(salt.size() - 1));
    QTest::newRow("salt-unpadded") << withSalt(QString(salt).remove(u'='));
    QTest::newRow("hash-altered") << withHash(alterBase64At(hash, 0));
    QTest::newRow("hash-altered-end") << withHash(alterBase64At(hash, hash.size() - 2));
    QTest::newRow("hash-empty") << withHash(QString());
    QTest::newRow("hash-bad-base64") << withHash(replaceAt(hash, 5, u'*'));
    QTest::newRow("hash-truncated") << withHash(hash.left(hash.size() - 4));
    QTest::newRow("hash-too-short") << withHash(
        QString::fromLatin1(QByteArray::fromBase64(hash.toLatin1()).left(31).toBase64()));
    QTest::newRow("hash-too-long") << withHash(
        QString::fromLatin1((QByteArray::fromBase64(hash.toLatin1()) + '\0').toBase64()));
    QTest::newRow("whole-truncated") << good.left(good.size() - 10);
    QTest::newRow("only-header") << QStringLiteral("$scrypt$ln=12,r=8,p=1");
    QTest::newRow("trailing-space") << good + u' ';
}

void TestCrypto::tamperedHashesNeverVerify()
{
    QFETCH(QString, encoded);
    QVERIFY(encoded != m_fastHash);
    QVERIFY(!crypto::verifyPassword(QStringLiteral("correct horse battery staple"), encoded));
}

void TestCrypto::activationCodeFormat()
{
    static const QRegularExpression format(
        QStringLiteral("^[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}$"));
    QSet<QString> seen;
    for (int i = 0; i < 200; ++i) {
        const QString code = crypto::newActivationCode();
        QVERIFY2(format.match(code).hasMatch(), qPrintable(code));
        seen.insert(code);
    }
    QCOMPARE(seen.size(), 200);
}

void TestCrypto::activationCodesUseWholeAlphabet()
{
    const QString alphabet = QStringLiteral("ABCDEFGHJKLMNPQRSTUVWXYZ23456789");
    QHash<QChar, int> counts;
    const int codes = 2000;
    for (int i = 0; i < codes; ++i) {
        for (const QChar c : crypto::newActivationCode()) {
            if (c != u'-')
                ++counts[c];
        }
    }
    QCOMPARE(counts.size(), alphabet.size());
    // 30000 draws, 937.5 expected per character; a biased or broken selection would show
    // far outside these loose bounds (each is more than 8 standard deviations away).
    for (const QChar c : alphabet) {
        QVERIFY2(counts.value(c) > 700 && counts.value(c) < 1180,
            qPrintable(QStringLiteral("%1 appeared %2 times").arg(c).arg(counts.value(c))));
    }
    for (const QChar c : { u'I', u'O', u'0', u'1' })
        QVERIFY(!counts.contains(c));
}

void TestCrypto::normaliseActivationCode_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("expected");
    QTest::newRow("as-printed") << QStringLiteral("ABCDE-FGHJK-LMNPQ")
                                << QStringLiteral("ABCDEFGHJKLMNPQ");
    QTest::newRow("lower-case") << QStringLiteral("abcde-fghjk-lmnpq")
                                << QStringLiteral("ABCDEFGHJKLMNPQ");
    QTest::newRow("spaces") << QStringLiteral("  abcde fghjk\tlmnpq \n")
                            << QStringLiteral("ABCDEFGHJKLMNPQ");
    QTest::newRow("no-separators")
        << QStringLiteral("abcdefghjklmnpq") << QStringLiteral("ABCDEFGHJKLMNPQ");
    QTest::newRow("double-dashes") << QStringLiteral("ab--cde - fgh") << QStringLiteral("ABCDEFGH");
    QTest::newRow("empty") << QString() << QString();
}

void TestCrypto::normaliseActivationCode()
{
    QFETCH(QString, typed);
    QFETCH(QString, expected);
    QCOMPARE(crypto::normaliseActivationCode(typed), expected);

    const QString code = crypto::newActivationCode();
    QCOMPARE(crypto::normaliseActivationCode(code), QString(code).remove(u'-'));
    QCOMPARE(
        crypto::normaliseActivationCode(code.toLower()), crypto::normaliseActivationCode(code));
}

void TestCrypto::sealRoundTrip_data()
{
    QTest::addColumn<QByteArray>("plaintext");
    QTest::addColumn<QByteArray>("aad");
    QTest::newRow("short") << QByteArray("observation note") << QByteArray();
    QTest::newRow("with-aad") << QByteArray("observation note") << QByteArray("child:42");
    QTest::newRow("empty") << QByteArray() << QByteArray();
    QTest::newRow("empty-with-aad") << QByteArray() << QByteArray("header");
    QTest::newRow("binary") << QByteArray("\0\1\2\3\xff", 5) << QByteArray("\0", 1);
    // Larger than the 1 MiB pieces the cipher is fed in.
    QTest::newRow("multi-chunk") << crypto::randomBytes(3 * 1024 * 1024 + 7)
                                 << crypto::randomBytes(1024 * 1024 + 3);
}

void TestCrypto::sealRoundTrip()
{
    QFETCH(QByteArray, plaintext);
    QFETCH(QByteArray, aad);
    const QByteArray k = crypto::randomBytes(32);
    const auto sealed = crypto::encrypt(k, plaintext, aad);
    QVERIFY2(sealed.ok(), qPrintable(sealed.error()));
    QCOMPARE(sealed->size(), plaintext.size() + 12 + 16);
    if (plaintext.size() >= 16)
        QVERIFY(!sealed->contains(plaintext.left(16)));
    const auto opened = crypto::decrypt(k, *sealed, aad);
    QVERIFY2(opened.ok(), qPrintable(opened.error()));
    QCOMPARE(*opened, plaintext);
}

void TestCrypto::sealUsesFreshNonce()
{
    const auto a = crypto::encrypt(key('k'), "same text");
    const auto b = crypto::encrypt(key('k'), "same text");
    QVERIFY(a.ok() && b.ok());
    QVERIFY(a->left(12) != b->left(12));
    QVERIFY(*a != *b);
}

void TestCrypto::openWithWrongKeyFails()
{
    const auto sealed = crypto::encrypt(key('k'), "secret");
    QVERIFY(sealed.ok());
    const auto opened = crypto::decrypt(key('j'), *sealed);
    QVERIFY(!opened.ok());
    QVERIFY2(opened.error().contains(QLatin1String("damaged or the key is wrong")),
        qPrintable(opened.error()));
}

void TestCrypto::openTamperedFails()
{
    const QByteArray plaintext = "a learning journal entry";
    const auto sealed = crypto::encrypt(key('k'), plaintext, "aad");
    QVERIFY(sealed.ok());
    // Every byte matters: nonce, ciphertext and tag.
    for (qsizetype i = 0; i < sealed->size(); ++i) {
        QByteArray tampered = *sealed;
        tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
        const auto opened = crypto::decrypt(key('k'), tampered, "aad");
        QVERIFY2(!opened.ok(), qPrintable(QStringLiteral("byte %1 flipped but accepted").arg(i)));
        QVERIFY(opened.error().contains(QLatin1String("damaged or the key is wrong")));
    }
    // Cut off or extended.
    QVERIFY(!crypto::decrypt(key('k'), sealed->chopped(1), "aad").ok());
    QVERIFY(!crypto::decrypt(key('k'), *sealed + 'x', "aad").ok());
}

void TestCrypto::openWithWrongAadFails()
{
    const auto sealed = crypto::encrypt(key('k'), "secret", "child:42");
    QVERIFY(sealed.ok());
    QVERIFY(crypto::decrypt(key('k'), *sealed, "child:42").ok());
    QVERIFY(!crypto::decrypt(key('k'), *sealed, "child:43").ok());
    QVERIFY(!crypto::decrypt(key('k'), *sealed).ok());

    const auto withoutAad = crypto::encrypt(key('k'), "secret");
    QVERIFY(withoutAad.ok());
    QVERIFY(!crypto::decrypt(key('k'), *withoutAad, "child:42").ok());
}

void TestCrypto::openShortInputFails()
{
    for (const qsizetype size : { 0, 1, 12, 27 }) {
        const auto opened = crypto::decrypt(key('k'), QByteArray(size, 'x'));
        QVERIFY(!opened.ok());
        QVERIFY2(opened.error().contains(QLatin1String("damaged or the key is wrong")),
            qPrintable(opened.error()));
    }
    // 28 bytes is a well-formed empty message, but this one was not made with the key.
    QVERIFY(!crypto::decrypt(key('k'), QByteArray(28, 'x')).ok());
}

void TestCrypto::wrongKeySizeFails()
{
    for (const int size : { 0, 16, 31, 33 }) {
        const QByteArray k(size, 'k');
        const auto sealed = crypto::encrypt(k, "secret");
        QVERIFY(!sealed.ok());
        QVERIFY2(sealed.error().contains(QString::number(size)), qPrintable(sealed.error()));
        QVERIFY(!crypto::decrypt(k, QByteArray(64, 'x')).ok());
    }
}

QTEST_GUILESS_MAIN(TestCrypto)
#include "tst_crypto.moc"
