#pragma once

// The two importers' fuzz targets share this: a school database in memory, reset from
// scratch every few hundred inputs so that it stays small, and the invariant both importers
// promise: an import that succeeded, run again, succeeds and creates nothing.

#include "clock.h"
#include "fuzzsupport.h"
#include "schoolimporter.h"
#include "serverstore.h"
#include "testserver.h"

#include <QDateTime>
#include <QFile>

#include <functional>
#include <memory>

namespace acorn::fuzz {

class ImportWorld
{
public:
    using Import = std::function<Result<server::SchoolImporter::Outcome>(
        server::ServerStore &, const server::Clock &)>;

    ImportWorld()
        : m_clock(QDateTime(QDate(2026, 9, 10), QTime(9, 0), Qt::UTC).toMSecsSinceEpoch())
    {
        reset();
    }

    void run(const Import &import)
    {
        if (++m_inputs % 300 == 0)
            reset();
        const auto first = import(*m_store, m_clock);
        if (!first) {
            ACORN_FUZZ_CHECK(!first.error().isEmpty(), "a refused import without a reason");
            return;
        }
        const auto again = import(*m_store, m_clock);
        if (!again)
            std::fprintf(
                stderr, "acorn fuzz: second import refused: %s\n", qPrintable(again.error()));
        ACORN_FUZZ_CHECK(again.ok(), "an import that succeeded is refused the second time");
        ACORN_FUZZ_CHECK(
            again->createdAccounts.isEmpty(), "a second import created accounts again");
    }

private:
    void reset()
    {
        m_store.reset();
        const QString path = scratchDir() + QStringLiteral("/school.db");
        for (const QString &suffix : { QString(), QStringLiteral("-wal"), QStringLiteral("-shm") })
            QFile::remove(path + suffix);
        auto store = server::ServerStore::openSqlite(path, true);
        ACORN_FUZZ_CHECK(store.ok(), "cannot open the database");
        m_store = std::move(store).value();
        server::SchoolImporter importer(*m_store, m_clock);
        ACORN_FUZZ_CHECK(
            importer.importJson(acorn::test::smallSchoolJson(), QStringLiteral("fuzz")).ok(),
            "the base school does not import");
    }

    server::ManualClock m_clock;
    std::unique_ptr<server::ServerStore> m_store;
    int m_inputs = 0;
};

} // namespace acorn::fuzz
