#pragma once

// Test support: every row of every table of an SQLite file, as text, so a test can prove
// that a refused operation left the database exactly as it was. Reads through its own
// connection (the store's stays open); test code only, production SQL lives in the stores.

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QString>
#include <QStringList>
#include <QUuid>

namespace acorn::test {

// Table name -> its rows, each row "col=value|col=value", in rowid order. Tables named in
// `skip` are left out (e.g. "audit", which a successful no-op still appends to).
inline QMap<QString, QStringList> databaseSnapshot(
    const QString &path, const QStringList &skip = {})
{
    QMap<QString, QStringList> out;
    const QString name
        = QStringLiteral("snapshot-%1").arg(QUuid::createUuid().toString(QUuid::WithoutBraces));
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        if (!db.open())
            return out;
        QStringList tables;
        QSqlQuery q(db);
        q.exec(QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"));
        while (q.next())
            tables.append(q.value(0).toString());
        for (const QString &table : tables) {
            if (skip.contains(table))
                continue;
            QStringList rows;
            QSqlQuery r(db);
            // Table names come from sqlite_master, not from input.
            r.exec(QStringLiteral("SELECT * FROM \"%1\" ORDER BY rowid").arg(table));
            while (r.next()) {
                QStringList cells;
                const QSqlRecord rec = r.record();
                for (int i = 0; i < rec.count(); ++i)
                    cells.append(rec.fieldName(i) + QLatin1Char('=') + r.value(i).toString());
                rows.append(cells.join(QLatin1Char('|')));
            }
            out.insert(table, rows);
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return out;
}

} // namespace acorn::test
