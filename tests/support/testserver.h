#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>
#include <vector>

namespace acorn::test {

// A real acorn-server process on 127.0.0.1 with a fresh data directory, for integration
// and GUI tests: `init`, `import-school`, passwords, then `run --listen 127.0.0.1:0`.
// Binaries come from $ACORN_BINARY_DIR/bin (set by ctest). Everything stops with the object.
class TestServer
{
public:
    TestServer();
    ~TestServer();

    // The [database] url init gives the school; by default SQLite, or a fresh PostgreSQL
    // database in the suites' PostgreSQL runs (testdatabase.h).
    void setDatabaseUrl(const QString &url) { m_databaseUrl = url; }
    // Creates the school. `schoolJson` is an import-school document.
    bool init(const QByteArray &schoolJson);
    // Sets a password for each username (admin set-password).
    bool setPassword(const QString &username, const QString &password);
    // Runs an admin command; returns its stdout, sets *ok.
    QByteArray admin(const QStringList &args, bool *ok = nullptr, const QByteArray &stdinData = {});

    bool start();          // waits for "listening on 127.0.0.1:PORT"
    // One more `acorn-server run` on the same data directory (same configuration, so the
    // same database and media directory), as a school running several processes does;
    // returns its port, 0 if it did not start. stop() ends them too.
    quint16 startAnotherProcess();
    void stopOtherProcesses();
    void stop();           // SIGTERM, then waits
    void kill();           // SIGKILL: a crash
    bool isRunning() const;
    qint64 pid() const; // 0 when not running

    quint16 port() const { return m_port; }
    QString fingerprint() const { return m_fingerprint; }
    QString dataDir() const { return m_dir.path() + QStringLiteral("/server"); }
    QString scratch() const { return m_dir.path(); }
    // Everything the server wrote to stderr so far (its log).
    QString log();
    QJsonObject activationCodes() const;

    static QString binary(const QString &name);

private:
    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_process;
    std::vector<std::unique_ptr<QProcess>> m_others;
    quint16 m_port = 0;
    QString m_databaseUrl;
    QString m_fingerprint;
    QByteArray m_importOutput;
    QByteArray m_log;
};

// A demo-like school for tests: Nursery (live) and Reception (half-term), a practitioner
// for each, a lead, an admin, families F001 (children C001 Nursery, C003 Reception; two
// guardians), F002 (C002 Nursery, others_journals false), F003 (C004 Reception,
// journal_media false). Calendar covers the academic year 2026/27.
QByteArray smallSchoolJson();

// Runs acorn-cli against the server; returns the exit code, stdout in *out.
struct CliResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};
CliResult runCli(const TestServer &server, const QString &profileDir, const QString &user, const QString &password,
                 const QStringList &command, const QString &pinOverride = {}, quint16 portOverride = 0);

// The same through `port`, waiting in an event loop so that whatever else lives on this
// thread (a fault proxy) keeps running meanwhile.
CliResult runCliServing(const TestServer &server, const QString &profileDir, const QString &user,
                        const QString &password, const QStringList &command, quint16 port);
// Starts acorn-cli against 127.0.0.1:`port` without waiting for it, for tests that kill it,
// or the server, while it runs. The password goes in ACORN_PASSWORD.
std::unique_ptr<QProcess> startCli(const QString &fingerprint, quint16 port, const QString &profileDir,
                                   const QString &user, const QString &password, const QStringList &command);
// Runs the event loop until every process has finished or `timeoutMs` passed; kills the
// ones still running then. True if all finished by themselves.
bool waitForProcesses(const QList<QProcess *> &processes, int timeoutMs);
// Copies a device profile's store (the SQLite file and its WAL) from `from` into the new
// profile `to`, as a crash between the server's commit and its reply leaves a device.
bool copyDeviceStore(const QString &from, const QString &to);
// A seed for a randomised fault test: ACORN_FAULT_SEED when set (to repeat a run), else a
// fresh one. Printed by the caller.
quint32 faultSeed();
// The SHA-256 of a file's bytes, in hex (empty if it cannot be read).
QString fileSha256(const QString &path);
// The SHA-256 of the plain bytes of a sealed file on a device (acorn-cli profile folder
// `profileDir`, its data key read from the keychain), in hex; empty if it cannot be opened.
QString deviceFileSha256(const QString &profileDir, const QString &path);
// Writes the plain bytes of such a sealed device file to `target`; false if it cannot.
bool copyDevicePlainFile(const QString &profileDir, const QString &path, const QString &target);

// Runs acorn-server with these arguments (an admin command, doctor, ...) to completion.
CliResult runServerCommand(const QStringList &args);

// Overwrites the first page of `table` in the SQLite file at `dbPath` with nonsense, as a
// failing card or a power cut would (the file must be closed). False if it could not.
bool damageTablePage(const QString &dbPath, const QString &table);

// Writes a JPEG of random noise seeded by `seed` (so every photo is its own media object)
// to `path`, creating its folder; returns the path, or an empty string on failure.
QString writeNoisyPhoto(const QString &path, quint32 seed, int width = 900, int height = 600);

} // namespace acorn::test
