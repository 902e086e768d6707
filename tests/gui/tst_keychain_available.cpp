// Is there a working keychain? In `./acorn test` (ACORN_TEST=1) there must be: the acorn
// script starts a D-Bus session with an unlocked gnome-keyring, and the staff app's tests
// of "stay signed in" are only meaningful with it. Elsewhere a missing keychain is a skip
// with the reason; the apps themselves then fall back to "sign in each time".
#include "credentialstore.h"

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
};

QTEST_GUILESS_MAIN(TestKeychainAvailable)
#include "tst_keychain_available.moc"
