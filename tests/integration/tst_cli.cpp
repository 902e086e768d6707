#include "testserver.h"

#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

using namespace acorn::test;

// acorn-cli's commands against a real server process: activation with a one-time code,
// drafts, amend, delete, the outbox with a refused item, and a lead's early release.
class TestCli : public QObject
{
    Q_OBJECT

    TestServer m_server;
    QString profile(const QString &n) const { return m_server.scratch() + QStringLiteral("/p/") + n; }
    static QJsonObject object(const QByteArray &j) { return QJsonDocument::fromJson(j).object(); }
    static QJsonArray array(const QByteArray &j) { return QJsonDocument::fromJson(j).array(); }

    CliResult cli(const QString &user, const QStringList &args, const QString &password = QStringLiteral("pw-for-tests-1"))
    {
        return runCli(m_server, profile(user), user, password, args);
    }

    QJsonObject find(const QString &user, const QString &id)
    {
        for (const QJsonValue &v : array(cli(user, {QStringLiteral("journal")}).out)) {
            if (v.toObject().value(QStringLiteral("id")).toString() == id)
                return v.toObject();
        }
        return {};
    }

    // Runs acorn-cli with text on standard input.
    CliResult cliWithStdin(const QString &user, const QStringList &args, const QByteArray &input)
    {
        QProcess p;
        p.start(TestServer::binary(QStringLiteral("acorn-cli")),
                QStringList{QStringLiteral("--profile"), profile(user), QStringLiteral("--server"),
                            QStringLiteral("127.0.0.1:%1").arg(m_server.port()), QStringLiteral("--pin"),
                            m_server.fingerprint(), QStringLiteral("--user"), user}
                    + args);
        p.write(input);
        p.closeWriteChannel();
        p.waitForFinished(60000);
        return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_server.init(smallSchoolJson()));
        for (const char *u : {"nina.nursery", "rob.reception", "lee.lead", "sam.brown"})
            QVERIFY(m_server.setPassword(QLatin1String(u), QStringLiteral("pw-for-tests-1")));
        QVERIFY(m_server.start());
    }

    void activateWithCode()
    {
        const QString code = m_server.activationCodes().value(QStringLiteral("alex.brown")).toString();
        QVERIFY(!code.isEmpty());
        // A wrong code is refused as an authentication failure.
        CliResult r = cliWithStdin(QStringLiteral("alex.brown"), {QStringLiteral("activate"), QStringLiteral("--code"),
                                                                   QStringLiteral("AAAAA-BBBBB-CCCCC")},
                                   "new-password-9\n");
        QCOMPARE(r.exitCode, 3);
        // Too short a password is refused by the server.
        r = cliWithStdin(QStringLiteral("alex.brown"), {QStringLiteral("activate"), QStringLiteral("--code"), code}, "short\n");
        QCOMPARE(r.exitCode, 6);
        // Typed in lower case with spaces, as from a letter.
        QString typed = code.toLower();
        typed.replace(QLatin1Char('-'), QLatin1Char(' '));
        r = cliWithStdin(QStringLiteral("alex.brown"), {QStringLiteral("activate"), QStringLiteral("--code"), typed},
                         "new-password-9\n");
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(object(r.out).value(QStringLiteral("activated")).toBool());
        // The new password works; the code is spent.
        QCOMPARE(cli(QStringLiteral("alex.brown"), {QStringLiteral("sync")}, QStringLiteral("new-password-9")).exitCode, 0);
        r = cliWithStdin(QStringLiteral("alex.brown"), {QStringLiteral("activate"), QStringLiteral("--code"), code},
                         "another-password-1\n");
        QCOMPARE(r.exitCode, 3);
    }

    void draftsStayWithTheirAuthor()
    {
        CliResult r = cli(QStringLiteral("nina.nursery"), {QStringLiteral("observe"), QStringLiteral("--child"), QStringLiteral("C001"),
                                                            QStringLiteral("--text"), QStringLiteral("Draft: Ava at the easel"),
                                                            QStringLiteral("--draft")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QString id = object(r.out).value(QStringLiteral("id")).toString();
        QCOMPARE(cli(QStringLiteral("alex.brown"), {QStringLiteral("sync")}, QStringLiteral("new-password-9")).exitCode, 0);
        QVERIFY(find(QStringLiteral("alex.brown"), id).isEmpty());
        QCOMPARE(cli(QStringLiteral("lee.lead"), {QStringLiteral("sync")}).exitCode, 0);
        QVERIFY(find(QStringLiteral("lee.lead"), id).isEmpty()); // another member of staff's draft

        // Publishing it by amendment makes it visible (Nursery is live).
        r = cli(QStringLiteral("nina.nursery"), {QStringLiteral("amend"), id, QStringLiteral("--text"),
                                                 QStringLiteral("Ava painted a sunflower"), QStringLiteral("--publish")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(object(r.out).value(QStringLiteral("revision")).toInt(), 2);
        QCOMPARE(cli(QStringLiteral("alex.brown"), {QStringLiteral("sync")}, QStringLiteral("new-password-9")).exitCode, 0);
        const QJsonObject seen = find(QStringLiteral("alex.brown"), id);
        QCOMPARE(seen.value(QStringLiteral("text")).toString(), QStringLiteral("Ava painted a sunflower"));
        QCOMPARE(seen.value(QStringLiteral("revision")).toInt(), 2);

        // Deleting it removes it from the parent's device at the next sync.
        r = cli(QStringLiteral("nina.nursery"), {QStringLiteral("delete"), id});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = cli(QStringLiteral("alex.brown"), {QStringLiteral("sync")}, QStringLiteral("new-password-9"));
        QCOMPARE(object(r.out).value(QStringLiteral("removed")).toInt(), 1);
        QVERIFY(find(QStringLiteral("alex.brown"), id).isEmpty());
    }

    void refusedItemStaysInTheOutbox()
    {
        // Dev (C004) has no consent for photos; the client knows the roster after a sync
        // and refuses before queueing, without contacting the server.
        QCOMPARE(cli(QStringLiteral("rob.reception"), {QStringLiteral("sync")}).exitCode, 0);
        QImage img(64, 64, QImage::Format_RGB32);
        img.fill(Qt::red);
        const QString photo = m_server.scratch() + QStringLiteral("/red.jpg");
        QVERIFY(img.save(photo));
        CliResult r = cli(QStringLiteral("rob.reception"),
                          {QStringLiteral("observe"), QStringLiteral("--child"), QStringLiteral("C004"), QStringLiteral("--text"),
                           QStringLiteral("Dev at the easel"), QStringLiteral("--photo"), photo});
        QCOMPARE(r.exitCode, 6);
        QVERIFY(r.err.contains("consent"));
        QCOMPARE(array(cli(QStringLiteral("rob.reception"), {QStringLiteral("outbox")}).out).size(), 0);

        // A fresh device without the roster queues it; the server refuses it; it stays in
        // the outbox marked refused, and later commands still work.
        const QString fresh = QStringLiteral("rob.reception");
        r = runCli(m_server, profile(QStringLiteral("rob-fresh")), fresh, QStringLiteral("pw-for-tests-1"),
                   {QStringLiteral("observe"), QStringLiteral("--child"), QStringLiteral("C004"), QStringLiteral("--text"),
                    QStringLiteral("Dev at the easel"), QStringLiteral("--photo"), photo});
        QCOMPARE(r.exitCode, 6);
        QCOMPARE(object(r.out).value(QStringLiteral("state")).toString(), QStringLiteral("refused"));
        r = runCli(m_server, profile(QStringLiteral("rob-fresh")), fresh, {}, {QStringLiteral("outbox")});
        const QJsonArray outbox = array(r.out);
        QCOMPARE(outbox.size(), 1);
        QCOMPARE(outbox.at(0).toObject().value(QStringLiteral("outbox_state")).toString(), QStringLiteral("refused"));
        QVERIFY(outbox.at(0).toObject().value(QStringLiteral("reason")).toString().contains(QStringLiteral("consent")));
        r = runCli(m_server, profile(QStringLiteral("rob-fresh")), fresh, QStringLiteral("pw-for-tests-1"), {QStringLiteral("sync")});
        QCOMPARE(r.exitCode, 0); // not retried, not failing later commands
        QCOMPARE(object(r.out).value(QStringLiteral("waiting")).toInt(), 1);
    }

    void leadReleasesReceptionEarly()
    {
        // Observed now, in a half-termly class: withheld from Cal's family until released.
        CliResult r = cli(QStringLiteral("rob.reception"), {QStringLiteral("observe"), QStringLiteral("--child"),
                                                             QStringLiteral("C003"), QStringLiteral("--text"),
                                                             QStringLiteral("Cal read a whole book"),
                                                             QStringLiteral("--note"), QStringLiteral("STAFF-ONLY")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QString id = object(r.out).value(QStringLiteral("id")).toString();
        QCOMPARE(cli(QStringLiteral("sam.brown"), {QStringLiteral("sync")}).exitCode, 0);
        QVERIFY(find(QStringLiteral("sam.brown"), id).isEmpty());

        // A practitioner may not release; the lead may.
        r = cli(QStringLiteral("rob.reception"), {QStringLiteral("release"), QStringLiteral("Reception")});
        QCOMPARE(r.exitCode, 6);
        r = cli(QStringLiteral("lee.lead"), {QStringLiteral("release"), QStringLiteral("Reception")});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(cli(QStringLiteral("sam.brown"), {QStringLiteral("sync")}).exitCode, 0);
        const QJsonObject seen = find(QStringLiteral("sam.brown"), id);
        QCOMPARE(seen.value(QStringLiteral("text")).toString(), QStringLiteral("Cal read a whole book"));
        QVERIFY(!seen.contains(QStringLiteral("note")));

        // The audit log records who released what.
        const QByteArray audit = m_server.admin({QStringLiteral("audit")});
        QVERIFY(audit.contains("\"action\":\"release\""));
        QVERIFY(audit.contains("lee.lead"));
    }

    static QString pdfText(const QString &pdf)
    {
        QProcess p;
        p.start(QStringLiteral("pdftotext"), { pdf, QStringLiteral("-") });
        p.waitForFinished(60000);
        // NFKC: ligatures (U+FB01 "fi") back to letters.
        return QString::fromUtf8(p.readAllStandardOutput())
            .normalized(QString::NormalizationForm_KC)
            .simplified();
    }

    static int pdfImages(const QString &pdf)
    {
        QProcess p;
        p.start(QStringLiteral("pdfimages"), { QStringLiteral("-list"), pdf });
        p.waitForFinished(60000);
        return static_cast<int>(QString::fromUtf8(p.readAllStandardOutput())
                                    .split(QLatin1Char('\n'), Qt::SkipEmptyParts)
                                    .size())
            - 2;
    }

    // acorn-cli report: the journal book, the child's summary and the class summary as PDFs,
    // from a lead's fresh profile (synced, thumbnails fetched) and offline from the cache.
    void reportsArePrinted()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("pdftotext")).isEmpty()
            || QStandardPaths::findExecutable(QStringLiteral("pdfimages")).isEmpty())
            QSKIP("poppler-utils is not installed: the PDFs cannot be checked");
        QImage img(320, 240, QImage::Format_RGB32);
        img.fill(Qt::darkCyan);
        const QString photo = m_server.scratch() + QStringLiteral("/cyan.jpg");
        QVERIFY(img.save(photo));
        const QString nina = QStringLiteral("nina.nursery");
        const auto observe = [&](const QString &child, const QString &text, const QString &at,
                                 const QStringList &more) {
            const CliResult r = cli(nina,
                QStringList { QStringLiteral("observe"), QStringLiteral("--child"), child,
                    QStringLiteral("--text"), text, QStringLiteral("--observed-at"), at }
                    + more);
            QVERIFY2(r.exitCode == 0, r.err.constData());
        };
        observe(QStringLiteral("C001"), QStringLiteral("BOOK first: Ava painted a sunflower"),
            QStringLiteral("2026-09-10T10:00:00"),
            { QStringLiteral("--photo"), photo, QStringLiteral("--tag"), QStringLiteral("EAD"),
                QStringLiteral("--note"), QStringLiteral("BOOKNOTE staff only") });
        observe(QStringLiteral("C001"), QStringLiteral("BOOK second: Ava counted conkers"),
            QStringLiteral("2026-10-01T11:00:00"),
            { QStringLiteral("--tag"), QStringLiteral("M") });
        observe(QStringLiteral("C002"), QStringLiteral("BOOK Ben alone at the sand tray"),
            QStringLiteral("2026-09-20T09:30:00"), {});
        // Ben's family has not agreed to his image in other journals: text yes, photo no.
        const CliResult group = cli(nina,
            { QStringLiteral("observe"), QStringLiteral("--child"), QStringLiteral("C001"),
                QStringLiteral("--child"), QStringLiteral("C002"), QStringLiteral("--text"),
                QStringLiteral("BOOK together: a den for two"), QStringLiteral("--observed-at"),
                QStringLiteral("2026-09-15T14:00:00"), QStringLiteral("--photo"), photo });
        QVERIFY2(group.exitCode == 0, group.err.constData());

        const QString out = m_server.scratch() + QStringLiteral("/reports");
        QVERIFY(QDir().mkpath(out));
        const QString lead = QStringLiteral("lee.lead");
        // The journal book, from a profile that has never synced.
        const QString book = out + QStringLiteral("/ava.pdf");
        CliResult r = cli(lead,
            { QStringLiteral("report"), QStringLiteral("journal"), QStringLiteral("--child"),
                QStringLiteral("C001"), QStringLiteral("--from"), QStringLiteral("2026-09-01"),
                QStringLiteral("--to"), QStringLiteral("2026-12-31"), QStringLiteral("--out"),
                book });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(object(r.out).value(QStringLiteral("entries")).toInt(), 3);
        QCOMPARE(object(r.out).value(QStringLiteral("pages")).toInt(), 1);
        QString text = pdfText(book);
        QVERIFY2(text.contains(QStringLiteral("Ava Brown's learning journal")), qPrintable(text));
        const qsizetype first = text.indexOf(QStringLiteral("BOOK first: Ava painted a sunflower"));
        const qsizetype together = text.indexOf(QStringLiteral("BOOK together: a den for two"));
        const qsizetype second = text.indexOf(QStringLiteral("BOOK second: Ava counted conkers"));
        QVERIFY2(first >= 0 && together > first && second > together, qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("includes another child")));
        QVERIFY(!text.contains(QStringLiteral("Ben alone")));
        QVERIFY(!text.contains(QStringLiteral("BOOKNOTE")));
        QCOMPARE(pdfImages(book), 1); // Ava's own photo, fetched from the server
        // A shorter range.
        r = cli(lead,
            { QStringLiteral("report"), QStringLiteral("journal"), QStringLiteral("--child"),
                QStringLiteral("C001"), QStringLiteral("--from"), QStringLiteral("2026-09-12"),
                QStringLiteral("--offline"), QStringLiteral("--out"), book });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        text = pdfText(book);
        QVERIFY(!text.contains(QStringLiteral("BOOK first")));
        QVERIFY(text.contains(QStringLiteral("BOOK second")));

        // The class summary and the child's summary for Autumn 1, offline from the cache.
        const QString cls = out + QStringLiteral("/nursery.pdf");
        r = cli(lead,
            { QStringLiteral("report"), QStringLiteral("class"), QStringLiteral("Nursery"),
                QStringLiteral("--half-term"), QStringLiteral("2026-10-23"),
                QStringLiteral("--offline"), QStringLiteral("--out"), cls });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        text = pdfText(cls);
        QVERIFY2(
            text.contains(QStringLiteral("Nursery: Autumn 1 tracking summary")), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("Ava Brown"))
            && text.contains(QStringLiteral("Ben Okafor")));
        QVERIFY(!text.contains(QStringLiteral("Cal Brown"))); // Reception
        const QString summary = out + QStringLiteral("/ava-summary.pdf");
        r = cli(lead,
            { QStringLiteral("report"), QStringLiteral("summary"), QStringLiteral("--child"),
                QStringLiteral("C001"), QStringLiteral("--half-term"), QStringLiteral("2026-10-23"),
                QStringLiteral("--offline"), QStringLiteral("--out"), summary });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        text = pdfText(summary);
        QVERIFY2(text.contains(QStringLiteral("Ava Brown: summary of learning")), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("Autumn 1")));
        QVERIFY(!text.contains(QStringLiteral("Autumn 2")));

        // Mistakes are usage errors or clear refusals.
        QCOMPARE(cli(lead,
                     { QStringLiteral("report"), QStringLiteral("journal"), QStringLiteral("--out"),
                         book })
                     .exitCode,
            2);
        QCOMPARE(cli(lead,
                     { QStringLiteral("report"), QStringLiteral("poster"), QStringLiteral("--out"),
                         book })
                     .exitCode,
            2);
        r = cli(lead,
            { QStringLiteral("report"), QStringLiteral("journal"), QStringLiteral("--child"),
                QStringLiteral("C999"), QStringLiteral("--offline"), QStringLiteral("--out"),
                book });
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("C999"));
        QVERIFY(!QFileInfo::exists(book)); // no stale report left to pass for a new one
        r = cli(lead,
            { QStringLiteral("report"), QStringLiteral("class"), QStringLiteral("Nursery"),
                QStringLiteral("--half-term"), QStringLiteral("2031-01-01"),
                QStringLiteral("--offline"), QStringLiteral("--out"), cls });
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("2031-01-01"));
    }

    // acorn-cli assess: a judgement reaches the server, amends the synced one, shows in the
    // printed summary; one the item's scale does not have is refused with the reason.
    void judgementsAreRecorded()
    {
        const QString lead = QStringLiteral("lee.lead");
        const QStringList base { QStringLiteral("assess"), QStringLiteral("--child"),
            QStringLiteral("C001"), QStringLiteral("--item"), QStringLiteral("M-DM-34"),
            QStringLiteral("--half-term"), QStringLiteral("2026-10-23") };
        CliResult r = cli(
            lead, base + QStringList { QStringLiteral("--judgement"), QStringLiteral("on-track") });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(
            object(r.out).value(QStringLiteral("state")).toString(), QStringLiteral("accepted"));
        // An amendment, based on the revision this device now holds (no conflict).
        r = cli(
            lead, base + QStringList { QStringLiteral("--judgement"), QStringLiteral("secure") });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(
            object(r.out).value(QStringLiteral("state")).toString(), QStringLiteral("accepted"));
        r = cli(lead,
            base + QStringList { QStringLiteral("--judgement"), QStringLiteral("brilliant") });
        QCOMPARE(r.exitCode, 6);
        QVERIFY2(r.err.contains("brilliant"), r.err.constData());
        QCOMPARE(
            cli(lead,
                { QStringLiteral("assess"), QStringLiteral("--child"), QStringLiteral("C001") })
                .exitCode,
            2);

        const QString summary = m_server.scratch() + QStringLiteral("/reports/ava-judged.pdf");
        r = cli(lead,
            { QStringLiteral("report"), QStringLiteral("summary"), QStringLiteral("--child"),
                QStringLiteral("C001"), QStringLiteral("--half-term"), QStringLiteral("2026-10-23"),
                QStringLiteral("--offline"), QStringLiteral("--out"), summary });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(
            pdfText(summary).contains(QStringLiteral("Secure 1")), qPrintable(pdfText(summary)));
    }

    // A damaged local store: acorn-cli says so on standard error, and the observation saved
    // offline is still sent.
    void aDamagedProfileIsRescued()
    {
        const QString user = QStringLiteral("nina.nursery");
        QVERIFY(cli(user, { QStringLiteral("sync") }).exitCode == 0);
        const CliResult saved = cli(user,
            { QStringLiteral("observe"), QStringLiteral("--child"), QStringLiteral("C001"),
                QStringLiteral("--text"), QStringLiteral("saved before the damage"),
                QStringLiteral("--offline") });
        QCOMPARE(saved.exitCode, 0);
        const QString id = object(saved.out).value(QStringLiteral("id")).toString();
        QVERIFY(damageTablePage(
            profile(user) + QStringLiteral("/acorn.db"), QStringLiteral("observations")));
        const CliResult outbox = cli(user, { QStringLiteral("outbox") });
        QCOMPARE(outbox.exitCode, 0);
        QVERIFY2(outbox.err.contains("was damaged") && outbox.err.contains("1 unsent observation"),
            outbox.err.constData());
        QCOMPARE(array(outbox.out).size(), 1);
        QCOMPARE(array(outbox.out)[0].toObject().value(QStringLiteral("id")).toString(), id);
        QCOMPARE(cli(user, { QStringLiteral("sync") }).exitCode, 0);
        QCOMPARE(find(user, id).value(QStringLiteral("text")).toString(),
            QStringLiteral("saved before the damage"));
        QVERIFY(!cli(user, { QStringLiteral("outbox") }).err.contains("damaged")); // told once
    }

    void disabledAccountIsLockedOut()
    {
        bool ok = false;
        m_server.admin({QStringLiteral("user"), QStringLiteral("disable"), QStringLiteral("sam.brown")}, &ok);
        QVERIFY(ok);
        const CliResult r = cli(QStringLiteral("sam.brown"), {QStringLiteral("sync")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY(r.err.contains("member of staff"));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
