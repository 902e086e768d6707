#include "testdatabase.h"

#include <QAtomicInt>
#include <QCoreApplication>
#include <QFile>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>

namespace acorn::test {

namespace {
QString fixtureFile(const QString &name)
{
    return qEnvironmentVariable("ACORN_TEST_POSTGRES_DIR") + QLatin1Char('/') + name;
}

QString readFixtureFile(const QString &name)
{
    QFile f(fixtureFile(name));
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()).trimmed() : QString();
}

QAtomicInt s_databases;
} // namespace

bool testsUsePostgres()
{
    return qEnvironmentVariable("ACORN_TEST_DATABASE") == QLatin1String("postgresql");
}

QString postgresUnavailableReason()
{
    if (qEnvironmentVariableIsEmpty("ACORN_TEST_POSTGRES_DIR"))
        return QStringLiteral("ACORN_TEST_POSTGRES_DIR is not set (run the tests through ctest)");
    if (!readFixtureFile(QStringLiteral("url")).isEmpty())
        return {};
    const QString why = readFixtureFile(QStringLiteral("unavailable"));
    return why.isEmpty() ? QStringLiteral("the postgres fixture did not run") : why;
}

QString freshPostgresDatabase(QString *why)
{
    const QString adminUrl = readFixtureFile(QStringLiteral("url"));
    if (adminUrl.isEmpty()) {
        if (why)
            *why = postgresUnavailableReason();
        return {};
    }
    const QUrl url(adminUrl);
    const QString name = QStringLiteral("acorn_t%1_%2_%3")
                             .arg(QCoreApplication::applicationPid())
                             .arg(s_databases.fetchAndAddRelaxed(1))
                             .arg(QRandomGenerator::global()->generate() % 100000);
    const QString connection = QStringLiteral("acorn-test-admin-") + name;
    QString error;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connection);
        db.setHostName(url.host());
        db.setPort(url.port(5432));
        db.setUserName(url.userName());
        db.setDatabaseName(url.path().mid(1));
        if (!db.open()) {
            error = db.lastError().text();
        } else {
            QSqlQuery q(db);
            if (!q.exec(QStringLiteral("CREATE DATABASE ") + name))
                error = q.lastError().text();
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(connection);
    if (!error.isEmpty()) {
        if (why)
            *why = QStringLiteral("cannot create a test database: %1").arg(error);
        return {};
    }
    QUrl made(url);
    made.setPath(QLatin1Char('/') + name);
    return made.toString();
}

QString testDatabaseUrl(const QString &sqlitePath)
{
    if (!testsUsePostgres())
        return QStringLiteral("sqlite:") + sqlitePath;
    QString why;
    const QString url = freshPostgresDatabase(&why);
    if (url.isEmpty())
        qWarning("no PostgreSQL test database: %s", qPrintable(why));
    return url;
}

} // namespace acorn::test
