// The staff app's way in, with real widgets (offscreen) against a real acorn-server on
// 127.0.0.1: first contact and fingerprint comparison, enrolment codes, activation, sign-in
// failures told in plain words, the session kept in the keychain (or "sign in each time"
// when there is none), and the blocking warning when a known server's fingerprint changes.
#include "datakeystore.h"
#include "connectpage.h"
#include "credentialstore.h"
#include "datadir.h"
#include "enrolment.h"
#include "fingerprintwarning.h"
#include "profile.h"
#include "rosterpage.h"
#include "serverstore.h"
#include "signindialog.h"
#include "staffapp.h"
#include "staffgui.h"
#include "staffwindow.h"
#include "syncstatuswidget.h"
#include "testserver.h"
#include "tlspin.h"
#include "totp.h"

#include <QCheckBox>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>

using namespace acorn;
using namespace acorn::test;
using acorn::staff::StaffApp;
using acorn::staff::StaffWindow;
using acorn::ui::ConnectPage;
using acorn::ui::SignInDialog;

namespace {
const QString kNinaPassword = QStringLiteral("nina's password 1");
const QString kLeePassword = QStringLiteral("lee's password 22");
const QString kAlexPassword = QStringLiteral("alex's password 3");
const QString kIanPassword = QStringLiteral("ian's password 4");
} // namespace

class TestStaffSignIn : public QObject
{
    Q_OBJECT

    TestServer m_server;

    QString address() const { return QStringLiteral("127.0.0.1:%1").arg(m_server.port()); }

    ui::ServerIdentity identity() const
    {
        ui::ServerIdentity s;
        s.host = QStringLiteral("127.0.0.1");
        s.port = m_server.port();
        s.fingerprint = m_server.fingerprint();
        return s;
    }

    // Signs in with the dialog as a user would; returns the error shown (empty: signed in).
    // A dialog the app made with WA_DeleteOnClose is gone once it accepted: that is success.
    QString signInWith(SignInDialog &dialog, const QString &user, const QString &password)
    {
        QPointer<SignInDialog> d(&dialog);
        dialog.setActivationMode(false);
        child<QLineEdit>(&dialog, QStringLiteral("username"))->setText(user);
        child<QLineEdit>(&dialog, QStringLiteral("password"))->setText(password);
        QTest::mouseClick(
            child<QPushButton>(&dialog, QStringLiteral("signInButton")), Qt::LeftButton);
        if (!QTest::qWaitFor([&] { return !d || !d->isBusy(); }, 60000))
            return QStringLiteral("still busy after 60 s");
        return d ? d->errorText() : QString();
    }

