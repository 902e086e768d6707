#include "databasecopy.h"

#include "crypto.h"
#include "database.h"
#include "serverstore.h"

#include <QHash>
#include <QJsonArray>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

#include <algorithm>

namespace acorn::server {

namespace {

struct Column
{
    QString name;
    bool integerId = false; // "id INTEGER PRIMARY KEY": an identity column in PostgreSQL
};

struct SourceTable
{
    QString name;
    QList<Column> columns;
    QStringList references; // tables this one's foreign keys point at
};

QString quoted(const QString &identifier)
{
    return QLatin1Char('"') + identifier + QLatin1Char('"');
}

// The row's values in column order: length-prefixed bytes, NULL told apart from ''.
QByteArray rowDigest(const QSqlQuery &q, int columns)
{
    crypto::Sha256 h;
    for (int i = 0; i < columns; ++i) {
        if (q.isNull(i)) {
            h.add("N");
            continue;
        }
        const QVariant v = q.value(i);
        const QByteArray bytes = v.metaType().id() == QMetaType::QByteArray ? v.toByteArray() : v.toString().toUtf8();
        h.add("V");
        h.add(QByteArray::number(bytes.size()));
        h.add(":");
        h.add(bytes);
    }
    return h.result();
}

// Count and checksum of `table` (columns in `columns`' order) through `db`.
Result<DatabaseCopy::Table> summarise(QSqlDatabase db, const SourceTable &table)
{
    QStringList names;
    for (const Column &c : table.columns)
        names.append(quoted(c.name));
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT %1 FROM %2").arg(names.join(QStringLiteral(", ")), quoted(table.name))))
        return Result<DatabaseCopy::Table>::failure(
            QStringLiteral("cannot read table %1: %2").arg(table.name, q.lastError().text()));
    QList<QByteArray> digests;
    while (q.next())
        digests.append(rowDigest(q, static_cast<int>(table.columns.size())));
    std::sort(digests.begin(), digests.end());
    crypto::Sha256 all;
    for (const QByteArray &d : digests)
        all.add(d);
    return DatabaseCopy::Table{table.name, digests.size(), QString::fromLatin1(all.result().toHex())};
}

// The source's tables and columns, parents before the tables that refer to them.
Result<QList<SourceTable>> sourceTables(QSqlDatabase db)
{
    using R = Result<QList<SourceTable>>;
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' "
                               "AND name NOT LIKE 'sqlite_%' ORDER BY name")))
        return R::failure(QStringLiteral("cannot list the tables: %1").arg(q.lastError().text()));
    QStringList names;
    while (q.next())
        names.append(q.value(0).toString());
    QHash<QString, SourceTable> byName;
    for (const QString &name : names) {
        SourceTable t;
        t.name = name;
        if (!q.exec(QStringLiteral("PRAGMA table_info(%1)").arg(quoted(name))))
            return R::failure(QStringLiteral("cannot read table %1: %2").arg(name, q.lastError().text()));
        // cid, name, type, notnull, dflt_value, pk
        QList<Column> columns;
        while (q.next()) {
            Column c;
            c.name = q.value(1).toString();
            c.integerId = c.name == QLatin1String("id") && q.value(2).toString().toUpper() == QLatin1String("INTEGER")
                          && q.value(5).toInt() == 1;
            columns.append(c);
        }
        t.columns = columns;
        if (!q.exec(QStringLiteral("PRAGMA foreign_key_list(%1)").arg(quoted(name))))
            return R::failure(QStringLiteral("cannot read table %1: %2").arg(name, q.lastError().text()));
        while (q.next()) {
            const QString parent = q.value(2).toString();
            if (parent != name && !t.references.contains(parent))
                t.references.append(parent);
        }
        byName.insert(name, t);
    }
    QList<SourceTable> ordered;
    QSet<QString> placed;
    while (ordered.size() < names.size()) {
        bool progress = false;
        for (const QString &name : names) {
            if (placed.contains(name))
                continue;
            const SourceTable &t = byName[name];
            if (std::all_of(t.references.cbegin(), t.references.cend(),
                            [&](const QString &p) { return placed.contains(p) || !byName.contains(p); })) {
                ordered.append(t);
                placed.insert(name);
                progress = true;
            }
        }
        if (!progress)
            return R::failure(QStringLiteral("the tables' foreign keys form a cycle"));
    }
    return ordered;
}

} // namespace

qint64 DatabaseCopy::Report::totalRows() const
{
    qint64 n = 0;
    for (const Table &t : tables)
        n += t.rows;
    return n;
}

QJsonObject DatabaseCopy::Report::toJson() const
{
    QJsonArray list;
    for (const Table &t : tables)
        list.append(QJsonObject{{QStringLiteral("table"), t.name},
                                {QStringLiteral("rows"), t.rows},
                                {QStringLiteral("sha256"), t.sha256}});
    return {{QStringLiteral("from"), from},
            {QStringLiteral("to"), to},
            {QStringLiteral("rows"), totalRows()},
            {QStringLiteral("tables"), list},
            {QStringLiteral("verified"), true}};
}

