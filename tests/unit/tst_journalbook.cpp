#include "eyfstags.h"
#include "journalbook.h"

#include <QColor>
#include <QImage>
#include <QPainter>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <random>

using acorn::client::EyfsTags;
using acorn::client::JournalBook;
using namespace acorn;

// A child's journal book PDF for a generated school year: opened with pdfinfo, pdftotext and
// pdfimages and compared with the data. Budget: a year of 190 observations with photos in at
// most 40 pages, every entry's date and text in order, nothing of another child's, no staff
// note, no draft, no deleted observation, and exactly the thumbnails the rules allow.
class TestJournalBook : public QObject
{
    Q_OBJECT

    const QTimeZone london { "Europe/London" };
    QTemporaryDir m_dir;
    QHash<QString, QString> m_thumbs; // media id -> file
    bool m_thumbFailed = false;

    static QString run(const QString &program, const QStringList &args)
    {
        QProcess p;
        p.start(program, args);
        if (!p.waitForFinished(120000) || p.exitCode() != 0)
            return {};
        return QString::fromUtf8(p.readAllStandardOutput());
    }

    static QString normalised(QString text)
    {
        text = text.normalized(QString::NormalizationForm_KC); // ligatures back to letters
        return text.simplified();
    }

    static int pageCount(const QString &pdf)
    {
        const QRegularExpressionMatch m = QRegularExpression(
            QStringLiteral("^Pages:\\s+(\\d+)"), QRegularExpression::MultilineOption)
                                              .match(run(QStringLiteral("pdfinfo"), { pdf }));
        return m.hasMatch() ? m.captured(1).toInt() : -1;
    }

    // A real JPEG thumbnail (320 x 240 or 240 x 320), different for every media item.
    QString makeThumbnail(const QString &id, QRandomGenerator &rng)
    {
        const bool portrait = rng.bounded(4) == 0;
        QImage image(portrait ? 240 : 320, portrait ? 320 : 240, QImage::Format_RGB32);
        image.fill(QColor::fromHsv(static_cast<int>(rng.bounded(360)), 120, 220));
        QPainter p(&image);
        for (int i = 0; i < 12; ++i) {
            p.setBrush(QColor::fromHsv(static_cast<int>(rng.bounded(360)), 200, 180));
            p.drawEllipse(static_cast<int>(rng.bounded(image.width())),
                static_cast<int>(rng.bounded(image.height())), 40, 40);
        }
        p.end();
        const QString path = m_dir.filePath(id + QStringLiteral(".thumb.jpg"));
        if (!image.save(path, "JPEG", 80))
            return {};
        m_thumbs.insert(id, path);
        return path;
    }

    wire::Child child(const char *ref, const char *first, const char *last, bool others)
    {
        wire::Child c;
        c.set_ref(ref);
        c.set_first_name(first);
        c.set_last_name(last);
        c.set_class_name("Reception");
        c.set_consent_journal_media(true);
        c.set_consent_others_journals(others);
        return c;
    }

    QString sentence(QRandomGenerator &rng)
    {
        static const char *words[] = { "Ava", "built", "a", "tall", "tower", "with", "the",
            "wooden", "blocks", "and", "counted", "each", "one", "carefully", "before", "it",
            "toppled", "over", "laughing", "we", "talked", "about", "shapes", "colours", "sand",
            "water", "tray", "outside", "garden", "snail", "story", "painted", "rainbow" };
        QStringList s;
        const int n = 6 + static_cast<int>(rng.bounded(10));
        for (int i = 0; i < n; ++i)
            s.append(QString::fromLatin1(words[rng.bounded(33)]));
        return s.join(QLatin1Char(' ')) + QLatin1Char('.');
    }

    wire::Observation observation(const QString &caption, qint64 at, QStringList refs)
    {
        wire::Observation o;
        o.set_id(caption.section(QLatin1Char(':'), 0, 0).toStdString());
        o.set_observed_at_ms(at);
        o.set_text(caption.toStdString());
        o.set_state(wire::PUBLISHED);
        o.set_revision(1);
        o.set_author_name("Rob Reception");
        o.set_staff_note(QStringLiteral("STAFFNOTE about %1").arg(caption.left(8)).toStdString());
        for (const QString &r : refs)
            o.add_child_refs(r.toStdString());
        return o;
    }

