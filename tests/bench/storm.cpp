// Benchmark 2 of issue 9: the release storm. A half term has just been released, and every
// parent opens the viewer within minutes.
//
// The school: one half-termly class of N children (300 in the full run), one family and one
// guardian each, 30 published observations per child with a photo and its thumbnail, all
// made in the half term that has just been released. The school is filled in-process over
// the server's own data directory (pushes through the real SyncService; the media files are
// written straight into the object store, since uploading is benchmark 1), then served by a
// real acorn-server process.
//
// The load: this process opens N TLS connections at once, each from its own loopback
// address (127.0.x.y, as parents' homes have their own), and each does what the viewer does
// on start: TLS handshake (TLS 1.3, TLS_AES_256_GCM_SHA384, the server's key checked
// against its pin), Hello, sign-in with its stored session token, a pull of the whole
// release, then a fetch of every thumbnail, one after another. Every pull is checked: the
// right child only, the right number of observations, each photo available, and every
// thumbnail's bytes match the SHA-256 the pull announced and the one the school was filled
// with. "Latency per pull" is one parent's whole session, from connect to last thumbnail.
//
// The reference: the same thumbnail files served by nginx (one worker, TLS 1.3 with the
// same cipher and the same key) to the same number of connections, from the same
// addresses, each fetching its 30 thumbnails one after another over HTTP/1.1 keep-alive:
// the "no business logic" limit. Target: Acorn's total within 3x of nginx's.
//
// A second figure: N password sign-ins at once (scrypt, deliberately costly), while another
// parent's device signs in with its token and pulls, again and again. Reported: the total
// time, that other client's latency against the same on an idle server, and the server's
// peak memory (bounded by how many hashes run at once, not by how many parents wait).
#include "bench.h"

#include "acorn.pb.h"
#include "crypto.h"
#include "datadir.h"
#include "framecodec.h"
#include "protocol.h"
#include "schoolfixture.h"
#include "testserver.h"
#include "tlspin.h"

#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QProcess>
#include <QRandomGenerator>
#include <QSslCipher>
#include <QSslConfiguration>
#include <QSet>
#include <QSslSocket>
#include <QTextStream>
#include <QTimer>
#include <QUuid>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <vector>

