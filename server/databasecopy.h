#pragma once

#include "result.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace acorn::server {

class ServerStore;

// Copies a SQLite school into an empty PostgreSQL database (admin migrate-to-postgresql):
// every table, in foreign-key order, ids and all, in one transaction on the target, from
// one consistent snapshot of the source. The copy is proved before it is committed: each
// table's row count and a SHA-256 over its rows must be the same on both sides. The
// checksum hashes each row (its values in column order, NULL told apart from '') and then
// the sorted row digests, so it does not depend on either database's row order or
// collation. Nothing is written to the target unless every table matches.
class DatabaseCopy
{
public:
    struct Table
    {
        QString name;
        qint64 rows = 0;
        QString sha256;
    };
    struct Report
    {
        QString from, to;
        QList<Table> tables;
        qint64 totalRows() const;
        QJsonObject toJson() const;
    };

    // `from` must be a SQLite school at the latest schema version; `to` a database with
    // the same schema and no school in it (ServerStore::open(..., create = true) on an
    // empty database). `actor` is recorded in the target's audit log.
    static Result<Report> copy(ServerStore &from, ServerStore &to, const QString &actor, qint64 now);
};

} // namespace acorn::server