Result<DatabaseCopy::Report> DatabaseCopy::copy(ServerStore &from, ServerStore &to, const QString &actor, qint64 now)
{
    using R = Result<Report>;
    if (from.dialect() != SqlDialect::Sqlite)
        return R::failure(QStringLiteral("only a SQLite school can be copied this way"));
    if (from.schemaVersion() != to.schemaVersion())
        return R::failure(QStringLiteral("the two databases have different schema versions (%1 and %2)")
                              .arg(from.schemaVersion())
                              .arg(to.schemaVersion()));
    QSqlDatabase src = from.m_database->db();
    QSqlDatabase dst = to.m_database->db();

    ServerStore::Transaction reading(from, ServerStore::Transaction::Mode::Snapshot);
    if (!reading.ok())
        return R::failure(QStringLiteral("cannot read the SQLite school: %1").arg(from.lastError()));
    const auto tables = sourceTables(src);
    if (!tables)
        return R::failure(tables.error());

    ServerStore::Transaction writing(to, ServerStore::Transaction::Mode::Immediate);
    if (!writing.ok())
        return R::failure(QStringLiteral("cannot write to the target database: %1").arg(to.lastError()));

    // The target must hold nothing but what a new schema puts in meta.
    for (const SourceTable &t : tables.value()) {
        QSqlQuery q(dst);
        if (!q.exec(QStringLiteral("SELECT COUNT(*) FROM %1").arg(quoted(t.name))) || !q.next())
            return R::failure(QStringLiteral("the target database has no table %1 (%2): is it an Acorn database "
                                             "of the same version?")
                                  .arg(t.name, q.lastError().text()));
        if (t.name != QLatin1String("meta") && q.value(0).toLongLong() > 0)
            return R::failure(QStringLiteral("the target database already holds a school (table %1 has rows); "
                                             "copy into a new, empty database")
                                  .arg(t.name));
    }
    {
        QSqlQuery q(dst);
        if (!q.exec(QStringLiteral("DELETE FROM meta")))
            return R::failure(QStringLiteral("cannot prepare the target: %1").arg(q.lastError().text()));
    }

    Report report;
    for (const SourceTable &t : tables.value()) {
        QStringList names, marks;
        for (const Column &c : t.columns) {
            names.append(quoted(c.name));
            marks.append(QStringLiteral("?"));
        }
        QSqlQuery read(src);
        read.setForwardOnly(true);
        if (!read.exec(QStringLiteral("SELECT %1 FROM %2").arg(names.join(QStringLiteral(", ")), quoted(t.name))))
            return R::failure(QStringLiteral("cannot read table %1: %2").arg(t.name, read.lastError().text()));
        QSqlQuery write(dst);
        if (!write.prepare(QStringLiteral("INSERT INTO %1 (%2) VALUES (%3)")
                               .arg(quoted(t.name), names.join(QStringLiteral(", ")), marks.join(QStringLiteral(", ")))))
            return R::failure(QStringLiteral("cannot write table %1: %2").arg(t.name, write.lastError().text()));
        while (read.next()) {
            for (int i = 0; i < t.columns.size(); ++i)
                write.bindValue(i, read.isNull(i) ? QVariant() : read.value(i));
            if (!write.exec())
                return R::failure(QStringLiteral("cannot copy a row of table %1: %2").arg(t.name, write.lastError().text()));
        }
        const auto source = summarise(src, t);
        if (!source)
            return R::failure(source.error());
        const auto copied = summarise(dst, t);
        if (!copied)
            return R::failure(copied.error());
        if (source->rows != copied->rows || source->sha256 != copied->sha256)
            return R::failure(QStringLiteral("table %1 did not copy faithfully (%2 rows, SHA-256 %3 in SQLite; %4 rows, "
                                             "%5 in the copy); nothing was written")
                                  .arg(t.name)
                                  .arg(source->rows)
                                  .arg(source->sha256)
                                  .arg(copied->rows)
                                  .arg(copied->sha256));
        report.tables.append(source.value());
        for (const Column &c : t.columns) {
            const QString reset = sqldialect::resetIdSequence(to.dialect(), t.name);
            if (!c.integerId || reset.isEmpty())
                continue;
            QSqlQuery q(dst);
            if (!q.exec(reset))
                return R::failure(QStringLiteral("cannot move table %1's ids on: %2").arg(t.name, q.lastError().text()));
        }
    }
    if (Status s = to.audit(actor, QStringLiteral("admin"), QStringLiteral("migrate-to-postgresql"), QString(),
                            QStringLiteral("%1 tables, %2 rows copied and verified")
                                .arg(report.tables.size())
                                .arg(report.totalRows()),
                            now);
        !s)
        return R::failure(s.error());
    if (Status s = writing.commit(); !s)
        return R::failure(s.error());
    return report;
}

} // namespace acorn::server
