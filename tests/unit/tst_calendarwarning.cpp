// Unit test for the server's calendar warning: when staff publish an observation of a
// half-termly class dated after the calendar's last half term, it stays withheld from
// parents, and the server tells the IT manager (once per push, with no personal data) that
// the calendar needs extending. Drives the real SyncService with wire frames.

#include "clock.h"
#include "crypto.h"
#include "mediastore.h"
#include "schoolimporter.h"
#include "serverstore.h"
#include "syncservice.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace acorn;
using namespace acorn::server;

namespace {

constexpr qint64 kStartMs = 1759312800000; // 2025-10-01T10:00:00Z
const QString kPassword = QStringLiteral("correct horse battery");

const QByteArray kSchoolJson = R"({
  "school": {"name": "Oak Tree Primary"},
  "calendar": [
    {"name": "Autumn 1", "first_day": "2025-09-03", "last_day": "2025-10-24"},
    {"name": "Autumn 2", "first_day": "2025-11-03", "last_day": "2025-12-19"}
  ],
  "classes": [{"name": "Nursery", "release": "live"}, {"name": "Reception", "release": "half-term"}],
  "staff": [{"username": "lead", "name": "Lead Teacher", "role": "lead"}],
  "children": [
    {"ref": "N001", "first_name": "Ava", "last_name": "Stone", "date_of_birth": "2022-02-02",
     "class": "Nursery", "family": "F1", "consent": {"journal_media": true, "others_journals": true}},
    {"ref": "R001", "first_name": "Leo", "last_name": "Hart", "date_of_birth": "2020-10-10",
     "class": "Reception", "family": "F2", "consent": {"journal_media": true, "others_journals": true}}
  ]
})";

qint64 ms(const char *isoUtc)
{
    return QDateTime::fromString(QString::fromLatin1(isoUtc), Qt::ISODate).toMSecsSinceEpoch();
}

wire::PushItem item(const char *childRef, qint64 observedAt, wire::ObservationState state)
{
    wire::PushItem it;
    wire::Observation *o = it.mutable_observation();
    o->set_id(QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString());
    o->set_observed_at_ms(observedAt);
    o->add_child_refs(childRef);
    o->set_text("Counted to twenty");
    o->set_state(state);
    it.set_base_revision(0);
    it.set_change_id(QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString());
    return it;
}

} // namespace

class TestCalendarWarning : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<ServerStore> m_store;
    std::unique_ptr<MediaStore> m_media;
    std::unique_ptr<SyncService> m_service;
    ConnectionState m_state;
    QObject m_guard;
    QList<wire::Frame> m_replies;
    quint64 m_nextRequest = 1;

    wire::Frame call(wire::Frame frame)
    {
        frame.set_request_id(m_nextRequest++);
        const qsizetype before = m_replies.size();
        m_service->handle(
            m_state, frame, [this](const wire::Frame &f) { m_replies.append(f); }, &m_guard);
        if (!QTest::qWaitFor([&] { return m_replies.size() > before; }, 30000))
            return {};
        return m_replies.last();
    }

    // Pushes the items and returns how many were accepted.
    int push(const QList<wire::PushItem> &items)
    {
        wire::Frame f;
        for (const wire::PushItem &i : items)
            *f.mutable_push()->add_items() = i;
        const wire::Frame reply = call(f);
        int accepted = 0;
        for (const wire::PushResult &r : reply.push_reply().results())
            accepted += r.outcome() == wire::PushResult::ACCEPTED ? 1 : 0;
        return accepted;
    }

    void failOnCalendarWarning()
    {
        QTest::failOnWarning(QRegularExpression(QStringLiteral("calendar")));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_clock = std::make_unique<ManualClock>(kStartMs);
        auto store = ServerStore::openSqlite(m_dir.filePath(QStringLiteral("acorn.sqlite")), true);
        QVERIFY2(store, qPrintable(store.error()));
        m_store = std::move(store).value();
        SchoolImporter importer(*m_store, *m_clock);
        const auto imported = importer.importJson(kSchoolJson, QStringLiteral("admin:test"));
        QVERIFY2(imported, qPrintable(imported.error()));
        // Cheap scrypt parameters: verifyPassword reads them from the hash.
        const auto hash = crypto::hashPassword(kPassword, crypto::ScryptParams { 10, 8, 1 });
        QVERIFY(hash);
        QVERIFY(m_store->setPassword(
            m_store->userByUsername(QStringLiteral("lead"))->id, hash.value()));
        m_media = std::make_unique<MediaStore>(m_dir.filePath(QStringLiteral("media")));
        QVERIFY(m_media->ensureLayout());
        m_service = std::make_unique<SyncService>(*m_store, *m_media, *m_clock);
        m_service->setPasswordParams({ 10, 8, 1 }); // as the account's hash: it is not replaced

        wire::Frame hello;
        hello.mutable_hello()->set_protocol_version(1);
        hello.mutable_hello()->set_client_kind(wire::CLIENT_KIND_CLI);
        QVERIFY(call(hello).has_hello_reply());
        wire::Frame login;
        login.mutable_login()->set_username("lead");
        login.mutable_login()->set_password(kPassword.toStdString());
        login.mutable_login()->set_device_name("test");
        QVERIFY(call(login).has_login_reply());
    }

    void withinTheCalendarNoWarning()
    {
        failOnCalendarWarning();
        QCOMPARE(push({ item("R001", ms("2025-12-01T10:00:00Z"), wire::PUBLISHED) }), 1);
    }

    void liveClassOrDraftNoWarning()
    {
        failOnCalendarWarning();
        QCOMPARE(push({ item("N001", ms("2026-01-12T10:00:00Z"), wire::PUBLISHED),
                     item("R001", ms("2026-01-12T10:00:00Z"), wire::DRAFT) }),
            2);
    }

    void beyondTheCalendarWarnsOncePerPush()
    {
        QTest::ignoreMessage(QtWarningMsg,
            QRegularExpression(QStringLiteral("falls after the last half term of the school "
                                              "calendar \\(ends 2025-12-19\\)")));
        // A second warning in the same push would not be ignored and would fail the test.
        failOnCalendarWarning();
        QCOMPARE(push({ item("R001", ms("2026-01-12T10:00:00Z"), wire::PUBLISHED),
                     item("R001", ms("2026-01-13T10:00:00Z"), wire::PUBLISHED) }),
            2);
    }

    void warningNamesNoChild()
    {
        // The warning carries ids and dates only.
        QTest::ignoreMessage(QtWarningMsg,
            QRegularExpression(QStringLiteral("^(?!.*(Leo|Hart|Counted)).*falls "
                                              "after the last half term")));
        QCOMPARE(push({ item("R001", ms("2026-02-01T10:00:00Z"), wire::PUBLISHED) }), 1);
    }
};

QTEST_GUILESS_MAIN(TestCalendarWarning)
#include "tst_calendarwarning.moc"
