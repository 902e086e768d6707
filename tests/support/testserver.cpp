#include "testserver.h"

#include "datakeystore.h"

#include "testdatabase.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QThread>

namespace acorn::test {

QString TestServer::binary(const QString &name)
{
    const QString dir = qEnvironmentVariable("ACORN_BINARY_DIR");
    return (dir.isEmpty() ? QDir::currentPath() : dir + QStringLiteral("/bin")) + QLatin1Char('/') + name;
}

TestServer::TestServer() = default;

TestServer::~TestServer()
{
    stop();
}

QByteArray TestServer::admin(const QStringList &args, bool *ok, const QByteArray &stdinData)
{
    QProcess p;
    p.start(binary(QStringLiteral("acorn-server")), QStringList{QStringLiteral("admin"), QStringLiteral("--data"), dataDir()} + args);
    p.waitForStarted();
    if (!stdinData.isEmpty())
        p.write(stdinData);
    p.closeWriteChannel();
    p.waitForFinished(60000);
    if (ok)
        *ok = p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    if (p.exitCode() != 0)
        qWarning("admin %s failed: %s", qPrintable(args.join(QLatin1Char(' '))), p.readAllStandardError().constData());
    return p.readAllStandardOutput();
}

bool TestServer::init(const QByteArray &schoolJson)
{
    if (!m_dir.isValid())
        return false;
    QStringList args{QStringLiteral("init"), QStringLiteral("--data"), dataDir(), QStringLiteral("--host"),
                     QStringLiteral("localhost"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")};
    if (!m_databaseUrl.isEmpty()) {
        args << QStringLiteral("--database") << m_databaseUrl;
    } else if (testsUsePostgres()) {
        QString why;
        const QString url = freshPostgresDatabase(&why);
        if (url.isEmpty()) {
            qWarning("no PostgreSQL database for the test server: %s", qPrintable(why));
            return false;
        }
        args << QStringLiteral("--database") << url;
    }
    QProcess p;
    p.start(binary(QStringLiteral("acorn-server")), args);
    if (!p.waitForFinished(60000) || p.exitCode() != 0) {
        qWarning("init failed: %s", p.readAllStandardError().constData());
        return false;
    }
    const QStringList lines = QString::fromUtf8(p.readAllStandardOutput()).split(QLatin1Char('\n'));
    static const QRegularExpression hex64(QStringLiteral("^[0-9a-f]{64}$"));
    for (const QString &l : lines) {
        if (hex64.match(l.trimmed()).hasMatch())
            m_fingerprint = l.trimmed();
    }
    if (m_fingerprint.isEmpty())
        return false;
    const QString file = m_dir.path() + QStringLiteral("/school.json");
    QFile f(file);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    f.write(schoolJson);
    f.close();
    bool ok = false;
    m_importOutput = admin({QStringLiteral("import-school"), file}, &ok);
    return ok;
}

QJsonObject TestServer::activationCodes() const
{
    return QJsonDocument::fromJson(m_importOutput).object().value(QStringLiteral("activation_codes")).toObject();
}

bool TestServer::setPassword(const QString &username, const QString &password)
{
    bool ok = false;
    admin({QStringLiteral("set-password"), username}, &ok, password.toUtf8() + '\n');
    return ok;
}

namespace {
// Starts `acorn-server run` on `dataDir` at 127.0.0.1:`port` (0: any) and waits until it
// listens; returns its port, 0 when it did not start.
quint16 launchServer(QProcess &process, const QString &dataDir, quint16 port, QByteArray &log)
{
    process.setProcessChannelMode(QProcess::SeparateChannels);
    const QStringList args{QStringLiteral("run"), QStringLiteral("--data"), dataDir, QStringLiteral("--listen"),
                           port ? QStringLiteral("127.0.0.1:%1").arg(port) : QStringLiteral("127.0.0.1:0")};
    process.start(TestServer::binary(QStringLiteral("acorn-server")), args);
    if (!process.waitForStarted(10000))
        return 0;
    static const QRegularExpression re(QStringLiteral("listening on 127\\.0\\.0\\.1:(\\d+)"));
    QElapsedTimer t;
    t.start();
    QByteArray out;
    while (t.elapsed() < 30000) {
        process.waitForReadyRead(200);
        out += process.readAllStandardOutput();
        log += process.readAllStandardError();
        const auto m = re.match(QString::fromUtf8(out));
        if (m.hasMatch())
            return static_cast<quint16>(m.captured(1).toUInt());
        if (process.state() == QProcess::NotRunning)
            break;
    }
    qWarning("server did not start: %s %s", out.constData(), log.constData());
    return 0;
}

void stopServer(std::unique_ptr<QProcess> &process, QByteArray &log)
{
    if (!process)
        return;
    if (process->state() != QProcess::NotRunning) {
        process->terminate();
        if (!process->waitForFinished(15000))
            process->kill();
        process->waitForFinished(5000);
    }
    log += process->readAllStandardError();
    process.reset();
}
} // namespace

bool TestServer::start()
{
    m_process = std::make_unique<QProcess>();
    const quint16 port = launchServer(*m_process, dataDir(), m_port, m_log);
    if (port)
        m_port = port;
    return port != 0;
}

quint16 TestServer::startAnotherProcess()
{
    auto process = std::make_unique<QProcess>();
    const quint16 port = launchServer(*process, dataDir(), 0, m_log);
    if (port)
        m_others.push_back(std::move(process));
    return port;
}

void TestServer::stopOtherProcesses()
{
    for (auto &p : m_others)
        stopServer(p, m_log);
    m_others.clear();
}

void TestServer::stop()
{
    stopOtherProcesses();
    stopServer(m_process, m_log);
}

void TestServer::kill()
{
    if (!m_process)
        return;
    m_process->kill();
    m_process->waitForFinished(5000);
    m_log += m_process->readAllStandardError();
    m_process.reset();
}

bool TestServer::isRunning() const
{
    return m_process && m_process->state() == QProcess::Running;
}

qint64 TestServer::pid() const
{
    return isRunning() ? m_process->processId() : 0;
}

QString TestServer::log()
{
    if (m_process) {
        // The pipe is only drained when asked: give the server's last lines a moment.
        for (int i = 0; i < 5 && m_process->waitForReadyRead(100);)
            ++i;
        m_log += m_process->readAllStandardError();
        m_process->readAllStandardOutput();
    }
    return QString::fromUtf8(m_log);
}

std::unique_ptr<QProcess> startCli(const QString &fingerprint, quint16 port, const QString &profileDir,
                                   const QString &user, const QString &password, const QStringList &command)
{
    auto p = std::make_unique<QProcess>();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("ACORN_PASSWORD"), password);
    p->setProcessEnvironment(env);
    p->start(TestServer::binary(QStringLiteral("acorn-cli")),
             QStringList{QStringLiteral("--profile"), profileDir, QStringLiteral("--server"),
                         QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("--pin"), fingerprint,
                         QStringLiteral("--user"), user}
                 + command);
    p->closeWriteChannel();
    return p;
}

bool waitForProcesses(const QList<QProcess *> &processes, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    auto running = [&] {
        return std::any_of(processes.cbegin(), processes.cend(),
                           [](const QProcess *p) { return p->state() != QProcess::NotRunning; });
    };
    while (running() && t.elapsed() < timeoutMs) {
        QEventLoop loop;
        QTimer::singleShot(20, &loop, &QEventLoop::quit);
        loop.exec();
    }
    const bool all = !running();
    for (QProcess *p : processes) {
        if (p->state() != QProcess::NotRunning) {
            p->kill();
            p->waitForFinished();
        }
    }
    return all;
}

bool copyDeviceStore(const QString &from, const QString &to)
{
    if (!QDir().mkpath(to))
        return false;
    // The store is sealed with the device's data key: the copy takes the key along.
    const auto key = acorn::client::DataKeyStore::obtain(
        acorn::client::DataKeyStore::folderKeyName(from), false);
    if (!key
        || !acorn::client::DataKeyStore::save(
            acorn::client::DataKeyStore::folderKeyName(to), key.value()))
        return false;
    for (const char *f : {"acorn.db", "acorn.db-wal", "acorn.db-shm"}) {
        const QString source = from + QLatin1Char('/') + QLatin1String(f);
        if (QFile::exists(source) && !QFile::copy(source, to + QLatin1Char('/') + QLatin1String(f)))
            return false;
    }
    return true;
}

quint32 faultSeed()
{
    bool seeded = false;
    const quint32 seed = qEnvironmentVariable("ACORN_FAULT_SEED").toUInt(&seeded);
    return seeded ? seed : QRandomGenerator::global()->generate();
}

bool copyDevicePlainFile(const QString &profileDir, const QString &path, const QString &target)
{
    const auto key = acorn::client::DataKeyStore::obtain(
        acorn::client::DataKeyStore::folderKeyName(profileDir), false);
    if (!key)
        return false;
    const auto plain = acorn::client::SealedFileReader::readAll(path, key.value());
    QFile out(target);
    return plain && out.open(QIODevice::WriteOnly | QIODevice::Truncate)
        && out.write(plain.value()) == plain.value().size();
}

QString deviceFileSha256(const QString &profileDir, const QString &path)
{
    const auto key = acorn::client::DataKeyStore::obtain(
        acorn::client::DataKeyStore::folderKeyName(profileDir), false);
    if (!key)
        return {};
    acorn::client::SealedFileReader f(path, key.value());
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash h(QCryptographicHash::Sha256);
    if (!h.addData(&f) || f.pos() != f.size())
        return {};
    return QString::fromLatin1(h.result().toHex());
}

QString fileSha256(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(&f);
    return QString::fromLatin1(h.result().toHex());
}

CliResult runCli(const TestServer &server, const QString &profileDir, const QString &user, const QString &password,
                 const QStringList &command, const QString &pinOverride, quint16 portOverride)
{
    const auto p = startCli(pinOverride.isEmpty() ? server.fingerprint() : pinOverride,
                            portOverride ? portOverride : server.port(), profileDir, user, password, command);
    CliResult r;
    if (!p->waitForFinished(120000)) {
        p->kill();
        p->waitForFinished();
    }
    r.exitCode = p->exitStatus() == QProcess::NormalExit ? p->exitCode() : -1;
    r.out = p->readAllStandardOutput();
    r.err = p->readAllStandardError();
    return r;
}

CliResult runCliServing(const TestServer &server, const QString &profileDir, const QString &user,
                        const QString &password, const QStringList &command, quint16 port)
{
    const auto p = startCli(server.fingerprint(), port, profileDir, user, password, command);
    waitForProcesses({p.get()}, 120000);
    return {p->exitStatus() == QProcess::NormalExit ? p->exitCode() : -1, p->readAllStandardOutput(),
            p->readAllStandardError()};
}

CliResult runServerCommand(const QStringList &args)
{
    QProcess p;
    p.start(TestServer::binary(QStringLiteral("acorn-server")), args);
    p.closeWriteChannel();
    if (!p.waitForFinished(120000))
        p.kill();
    p.waitForFinished();
    return { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
        p.readAllStandardError() };
}

QString writeNoisyPhoto(const QString &path, quint32 seed, int width, int height)
{
    QImage img(width, height, QImage::Format_RGB32);
    QRandomGenerator rng(seed);
    for (int y = 0; y < img.height(); ++y) {
        auto *line = reinterpret_cast<QRgb *>(img.scanLine(y));
        for (int x = 0; x < img.width(); ++x)
            line[x] = rng.generate();
    }
    QDir().mkpath(QFileInfo(path).path());
    return img.save(path, "JPEG", 90) ? path : QString();
}

bool damageTablePage(const QString &dbPath, const QString &table)
{
    qint64 offset = 0;
    const QString connection = QStringLiteral("acorn-test-damage");
    {
        QSqlDatabase raw = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        raw.setDatabaseName(dbPath);
        if (raw.open()) {
            QSqlQuery q(raw);
            if (q.exec(QStringLiteral("PRAGMA page_size")) && q.next()) {
                const qint64 pageSize = q.value(0).toLongLong();
                q.prepare(QStringLiteral("SELECT rootpage FROM sqlite_master WHERE name = ?"));
                q.addBindValue(table);
                if (q.exec() && q.next())
                    offset = (q.value(0).toLongLong() - 1) * pageSize;
            }
            q.finish();
            raw.close();
        }
    }
    QSqlDatabase::removeDatabase(connection);
    QFile f(dbPath);
    if (offset <= 0 || !f.open(QIODevice::ReadWrite) || !f.seek(offset))
        return false;
    return f.write(QByteArray(512, '\x5a')) == 512;
}

QByteArray smallSchoolJson()
{
    return R"({
  "school": {"name": "Test Primary", "time_zone": "Europe/London", "release_time": "16:00",
             "contact": "the school office"},
  "calendar": [
    {"name": "Autumn 1", "first_day": "2026-09-03", "last_day": "2026-10-23"},
    {"name": "Autumn 2", "first_day": "2026-11-02", "last_day": "2026-12-18"},
    {"name": "Spring 1", "first_day": "2027-01-05", "last_day": "2027-02-12"},
    {"name": "Spring 2", "first_day": "2027-02-22", "last_day": "2027-03-26"},
    {"name": "Summer 1", "first_day": "2027-04-12", "last_day": "2027-05-28"},
    {"name": "Summer 2", "first_day": "2027-06-07", "last_day": "2027-07-21"}
  ],
  "classes": [{"name": "Nursery", "release": "live"}, {"name": "Reception", "release": "half-term"}],
  "staff": [
    {"username": "nina.nursery", "name": "Nina Nursery", "role": "practitioner", "classes": ["Nursery"]},
    {"username": "rob.reception", "name": "Rob Reception", "role": "practitioner", "classes": ["Reception"]},
    {"username": "lee.lead", "name": "Lee Lead", "role": "lead", "classes": []},
    {"username": "ian.admin", "name": "Ian Admin", "role": "admin", "classes": []}
  ],
  "children": [
    {"ref": "C001", "first_name": "Ava", "last_name": "Brown", "date_of_birth": "2023-01-10", "class": "Nursery",
     "family": "F001", "consent": {"journal_media": true, "others_journals": true}},
    {"ref": "C002", "first_name": "Ben", "last_name": "Okafor", "date_of_birth": "2023-02-11", "class": "Nursery",
     "family": "F002", "consent": {"journal_media": true, "others_journals": false}},
    {"ref": "C003", "first_name": "Cal", "last_name": "Brown", "date_of_birth": "2021-12-01", "class": "Reception",
     "family": "F001", "consent": {"journal_media": true, "others_journals": true}},
    {"ref": "C004", "first_name": "Dev", "last_name": "Shah", "date_of_birth": "2022-03-03", "class": "Reception",
     "family": "F003", "consent": {"journal_media": false, "others_journals": false}}
  ],
  "guardians": [
    {"username": "alex.brown", "name": "Alex Brown", "family": "F001"},
    {"username": "sam.brown", "name": "Sam Brown", "family": "F001"},
    {"username": "grace.okafor", "name": "Grace Okafor", "family": "F002"},
    {"username": "ravi.shah", "name": "Ravi Shah", "family": "F003"}
  ]
})";
}

} // namespace acorn::test