namespace acorn::bench {

namespace {

using M = fixture::SchoolModel;

constexpr auto kPassword = "storm-password-1";
constexpr auto kCipher = "TLS_AES_256_GCM_SHA384";
constexpr int kObservationsEach = 30;

QString newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

// What one family's device must end up holding.
struct Family
{
    QString username;
    QString childRef;
    QByteArray token; // a stored session, as the viewer keeps it in the keychain
    QHash<QString, QString> thumbnails; // media id -> SHA-256 (hex) of its thumbnail
};

struct School
{
    QList<Family> families; // the last one is the probe's, outside the storm
    qint64 thumbnailBytes = 0; // of the storm's families
    QString error;
};

QByteArray randomBytes(QRandomGenerator &rng, qsizetype size)
{
    QByteArray b(size, Qt::Uninitialized);
    rng.fillRange(reinterpret_cast<quint32 *>(b.data()), size / 4);
    return b;
}

// Imports the school into `server` (not running yet) and fills it through an in-process
// SyncService over the same data directory.
School fillSchool(test::TestServer &server, int parents)
{
    School s;
    M m;
    m.schoolName = QStringLiteral("Storm Primary");
    const QDate today = QDate::currentDate();
    // The half term that has just been released (its release moment, 16:00 on its last
    // day, a week ago) and the current one.
    m.calendar = { { QStringLiteral("Autumn 1"), today.addDays(-70), today.addDays(-8) },
        { QStringLiteral("Autumn 2"), today.addDays(-1), today.addDays(40) } };
    m.classes = { { QStringLiteral("Reception"), false, {}, std::numeric_limits<qint64>::min() } };
    m.accounts.append({ QStringLiteral("lead"), QStringLiteral("The Lead"), QStringLiteral("lead"), {}, {}, false });
    for (int i = 0; i <= parents; ++i) { // one more: the probe's family
        M::Child c;
        c.ref = QStringLiteral("C%1").arg(i + 1, 5, 10, QLatin1Char('0'));
        c.firstName = QStringLiteral("Child%1").arg(i + 1);
        c.lastName = QStringLiteral("Family%1").arg(i + 1);
        c.dateOfBirth = QDate(2021, 9, 1).addDays(i % 365);
        c.className = QStringLiteral("Reception");
        c.family = QStringLiteral("F%1").arg(i + 1, 5, 10, QLatin1Char('0'));
        m.children.append(c);
        m.accounts.append({ QStringLiteral("parent%1").arg(i + 1, 5, 10, QLatin1Char('0')),
            QStringLiteral("Parent %1").arg(i + 1), QStringLiteral("parent"), c.family, {}, false });
        s.families.append({ m.accounts.last().username, c.ref, {}, {} });
    }
    if (!server.init(m.toJson()))
        return s.error = QStringLiteral("import-school failed: %1").arg(server.log()), s;

    const server::DataDir dir(server.dataDir());
    fixture::ServerHarness h(QDateTime::currentMSecsSinceEpoch(), dir.databasePath(), dir.mediaPath());
    if (!h.isValid())
        return s.error = h.error(), s;
    if (const QString e = h.setPassword(QStringLiteral("lead"), QString::fromLatin1(kPassword)); !e.isEmpty())
        return s.error = e, s;
    fixture::WireClient lead(h);
    lead.hello(wire::CLIENT_KIND_STAFF);
    if (!lead.login(QStringLiteral("lead"), QString::fromLatin1(kPassword)).has_login_reply())
        return s.error = QStringLiteral("the lead could not sign in"), s;

    // 30 observations per child, each with a photo: random bytes of a thumbnail's size
    // (16 to 32 KiB; neither server decodes them) and a small original.
    QRandomGenerator rng(2);
    const int days = int(m.calendar[0].first.daysTo(m.calendar[0].last));
    QList<wire::PushItem> batch;
    const auto pushBatch = [&]() -> QString {
        if (batch.isEmpty())
            return {};
        const wire::Frame r = lead.push(batch);
        if (!r.has_push_reply() || r.push_reply().results_size() != batch.size())
            return QStringLiteral("a push failed: %1").arg(fixture::describe(r));
        for (const wire::PushResult &res : r.push_reply().results()) {
            if (res.outcome() != wire::PushResult::ACCEPTED)
                return QStringLiteral("an observation was not accepted: %1").arg(fixture::describe(r));
        }
        batch.clear();
        return {};
    };
    QList<QPair<QString, QString>> files; // media id, variant ("o"/"t")
    for (int i = 0; i < s.families.size(); ++i) {
        Family &f = s.families[i];
        for (int j = 0; j < kObservationsEach; ++j) {
            M::Media md;
            md.id = newId();
            md.original = randomBytes(rng, 4096);
            md.thumbnail = randomBytes(rng, (16 + rng.bounded(16)) * 1024);
            md.declaredBy = QStringLiteral("lead");
            M::Observation o;
            o.id = newId();
            o.author = QStringLiteral("lead");
            o.observedAtMs = m.at(m.calendar[0].first.addDays(j * days / kObservationsEach), QTime(9 + j % 6, 15));
            o.children = { f.childRef };
            o.text = QStringLiteral("Observation %1: built a tower and counted the blocks.").arg(j + 1);
            o.eyfsTags = { QStringLiteral("M") };
            o.media = { md.id };
            m.media.insert(md.id, md);
            batch.append(fixture::pushItem(m, o, 0, newId()));
            // The files go straight into the object store, without a sync each.
            for (const QByteArray *bytes : { &md.original, &md.thumbnail }) {
                const QString path = h.media->objectPath(crypto::sha256Hex(*bytes));
                QDir().mkpath(QFileInfo(path).path());
                QFile out(path);
                if (!out.open(QIODevice::WriteOnly) || out.write(*bytes) != bytes->size())
                    return s.error = QStringLiteral("cannot write %1").arg(path), s;
            }
            f.thumbnails.insert(md.id, crypto::sha256Hex(md.thumbnail));
            if (i < parents)
                s.thumbnailBytes += md.thumbnail.size();
            m.media.remove(md.id); // its bytes are on disk; keep the process small
            if (batch.size() == 500) {
                if (const QString e = pushBatch(); !e.isEmpty())
                    return s.error = e, s;
            }
        }
    }
    if (const QString e = pushBatch(); !e.isEmpty())
        return s.error = e, s;

    // The media is complete, every guardian has a password (one production-strength hash,
    // shared: each sign-in still costs a whole scrypt) and a device signed in earlier.
    {
        server::ServerStore::Transaction tx(*h.store);
        for (const Family &f : std::as_const(s.families)) {
            for (const QString &id : f.thumbnails.keys()) {
                for (const wire::MediaVariant v : { wire::ORIGINAL, wire::THUMBNAIL }) {
                    if (Status st = h.store->markMediaVariantDone(id, v); !st)
                        return s.error = st.error(), s;
                }
            }
        }
        if (Status st = tx.commit(); !st)
            return s.error = st.error(), s;
    }
    QStringList usernames;
    for (const Family &f : std::as_const(s.families))
        usernames.append(f.username);
    // Signed in yesterday: today's sign-in records its use.
    const auto tokens = h.signInDevices(usernames, QString::fromLatin1(kPassword), QStringLiteral("storm tablet"),
        QDateTime::currentMSecsSinceEpoch() - 24 * 3600 * 1000);
    if (!tokens)
        return s.error = tokens.error(), s;
    for (int i = 0; i < s.families.size(); ++i)
        s.families[i].token = tokens->at(i);
    return s;
}

// ------------------------------------------------------------------ the load generator

// One TLS connection of the load generator, from its own loopback address, timed from
// connect to its last check.
class StormConnection : public QObject
{
public:
    StormConnection(const QString &from, quint16 port)
        : m_from(from)
        , m_port(port)
    {
    }