    struct Year
    {
        JournalBook::Input input;
        QList<wire::Observation> expected; // Ava's, oldest first (computed here, independently)
        int thumbnailsPrinted = 0;
        int withheldGroups = 0;
    };

    Year generatedYear(quint32 seed)
    {
        QRandomGenerator rng(seed);
        Year y;
        y.input.child = child("R1", "Ava", "Brown", true);
        y.input.roster = { y.input.child, child("R2", "Ben", "Other", true),
            child("R3", "Cara", "Shy", false) };
        y.input.schoolName = QStringLiteral("Test Primary");
        y.input.from = QDate(2026, 9, 1);
        y.input.to = QDate(2027, 7, 31);
        y.input.zone = london;
        const QList<QString> tags = { QStringLiteral("CL"), QStringLiteral("PSED"),
            QStringLiteral("PD"), QStringLiteral("L"), QStringLiteral("M"), QStringLiteral("UW"),
            QStringLiteral("EAD"), QStringLiteral("COEL-PE"), QStringLiteral("M-ELG-01") };
        const qint64 start = QDateTime(QDate(2026, 9, 2), QTime(9, 0), london).toMSecsSinceEpoch();
        const qint64 day = 24 * 3600 * 1000;
        QList<wire::Observation> all;
        // Ava's year: 190 observations, each with one to three photos, some with a video.
        for (int i = 0; i < 190; ++i) {
            QString caption = QStringLiteral("Entry %1: ").arg(i, 3, 10, QLatin1Char('0'));
            const int sentences = 1 + static_cast<int>(rng.bounded(4));
            for (int s = 0; s < sentences; ++s)
                caption += sentence(rng) + QLatin1Char(' ');
            if (i == 7)
                caption += QStringLiteral("Mum & Dad said <wow> ");
            QStringList refs { QStringLiteral("R1") };
            if (i % 19 == 5)
                refs.append(QStringLiteral("R2")); // a group observation, both consent
            if (i % 23 == 11)
                refs.append(QStringLiteral("R3")); // with a child who must not appear
            wire::Observation o = observation(caption.trimmed(),
                start + static_cast<qint64>(i) * 330 * day / 190
                    + static_cast<qint64>(rng.bounded(6 * 3600)) * 1000,
                refs);
            for (int t = 0, n = 1 + static_cast<int>(rng.bounded(3)); t < n; ++t)
                o.add_eyfs_tags(tags.at(static_cast<int>(rng.bounded(tags.size()))).toStdString());
            if (rng.bounded(3) == 0)
                o.set_next_steps(
                    QStringLiteral("Next %1: %2").arg(i).arg(sentence(rng)).toStdString());
            const int photos = 1 + static_cast<int>(rng.bounded(3));
            for (int m = 0; m < photos; ++m) {
                wire::Media *media = o.add_media();
                media->set_id(QStringLiteral("m%1-%2").arg(i).arg(m).toStdString());
                media->set_kind(m == 2 && i % 5 == 0 ? wire::VIDEO : wire::PHOTO);
                media->set_available(true);
                if (makeThumbnail(QString::fromStdString(media->id()), rng).isEmpty())
                    m_thumbFailed = true;
            }
            const bool withheld = refs.contains(QStringLiteral("R3"));
            if (withheld)
                ++y.withheldGroups;
            else
                y.thumbnailsPrinted += std::min(photos, JournalBook::kThumbnailsPerEntry);
            all.append(o);
            y.expected.append(o);
        }
        // What must stay out: another child's, drafts, deleted, outside the range.
        for (int i = 0; i < 40; ++i) {
            all.append(observation(QStringLiteral("OTHERCHILD %1: %2").arg(i).arg(sentence(rng)),
                start + i * 7 * day, { QStringLiteral("R2") }));
        }
        wire::Observation draft = observation(
            QStringLiteral("DRAFTENTRY: not finished"), start + 10 * day, { QStringLiteral("R1") });
        draft.set_state(wire::DRAFT);
        wire::Observation deleted = observation(
            QStringLiteral("DELETEDENTRY: removed"), start + 11 * day, { QStringLiteral("R1") });
        deleted.set_deleted(true);
        const wire::Observation before = observation(QStringLiteral("OUTSIDEBEFORE: last year"),
            QDateTime(QDate(2026, 8, 31), QTime(12, 0), london).toMSecsSinceEpoch(),
            { QStringLiteral("R1") });
        const wire::Observation after = observation(QStringLiteral("OUTSIDEAFTER: next year"),
            QDateTime(QDate(2027, 8, 1), QTime(0, 30), london).toMSecsSinceEpoch(),
            { QStringLiteral("R1") });
        all += { draft, deleted, before, after };
        // The cache's order is not the book's.
        std::shuffle(all.begin(), all.end(), std::mt19937(seed));
        y.input.observations = all;
        y.input.thumbnailPath = [this](const wire::Media &m) {
            return m_thumbs.value(QString::fromStdString(m.id()));
        };
        return y;
    }

private slots:
    void initTestCase()
    {
        for (const char *tool : { "pdftotext", "pdfinfo", "pdfimages" }) {
            if (QStandardPaths::findExecutable(QLatin1String(tool)).isEmpty()) {
                if (qEnvironmentVariableIsSet("ACORN_TEST"))
                    QFAIL("pdftotext, pdfinfo and pdfimages (poppler-utils) are needed");
                QSKIP("poppler-utils is not installed: the PDF cannot be checked");
            }
        }
        QVERIFY(m_dir.isValid());
    }

