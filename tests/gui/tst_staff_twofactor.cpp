// The staff app's two-step sign-in set-up, with real widgets (offscreen) against a real
// acorn-server on 127.0.0.1: opened from the window's menu, it shows the server's new key as
// a QR code (checked for its size and structure, not decoded) and as a key in groups of four,
// explains a wrong code, switches two-factor sign-in on with the right one (computed here from
// the key shown, as an authenticator app would), asks for the old app's code to replace it,
// and tells "offline" and "refused" apart.
//
// ACORN_TEST_HOLD_MS=N keeps the dialog with its QR code on screen for N ms (for a
// screenshot under Xvfb: docs/screenshots/two-factor-setup.png).
#include "authenticatorapp.h"
#include "clientstore.h"
#include "datakeystore.h"
#include "profile.h"
#include "qrcodeimage.h"
#include "staffgui.h"
#include "staffwindow.h"
#include "syncengine.h"
#include "testserver.h"
#include "totp.h"
#include "twofactorsetupdialog.h"

#include <QAction>
#include <QDateTime>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QTcpServer>
#include <QUrlQuery>

using namespace acorn;
using namespace acorn::test;
using acorn::staff::StaffWindow;
using acorn::ui::TwoFactorSetupDialog;
using Step = acorn::ui::TwoFactorSetupDialog::Step;

namespace {

const QString kNinaPassword = QStringLiteral("nina's password 1");
const QString kAlexPassword = QStringLiteral("alex's password 3");

// ISO/IEC 18004 table 7: the bytes a QR code holds in byte mode at error correction level M,
// versions 1 to 15. The smallest version that holds a text is the one libqrencode must pick.
constexpr int kByteCapacityM[]
    = { 14, 26, 42, 62, 84, 106, 122, 152, 180, 213, 251, 287, 331, 362, 412 };

int expectedVersion(qsizetype bytes)
{
    for (int v = 1; v <= 15; ++v) {
        if (kByteCapacityM[v - 1] >= bytes)
            return v;
    }
    return 0;
}

// The module at (x, y) of the code (quiet zone excluded) as painted: dark or light, from
// the pixel at the module's centre.
bool darkAt(const QImage &img, int moduleSize, int x, int y)
{
    const int q = ui::QrCodeImage::kQuietZoneModules;
    const QColor c = img.pixelColor(
        (x + q) * moduleSize + moduleSize / 2, (y + q) * moduleSize + moduleSize / 2);
    return c.lightness() < 128;
}

} // namespace

class TestStaffTwoFactor : public QObject
{
    Q_OBJECT

    TestServer m_server;