    void start(std::function<void()> whenDone)
    {
        m_done = std::move(whenDone);
        m_clock.start();
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setProtocol(QSsl::TlsV1_3OrLater);
        tls.setCiphers({ QSslCipher(QString::fromLatin1(kCipher)) });
        tls.setPeerVerifyMode(QSslSocket::VerifyNone); // the pin is checked instead
        m_socket.setSslConfiguration(tls);
        connect(&m_socket, &QSslSocket::encrypted, this, [this] {
            m_cipher = m_socket.sessionCipher().name();
            onEncrypted();
        });
        connect(&m_socket, &QSslSocket::readyRead, this, [this] {
            if (!m_finished)
                onBytes();
        });
        connect(&m_socket, &QAbstractSocket::errorOccurred, this, [this] {
            failWith(QStringLiteral("connection: %1").arg(m_socket.errorString()));
        });
        if (!m_socket.bind(QHostAddress(m_from)))
            return failWith(QStringLiteral("cannot bind to %1: %2").arg(m_from, m_socket.errorString()));
        m_socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_port);
    }

    bool finished() const { return m_finished; }
    bool ok() const { return m_finished && m_error.isEmpty(); }
    QString error() const { return m_error; }
    double ms() const { return m_ms; }
    QString cipher() const { return m_cipher; }

protected:
    virtual void onEncrypted() = 0;
    virtual void onBytes() = 0;

    void succeed() { finish({}); }
    void failWith(const QString &why) { finish(why.isEmpty() ? QStringLiteral("failed") : why); }

    QSslSocket m_socket;

private:
    void finish(const QString &error)
    {
        if (m_finished)
            return;
        m_finished = true;
        m_error = error;
        m_ms = double(m_clock.nsecsElapsed()) / 1e6;
        // Not from inside one of the socket's own signals.
        QMetaObject::invokeMethod(this, [this] { m_socket.abort(); }, Qt::QueuedConnection);
        if (m_done)
            m_done();
    }

    QString m_from;
    quint16 m_port;
    std::function<void()> m_done;
    QElapsedTimer m_clock;
    bool m_finished = false;
    QString m_error;
    double m_ms = 0;
    QString m_cipher;
};

// A parent's viewer starting up: Hello, sign-in, pull, thumbnails.
class ViewerSession : public StormConnection
{
public:
    enum class Mode {
        Release, // token sign-in, the whole release, every thumbnail
        PasswordSignIn, // a sign-in with the password, nothing more
        Probe, // token sign-in and a pull: another family's device during a storm
    };

    ViewerSession(const QString &from, quint16 port, const QString &pin, const Family &family, Mode mode)
        : StormConnection(from, port)
        , m_pin(pin)
        , m_family(family)
        , m_mode(mode)
    {
    }

protected:
    void onEncrypted() override
    {
        const auto presented = tls::spkiFingerprint(m_socket.peerCertificate());
        if (!presented || presented.value() != m_pin)
            return failWith(QStringLiteral("the server's key does not match its pin"));
        wire::Frame f;
        f.mutable_hello()->set_protocol_version(protocol::kProtocolVersion);
        f.mutable_hello()->set_client_kind(wire::CLIENT_KIND_VIEWER);
        f.mutable_hello()->set_app_version("acorn-bench");
        send(f);
    }

