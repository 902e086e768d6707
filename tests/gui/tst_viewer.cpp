// The parent viewer end to end: real widgets (offscreen, or Xvfb for screenshots) against
// a real acorn-server on 127.0.0.1 with staff data made by acorn-cli. One scenario, in
// order: activation from the enrolment code, sign-in, only the family's own children, the
// journal with photos, video and withheld media, a release, a retraction, the keepsake
// export (EXIF read back), the consent reminder, and reading offline after the server stops.
//
// With ACORN_SCREENSHOT_DIR set (tests/gui/viewer-screenshots.sh) it also saves
// viewer-home.png, viewer-journal.png and viewer-photo.png there.
#include "connectpage.h"
#include "consentdialog.h"
#include "homepage.h"
#include "journalpage.h"
#include "keepsakejob.h"
#include "observationcard.h"
#include "photoviewer.h"
#include "profile.h"
#include "signindialog.h"
#include "testserver.h"
#include "videoplayer.h"
#include "viewerapp.h"
#include "viewersession.h"
#include "viewerwindow.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QGroupBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPainter>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>
#include <QTimer>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#include <exiv2/exiv2.hpp>
#pragma GCC diagnostic pop

using namespace acorn;
using namespace acorn::test;
using namespace acorn::viewer;

namespace {

const QString kStaffPassword = QStringLiteral("correct horse 1");
const QString kAlexPassword = QStringLiteral("alex's new password");
const QTimeZone kLondon("Europe/London");

QJsonObject object(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

// A photo-like picture (sky, grass, a tower of coloured blocks) so screenshots look real.
QImage blocksPicture(int seed)
{
    QImage img(1600, 1200, QImage::Format_RGB32);
    QPainter p(&img);
    QLinearGradient sky(0, 0, 0, 800);
    sky.setColorAt(0, QColor(120, 170, 230));
    sky.setColorAt(1, QColor(200, 225, 245));
    p.fillRect(0, 0, 1600, 800, sky);
    p.fillRect(0, 800, 1600, 400, QColor(90, 160, 80));
    const QColor colours[] = { QColor(220, 60, 50), QColor(240, 190, 40), QColor(50, 110, 200),
        QColor(60, 170, 90), QColor(160, 80, 180) };
    for (int i = 0; i < 6 + seed; ++i) {
        const QRect block(620 + ((i * 37 + seed * 13) % 60) - 30, 760 - i * 110, 360, 110);
        p.fillRect(block, colours[(i + seed) % 5]);
        p.setPen(QPen(Qt::black, 4));
        p.drawRect(block);
    }
    p.setBrush(QColor(250, 220, 90));
    p.setPen(Qt::NoPen);
    p.drawEllipse(QPoint(1350, 200), 110, 110);
    return img;
}

QString exivCli(const QString &file, const QString &key)
{
    QProcess p;
    p.start(QStringLiteral("exiv2"),
        { QStringLiteral("-q"), QStringLiteral("-Pv"), QStringLiteral("-g"), key, file });
    if (!p.waitForFinished(30000))
        return {};
    return QString::fromUtf8(p.readAllStandardOutput()).trimmed();
}

QString exivApi(const QString &file, const char *key)
{
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    Exiv2::Image::AutoPtr image = Exiv2::ImageFactory::open(QFile::encodeName(file).toStdString());
    image->readMetadata();
    const auto it = image->exifData().findKey(Exiv2::ExifKey(key));
    return it == image->exifData().end() ? QString() : QString::fromStdString(it->toString());
#pragma GCC diagnostic pop
}

} // namespace

class TestViewer : public QObject
{
    Q_OBJECT

public:
    TestViewer() = default;

private:
    TestServer m_server;
    QTemporaryDir m_dir;
    QString m_screenshots;
    QByteArray m_token;
    QString m_avaPhotoObs; // C001 with a photo: retracted later
    QString m_avaPhotoMedia;
    QString m_groupObs; // C001 + C002 with a photo: withheld for F001
    QString m_videoObs; // C001 with a video (when ffmpeg can make one)
    QString m_benObs; // C002 only: never shown to F001
    QString m_calObs; // C003 (Reception): released later
    std::unique_ptr<ViewerSession> m_session;
    std::unique_ptr<ViewerWindow> m_window;

    QString staffProfile(const QString &who) const
    {
        return m_dir.filePath(QStringLiteral("staff-") + who);
    }
    QString alexProfile() const { return m_dir.filePath(QStringLiteral("alex-profile")); }

    QString observe(const QString &who, const QString &user, const QStringList &args,
        QString *mediaId = nullptr)
    {
        const CliResult r = runCli(m_server, staffProfile(who), user, kStaffPassword,
            QStringList { QStringLiteral("observe") } + args);
        if (r.exitCode != 0) {
            qWarning("observe failed: %s %s", r.out.constData(), r.err.constData());
            return {};
        }
        const QJsonObject o = object(r.out);
        if (mediaId && !o.value(QStringLiteral("media")).toArray().isEmpty())
            *mediaId = o.value(QStringLiteral("media")).toArray().at(0).toString();
        return o.value(QStringLiteral("state")).toString() == QLatin1String("accepted")
            ? o.value(QStringLiteral("id")).toString()
            : QString();
    }

    ui::ServerIdentity identity() const
    {
        ui::ServerIdentity s;
        s.host = QStringLiteral("127.0.0.1");
        s.port = m_server.port();
        s.fingerprint = m_server.fingerprint();
        return s;
    }

    // Presses F5 in the window and waits for the sync: its outcome, or nothing when F5 did
    // not start one (the progress bar must show at once).
    std::optional<bool> syncAndWait(ViewerWindow &w)
    {
        w.raise();
        w.activateWindow();
        if (!QTest::qWaitForWindowActive(&w))
            return std::nullopt;
        QSignalSpy done(m_session.get(), &ViewerSession::syncFinished);
        QTest::keyClick(&w, Qt::Key_F5);
        if (!w.syncProgress()->isVisible())
            return std::nullopt;
        if (!done.wait(60000))
            return std::nullopt;
        return done.constFirst().at(0).toBool();
    }