    // A session token for the account, as the staff app keeps it in the keychain.
    QByteArray signIn(const QString &user, const QString &password, const QString &code = {},
        wire::Error::Code *refusal = nullptr)
    {
        auto scratch = client::ClientStore::open(m_server.scratch()
                + QStringLiteral("/signin-%1.db").arg(QDateTime::currentMSecsSinceEpoch()),
            client::DataKey::generate());
        if (!scratch)
            return {};
        client::SyncOptions o = options(user, {});
        o.password = password;
        o.secondFactorCode = code;
        client::SyncEngine engine(*scratch.value(), o);
        QSignalSpy done(&engine, &client::SyncEngine::finished);
        engine.start();
        if (!done.wait(60000) || engine.error() != client::SyncError::None) {
            if (refusal)
                *refusal = engine.serverError();
            return {};
        }
        return engine.report().newToken;
    }
    client::SyncOptions options(const QString &user, const QByteArray &token) const
    {
        client::SyncOptions o;
        o.host = QStringLiteral("127.0.0.1");
        o.port = m_server.port();
        o.pin = m_server.fingerprint();
        o.username = user;
        o.token = token;
        o.kind = wire::CLIENT_KIND_STAFF;
        o.push = false;
        o.pull = false;
        return o;
    }
    static bool waitIdle(TwoFactorSetupDialog *d)
    {
        return QTest::qWaitFor([&] { return !d->isBusy(); }, 60000);
    }
    static QString codeFor(const TwoFactorSetupDialog &d, qint64 stepOffset = 0)
    {
        return server::Totp::code(fromBase32(d.shownKey()),
            server::Totp::stepAt(QDateTime::currentMSecsSinceEpoch()) + stepOffset);
    }
    // A 6-digit code that is none of the key's codes around now.
    static QString wrongCode(const TwoFactorSetupDialog &d)
    {
        for (int i = 0;; ++i) {
            const QString guess
                = QStringLiteral("%1").arg(i * 7919 % 1000000, 6, 10, QLatin1Char('0'));
            if (guess != codeFor(d) && guess != codeFor(d, -1) && guess != codeFor(d, 1))
                return guess;
        }
    }
    static void typeCode(
        TwoFactorSetupDialog &d, const QString &field, const QString &button, const QString &code)
    {
        auto *edit = child<QLineEdit>(&d, field);
        QVERIFY(edit);
        edit->clear();
        QTest::keyClicks(edit, code);
        QCOMPARE(edit->text(), code);
        click(child<QPushButton>(&d, button));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_server.init(smallSchoolJson()));
        QVERIFY(m_server.setPassword(QStringLiteral("nina.nursery"), kNinaPassword));
        QVERIFY(m_server.setPassword(QStringLiteral("alex.brown"), kAlexPassword));
        QVERIFY(m_server.start());
    }

    void setUpFromTheStaffWindow()
    {
        const QByteArray token = signIn(QStringLiteral("nina.nursery"), kNinaPassword);
        QVERIFY(!token.isEmpty());
        const QByteArray otherDevice = signIn(QStringLiteral("nina.nursery"), kNinaPassword);
        QVERIFY(!otherDevice.isEmpty());
        client::Profile profile;
        profile.host = QStringLiteral("127.0.0.1");
        profile.port = m_server.port();
        profile.fingerprint = m_server.fingerprint();
        profile.username = QStringLiteral("nina.nursery");
        profile.displayName = QStringLiteral("Nina Nursery");
        profile.role = wire::ROLE_PRACTITIONER;
        profile.schoolName = QStringLiteral("Test Primary");
        // The data key as the staff app keeps it: in the keychain, under the profile's name.
        const auto dataKey = client::DataKeyStore::obtain(profile.keychainKey(), true);
        QVERIFY2(dataKey.ok(), qPrintable(dataKey.ok() ? QString() : dataKey.error()));
        auto store = client::ClientStore::open(profile.databasePath(), dataKey.value());
        QVERIFY(store.ok());
        StaffWindow window(profile, std::move(store).value(), token);
        window.show();

        // The menu's action opens the dialog, which asks the server at once.
        auto *action = window.findChild<QAction *>(QStringLiteral("twoFactorAction"));
        QVERIFY(action);
        QVERIFY(
            action->text().remove(QLatin1Char('&')).contains(QStringLiteral("Two-step sign-in")));
        action->trigger();
        QPointer<TwoFactorSetupDialog> dialog = window.findChild<TwoFactorSetupDialog *>();
        QVERIFY(dialog);
        QVERIFY(waitIdle(dialog));
        QVERIFY2(dialog->errorText().isEmpty(), qPrintable(dialog->errorText()));
        QCOMPARE(dialog->step(), Step::Scan);

        // The QR code: square, whole modules, the version the URI's length needs, a quiet
        // zone of four light modules, and the three finder patterns in their corners.
        const QString uri = dialog->setup().otpauthUri();
        QVERIFY(uri.startsWith(QStringLiteral("otpauth://totp/")));
        const QImage qr = dialog->qrImage();
        QVERIFY(!qr.isNull());
        QCOMPARE(qr.width(), qr.height());
        const auto *shown = child<QLabel>(dialog, QStringLiteral("qrCode"));
        QVERIFY(shown);
        QCOMPARE(shown->pixmap().size(), qr.size());
        // Shown whole: the layout never squeezes it (a cut-off code does not scan).
        QTRY_COMPARE(shown->size(), qr.size());
        QVERIFY(shown->isVisible());
        const auto *keyLabel = child<QLabel>(dialog, QStringLiteral("secretKey"));
        const QRect qrRect(shown->mapTo(dialog, QPoint()), shown->size());
        const QRect keyRect(keyLabel->mapTo(dialog, QPoint()), keyLabel->size());
        QVERIFY2(dialog->rect().contains(qrRect) && !qrRect.intersects(keyRect),
            "the QR code is cut off or covers the key: the dialog did not grow to fit it");
        const int version = expectedVersion(uri.toUtf8().size());
        QVERIFY(version > 0);
        const int modules = 17 + 4 * version;
        const int side = modules + 2 * ui::QrCodeImage::kQuietZoneModules;
        QCOMPARE(qr.width() % side, 0);
        const int moduleSize = qr.width() / side;
        QVERIFY2(moduleSize >= 2, qPrintable(QString::number(moduleSize)));
        for (int y = 0; y < qr.height(); ++y) {
            for (int x = 0; x < qr.width(); ++x) {
                const bool inQuietZone = x < 4 * moduleSize || y < 4 * moduleSize
                    || x >= qr.width() - 4 * moduleSize || y >= qr.height() - 4 * moduleSize;
                if (inQuietZone)
                    QVERIFY2(qr.pixelColor(x, y).lightness() > 200,
                        qPrintable(
                            QStringLiteral("dark pixel in the quiet zone at %1,%2").arg(x).arg(y)));
            }
        }
        // Finder patterns: a dark 7x7 ring, a light ring, a dark 3x3 centre; light separators.
        for (const QPoint corner :
            { QPoint(0, 0), QPoint(modules - 7, 0), QPoint(0, modules - 7) }) {
            for (int dy = 0; dy < 7; ++dy) {
                for (int dx = 0; dx < 7; ++dx) {
                    const int ring = std::max(std::abs(dx - 3), std::abs(dy - 3));
                    QCOMPARE(darkAt(qr, moduleSize, corner.x() + dx, corner.y() + dy), ring != 2);
                }
            }
        }
        QVERIFY(!darkAt(qr, moduleSize, 7, 7)); // separator corner
        // Timing pattern on row 6 between the top finders: alternating, dark first.
        for (int x = 8; x < modules - 8; ++x)
            QCOMPARE(darkAt(qr, moduleSize, x, 6), x % 2 == 0);

        // The key for typing by hand: groups of four, the same as the URI's.
        const QString key = dialog->shownKey();
        for (const QString &group : key.split(QLatin1Char(' ')))
            QVERIFY2(group.size() == 4, qPrintable(key));
        QCOMPARE(QString(key).remove(QLatin1Char(' ')),
            QUrlQuery(QUrl(uri)).queryItemValue(QStringLiteral("secret")));
        QVERIFY(!child<QLabel>(dialog, QStringLiteral("twoFactorExpiry"))->text().isEmpty());

        if (const int hold = qEnvironmentVariableIntValue("ACORN_TEST_HOLD_MS"); hold > 0)
            QTest::qWait(hold);

        // Too short: told, nothing sent.
        typeCode(*dialog, QStringLiteral("confirmCode"), QStringLiteral("confirmButton"),
            QStringLiteral("123"));
        QVERIFY(!dialog->isBusy());
        QVERIFY2(dialog->errorText().contains(QStringLiteral("6 digits")),
            qPrintable(dialog->errorText()));

        // A wrong code: a clear error, the same key stays.
        typeCode(*dialog, QStringLiteral("confirmCode"), QStringLiteral("confirmButton"),
            wrongCode(*dialog));
        QVERIFY(waitIdle(dialog));
        QVERIFY2(dialog->errorText().contains(QStringLiteral("not right")),
            qPrintable(dialog->errorText()));
        QCOMPARE(dialog->step(), Step::Scan);
        QCOMPARE(dialog->shownKey(), key);

        // The app's code: on. The key is not shown any more.
        const QByteArray secret = fromBase32(key);
        typeCode(*dialog, QStringLiteral("confirmCode"), QStringLiteral("confirmButton"),
            codeFor(*dialog));
        QVERIFY(waitIdle(dialog));
        QVERIFY2(dialog->errorText().isEmpty(), qPrintable(dialog->errorText()));
        QCOMPARE(dialog->step(), Step::Done);
        const QString done = child<QLabel>(dialog, QStringLiteral("twoFactorDone"))->text();
        QVERIFY2(done.contains(QStringLiteral("Two-step sign-in is on")), qPrintable(done));
        QVERIFY2(done.contains(QStringLiteral("1 other device")), qPrintable(done));
        QVERIFY(dialog->shownKey().isEmpty());
        QVERIFY(dialog->qrImage().isNull());
        click(child<QPushButton>(dialog, QStringLiteral("closeButton")));
        QTRY_VERIFY(!dialog); // WA_DeleteOnClose

        // The server agrees: a password alone no longer signs in.
        wire::Error::Code refusal = wire::Error::UNKNOWN;
        QVERIFY(signIn(QStringLiteral("nina.nursery"), kNinaPassword, {}, &refusal).isEmpty());
        QCOMPARE(refusal, wire::Error::SECOND_FACTOR_REQUIRED);

        // Replacing it: the dialog asks for the present app's code first.
        auto *again = window.openTwoFactorSetup();
        QVERIFY(waitIdle(again));
        QCOMPARE(again->step(), Step::CurrentCode);
        // The confirming code's step is used up; the app's next code is not.
        const QString next = server::Totp::code(
            secret, server::Totp::stepAt(QDateTime::currentMSecsSinceEpoch()) + 1);
        typeCode(*again, QStringLiteral("currentCode"), QStringLiteral("continueButton"),
            QStringLiteral("000000") == next ? QStringLiteral("111111") : QStringLiteral("000000"));
        QVERIFY(waitIdle(again));
        QVERIFY2(again->errorText().contains(QStringLiteral("not right")),
            qPrintable(again->errorText()));
        QCOMPARE(again->step(), Step::CurrentCode);
        typeCode(*again, QStringLiteral("currentCode"), QStringLiteral("continueButton"), next);
        QVERIFY(waitIdle(again));
        QVERIFY2(again->errorText().isEmpty(), qPrintable(again->errorText()));
        QCOMPARE(again->step(), Step::Scan);
        QVERIFY(again->setup().replacesExisting());
        QVERIFY(again->shownKey() != key);
        again->reject();
    }

    void offlineAndRefusedAreToldApart()
    {
        auto scratch
            = client::ClientStore::open(m_server.scratch() + QStringLiteral("/offline.db"), client::DataKey::generate());
        QVERIFY(scratch.ok());
        // A port nothing listens on.
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
        client::SyncOptions nowhere = options(QStringLiteral("nina.nursery"), QByteArray(32, 'x'));
        nowhere.port = closed.serverPort();
        closed.close();
        TwoFactorSetupDialog offline(*scratch.value(), nowhere);
        QVERIFY(waitIdle(&offline));
        QCOMPARE(offline.step(), Step::Failed);
        QVERIFY2(offline.errorText().contains(QStringLiteral("cannot be reached")),
            qPrintable(offline.errorText()));
        QVERIFY(!child<QPushButton>(&offline, QStringLiteral("retryButton"))->isHidden());
        QVERIFY(offline.qrImage().isNull());

        // A parent, at a school that has not switched two-factor sign-in on for parents.
        const QByteArray token = signIn(QStringLiteral("alex.brown"), kAlexPassword);
        QVERIFY(!token.isEmpty());
        TwoFactorSetupDialog refused(
            *scratch.value(), options(QStringLiteral("alex.brown"), token));
        QVERIFY(waitIdle(&refused));
        QCOMPARE(refused.step(), Step::Failed);
        QVERIFY2(refused.errorText().contains(QStringLiteral("refused"))
                && refused.errorText().contains(QStringLiteral("parents")),
            qPrintable(refused.errorText()));
        QVERIFY(refused.qrImage().isNull());

        // An ended session: sign in again.
        TwoFactorSetupDialog ended(
            *scratch.value(), options(QStringLiteral("nina.nursery"), QByteArray(32, 'y')));
        QVERIFY(waitIdle(&ended));
        QVERIFY2(ended.errorText().contains(QStringLiteral("sign in again")),
            qPrintable(ended.errorText()));
    }
};

ACORN_STAFF_TEST_MAIN(TestStaffTwoFactor)
#include "tst_staff_twofactor.moc"