    void onBytes() override
    {
        while (!finished() && m_socket.bytesAvailable() > 0) {
            if (m_decoder.readFrom(m_socket) <= 0)
                break;
            if (m_decoder.state() == FrameDecoder::State::Failed)
                return failWith(QStringLiteral("unreadable frame: %1").arg(m_decoder.error()));
            if (m_decoder.state() == FrameDecoder::State::FrameReady)
                onFrame(m_decoder.takeFrame());
        }
    }

private:
    void send(wire::Frame &f)
    {
        f.set_request_id(m_next++);
        m_socket.write(encodeFrame(f));
    }

    void onFrame(const wire::Frame &f)
    {
        if (f.has_error())
            return failWith(QStringLiteral("%1 (%2): %3")
                                .arg(m_family.username)
                                .arg(QString::fromStdString(wire::Error::Code_Name(f.error().code())),
                                    QString::fromStdString(f.error().message())));
        if (f.has_hello_reply())
            return signIn();
        if (f.has_login_reply()) {
            if (QString::fromStdString(f.login_reply().username()) != m_family.username)
                return failWith(QStringLiteral("signed in as someone else"));
            if (m_mode == Mode::PasswordSignIn)
                return succeed();
            return pull({});
        }
        if (f.has_pull_reply())
            return onPullReply(f.pull_reply());
        if (f.has_media_data())
            return onMediaData(f.media_data());
        failWith(QStringLiteral("an unexpected reply (body %1)").arg(f.body_case()));
    }

    void signIn()
    {
        wire::Frame f;
        if (m_mode == Mode::PasswordSignIn) {
            f.mutable_login()->set_username(m_family.username.toStdString());
            f.mutable_login()->set_password(kPassword);
            f.mutable_login()->set_device_name("storm tablet");
        } else {
            f.mutable_token_login()->set_token(m_family.token.toStdString());
            f.mutable_token_login()->set_device_name("storm tablet");
        }
        send(f);
    }

    void pull(const std::string &cursor)
    {
        wire::Frame f;
        f.mutable_pull()->set_cursor(cursor);
        f.mutable_pull()->set_max_items(protocol::kMaxPullItems);
        send(f);
    }

    void onPullReply(const wire::PullReply &r)
    {
        if (r.roster_changed()
            && (r.children_size() != 1 || QString::fromStdString(r.children(0).ref()) != m_family.childRef))
            return failWith(QStringLiteral("%1's roster is not their own child alone").arg(m_family.username));
        for (const wire::Observation &o : r.observations()) {
            if (o.child_refs_size() != 1 || QString::fromStdString(o.child_refs(0)) != m_family.childRef)
                return failWith(QStringLiteral("%1 received another family's observation").arg(m_family.username));
            if (!o.staff_note().empty() || o.state() != wire::PUBLISHED || o.media_size() != 1)
                return failWith(QStringLiteral("%1 received an observation in the wrong form").arg(m_family.username));
            const wire::Media &md = o.media(0);
            const QString id = QString::fromStdString(md.id());
            const QString want = m_family.thumbnails.value(id);
            if (want.isEmpty() || !md.available() || md.withheld() != wire::NOT_WITHHELD
                || QString::fromLatin1(QByteArray::fromStdString(md.thumbnail_sha256()).toHex()) != want)
                return failWith(QStringLiteral("%1: photo %2 is not announced as it was stored").arg(m_family.username, id));
            if (m_seen.contains(id))
                return failWith(QStringLiteral("%1 received an observation twice").arg(m_family.username));
            m_seen.insert(id);
            m_toFetch.append(id);
        }
        if (r.more())
            return pull(r.next_cursor());
        if (m_seen.size() != m_family.thumbnails.size())
            return failWith(QStringLiteral("%1 received %2 observations, not %3")
                                .arg(m_family.username)
                                .arg(m_seen.size())
                                .arg(m_family.thumbnails.size()));
        if (m_mode == Mode::Probe)
            return succeed();
        fetchNext();
    }

    void fetchNext()
    {
        if (m_toFetch.isEmpty())
            return succeed();
        m_bytes.clear();
        fetch(0);
    }

    void fetch(quint64 offset)
    {
        wire::Frame f;
        f.mutable_media_fetch()->set_media_id(m_toFetch.first().toStdString());
        f.mutable_media_fetch()->set_variant(wire::THUMBNAIL);
        f.mutable_media_fetch()->set_offset(offset);
        send(f);
    }