    void aYearFitsTheBudgetAndMatchesTheData()
    {
        const Year y = generatedYear(7);
        QVERIFY(!m_thumbFailed);
        QCOMPARE(y.expected.size(), 190);
        QVERIFY(y.withheldGroups > 0);

        // entries(): the child's published observations in the range, oldest first.
        QList<wire::Observation> expected = y.expected;
        std::sort(expected.begin(), expected.end(),
            [](const auto &a, const auto &b) { return a.observed_at_ms() < b.observed_at_ms(); });
        const QList<wire::Observation> entries = JournalBook::entries(y.input);
        QCOMPARE(entries.size(), expected.size());
        for (qsizetype i = 0; i < entries.size(); ++i)
            QCOMPARE(entries.at(i).id(), expected.at(i).id());

        const QString pdf = m_dir.filePath(QStringLiteral("journal.pdf"));
        const Result<int> written = JournalBook::writePdf(y.input, pdf);
        QVERIFY(written);

        // The budget.
        const int pages = pageCount(pdf);
        QCOMPARE(written.value(), pages);
        qInfo("journal book: %lld observations, %d thumbnails, %d pages, %lld KiB",
            static_cast<long long>(expected.size()), y.thumbnailsPrinted, pages,
            static_cast<long long>(QFileInfo(pdf).size() / 1024));
        QVERIFY2(pages >= 10 && pages <= 40, qPrintable(QString::number(pages)));

        // Every entry's date line and text, in order.
        // The footer of each page may fall inside an entry that runs onto the next page.
        QString text = normalised(run(QStringLiteral("pdftotext"),
            { QStringLiteral("-enc"), QStringLiteral("UTF-8"), pdf, QStringLiteral("-") }));
        const int footers = static_cast<int>(text.count(QRegularExpression(
            QStringLiteral("Ava Brown.s learning journal · page \\d+ of %1 ?").arg(pages))));
        QCOMPARE(footers, pages);
        text.remove(QRegularExpression(
            QStringLiteral("Ava Brown.s learning journal · page \\d+ of %1 ?").arg(pages)));
        QVERIFY(!text.isEmpty());
        QVERIFY(text.contains(QStringLiteral("Ava Brown")));
        QVERIFY(text.contains(QStringLiteral("Test Primary")));
        qsizetype at = 0;
        for (const wire::Observation &o : std::as_const(expected)) {
            const QString date = normalised(JournalBook::dateText(o.observed_at_ms(), london));
            const qsizetype d = text.indexOf(date, at);
            QVERIFY2(d >= 0, qPrintable(QStringLiteral("no date %1 after %2").arg(date).arg(at)));
            const qsizetype c = text.indexOf(normalised(QString::fromStdString(o.text())), d);
            QVERIFY2(c >= 0,
                qPrintable(QStringLiteral("no text after its date: %1\n%2")
                               .arg(QString::fromStdString(o.text()), text.mid(d, 600))));
            at = c;
            if (!o.next_steps().empty())
                QVERIFY(text.indexOf(normalised(QString::fromStdString(o.next_steps())), c) > 0);
        }
        // Tags in plain words, not keys.
        QVERIFY(text.contains(EyfsTags::words(QStringLiteral("CL"))));
        QVERIFY(text.contains(EyfsTags::words(QStringLiteral("COEL-PE"))));
        QVERIFY(!text.contains(QStringLiteral("COEL-PE")));
        // Nothing that is not this child's to read.
        for (const char *absent : { "OTHERCHILD", "STAFFNOTE", "DRAFTENTRY", "DELETEDENTRY",
                 "OUTSIDEBEFORE", "OUTSIDEAFTER", "Cara" }) {
            QVERIFY2(!text.contains(QLatin1String(absent)), absent);
        }
        // The group photos with Cara (no consent to appear in other journals) are not printed,
        // and the book says why.
        QCOMPARE(text.count(QStringLiteral("includes another child")), y.withheldGroups);

        // Exactly the thumbnails the rules allow, as real images.
        const QStringList images
            = run(QStringLiteral("pdfimages"), { QStringLiteral("-list"), pdf })
                  .split(QLatin1Char('\n'), Qt::SkipEmptyParts)
                  .mid(2); // two header lines
        QCOMPARE(images.size(), y.thumbnailsPrinted);
    }

