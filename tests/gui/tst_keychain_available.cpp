// Is there a working keychain? In `./acorn test` (ACORN_TEST=1) there must be: the acorn
// script starts a D-Bus session with an unlocked gnome-keyring, and the staff app's tests
// of "stay signed in" are only meaningful with it. Elsewhere a missing keychain is a skip
// with the reason; the apps themselves then fall back to "sign in each time".
#include "credentialstore.h"
#include "datakeystore.h"

#include <QCoreApplication>
#include <QSignalSpy>
#include <QTest>
#include <QUuid>

using acorn::client::CredentialStore;

class TestKeychainAvailable : public QObject
{
    Q_OBJECT
private slots:
    void roundTrip()
    {
        const QString key = QStringLiteral("acorn-test-%1")
                                .arg(QUuid::createUuid().toString(QUuid::WithoutBraces));
        const QByteArray token = QByteArray(32, '\x5a');
        CredentialStore write(key);
        QSignalSpy written(&write, &CredentialStore::finished);
        write.startWrite(token);
        QVERIFY(written.wait(30000));
        if (write.failed()) {
            const QString why
                = QStringLiteral("no working keychain: %1 (DBUS_SESSION_BUS_ADDRESS=%2)")
                      .arg(write.errorString(), qEnvironmentVariable("DBUS_SESSION_BUS_ADDRESS"));
            if (qEnvironmentVariable("ACORN_TEST") == QLatin1String("1"))
                QFAIL(qPrintable(why
                    + QStringLiteral(". ./acorn test must provide one (D-Bus session + "
                                     "gnome-keyring): the keychain tests would be skipped")));
            QSKIP(qPrintable(
                why + QStringLiteral("; run through ./acorn test for a throw-away keyring")));
        }
        CredentialStore read(key);
        QSignalSpy readDone(&read, &CredentialStore::finished);
        read.startRead();
        QVERIFY(readDone.wait(30000));
        QVERIFY2(!read.failed(), qPrintable(read.errorString()));
        QCOMPARE(read.token(), token);
        CredentialStore remove(key);
        QSignalSpy removed(&remove, &CredentialStore::finished);
        remove.startDelete();
        QVERIFY(removed.wait(30000));
        QVERIFY2(!remove.failed(), qPrintable(remove.errorString()));
        CredentialStore gone(key);
        QSignalSpy goneDone(&gone, &CredentialStore::finished);
        gone.startRead();
        QVERIFY(goneDone.wait(30000));
        QVERIFY(gone.token().isEmpty());
        QVERIFY(!gone.keychainUnavailable());
    }

    // A profile's at-rest data key: made once, next to (not instead of) the session token,
    // read back the same; a missing key is never replaced by a new one behind the user's
    // back when sealed data exists.
    void dataKeyIsMadeOnceAndKeptApart()
    {
        const QString profile = QStringLiteral("acorn-test-%1@school:7443")
                                    .arg(QUuid::createUuid().toString(QUuid::WithoutBraces));
        using acorn::client::DataKeyStore;
        const auto missing = DataKeyStore::obtain(profile, false);
        if (!missing && missing.error().contains(QStringLiteral("no working keychain")))
            QSKIP(qPrintable(missing.error()));
        QVERIFY(!missing);
        QVERIFY2(missing.error().contains(QStringLiteral("missing from the keychain")), qPrintable(missing.error()));
        QVERIFY(missing.error().contains(QStringLiteral("Nothing was deleted")));
        const auto made = DataKeyStore::obtain(profile, true);
        QVERIFY2(made, qPrintable(made.error()));
        QCOMPARE(made.value().bytes().size(), 32);
        const auto again = DataKeyStore::obtain(profile, true);
        QVERIFY(again);
        QCOMPARE(again.value().bytes(), made.value().bytes());
        QVERIFY(DataKeyStore::obtain(profile, false));
        // The session token under the same profile is another entry.
        CredentialStore token(profile);
        QSignalSpy tokenDone(&token, &CredentialStore::finished);
        token.startRead();
        QVERIFY(tokenDone.wait(30000));
        QVERIFY(token.token().isEmpty());
        CredentialStore remove(profile, CredentialStore::Secret::DataKey);
        QSignalSpy removed(&remove, &CredentialStore::finished);
        remove.startDelete();
        QVERIFY(removed.wait(30000));
    }
};

QTEST_GUILESS_MAIN(TestKeychainAvailable)
#include "tst_keychain_available.moc"