    void onMediaData(const wire::MediaData &d)
    {
        const QString id = m_toFetch.first();
        if (QString::fromStdString(d.media_id()) != id || d.offset() != quint64(m_bytes.size()))
            return failWith(QStringLiteral("a thumbnail came back out of order"));
        m_bytes += QByteArray::fromStdString(d.data());
        if (quint64(m_bytes.size()) < d.total_size() && !d.data().empty())
            return fetch(quint64(m_bytes.size()));
        if (crypto::sha256Hex(m_bytes) != m_family.thumbnails.value(id))
            return failWith(QStringLiteral("%1: thumbnail %2's bytes do not match its SHA-256").arg(m_family.username, id));
        m_toFetch.removeFirst();
        fetchNext();
    }

    QString m_pin;
    const Family &m_family;
    Mode m_mode;
    FrameDecoder m_decoder;
    quint64 m_next = 1;
    QSet<QString> m_seen;
    QStringList m_toFetch;
    QByteArray m_bytes;
};

// The reference client: the same thumbnails from nginx, over HTTP/1.1 keep-alive.
class HttpsSession : public StormConnection
{
public:
    HttpsSession(const QString &from, quint16 port, const Family &family)
        : StormConnection(from, port)
        , m_left(family.thumbnails.values())
    {
    }

protected:
    void onEncrypted() override { requestNext(); }

    void onBytes() override
    {
        m_buffer += m_socket.readAll();
        while (!finished()) {
            if (m_bodySize < 0) {
                const qsizetype end = m_buffer.indexOf("\r\n\r\n");
                if (end < 0)
                    return;
                const QList<QByteArray> lines = m_buffer.left(end).split('\n');
                if (!lines.first().startsWith("HTTP/1.1 200"))
                    return failWith(QStringLiteral("nginx: %1").arg(QString::fromLatin1(lines.first().trimmed())));
                for (const QByteArray &line : lines) {
                    if (line.toLower().startsWith("content-length:"))
                        m_bodySize = line.mid(15).trimmed().toLongLong();
                }
                if (m_bodySize < 0)
                    return failWith(QStringLiteral("nginx sent no Content-Length"));
                m_buffer.remove(0, end + 4);
            }
            if (m_buffer.size() < m_bodySize)
                return;
            if (crypto::sha256Hex(QByteArrayView(m_buffer).first(m_bodySize)) != m_left.first())
                return failWith(QStringLiteral("nginx: a thumbnail's bytes do not match its SHA-256"));
            m_buffer.remove(0, m_bodySize);
            m_bodySize = -1;
            m_left.removeFirst();
            requestNext();
        }
    }

private:
    void requestNext()
    {
        if (m_left.isEmpty())
            return succeed();
        const QString sha = m_left.first();
        m_socket.write(QStringLiteral("GET /objects/%1/%2 HTTP/1.1\r\nHost: localhost\r\n\r\n")
                           .arg(sha.left(2), sha)
                           .toLatin1());
    }

    QStringList m_left; // SHA-256 of each thumbnail still to fetch
    QByteArray m_buffer;
    qint64 m_bodySize = -1;
};

// The loopback address connection `i` comes from: 127.0.1.1, 127.0.1.2, ...
QString addressOf(int i)
{
    return QStringLiteral("127.0.%1.%2").arg(1 + i / 250).arg(1 + i % 250);
}

double percentile(QList<double> values, double p)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    const qsizetype i = std::clamp<qsizetype>(qsizetype(std::ceil(p * double(values.size()))) - 1, 0, values.size() - 1);
    return values[i];
}

struct StormFigures
{
    double totalMs = 0;
    QList<double> latencies;
    int failures = 0;
    QString firstError;
    QString cipher;
    double serverCpuS = 0;
    double serverPeakMiB = 0; // highest VmRSS sampled during the storm
};