    static void forgetProfiles()
    {
        QSettings().clear();
        QSettings().sync();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_server.init(smallSchoolJson()));
        QVERIFY(m_server.setPassword(QStringLiteral("nina.nursery"), kNinaPassword));
        QVERIFY(m_server.setPassword(QStringLiteral("lee.lead"), kLeePassword));
        QVERIFY(m_server.setPassword(QStringLiteral("alex.brown"), kAlexPassword));
        QVERIFY(m_server.setPassword(QStringLiteral("ian.admin"), kIanPassword));
        QVERIFY(m_server.start());
    }

    void init() { forgetProfiles(); }

    void connectWithMatchingFingerprint()
    {
        ConnectPage page(wire::CLIENT_KIND_STAFF);
        page.setAddress(address(), tls::displayFingerprint(m_server.fingerprint()).toUpper());
        QTest::mouseClick(
            child<QPushButton>(&page, QStringLiteral("connectButton")), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(page.outcome(), ConnectPage::Outcome::Matched, 20000);
        QCOMPARE(page.identity().fingerprint, m_server.fingerprint());
        QCOMPARE(page.identity().schoolName, QStringLiteral("Test Primary"));
        QVERIFY2(page.message().contains(QStringLiteral("matches")), qPrintable(page.message()));
        // Shown in groups of four for comparison.
        const QString shown = child<QLabel>(&page, QStringLiteral("presentedFingerprint"))->text();
        QCOMPARE(shown.split(QRegularExpression(QStringLiteral("\\s+"))).size(), 16);
        QCOMPARE(shown.simplified().remove(u' '), m_server.fingerprint());
        QVERIFY(page.canContinue());
        QSignalSpy continued(&page, &ConnectPage::continueRequested);
        QTest::mouseClick(
            child<QPushButton>(&page, QStringLiteral("continueButton")), Qt::LeftButton);
        QCOMPARE(continued.size(), 1);
    }

    void connectWithoutFingerprintAsksToCompare()
    {
        ConnectPage page(wire::CLIENT_KIND_STAFF);
        page.setAddress(address());
        page.connectToServer();
        QTRY_COMPARE_WITH_TIMEOUT(page.outcome(), ConnectPage::Outcome::NeedsComparison, 20000);
        QCOMPARE(child<QLabel>(&page, QStringLiteral("presentedFingerprint"))->text(),
            ui::groupedFingerprint(m_server.fingerprint()));
        QCOMPARE(page.identity().schoolName, QStringLiteral("Test Primary"));
        auto *confirm = child<QCheckBox>(&page, QStringLiteral("confirmFingerprint"));
        QVERIFY(!confirm->isHidden());
        QVERIFY(!page.canContinue());
        QVERIFY(!child<QPushButton>(&page, QStringLiteral("continueButton"))->isEnabled());
        confirm->setChecked(true);
        QVERIFY(page.canContinue());
        QCOMPARE(page.identity().fingerprint, m_server.fingerprint());
    }

    void wrongFingerprintIsBlocking()
    {
        QString wrong = m_server.fingerprint();
        wrong[10] = wrong[10] == u'a' ? u'b' : u'a';
        ConnectPage page(wire::CLIENT_KIND_STAFF);
        page.setAddress(address(), wrong);
        page.connectToServer();
        QTRY_COMPARE_WITH_TIMEOUT(page.outcome(), ConnectPage::Outcome::Mismatch, 20000);
        QVERIFY(!page.warning()->isHidden());
        QCOMPARE(page.warning()->expected(), wrong);
        QCOMPARE(page.warning()->presented(), m_server.fingerprint());
        QVERIFY(page.warning()->text().contains(ui::groupedFingerprint(wrong)));
        QVERIFY(page.warning()->text().contains(ui::groupedFingerprint(m_server.fingerprint())));
        QVERIFY(!page.canContinue());
        QVERIFY(!child<QPushButton>(&page, QStringLiteral("continueButton"))->isEnabled());
        QVERIFY(!child<QCheckBox>(&page, QStringLiteral("confirmFingerprint"))->isVisible());
    }

    void badInputIsExplained()
    {
        ConnectPage page(wire::CLIENT_KIND_STAFF);
        page.setEnrolmentCode(QStringLiteral("acorn:1:127.0.0.1:7443:abcd"));
        page.connectToServer();
        QCOMPARE(page.outcome(), ConnectPage::Outcome::Failed);
        QVERIFY2(page.message().contains(QStringLiteral("64")), qPrintable(page.message()));
        page.setAddress(
            QStringLiteral("127.0.0.1:1"), m_server.fingerprint()); // nothing listens there
        page.connectToServer();
        QTRY_COMPARE_WITH_TIMEOUT(page.outcome(), ConnectPage::Outcome::Failed, 20000);
        QVERIFY2(
            page.message().contains(QStringLiteral("cannot reach")), qPrintable(page.message()));
    }

    void enrolmentCodeAndActivation()
    {
        const QString code
            = m_server.activationCodes().value(QStringLiteral("rob.reception")).toString();
        QVERIFY(!code.isEmpty());
        client::EnrolmentCode enrolment { QStringLiteral("127.0.0.1"), m_server.port(),
            m_server.fingerprint(), code };
        ConnectPage page(wire::CLIENT_KIND_STAFF);
        page.setEnrolmentCode(enrolment.make());
        page.connectToServer();
        QTRY_COMPARE_WITH_TIMEOUT(page.outcome(), ConnectPage::Outcome::Matched, 20000);
        QCOMPARE(page.identity().activationCode, code.toUpper());

        SignInDialog dialog(
            page.identity(), wire::CLIENT_KIND_STAFF, { wire::ROLE_LEAD, wire::ROLE_PRACTITIONER });
        QVERIFY(dialog.isActivationMode()); // the code came with the enrolment code
        QCOMPARE(
            child<QLineEdit>(&dialog, QStringLiteral("activationCode"))->text(), code.toUpper());
        QSignalSpy signedIn(&dialog, &SignInDialog::signedIn);
        child<QLineEdit>(&dialog, QStringLiteral("username"))
            ->setText(QStringLiteral("rob.reception"));
        child<QLineEdit>(&dialog, QStringLiteral("newPassword"))
            ->setText(QStringLiteral("robs new password"));
        child<QLineEdit>(&dialog, QStringLiteral("repeatPassword"))
            ->setText(QStringLiteral("robs new passwort"));
        dialog.signIn();
        QVERIFY2(dialog.errorText().contains(QStringLiteral("not the same")),
            qPrintable(dialog.errorText()));
        QVERIFY(!dialog.isBusy());
        child<QLineEdit>(&dialog, QStringLiteral("repeatPassword"))
            ->setText(QStringLiteral("robs new password"));
        dialog.signIn();
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isBusy(), 60000);
        QVERIFY2(dialog.errorText().isEmpty(), qPrintable(dialog.errorText()));
        QCOMPARE(signedIn.size(), 1);
        QCOMPARE(dialog.result().role, wire::ROLE_PRACTITIONER);
        QCOMPARE(dialog.result().displayName, QStringLiteral("Rob Reception"));
        QCOMPARE(dialog.result().token.size(), 32);
        // The new password works; the code does not work twice.
        SignInDialog again(page.identity(), wire::CLIENT_KIND_STAFF, {});
        QCOMPARE(
            signInWith(again, QStringLiteral("rob.reception"), QStringLiteral("robs new password")),
            QString());
        SignInDialog reuse(page.identity(), wire::CLIENT_KIND_STAFF, {});
        reuse.setActivationMode(true);
        child<QLineEdit>(&reuse, QStringLiteral("username"))
            ->setText(QStringLiteral("rob.reception"));
        child<QLineEdit>(&reuse, QStringLiteral("activationCode"))->setText(code);
        child<QLineEdit>(&reuse, QStringLiteral("newPassword"))
            ->setText(QStringLiteral("another password"));
        child<QLineEdit>(&reuse, QStringLiteral("repeatPassword"))
            ->setText(QStringLiteral("another password"));
        reuse.signIn();
        QTRY_VERIFY_WITH_TIMEOUT(!reuse.isBusy(), 60000);
        QVERIFY2(reuse.errorText().contains(QStringLiteral("already been used"))
                || reuse.errorText().contains(QStringLiteral("not right")),
            qPrintable(reuse.errorText()));
    }

    void signInFailuresAreExplained()
    {
        SignInDialog wrong(
            identity(), wire::CLIENT_KIND_STAFF, { wire::ROLE_LEAD, wire::ROLE_PRACTITIONER });
        const QString wrongPassword
            = signInWith(wrong, QStringLiteral("nina.nursery"), QStringLiteral("not it at all"));
        QVERIFY2(wrongPassword.contains(QStringLiteral("username or password is not right")),
            qPrintable(wrongPassword));
        QVERIFY(child<QLineEdit>(&wrong, QStringLiteral("password"))->text().isEmpty()); // not kept

        SignInDialog parent(
            identity(), wire::CLIENT_KIND_STAFF, { wire::ROLE_LEAD, wire::ROLE_PRACTITIONER });
        const QString parentText = signInWith(parent, QStringLiteral("alex.brown"), kAlexPassword);
        QVERIFY2(parentText.contains(QStringLiteral("staff app")), qPrintable(parentText));
        QVERIFY(parent.result().token.isEmpty());

        SignInDialog admin(
            identity(), wire::CLIENT_KIND_STAFF, { wire::ROLE_LEAD, wire::ROLE_PRACTITIONER });
        const QString adminText = signInWith(admin, QStringLiteral("ian.admin"), kIanPassword);
        QVERIFY2(adminText.contains(QStringLiteral("reads no journals")), qPrintable(adminText));

        ui::ServerIdentity nowhere = identity();
        nowhere.port = 1;
        SignInDialog unreachable(nowhere, wire::CLIENT_KIND_STAFF, {});
        const QString unreachableText
            = signInWith(unreachable, QStringLiteral("nina.nursery"), kNinaPassword);
        QVERIFY2(
            unreachableText.contains(QStringLiteral("cannot reach")), qPrintable(unreachableText));

        ui::ServerIdentity impostor = identity();
        impostor.fingerprint = QString(64, u'0');
        SignInDialog pinned(impostor, wire::CLIENT_KIND_STAFF, {});
        const QString pinText = signInWith(pinned, QStringLiteral("nina.nursery"), kNinaPassword);
        QVERIFY2(pinText.contains(QStringLiteral("different fingerprint")), qPrintable(pinText));
    }

    void lockedAccountNamesTheSchoolContact()
    {
        bool ok = false;
        m_server.admin(
            { QStringLiteral("user"), QStringLiteral("disable"), QStringLiteral("ian.admin") },
            &ok);
        if (!ok)
            QSKIP("this server has no 'admin user disable' command yet (school model issue): "
                  "nothing to lock with");
        SignInDialog dialog(identity(), wire::CLIENT_KIND_STAFF, {});
        const QString text = signInWith(dialog, QStringLiteral("ian.admin"), kIanPassword);
        QVERIFY2(text.contains(QStringLiteral("switched off")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("the school office")),
            qPrintable(text)); // HelloReply's contact
    }

    // An account with two-factor sign-in: the dialog asks for the authenticator code when
    // the server says so, keeps the password for that second step, explains a wrong or
    // reused code, and signs in with the right one.
    void twoFactorAsksForTheCode()
    {
        const QString password = QStringLiteral("rob's password 5");
        QVERIFY(m_server.setPassword(QStringLiteral("rob.reception"), password));
        bool ok = false;
        m_server.admin(
            { QStringLiteral("user"), QStringLiteral("2fa"), QStringLiteral("rob.reception") },
            &ok);
        QVERIFY(ok);
        QByteArray secret;
        {
            auto store = server::ServerStore::openSqlite(
                server::DataDir(m_server.dataDir()).databasePath(), false);
            QVERIFY(store.ok());
            const auto user = store.value()->userByUsername(QStringLiteral("rob.reception"));
            QVERIFY(user);
            secret = store.value()
                         ->twoFactor(user->id)
                         .value_or(server::ServerStore::TwoFactorRecord {})
                         .secret;
        }
        QVERIFY(!secret.isEmpty());

        SignInDialog dialog(
            identity(), wire::CLIENT_KIND_STAFF, { wire::ROLE_LEAD, wire::ROLE_PRACTITIONER });
        auto *code = child<QLineEdit>(&dialog, QStringLiteral("secondFactorCode"));
        QVERIFY(code->isHidden());
        const QString asked = signInWith(dialog, QStringLiteral("rob.reception"), password);
        QVERIFY2(asked.contains(QStringLiteral("authenticator app")), qPrintable(asked));
        QVERIFY(dialog.asksForSecondFactor());
        QVERIFY(!code->isHidden());
        QCOMPARE(child<QLineEdit>(&dialog, QStringLiteral("password"))->text(), password);
        QVERIFY(dialog.result().token.isEmpty());

        // Sign in pressed with no code: asked again, nothing sent.
        QTest::mouseClick(
            child<QPushButton>(&dialog, QStringLiteral("signInButton")), Qt::LeftButton);
        QVERIFY(!dialog.isBusy());
        QVERIFY2(dialog.errorText().contains(QStringLiteral("6-digit code")),
            qPrintable(dialog.errorText()));

        // The right code signs in.
        const QString right
            = server::Totp::code(secret, server::Totp::stepAt(QDateTime::currentMSecsSinceEpoch()));
        code->setText(right);
        QTest::mouseClick(
            child<QPushButton>(&dialog, QStringLiteral("signInButton")), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return !dialog.isBusy(); }, 60000));
        QVERIFY2(dialog.errorText().isEmpty(), qPrintable(dialog.errorText()));
        QVERIFY(!dialog.result().token.isEmpty());
        QVERIFY(child<QLineEdit>(&dialog, QStringLiteral("password"))->text().isEmpty());
        QVERIFY(code->text().isEmpty());

        // The same code in a second dialog: explained, and the password is not kept.
        SignInDialog again(
            identity(), wire::CLIENT_KIND_STAFF, { wire::ROLE_LEAD, wire::ROLE_PRACTITIONER });
        QVERIFY(signInWith(again, QStringLiteral("rob.reception"), password)
                    .contains(QStringLiteral("authenticator")));
        child<QLineEdit>(&again, QStringLiteral("secondFactorCode"))->setText(right);
        QTest::mouseClick(
            child<QPushButton>(&again, QStringLiteral("signInButton")), Qt::LeftButton);
        QVERIFY(QTest::qWaitFor([&] { return !again.isBusy(); }, 60000));
        QVERIFY2(again.errorText().contains(QStringLiteral("works once")),
            qPrintable(again.errorText()));
        QVERIFY(child<QLineEdit>(&again, QStringLiteral("password"))->text().isEmpty());
        QVERIFY(again.result().token.isEmpty());
    }

    // The whole first run through StaffApp, then a second start that needs no password when
    // the keychain works, or asks again (and says why) when there is none.
    void firstRunKeepsTheSession()
    {
        {
            StaffApp app(staff::StaffOptions {});
            app.start();
            QVERIFY(app.connectDialog());
            ConnectPage *page = app.connectDialog()->page();
            page->setAddress(address(), m_server.fingerprint());
            QTest::mouseClick(
                child<QPushButton>(page, QStringLiteral("connectButton")), Qt::LeftButton);
            QTRY_COMPARE_WITH_TIMEOUT(page->outcome(), ConnectPage::Outcome::Matched, 20000);
            QTest::mouseClick(
                child<QPushButton>(page, QStringLiteral("continueButton")), Qt::LeftButton);
            QTRY_VERIFY(app.signInDialog());
            QCOMPARE(signInWith(*app.signInDialog(), QStringLiteral("nina.nursery"), kNinaPassword),
                QString());
            QTRY_VERIFY_WITH_TIMEOUT(app.window(), 60000);
            StaffWindow *w = app.window();
            QCOMPARE(w->profile().username, QStringLiteral("nina.nursery"));
            QCOMPARE(w->profile().fingerprint, m_server.fingerprint());
            QCOMPARE(w->profile().role, wire::ROLE_PRACTITIONER);
            // The roster: Nina's class only, after the first sync.
            QTRY_COMPARE_WITH_TIMEOUT(w->rosterPage()->visibleRefs(),
                (QStringList { QStringLiteral("C001"), QStringLiteral("C002") }), 30000);
            QTRY_COMPARE_WITH_TIMEOUT(
                w->syncStatus()->stateText(), QStringLiteral("Online"), 30000);
            const auto keychainNotice = child<QLabel>(w, QStringLiteral("keychainNotice"));
            if (app.keychainUnavailable()) {
                QVERIFY(!keychainNotice->isHidden());
                QVERIFY(keychainNotice->text().contains(QStringLiteral("sign in each time")));
            } else {
                QVERIFY(keychainNotice->isHidden());
            }
            // The profile is remembered; neither password nor token is in the settings.
            const auto last = client::ProfileList::last();
            QVERIFY(last);
            QCOMPARE(last->id(), w->profile().id());
            QFile settings(QSettings().fileName());
            QVERIFY(settings.open(QIODevice::ReadOnly));
            const QByteArray stored = settings.readAll();
            QVERIFY(!stored.contains(kNinaPassword.toUtf8()));
            QVERIFY(stored.contains("nina.nursery"));
        }
        // Second start.
        StaffApp again(staff::StaffOptions {});
        again.start();
        QTRY_VERIFY_WITH_TIMEOUT(again.window() || again.signInDialog(), 60000);
        if (again.window()) {
            QVERIFY(!again.keychainUnavailable());
            QCOMPARE(again.window()->profile().username, QStringLiteral("nina.nursery"));
            QTRY_COMPARE_WITH_TIMEOUT(
                again.window()->syncStatus()->stateText(), QStringLiteral("Online"), 30000);
        } else {
            // No keychain on this device: sign in each time, and the dialog says why.
            QVERIFY(again.keychainUnavailable());
            QVERIFY(child<QLabel>(again.signInDialog(), QStringLiteral("signInNotice"))
                        ->text()
                        .contains(QStringLiteral("keychain")));
            QCOMPARE(child<QLineEdit>(again.signInDialog(), QStringLiteral("username"))->text(),
                QStringLiteral("nina.nursery"));
            QCOMPARE(
                signInWith(*again.signInDialog(), QStringLiteral("nina.nursery"), kNinaPassword),
                QString());
            QTRY_VERIFY_WITH_TIMEOUT(again.window(), 60000);
        }
    }

    // A server this device pinned before presents another key: blocked, both shown, on
    // the connect page and in the running app.
    void changedFingerprintIsBlocking()
    {
        const QString pinned = QString(64, u'e');
        client::Profile known;
        known.host = QStringLiteral("127.0.0.1");
        known.port = m_server.port();
        known.fingerprint = pinned;
        known.username = QStringLiteral("lee.lead");
        known.displayName = QStringLiteral("Lee Lead");
        known.role = wire::ROLE_LEAD;
        QVERIFY(client::ProfileList::save(known).ok());
        client::ProfileList::setLast(known.id());

        // Connecting again, even with the server's real fingerprint typed in, is refused.
        ConnectPage page(wire::CLIENT_KIND_STAFF);
        page.setAddress(address(), m_server.fingerprint());
        page.connectToServer();
        QTRY_COMPARE_WITH_TIMEOUT(page.outcome(), ConnectPage::Outcome::ChangedKnown, 20000);
        QVERIFY(!page.warning()->isHidden());
        QCOMPARE(page.warning()->expected(), pinned);
        QCOMPARE(page.warning()->presented(), m_server.fingerprint());
        const QString text = page.warning()->text();
        QVERIFY(text.contains(ui::groupedFingerprint(pinned)));
        QVERIFY(text.contains(ui::groupedFingerprint(m_server.fingerprint())));
        QVERIFY(text.contains(QStringLiteral("Do not continue")));
        QVERIFY(!page.canContinue());
        QVERIFY(!child<QPushButton>(&page, QStringLiteral("continueButton"))->isEnabled());

        // The running app with a session for that profile: sync stops, the dialog shows both.
        auto store = client::ClientStore::open(known.databasePath(), client::DataKeyStore::obtain(known.keychainKey(), true).value());
        QVERIFY(store.ok());
        StaffWindow window(known, std::move(store).value(), QByteArray(32, 'x'));
        window.show();
        QTRY_COMPARE_WITH_TIMEOUT(
            window.scheduler()->state(), client::SyncScheduler::State::FingerprintChanged, 20000);
        QCOMPARE(window.scheduler()->presentedFingerprint(), m_server.fingerprint());
        auto *dialog = window.findChild<ui::FingerprintChangedDialog *>();
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        QCOMPARE(dialog->warning()->expected(), pinned);
        QCOMPARE(dialog->warning()->presented(), m_server.fingerprint());
        QVERIFY(window.syncStatus()->stateText().contains(QStringLiteral("fingerprint")));
        // "Sync now" does not get past it either.
        QVERIFY(!window.syncStatus()->syncNowButton()->isEnabled());
        window.scheduler()->syncNow();
        QCOMPARE(window.scheduler()->state(), client::SyncScheduler::State::FingerprintChanged);
        // No button in the dialog trusts the new key.
        for (QPushButton *b : dialog->findChildren<QPushButton *>())
            QVERIFY2(!b->text().contains(QStringLiteral("trust"), Qt::CaseInsensitive),
                qPrintable(b->text()));
        dialog->reject();
    }
};

ACORN_STAFF_TEST_MAIN(TestStaffSignIn)
#include "tst_staff_signin.moc"