    void missingThumbnailsAndEmptyRangesAreSaid()
    {
        Year y = generatedYear(3);
        y.input.thumbnailPath = [](const wire::Media &) { return QString(); };
        y.input.from = QDate(2026, 9, 1);
        y.input.to = QDate(2026, 9, 30);
        const QString pdf = m_dir.filePath(QStringLiteral("september.pdf"));
        QVERIFY(JournalBook::writePdf(y.input, pdf));
        const QString text
            = normalised(run(QStringLiteral("pdftotext"), { pdf, QStringLiteral("-") }));
        QVERIFY(text.contains(QStringLiteral("not on this device")));
        QVERIFY(!text.contains(QStringLiteral("Entry 189")));
        QCOMPARE(run(QStringLiteral("pdfimages"), { QStringLiteral("-list"), pdf })
                     .split(QLatin1Char('\n'), Qt::SkipEmptyParts)
                     .size(),
            2);

        // A range with nothing in it still makes a (one-page) book saying so.
        y.input.from = QDate(2030, 1, 1);
        y.input.to = QDate(2030, 1, 31);
        const QString empty = m_dir.filePath(QStringLiteral("empty.pdf"));
        QVERIFY(JournalBook::writePdf(y.input, empty));
        QCOMPARE(pageCount(empty), 1);
        QVERIFY(normalised(run(QStringLiteral("pdftotext"), { empty, QStringLiteral("-") }))
                    .contains(QStringLiteral("No observations")));
    }

    void unwritablePathIsReported()
    {
        const Year y = generatedYear(1);
        const Status s = Status::from(
            JournalBook::writePdf(y.input, m_dir.filePath(QStringLiteral("no/such/dir/j.pdf"))));
        QVERIFY(!s.ok());
        QVERIFY(s.error().contains(QStringLiteral("could not be written")));
    }
};

QTEST_MAIN(TestJournalBook)
#include "tst_journalbook.moc"