    void screenshot(QWidget *w, const QString &name)
    {
        if (m_screenshots.isEmpty())
            return;
        QApplication::processEvents();
        QTest::qWait(300);
        QVERIFY(w->grab().save(QDir(m_screenshots).filePath(name)));
    }

    QStringList cardTexts() const
    {
        QStringList out;
        for (ObservationCard *c : m_window->journalPage()->visibleCards())
            out << QString::fromStdString(c->observation().text());
        return out;
    }

    wire::Child child(const QString &ref) const
    {
        for (const wire::Child &c : m_session->children()) {
            if (QString::fromStdString(c.ref()) == ref)
                return c;
        }
        return {};
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // Profiles and settings of the app under test live in the temporary directory.
        qputenv("XDG_DATA_HOME", QFile::encodeName(m_dir.filePath(QStringLiteral("xdg-data"))));
        qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_dir.filePath(QStringLiteral("xdg-config"))));
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedKingdom));
        // As acorn-viewer's main() does: Qt 6.4's GStreamer backend crashes without GStreamer's
        // base plugins; FFmpeg's needs nothing more.
        if (!qEnvironmentVariableIsSet("QT_MEDIA_BACKEND"))
            qputenv("QT_MEDIA_BACKEND", "ffmpeg");
        m_screenshots = qEnvironmentVariable("ACORN_SCREENSHOT_DIR");
        if (!m_screenshots.isEmpty())
            QDir().mkpath(m_screenshots);

        QVERIFY(m_server.init(smallSchoolJson()));
        for (const char *u : { "nina.nursery", "rob.reception", "lee.lead" })
            QVERIFY(m_server.setPassword(QString::fromLatin1(u), kStaffPassword));
        QVERIFY(m_server.start());

        const QString scratch = m_dir.filePath(QStringLiteral("files"));
        QDir().mkpath(scratch);
        QStringList photos;
        for (int i = 0; i < 3; ++i) {
            photos << scratch + QStringLiteral("/photo%1.jpg").arg(i);
            QVERIFY(blocksPicture(i).save(photos.last(), "JPEG", 90));
        }
        const QString t = QStringLiteral("--observed-at");
        const QDateTime now = QDateTime::currentDateTimeUtc();
        auto iso = [&](int daysAgo, int hour) {
            const QDateTime d(
                now.toTimeZone(kLondon).date().addDays(-daysAgo), QTime(hour, 15), kLondon);
            return d.toOffsetFromUtc(d.offsetFromUtc()).toString(Qt::ISODate);
        };
        QVERIFY(!observe(QStringLiteral("nina"), QStringLiteral("nina.nursery"),
            { QStringLiteral("--child"), QStringLiteral("C001"), QStringLiteral("--text"),
                QStringLiteral(
                    "Ava sorted the shells by size and told us \"this one is the biggest\"."),
                QStringLiteral("--tag"), QStringLiteral("M"), QStringLiteral("--tag"),
                QStringLiteral("CL"), t, iso(40, 10), QStringLiteral("--photo"), photos[2] })
                     .isEmpty());
        m_avaPhotoObs = observe(QStringLiteral("nina"), QStringLiteral("nina.nursery"),
            { QStringLiteral("--child"), QStringLiteral("C001"), QStringLiteral("--text"),
                QStringLiteral("Ava built a tower of eight blocks & counted them <carefully>."),
                QStringLiteral("--next-steps"), QStringLiteral("Try counting back from ten."),
                QStringLiteral("--tag"), QStringLiteral("M"), QStringLiteral("--tag"),
                QStringLiteral("PD"), t, iso(3, 10), QStringLiteral("--photo"), photos[0] },
            &m_avaPhotoMedia);
        QVERIFY(!m_avaPhotoObs.isEmpty());
        m_groupObs = observe(QStringLiteral("nina"), QStringLiteral("nina.nursery"),
            { QStringLiteral("--child"), QStringLiteral("C001"), QStringLiteral("--child"),
                QStringLiteral("C002"), QStringLiteral("--text"),
                QStringLiteral("Ava and Ben painted a giant sunflower together."),
                QStringLiteral("--tag"), QStringLiteral("EAD"), t, iso(2, 11),
                QStringLiteral("--photo"), photos[1] });
        QVERIFY(!m_groupObs.isEmpty());
        m_benObs = observe(QStringLiteral("nina"), QStringLiteral("nina.nursery"),
            { QStringLiteral("--child"), QStringLiteral("C002"), QStringLiteral("--text"),
                QStringLiteral("Ben climbed to the top of the frame."), t, iso(1, 9) });
        QVERIFY(!m_benObs.isEmpty());
        if (!QStandardPaths::findExecutable(QStringLiteral("ffmpeg")).isEmpty()) {
            const QString video = scratch + QStringLiteral("/song.mp4");
            QProcess ff;
            ff.start(QStringLiteral("ffmpeg"),
                { QStringLiteral("-loglevel"), QStringLiteral("error"), QStringLiteral("-f"),
                    QStringLiteral("lavfi"), QStringLiteral("-i"),
                    QStringLiteral("testsrc=duration=2:size=320x240:rate=10"),
                    QStringLiteral("-pix_fmt"), QStringLiteral("yuv420p"), QStringLiteral("-y"),
                    video });
            if (ff.waitForFinished(60000) && ff.exitCode() == 0) {
                m_videoObs = observe(QStringLiteral("nina"), QStringLiteral("nina.nursery"),
                    { QStringLiteral("--child"), QStringLiteral("C001"), QStringLiteral("--text"),
                        QStringLiteral("Ava sang 'Twinkle Twinkle' to the class."),
                        QStringLiteral("--tag"), QStringLiteral("EAD"), t, iso(1, 14),
                        QStringLiteral("--video"), video });
                QVERIFY(!m_videoObs.isEmpty());
            }
        }
        // Reception is half-termly: made today, it waits for the end of the half term.
        m_calObs = observe(QStringLiteral("rob"), QStringLiteral("rob.reception"),
            { QStringLiteral("--child"), QStringLiteral("C003"), QStringLiteral("--text"),
                QStringLiteral("Cal wrote his name on the birthday card."), QStringLiteral("--tag"),
                QStringLiteral("L") });
        QVERIFY(!m_calObs.isEmpty());
    }

    void enrolmentCodeLeadsToActivation()
    {
        const QString code
            = m_server.activationCodes().value(QStringLiteral("alex.brown")).toString();
        QVERIFY(!code.isEmpty());
        // The letter: address, fingerprint and the one-time code in one line.
        ui::ConnectPage page(wire::CLIENT_KIND_VIEWER);
        page.setEnrolmentCode(QStringLiteral("acorn:1:127.0.0.1:%1:%2:%3")
                                  .arg(m_server.port())
                                  .arg(m_server.fingerprint(), code));
        page.connectToServer();
        QTRY_VERIFY_WITH_TIMEOUT(page.outcome() != ui::ConnectPage::Outcome::Connecting, 30000);
        QCOMPARE(page.outcome(), ui::ConnectPage::Outcome::Matched);
        QVERIFY(page.canContinue());
        QCOMPARE(page.identity().activationCode, code);

        ui::SignInDialog dialog(page.identity(), wire::CLIENT_KIND_VIEWER, { wire::ROLE_PARENT });
        QVERIFY(dialog.isActivationMode()); // straight to activation
        dialog.setUsername(QStringLiteral("alex.brown"));
        dialog.findChild<QLineEdit *>(QStringLiteral("newPassword"))->setText(kAlexPassword);
        dialog.findChild<QLineEdit *>(QStringLiteral("repeatPassword"))->setText(kAlexPassword);
        QSignalSpy signedIn(&dialog, &ui::SignInDialog::signedIn);
        QTest::mouseClick(
            dialog.findChild<QPushButton *>(QStringLiteral("signInButton")), Qt::LeftButton);
        QVERIFY2(signedIn.wait(60000), qPrintable(dialog.errorText()));
        QCOMPARE(dialog.result().role, wire::ROLE_PARENT);
        QVERIFY(!dialog.result().token.isEmpty());
        QCOMPARE(dialog.result().displayName, QStringLiteral("Alex Brown"));

        // The code is spent: a second activation is told so plainly.
        ui::SignInDialog again(page.identity(), wire::CLIENT_KIND_VIEWER, { wire::ROLE_PARENT });
        again.setUsername(QStringLiteral("alex.brown"));
        again.findChild<QLineEdit *>(QStringLiteral("newPassword"))->setText(kAlexPassword);
        again.findChild<QLineEdit *>(QStringLiteral("repeatPassword"))->setText(kAlexPassword);
        again.show();
        again.signIn();
        QTRY_VERIFY_WITH_TIMEOUT(!again.isBusy(), 60000);
        QVERIFY2(again.errorText().contains(QStringLiteral("not right"))
                || again.errorText().contains(QStringLiteral("used")),
            qPrintable(again.errorText()));
    }

    void signInWithPassword()
    {
        ui::SignInDialog wrong(identity(), wire::CLIENT_KIND_VIEWER, { wire::ROLE_PARENT });
        wrong.setUsername(QStringLiteral("alex.brown"));
        wrong.findChild<QLineEdit *>(QStringLiteral("password"))
            ->setText(QStringLiteral("not my password"));
        wrong.show();
        wrong.signIn();
        QTRY_VERIFY_WITH_TIMEOUT(!wrong.isBusy(), 60000);
        QVERIFY2(wrong.errorText().contains(QStringLiteral("username or password is not right")),
            qPrintable(wrong.errorText()));

        ui::SignInDialog dialog(identity(), wire::CLIENT_KIND_VIEWER, { wire::ROLE_PARENT });
        QVERIFY(!dialog.isActivationMode());
        dialog.setUsername(QStringLiteral("alex.brown"), false);
        dialog.findChild<QLineEdit *>(QStringLiteral("password"))->setText(kAlexPassword);
        QSignalSpy signedIn(&dialog, &ui::SignInDialog::signedIn);
        dialog.signIn();
        QVERIFY2(signedIn.wait(60000), qPrintable(dialog.errorText()));
        m_token = dialog.result().token;
        QVERIFY(!m_token.isEmpty());
        // The password is not kept in the form.
        QVERIFY(dialog.findChild<QLineEdit *>(QStringLiteral("password"))->text().isEmpty());
    }

    void homeShowsOnlyOwnChildren()
    {
        ViewerAccount account { alexProfile(), QStringLiteral("127.0.0.1"), m_server.port(),
            m_server.fingerprint(), QStringLiteral("alex.brown") };
        auto s = ViewerSession::open(account);
        QVERIFY2(s.ok(), qPrintable(s.error()));
        m_session = std::move(s).value();
        m_session->setToken(m_token);
        m_window = std::make_unique<ViewerWindow>(*m_session);
        m_window->resize(1200, 860);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QSignalSpy done(m_session.get(), &ViewerSession::syncFinished);
        m_window->start();
        QVERIFY(m_window->syncProgress()->isVisible()); // sync on start, visibly
        QVERIFY(done.wait(60000));
        QVERIFY2(done.constFirst().at(0).toBool(), qPrintable(done.constFirst().at(1).toString()));
        QVERIFY(!m_window->syncProgress()->isVisible());

        QStringList refs;
        for (ChildCard *c : m_window->homePage()->cards())
            refs << c->childRef();
        QCOMPARE(refs, (QStringList { QStringLiteral("C001"), QStringLiteral("C003") }));
        QCOMPARE(m_window->homePage()->cards().at(0)->childName(), QStringLiteral("Ava Brown"));

        // Reception is half-termly: the card says when the next update comes. Expected
        // independently: the first half term of the test calendar whose release moment
        // (last day, 16:00 London) is still ahead.
        const QList<std::pair<const char *, const char *>> ends
            = { { "Autumn 1", "2026-10-23" }, { "Autumn 2", "2026-12-18" },
                  { "Spring 1", "2027-02-12" }, { "Spring 2", "2027-03-26" },
                  { "Summer 1", "2027-05-28" }, { "Summer 2", "2027-07-21" } };
        QString expected;
        for (const auto &[name, last] : ends) {
            const QDateTime release(
                QDate::fromString(QString::fromLatin1(last), Qt::ISODate), QTime(16, 0), kLondon);
            if (release > QDateTime::currentDateTimeUtc()) {
                expected
                    = QStringLiteral("Reception journal: next update on %1")
                          .arg(QLocale().toString(release.date(), QStringLiteral("ddd d MMMM")));
                break;
            }
        }
        if (expected.isEmpty())
            QSKIP(
                "the test school's calendar is over: the next-update line cannot be checked today");
        QCOMPARE(m_window->homePage()->cards().at(1)->noticeText(), expected);
        QCOMPARE(m_window->homePage()->cards().at(0)->noticeText(),
            QStringLiteral("Nursery journal: updated as staff add to it"));
        screenshot(m_window.get(), QStringLiteral("viewer-home.png"));
    }

    void journalShowsReleasedObservationsWithMedia()
    {
        QVERIFY(m_window && m_window->homePage()->cards().size() == 2);
        QTest::mouseClick(m_window->homePage()->cards().at(0)->openButton(), Qt::LeftButton);
        QVERIFY(m_window->isShowingJournal());
        JournalPage *page = m_window->journalPage();
        QCOMPARE(page->childRef(), QStringLiteral("C001"));
        const QStringList texts = cardTexts();
        QCOMPARE(texts.size(), m_videoObs.isEmpty() ? 3 : 4);
        QVERIFY(texts.contains(
            QStringLiteral("Ava built a tower of eight blocks & counted them <carefully>.")));
        QVERIFY(!texts.join(QLatin1Char('\n')).contains(QStringLiteral("Ben climbed")));
        // Newest first.
        QVERIFY(page->visibleCards().constLast()->observation().text().starts_with(
            "Ava sorted the shells"));

        ObservationCard *tower = page->card(m_avaPhotoObs);
        QVERIFY(tower);
        QCOMPARE(tower->mediaTiles().size(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(tower->mediaTiles().at(0)->hasThumbnail(), 30000);
        QCOMPARE(tower->mediaTiles().at(0)->contextMenuPolicy(), Qt::NoContextMenu);
        QStringList chips;
        for (QLabel *l : tower->findChildren<QLabel *>(QStringLiteral("areaChip")))
            chips << l->text();
        QCOMPARE(chips,
            (QStringList {
                QStringLiteral("Mathematics"), QStringLiteral("Physical development") }));

        // The group photo shows Ben, whose family did not consent: marked, not missing.
        ObservationCard *group = page->card(m_groupObs);
        QVERIFY(group);
        QCOMPARE(group->mediaTiles().size(), 0);
        QCOMPARE(group->withheldTiles().size(), 1);
        QCOMPARE(group->withheldTiles().at(0)->text(),
            QStringLiteral("This photo includes other children, so it is not shown."));
        QCOMPARE(
            group->withheldTiles().at(0)->accessibleName(), group->withheldTiles().at(0)->text());
        QVERIFY(!QFile::exists(m_session->mediaCache().directory() + QLatin1Char('/')
            + QString::fromStdString(group->observation().media(0).id())
            + QStringLiteral("-thumb.jpg")));

        // Search (Ctrl+F), area and date filters.
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        QTest::keyClick(m_window.get(), Qt::Key_F, Qt::ControlModifier);
        QVERIFY(page->searchField()->hasFocus());
        QTest::keyClicks(page->searchField(), QStringLiteral("tower"));
        QTRY_COMPARE(page->visibleCards().size(), 1);
        QCOMPARE(page->visibleCards().at(0)->observationId(), m_avaPhotoObs);
        QVERIFY(page->summaryText().contains(QStringLiteral("1 of")));
        page->searchField()->clear();
        QTRY_COMPARE(page->visibleCards().size(), texts.size());
        const int ead = page->areaFilter()->findData(QStringLiteral("EAD"));
        QVERIFY(ead > 0);
        QCOMPARE(page->areaFilter()->itemText(ead), QStringLiteral("Expressive arts and design"));
        page->areaFilter()->setCurrentIndex(ead);
        emit page->areaFilter()->activated(ead);
        QCOMPARE(page->visibleCards().size(), m_videoObs.isEmpty() ? 1 : 2);
        page->areaFilter()->setCurrentIndex(0);
        emit page->areaFilter()->activated(0);
        const QDate today = QDateTime::currentDateTimeUtc().toTimeZone(kLondon).date();
        page->setDateRange(today.addDays(-50), today.addDays(-20));
        QCOMPARE(page->visibleCards().size(), 1);
        page->setDateRange(today.addDays(-5), today);
        QCOMPARE(page->visibleCards().size(), texts.size() - 1);
        for (QPushButton *b : page->findChildren<QPushButton *>()) {
            if (b->text() == QStringLiteral("Show &everything"))
                b->click();
        }
        QCOMPARE(page->visibleCards().size(), texts.size());
        screenshot(m_window.get(), QStringLiteral("viewer-journal.png"));
    }

    void photoOpensFullSizeWithWatermark()
    {
        ObservationCard *tower = m_window->journalPage()->card(m_avaPhotoObs);
        QTest::mouseClick(tower->mediaTiles().at(0), Qt::LeftButton);
        PhotoViewer *viewer = m_window->photoViewer();
        QVERIFY(viewer);
        QTRY_VERIFY_WITH_TIMEOUT(viewer->showsFullImage(), 30000);
        QCOMPARE(viewer->canvas()->image().size(),
            QSize(1600, 1200)); // the full photo, not the thumbnail
        QVERIFY(viewer->canvas()->watermark().startsWith(QStringLiteral("Alex Brown")));
        QCOMPARE(viewer->canvas()->contextMenuPolicy(), Qt::NoContextMenu);
        QCOMPARE(viewer->contextMenuPolicy(), Qt::NoContextMenu);
        QVERIFY(!viewer->canvas()->acceptDrops());
        // Nothing in the photo screen offers to save it.
        for (QPushButton *b : viewer->findChildren<QPushButton *>())
            QVERIFY2(!b->text().contains(QStringLiteral("Save"), Qt::CaseInsensitive),
                qPrintable(b->text()));
        // The watermark is painted over the photo as displayed.
        const QImage marked = viewer->canvas()->grab().toImage();
        const QString watermark = viewer->canvas()->watermark();
        viewer->canvas()->setWatermark({});
        const QImage plain = viewer->canvas()->grab().toImage();
        viewer->canvas()->setWatermark(watermark);
        QVERIFY(viewer->canvas()->imageRect().width() > 100);
        QVERIFY(marked != plain);
        viewer->resize(1000, 760);
        screenshot(viewer, QStringLiteral("viewer-photo.png"));
        viewer->close();
    }

    void videoPlays()
    {
        if (m_videoObs.isEmpty())
            QSKIP("ffmpeg is not installed, so the test has no video to play");
        ObservationCard *card = m_window->journalPage()->card(m_videoObs);
        QVERIFY(card);
        QCOMPARE(card->mediaTiles().size(), 1);
        QVERIFY(card->mediaTiles().at(0)->isVideo());
        QTest::mouseClick(card->mediaTiles().at(0), Qt::LeftButton);
        VideoPlayer *player = m_window->videoPlayer();
        QVERIFY(player);
        QTRY_VERIFY_WITH_TIMEOUT(player->isLoaded() || !player->problem().isEmpty(), 30000);
        QVERIFY2(player->isLoaded(), qPrintable(player->problem()));
        QVERIFY(QFile::exists(player->player()->source().toLocalFile()));
        // Played by QMediaPlayer: it loads the file and moves through it (or ends).
        QTRY_VERIFY_WITH_TIMEOUT(player->player()->position() > 0
                || player->player()->mediaStatus() == QMediaPlayer::EndOfMedia
                || player->player()->error() != QMediaPlayer::NoError,
            30000);
        QVERIFY2(player->player()->error() == QMediaPlayer::NoError,
            qPrintable(player->player()->errorString()));
        QVERIFY(player->player()->duration() > 0);
        player->close();
        // The parent's cache holds the video and the thumbnails sealed (docs/at-rest.md): no
        // JPEG (JFIF) or MP4 ('ftyp') is readable in it, and neither is the journal's text.
        const QDir cache(m_session->mediaCache().directory());
        int sealed = 0;
        for (const QFileInfo &fi : cache.entryInfoList(QDir::Files)) {
            QFile f(fi.absoluteFilePath());
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray raw = f.readAll();
            QVERIFY2(raw.startsWith("ACRNSEAL"), qPrintable(fi.fileName()));
            QVERIFY2(!raw.contains("JFIF") && !raw.contains("ftyp"), qPrintable(fi.fileName()));
            ++sealed;
        }
        QVERIFY(sealed >= 2); // the video and at least one thumbnail
        for (const char *name : { "acorn.db", "acorn.db-wal" }) {
            QFile db(alexProfile() + QLatin1Char('/') + QLatin1String(name));
            if (db.open(QIODevice::ReadOnly))
            {
                const QByteArray raw = db.readAll();
                QVERIFY2(!raw.contains("sorted the shells") && !raw.contains("Brown"), name);
            }
        }
    }

    void unreleasedReceptionAppearsAfterRelease()
    {
        m_window->showJournal(child(QStringLiteral("C003")));
        JournalPage *page = m_window->journalPage();
        QCOMPARE(page->childRef(), QStringLiteral("C003"));
        QCOMPARE(page->visibleCards().size(), 0); // made this half term: not released yet
        QVERIFY(m_session->store().cached(m_calObs) == std::nullopt);

        bool ok = false;
        m_server.admin({ QStringLiteral("release"), QStringLiteral("Reception") }, &ok);
        QVERIFY(ok);
        QCOMPARE(syncAndWait(*m_window), std::optional<bool>(true));
        QCOMPARE(cardTexts(),
            QStringList { QStringLiteral("Cal wrote his name on the birthday card.") });
    }

    // Judgements reach a parent only where the school shares them and only once their half
    // term is released; another family's never. Switched off again, they leave the device.
    void judgementsShowOnlyWhenSharedAndReleased()
    {
        // A half term already over (released) and one still to come (not), by today's date.
        const QDate today = QDateTime::currentDateTimeUtc().toTimeZone(kLondon).date();
        QString past, pastName, future;
        for (const wire::HalfTermInfo &h : m_session->store().calendar()) {
            const QDate last = QDate::fromString(QString::fromStdString(h.last_day()), Qt::ISODate);
            if (last < today) {
                past = QString::fromStdString(h.last_day());
                pastName = QString::fromStdString(h.name());
            } else if (future.isEmpty() && last > today.addDays(1)) {
                future = QString::fromStdString(h.last_day());
            }
        }
        if (past.isEmpty() || future.isEmpty())
            QSKIP("today is outside the test school's calendar: no released and unreleased half "
                  "terms to judge");
        const auto assess
            = [&](const QString &who, const QString &user, const QString &child,
                  const QString &item, const QString &term, const QString &judgement) {
                  const CliResult r = runCli(m_server, staffProfile(who), user, kStaffPassword,
                      { QStringLiteral("assess"), QStringLiteral("--child"), child,
                          QStringLiteral("--item"), item, QStringLiteral("--half-term"), term,
                          QStringLiteral("--judgement"), judgement });
                  return r.exitCode == 0 ? QString() : QString::fromUtf8(r.err);
              };
        QCOMPARE(
            assess(QStringLiteral("rob"), QStringLiteral("rob.reception"), QStringLiteral("C003"),
                QStringLiteral("CL-DM-R"), past, QStringLiteral("on-track")),
            QString());
        QCOMPARE(
            assess(QStringLiteral("rob"), QStringLiteral("rob.reception"), QStringLiteral("C003"),
                QStringLiteral("M-DM-R"), future, QStringLiteral("secure")),
            QString());
        QCOMPARE(
            assess(QStringLiteral("nina"), QStringLiteral("nina.nursery"), QStringLiteral("C002"),
                QStringLiteral("CL-DM-34"), past, QStringLiteral("secure")),
            QString());

        // The school has not turned parent visibility on: nothing.
        m_window->showJournal(child(QStringLiteral("C003")));
        JournalPage *page = m_window->journalPage();
        QCOMPARE(syncAndWait(*m_window), std::optional<bool>(true));
        QVERIFY(m_session->store().assessments().isEmpty());
        QVERIFY(page->progressBox()->isHidden());

        // On: Cal's released judgement, in plain words under its half term; not the one for a
        // half term still to come, and not Ben's.
        bool ok = false;
        m_server.admin({ QStringLiteral("assessments-for-parents"), QStringLiteral("on") }, &ok);
        QVERIFY(ok);
        QCOMPARE(syncAndWait(*m_window), std::optional<bool>(true));
        QCOMPARE(m_session->store().assessments().size(), 1);
        QVERIFY(!page->progressBox()->isHidden());
        QCOMPARE(page->progressBox()->title(), QStringLiteral("How Cal is getting on"));
        QTableWidget *table = page->progressTable();
        QCOMPARE(table->columnCount(), 1);
        QCOMPARE(table->rowCount(), 1);
        QCOMPARE(table->horizontalHeaderItem(0)->text(), pastName);
        QCOMPARE(table->verticalHeaderItem(0)->text(),
            QStringLiteral("Communication and language: children in reception"));
        QCOMPARE(table->item(0, 0)->text(), QStringLiteral("On track"));
        screenshot(m_window.get(), QStringLiteral("viewer-progress.png"));
        // Ava (Nursery) has no judgement: no section.
        m_window->showJournal(child(QStringLiteral("C001")));
        QVERIFY(page->progressBox()->isHidden());

        // Off again: gone from the device at the next sync.
        m_server.admin({ QStringLiteral("assessments-for-parents"), QStringLiteral("off") }, &ok);
        QVERIFY(ok);
        m_window->showJournal(child(QStringLiteral("C003")));
        QCOMPARE(syncAndWait(*m_window), std::optional<bool>(true));
        QVERIFY(m_session->store().assessments().isEmpty());
        QVERIFY(page->progressBox()->isHidden());
    }

    void retractedObservationDisappears()
    {
        m_window->showJournal(child(QStringLiteral("C001")));
        QVERIFY(m_window->journalPage()->card(m_avaPhotoObs));
        const CliResult r
            = runCli(m_server, staffProfile(QStringLiteral("nina")), QStringLiteral("nina.nursery"),
                kStaffPassword, { QStringLiteral("delete"), m_avaPhotoObs });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(syncAndWait(*m_window), std::optional<bool>(true));
        QVERIFY(!m_window->journalPage()->card(m_avaPhotoObs));
        QVERIFY(!cardTexts().join(QLatin1Char('\n')).contains(QStringLiteral("tower")));
        QCOMPARE(m_window->journalPage()->model()->rowOf(m_avaPhotoObs), -1);
        QVERIFY(!m_session->store().cached(m_avaPhotoObs));
        // Its downloaded files went with it.
        QTRY_VERIFY(QDir(m_session->mediaCache().directory())
                        .entryList({ m_avaPhotoMedia + QLatin1Char('*') }, QDir::Files)
                        .isEmpty());
    }

    void keepsakeExportHasObservationTimesInExif()
    {
        const QString folder = m_dir.filePath(QStringLiteral("keepsake/Ava"));
        KeepsakeJob *job = m_window->exportKeepsakeTo(child(QStringLiteral("C001")), folder);
        QSignalSpy done(job, &KeepsakeJob::finished);
        QVERIFY(done.wait(60000));
        QVERIFY2(!job->failed(), qPrintable(job->errorString()));
        const KeepsakeReport report = job->report();
        QCOMPARE(report.observations, m_videoObs.isEmpty() ? 2 : 3);
        QCOMPARE(report.withheld, 1);
        QCOMPARE(report.missing, 0);
        QCOMPARE(report.photos, 1);
        QCOMPARE(report.videos, m_videoObs.isEmpty() ? 0 : 1);
        QVERIFY(QFile::exists(folder + QStringLiteral("/index.html")));

        // Each photo's EXIF time is its observation's time in the school's zone, read back
        // by exiv2 (the command-line tool when installed, else the library).
        const bool cli = !QStandardPaths::findExecutable(QStringLiteral("exiv2")).isEmpty();
        int checked = 0;
        for (const wire::Observation &o : m_session->journal(QStringLiteral("C001"))) {
            for (const wire::Media &m : o.media()) {
                if (m.withheld() != wire::NOT_WITHHELD || m.kind() == wire::VIDEO)
                    continue;
                const QDateTime at
                    = QDateTime::fromMSecsSinceEpoch(o.observed_at_ms(), QTimeZone::utc())
                          .toTimeZone(kLondon);
                const QString name = at.toString(QStringLiteral("yyyy-MM-dd_HHmm_"))
                    + QString::fromStdString(m.id()).left(8) + QStringLiteral(".jpg");
                const QString file = folder + QLatin1Char('/') + name;
                QVERIFY2(QFile::exists(file), qPrintable(name));
                const QString expected = at.toString(QStringLiteral("yyyy:MM:dd HH:mm:ss"));
                QCOMPARE(cli ? exivCli(file, QStringLiteral("Exif.Photo.DateTimeOriginal"))
                             : exivApi(file, "Exif.Photo.DateTimeOriginal"),
                    expected);
                QCOMPARE(exivApi(file, "Exif.Image.DateTime"), expected);
                QCOMPARE(
                    exivApi(file, "Exif.Image.ImageDescription"), QString::fromStdString(o.text()));
                ++checked;
            }
        }
        QCOMPARE(checked, 1);
        // Withheld media is not exported: only the shareable files are there.
        QStringList files = QDir(folder).entryList(QDir::Files);
        files.removeAll(QStringLiteral("index.html"));
        QCOMPARE(files.size(), report.photos + report.videos);
        QFile index(folder + QStringLiteral("/index.html"));
        QVERIFY(index.open(QIODevice::ReadOnly));
        const QString html = QString::fromUtf8(index.readAll());
        QVERIFY(html.contains(QStringLiteral("&quot;this one is the biggest&quot;")));
        QVERIFY(html.contains(QStringLiteral("did not share with families")));
    }

    void consentReminderOnFirstSignInOnly()
    {
        client::Profile p;
        p.host = QStringLiteral("127.0.0.1");
        p.port = m_server.port();
        p.fingerprint = m_server.fingerprint();
        p.username = QStringLiteral("alex.brown");
        p.displayName = QStringLiteral("Alex Brown");
        p.role = wire::ROLE_PARENT;
        p.schoolName = QStringLiteral("Test Primary");
        auto findConsent = [] {
            for (QWidget *w : QApplication::topLevelWidgets()) {
                if (auto *d = qobject_cast<ConsentDialog *>(w); d && d->isVisible())
                    return d;
            }
            return static_cast<ConsentDialog *>(nullptr);
        };
        {
            ViewerApp app;
            app.openProfile(p, m_token);
            ConsentDialog *d = nullptr;
            QTRY_VERIFY((d = findConsent()) != nullptr);
            QVERIFY(!app.window());
            const QString text = d->findChild<QLabel *>(QStringLiteral("consentText"))->text();
            QVERIFY(text.contains(QStringLiteral("social media")));
            QVERIFY(text.contains(QStringLiteral("other children")));
            QTest::mouseClick(
                d->findChild<QPushButton *>(QStringLiteral("acceptButton")), Qt::LeftButton);
            QTRY_VERIFY(app.window());
            QSignalSpy done(app.session(), &ViewerSession::syncFinished);
            QVERIFY(done.wait(60000));
        }
        QTRY_VERIFY(!findConsent());
        {
            ViewerApp app;
            app.openProfile(p, m_token);
            // The data key is read from the keychain first (asynchronously), then: accepted
            // before, on this profile, so straight in.
            QTRY_VERIFY(app.window());
            QVERIFY(!findConsent());
            QSignalSpy done(app.session(), &ViewerSession::syncFinished);
            QVERIFY(done.wait(60000));
        }
        // And it is in About.
        QString about;
        QTimer::singleShot(200, this, [&about] {
            if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
                about = box->text();
                box->accept();
            }
        });
        m_window->showAbout();
        QVERIFY(about.contains(QStringLiteral("social media")));
        QVERIFY(about.contains(QStringLiteral("Alex Brown")));
    }

    void endedSessionAsksToSignInAgain()
    {
        // The IT manager ends the family's sessions (a lost laptop): the next sync asks
        // for the password, and the cached journal stays readable meanwhile.
        bool ok = false;
        m_server.admin({ QStringLiteral("sessions"), QStringLiteral("alex.brown"),
                           QStringLiteral("--revoke"), QStringLiteral("all") },
            &ok);
        QVERIFY(ok);
        QSignalSpy needed(m_window.get(), &ViewerWindow::signInNeeded);
        QCOMPARE(syncAndWait(*m_window), std::optional<bool>(false));
        QVERIFY2(needed.count() == 1, qPrintable(m_window->statusText()));
        QVERIFY2(m_window->statusText().contains(QStringLiteral("sign in again")),
            qPrintable(m_window->statusText()));
        QVERIFY(!m_window->homePage()->cards().isEmpty());

        ui::SignInDialog dialog(identity(), wire::CLIENT_KIND_VIEWER, { wire::ROLE_PARENT });
        dialog.setUsername(QStringLiteral("alex.brown"), false);
        dialog.findChild<QLineEdit *>(QStringLiteral("password"))->setText(kAlexPassword);
        QSignalSpy signedIn(&dialog, &ui::SignInDialog::signedIn);
        dialog.show();
        dialog.signIn();
        QVERIFY2(signedIn.wait(60000), qPrintable(dialog.errorText()));
        m_token = dialog.result().token;
        m_session->setToken(m_token);
        QCOMPARE(syncAndWait(*m_window), std::optional<bool>(true));
    }

    void switchedOffAccountIsToldWhoToSpeakTo()
    {
        QVERIFY(m_server.setPassword(QStringLiteral("sam.brown"), kStaffPassword));
        bool ok = false;
        m_server.admin(
            { QStringLiteral("user"), QStringLiteral("disable"), QStringLiteral("sam.brown") },
            &ok);
        QVERIFY(ok);
        ui::SignInDialog dialog(identity(), wire::CLIENT_KIND_VIEWER, { wire::ROLE_PARENT });
        dialog.setUsername(QStringLiteral("sam.brown"));
        dialog.findChild<QLineEdit *>(QStringLiteral("password"))->setText(kStaffPassword);
        dialog.show();
        dialog.signIn();
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isBusy(), 60000);
        QVERIFY2(dialog.errorText().contains(QStringLiteral("switched off")),
            qPrintable(dialog.errorText()));
        QVERIFY2(dialog.errorText().contains(QStringLiteral("the school office")),
            qPrintable(dialog.errorText()));
    }

    void firstRunAsksForTheSchool()
    {
        // No profile on this device yet: the app starts by asking for the school's server.
        ViewerApp app;
        app.start();
        ui::ConnectDialog *connect = nullptr;
        QTRY_VERIFY([&] {
            for (QWidget *w : QApplication::topLevelWidgets()) {
                if (auto *d = qobject_cast<ui::ConnectDialog *>(w); d && d->isVisible())
                    connect = d;
            }
            return connect != nullptr;
        }());
        QVERIFY(!app.window());
        connect->close();
    }

    void staffAccountIsToldThisIsTheParentsApp()
    {
        ui::SignInDialog dialog(identity(), wire::CLIENT_KIND_VIEWER, { wire::ROLE_PARENT });
        dialog.setUsername(QStringLiteral("nina.nursery"));
        dialog.findChild<QLineEdit *>(QStringLiteral("password"))->setText(kStaffPassword);
        QSignalSpy signedIn(&dialog, &ui::SignInDialog::signedIn);
        dialog.show();
        dialog.signIn();
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isBusy(), 60000);
        QCOMPARE(signedIn.count(), 0);
        QVERIFY2(dialog.errorText().contains(QStringLiteral("app for parents")),
            qPrintable(dialog.errorText()));
    }

    void offlineReadingAfterServerStops()
    {
        m_server.stop();
        // The app is closed and opened again with no server.
        m_window.reset();
        m_session.reset();
        ViewerAccount account { alexProfile(), QStringLiteral("127.0.0.1"), m_server.port(),
            m_server.fingerprint(), QStringLiteral("alex.brown") };
        auto s = ViewerSession::open(account);
        QVERIFY(s.ok());
        m_session = std::move(s).value();
        m_session->setToken(m_token);
        m_window = std::make_unique<ViewerWindow>(*m_session);
        m_window->show();
        QSignalSpy done(m_session.get(), &ViewerSession::syncFinished);
        m_window->start();
        QVERIFY(done.wait(60000));
        QVERIFY(!done.constFirst().at(0).toBool());
        QVERIFY2(m_window->statusText().contains(QStringLiteral("cannot be reached")),
            qPrintable(m_window->statusText()));
        QCOMPARE(m_window->homePage()->cards().size(), 2);
        m_window->showJournal(child(QStringLiteral("C001")));
        QCOMPARE(m_window->journalPage()->visibleCards().size(), m_videoObs.isEmpty() ? 2 : 3);
        ObservationCard *group = m_window->journalPage()->card(m_groupObs);
        QVERIFY(group);
        QCOMPARE(group->withheldTiles().size(), 1);
        // Photos seen before are still there (thumbnails from the profile's media folder).
        for (ObservationCard *c : m_window->journalPage()->visibleCards()) {
            for (MediaTile *t : c->mediaTiles()) {
                if (!t->isVideo())
                    QTRY_VERIFY(t->hasThumbnail());
            }
        }
        m_window->showJournal(child(QStringLiteral("C003")));
        QCOMPARE(cardTexts(),
            QStringList { QStringLiteral("Cal wrote his name on the birthday card.") });
    }

    void damagedLocalStoreIsRecoveredAndTheParentIsTold()
    {
        // A copy of Alex's profile whose database is damaged (a failing disk, a power cut):
        // the viewer still opens, sets the file aside, and says so. Without a damaged file
        // nothing is shown.
        m_window.reset();
        m_session.reset();
        ViewerAccount healthy { alexProfile(), QStringLiteral("127.0.0.1"), m_server.port(),
            m_server.fingerprint(), QStringLiteral("alex.brown") };
        {
            auto s = ViewerSession::open(healthy);
            QVERIFY(s.ok());
            ViewerWindow w(*s.value());
            QCOMPARE(w.recoveryNotice(), QString());
        }
        const QString damaged = m_dir.filePath(QStringLiteral("alex-damaged"));
        QDir().mkpath(damaged);
        QVERIFY(QFile::copy(alexProfile() + QStringLiteral("/acorn.db"), damaged + QStringLiteral("/acorn.db")));
        QVERIFY(damageTablePage(damaged + QStringLiteral("/acorn.db"), QStringLiteral("observations")));
        ViewerAccount account = healthy;
        account.profileDir = damaged;
        auto s = ViewerSession::open(account);
        QVERIFY2(s.ok(), s.ok() ? "" : qPrintable(s.error()));
        m_session = std::move(s).value();
        m_window = std::make_unique<ViewerWindow>(*m_session);
        m_window->show();
        const QString notice = m_window->recoveryNotice();
        QVERIFY2(notice.contains(QStringLiteral("damaged")), qPrintable(notice));
        QVERIFY2(notice.contains(m_session->store().recovery()->damagedCopy), qPrintable(notice));
        QVERIFY(QFile::exists(m_session->store().recovery()->damagedCopy));
        QVERIFY(m_window->findChild<QLabel *>(QStringLiteral("recoveryNotice"))->isVisible());
    }

    void cleanupTestCase()
    {
        m_window.reset();
        m_session.reset();
    }
};

QTEST_MAIN(TestViewer)
#include "tst_viewer.moc"