// Starts every connection at once and waits for all of them. `serverPid` is sampled for
// its CPU and resident set; `meanwhile` (if set) runs every 20 ms while they run.
StormFigures runConnections(const std::vector<std::unique_ptr<StormConnection>> &connections, QList<qint64> serverPids,
    const std::function<void()> &meanwhile = {})
{
    StormFigures f;
    QEventLoop loop;
    int left = int(connections.size());
    double cpuBefore = 0;
    for (qint64 pid : serverPids)
        cpuBefore += cpuSecondsOf(pid);
    QTimer sampler;
    const auto sample = [&] {
        double rss = 0;
        for (qint64 pid : serverPids)
            rss += statusMiB(pid, "VmRSS:");
        f.serverPeakMiB = std::max(f.serverPeakMiB, rss);
        if (meanwhile)
            meanwhile();
    };
    QObject::connect(&sampler, &QTimer::timeout, &loop, sample);
    sampler.start(20);
    QTimer::singleShot(900'000, &loop, &QEventLoop::quit); // a hung storm fails, it does not hang
    Stopwatch w;
    for (const auto &c : connections) {
        c->start([&] {
            if (--left == 0)
                loop.quit();
        });
    }
    if (left > 0)
        loop.exec();
    f.totalMs = w.wallMs();
    sample();
    double cpuAfter = 0;
    for (qint64 pid : serverPids)
        cpuAfter += cpuSecondsOf(pid);
    f.serverCpuS = cpuAfter - cpuBefore;
    for (const auto &c : connections) {
        if (c->ok()) {
            f.latencies.append(c->ms());
            f.cipher = c->cipher();
        } else {
            ++f.failures;
            if (f.firstError.isEmpty())
                f.firstError = c->finished() ? c->error() : QStringLiteral("did not finish in 15 minutes");
        }
    }
    return f;
}

// One probe: another family's device signing in with its token and pulling, alone.
double probeOnce(quint16 port, const QString &pin, const Family &family, QString *error)
{
    std::vector<std::unique_ptr<StormConnection>> one;
    one.push_back(std::make_unique<ViewerSession>(QStringLiteral("127.0.0.1"), port, pin, family, ViewerSession::Mode::Probe));
    const StormFigures f = runConnections(one, {});
    if (f.failures > 0 && error)
        *error = f.firstError;
    return f.latencies.value(0);
}

// nginx as a foreground process with a generated configuration: one worker, TLS 1.3 with
// the server's own key, serving the server's object store as it is on disk.
class Nginx
{
public:
    ~Nginx()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.terminate();
            if (!m_process.waitForFinished(10000))
                m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    QString start(const QString &dir, const QString &root, const QString &tlsDir)
    {
        m_port = freePort();
        QDir().mkpath(dir + QStringLiteral("/tmp"));
        const QString config = QStringLiteral(R"(worker_processes 1;
user root;
daemon off;
pid %1/nginx.pid;
error_log %1/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path %1/tmp;
    proxy_temp_path %1/tmp;
    fastcgi_temp_path %1/tmp;
    uwsgi_temp_path %1/tmp;
    scgi_temp_path %1/tmp;
    default_type application/octet-stream;
    sendfile on;
    keepalive_requests 10000;
    server {
        listen 127.0.0.1:%2 ssl backlog=511;
        ssl_certificate %3/cert.pem;
        ssl_certificate_key %3/key.pem;
        ssl_protocols TLSv1.3;
        ssl_conf_command Ciphersuites %4;
        root %5;
        location / { }
    }
}
)")
                                   .arg(dir)
                                   .arg(m_port)
                                   .arg(tlsDir, QString::fromLatin1(kCipher), root);
        QFile f(dir + QStringLiteral("/nginx.conf"));
        if (!f.open(QIODevice::WriteOnly) || f.write(config.toUtf8()) <= 0)
            return QStringLiteral("cannot write %1").arg(f.fileName());
        f.close();
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start(QStringLiteral("nginx"),
            { QStringLiteral("-p"), dir, QStringLiteral("-c"), f.fileName(), QStringLiteral("-e"),
                dir + QStringLiteral("/error.log") });
        if (!m_process.waitForStarted(10000))
            return QStringLiteral("nginx did not start (is the Debian package nginx installed?)");
        for (int i = 0; i < 400 && !isListening(m_port); ++i) {
            if (m_process.waitForFinished(25))
                break;
        }
        if (!isListening(m_port)) {
            QFile log(dir + QStringLiteral("/error.log"));
            log.open(QIODevice::ReadOnly);
            return QStringLiteral("nginx did not listen: %1 %2")
                .arg(QString::fromLocal8Bit(m_process.readAll()), QString::fromLocal8Bit(log.readAll()));
        }
        return {};
    }

    quint16 port() const { return m_port; }
    // The master and its worker.
    QList<qint64> pids() const
    {
        QList<qint64> all { m_process.processId() };
        QFile children(QStringLiteral("/proc/%1/task/%1/children").arg(m_process.processId()));
        if (children.open(QIODevice::ReadOnly)) {
            for (const QByteArray &pid : children.readAll().simplified().split(' '))
                if (pid.toLongLong() > 0)
                    all.append(pid.toLongLong());
        }
        return all;
    }

private:
    QProcess m_process;
    quint16 m_port = 0;
};

QString latencyText(const StormFigures &f)
{
    return QStringLiteral("%1 / %2 / %3")
        .arg(percentile(f.latencies, 0.50), 0, 'f', 0)
        .arg(percentile(f.latencies, 0.95), 0, 'f', 0)
        .arg(percentile(f.latencies, 0.99), 0, 'f', 0);
}

} // namespace

int runStorm(const Options &options)
{
    const int parents = options.smoke ? 10 : 300;
    printHeading(QStringLiteral("2. Release storm (%1 parents at once, %2 observations with thumbnails each)")
                     .arg(parents)
                     .arg(kObservationsEach));
    if (qEnvironmentVariableIsEmpty("ACORN_BINARY_DIR"))
        qputenv("ACORN_BINARY_DIR",
            QDir(QCoreApplication::applicationDirPath() + QStringLiteral("/..")).absolutePath().toUtf8());

    test::TestServer server;
    Stopwatch filling;
    const School school = fillSchool(server, parents);
    if (!school.error.isEmpty())
        return fail(QStringLiteral("storm: filling the school: %1").arg(school.error));
    const double fillS = filling.wallMs() / 1000;
    if (!server.start())
        return fail(QStringLiteral("storm: the server did not start: %1").arg(server.log()));
    const QString pin = server.fingerprint();
    const Family &probeFamily = school.families.last();

    // 1. The release storm against acorn-server.
    std::vector<std::unique_ptr<StormConnection>> sessions;
    for (int i = 0; i < parents; ++i)
        sessions.push_back(std::make_unique<ViewerSession>(addressOf(i), server.port(), pin, school.families[i],
            ViewerSession::Mode::Release));
    const StormFigures ours = runConnections(sessions, { server.pid() });
    const double acornHwm = statusMiB(server.pid(), "VmHWM:");
    if (ours.failures > 0)
        return fail(QStringLiteral("storm: %1 of %2 pulls failed; the first: %3")
                        .arg(ours.failures)
                        .arg(parents)
                        .arg(ours.firstError));

    // 2. The reference: nginx serving the same files to as many connections.
    Nginx nginx;
    if (const QString e = nginx.start(options.workDir + QStringLiteral("/nginx"),
            server::DataDir(server.dataDir()).mediaPath(), server.dataDir() + QStringLiteral("/tls"));
        !e.isEmpty())
        return fail(QStringLiteral("storm: %1").arg(e));
    std::vector<std::unique_ptr<StormConnection>> fetchers;
    for (int i = 0; i < parents; ++i)
        fetchers.push_back(std::make_unique<HttpsSession>(addressOf(i), nginx.port(), school.families[i]));
    const StormFigures reference = runConnections(fetchers, nginx.pids());
    if (reference.failures > 0)
        return fail(QStringLiteral("storm: nginx: %1 of %2 connections failed; the first: %3")
                        .arg(reference.failures)
                        .arg(parents)
                        .arg(reference.firstError));
    if (ours.cipher != reference.cipher)
        return fail(QStringLiteral("storm: acorn-server negotiated %1 but nginx %2").arg(ours.cipher, reference.cipher));

    const double mib = double(school.thumbnailBytes) / (1024 * 1024);
    QTextStream(stdout) << QStringLiteral("school filled in %1 s; %2 thumbnails, %3 MiB; every pull checked; %4\n")
                               .arg(fillS, 0, 'f', 1)
                               .arg(parents * kObservationsEach)
                               .arg(mib, 0, 'f', 1)
                               .arg(ours.cipher);
    printRow({ QStringLiteral("release"), QStringLiteral("total (ms)"), QStringLiteral("p50/p95/p99 (ms)"),
        QStringLiteral("server CPU (s)"), QStringLiteral("server peak (MiB)") });
    printRow({ QStringLiteral("acorn-server"), QString::number(ours.totalMs, 'f', 0), latencyText(ours),
        QString::number(ours.serverCpuS, 'f', 2),
        QStringLiteral("%1 (HWM %2)").arg(ours.serverPeakMiB, 0, 'f', 0).arg(acornHwm, 0, 'f', 0) });
    printRow({ QStringLiteral("nginx"), QString::number(reference.totalMs, 'f', 0), latencyText(reference),
        QString::number(reference.serverCpuS, 'f', 2), QString::number(reference.serverPeakMiB, 'f', 0) });
    printRow({ QStringLiteral("acorn/nginx"), ratioText(ours.totalMs / std::max(1.0, reference.totalMs), 3.0, Better::Lower),
        QString(), QStringLiteral("%1x").arg(ours.serverCpuS / std::max(0.01, reference.serverCpuS), 0, 'f', 1),
        QString() });

    // 3. Password sign-ins, on a fresh server process (so its peak is theirs), while another
    //    family's device keeps signing in with its token and pulling. (They take minutes:
    //    ACORN_BENCH_STORM_PARTS=release leaves them out while profiling the release.)
    const bool signIns = qEnvironmentVariable("ACORN_BENCH_STORM_PARTS") != QLatin1String("release");
    server.stop();
    if (!server.start())
        return fail(QStringLiteral("storm: the server did not restart: %1").arg(server.log()));
    QString probeError;
    QList<double> idleProbes;
    for (int i = 0; i < (signIns ? 5 : 0) && probeError.isEmpty(); ++i)
        idleProbes.append(probeOnce(server.port(), pin, probeFamily, &probeError));
    if (!probeError.isEmpty())
        return fail(QStringLiteral("storm: the probe on an idle server: %1").arg(probeError));
    const double baseMiB = statusMiB(server.pid(), "VmRSS:");

    std::vector<std::unique_ptr<StormConnection>> passwordSessions;
    for (int i = 0; i < (signIns ? parents : 0); ++i)
        passwordSessions.push_back(std::make_unique<ViewerSession>(addressOf(i), server.port(), pin, school.families[i],
            ViewerSession::Mode::PasswordSignIn));
    QList<double> busyProbes;
    std::unique_ptr<ViewerSession> probe;
    Stopwatch sinceProbe;
    const auto probeAgain = [&] {
        // One probe at a time, 100 ms apart.
        if (probe && !probe->finished())
            return;
        if (probe) {
            if (!probe->ok() && probeError.isEmpty())
                probeError = probe->error();
            busyProbes.append(probe->ms());
            probe.reset();
            sinceProbe = Stopwatch();
            return;
        }
        if (sinceProbe.wallMs() < 100)
            return;
        probe = std::make_unique<ViewerSession>(QStringLiteral("127.0.0.1"), server.port(), pin, probeFamily,
            ViewerSession::Mode::Probe);
        probe->start({});
    };
    const StormFigures passwords = runConnections(passwordSessions, { server.pid() }, probeAgain);
    probe.reset(); // one still running at the end is not counted
    const double passwordHwm = statusMiB(server.pid(), "VmHWM:");
    if (passwords.failures > 0)
        return fail(QStringLiteral("storm: %1 of %2 password sign-ins failed; the first: %3")
                        .arg(passwords.failures)
                        .arg(parents)
                        .arg(passwords.firstError));
    if (!probeError.isEmpty())
        return fail(QStringLiteral("storm: the probe during the sign-ins: %1").arg(probeError));

    if (!signIns)
        return 0;
    printRow({ QStringLiteral("sign-ins"), QStringLiteral("total (ms)"), QStringLiteral("p50/p95/p99 (ms)"),
        QStringLiteral("server CPU (s)"), QStringLiteral("server peak (MiB)") });
    printRow({ QStringLiteral("password"), QString::number(passwords.totalMs, 'f', 0), latencyText(passwords),
        QString::number(passwords.serverCpuS, 'f', 2),
        QStringLiteral("%1 (HWM %2, idle %3)")
            .arg(passwords.serverPeakMiB, 0, 'f', 0)
            .arg(passwordHwm, 0, 'f', 0)
            .arg(baseMiB, 0, 'f', 0) });
    const double idle = median(idleProbes);
    printRow({ QStringLiteral("other client"), QStringLiteral("idle %1 ms").arg(idle, 0, 'f', 0),
        QStringLiteral("during: %1 / %2 / max %3")
            .arg(percentile(busyProbes, 0.5), 0, 'f', 0)
            .arg(percentile(busyProbes, 0.95), 0, 'f', 0)
            .arg(percentile(busyProbes, 1.0), 0, 'f', 0),
        QStringLiteral("%1 probes").arg(busyProbes.size()),
        QStringLiteral("p50 %1x idle").arg(percentile(busyProbes, 0.5) / std::max(1.0, idle), 0, 'f', 1) });
    return 0;
}

} // namespace acorn::bench
