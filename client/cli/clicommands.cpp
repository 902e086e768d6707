#include "clicommands.h"

#include "clientstore.h"
#include "datakeystore.h"
#include "journalbook.h"
#include "medialoader.h"
#include "mediapipeline.h"
#include "roles.h"
#include "rostersummary.h"
#include "syncengine.h"
#include "timeutil.h"
#include "tlspin.h"
#include "trackinggrid.h"
#include "trackingreport.h"

#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>
#include <QTimeZone>
#include <QUuid>

namespace acorn::cli {

using namespace acorn::client;

namespace {

enum Exit {
    Ok = 0,
    Failure = 1,
    Usage = 2,
    AuthFailed = 3,
    TlsFailed = 4,
    Unreachable = 5,
    Refused = 6,
};

const char kUsage[]
    = R"(usage: acorn-cli --profile DIR --server HOST:PORT --pin FINGERPRINT --user USERNAME
                 [--password-stdin] [--totp CODE] COMMAND ...
The password comes from ACORN_PASSWORD or, with --password-stdin, from standard input.
An account with two-factor sign-in also needs the 6-digit code from its authenticator
app: --totp CODE or ACORN_TOTP (each code works once).
commands:
  observe --child REF [--child REF]... --text TEXT [--note TEXT] [--next-steps TEXT]
          [--photo FILE]... [--video FILE]... [--observed-at ISO-8601] [--draft] [--offline]
  amend ID [--text TEXT] [--note TEXT] [--child REF]... [--add-photo FILE]... [--publish|--draft]
  delete ID
  sync
  journal [--child REF]
  outbox
  media ID --out FILE [--thumbnail]
  activate --code CODE          (new password from standard input)
  release CLASS [--through YYYY-MM-DD]   (EYFS lead)
  assess --child REF --item KEY --half-term YYYY-MM-DD --judgement KEY [--offline]
          records a judgement (e.g. --item M-DM-R --judgement on-track) for the half term
          ending on that day; amends the one this device last synced
  report journal --child REF [--from YYYY-MM-DD] [--to YYYY-MM-DD] --out FILE.pdf
  report summary --child REF [--half-term YYYY-MM-DD] --out FILE.pdf
  report class CLASS [--half-term YYYY-MM-DD] [--elgs] --out FILE.pdf
          [--school NAME] [--offline]
          PDF reports: a child's journal book, a child's summary of learning through a half
          term (given by its last day; default: the current one), a class tracking summary
          (areas of learning, or Early Learning Goals with --elgs). They sync first and fetch
          the thumbnails the book needs; with --offline they use only what this device has.
exit codes: 0 ok, 2 usage, 3 authentication failed, 4 TLS failure or fingerprint mismatch,
            5 server unreachable, 6 refused
)";

int error(const QString &message, int code)
{
    QTextStream(stderr) << "acorn-cli: " << message << Qt::endl;
    return code;
}

void print(const QJsonValue &v)
{
    QTextStream out(stdout);
    out << (v.isArray() ? QJsonDocument(v.toArray()) : QJsonDocument(v.toObject())).toJson(QJsonDocument::Indented)
        << Qt::flush;
}

int exitFor(SyncError e)
{
    switch (e) {
    case SyncError::None:
        return Ok;
    case SyncError::Authentication:
        return AuthFailed;
    case SyncError::Tls:
        return TlsFailed;
    case SyncError::Unreachable:
        return Unreachable;
    case SyncError::Refused:
        return Refused;
    case SyncError::Local:
        return Failure;
    }
    return Failure;
}

bool isStaffRole(const QString &role)
{
    return role == QLatin1String("lead") || role == QLatin1String("practitioner");
}

QJsonObject observationJson(const wire::Observation &o, bool withNote)
{
    QJsonArray children;
    for (const auto &c : o.child_refs())
        children.append(QString::fromStdString(c));
    QJsonArray tags;
    for (const auto &t : o.eyfs_tags())
        tags.append(QString::fromStdString(t));
    QJsonArray media;
    for (const wire::Media &m : o.media()) {
        QJsonObject mo{{QStringLiteral("id"), QString::fromStdString(m.id())},
                       {QStringLiteral("kind"), m.kind() == wire::VIDEO ? QStringLiteral("video") : QStringLiteral("photo")}};
        if (m.withheld() != wire::NOT_WITHHELD) {
            mo.insert(QStringLiteral("withheld"), m.withheld() == wire::OTHER_CHILDREN ? QStringLiteral("other-children")
                                                                                        : QStringLiteral("consent-withdrawn"));
        } else {
            mo.insert(QStringLiteral("sha256"), QString::fromLatin1(QByteArray::fromStdString(m.sha256()).toHex()));
            mo.insert(QStringLiteral("size"), static_cast<qint64>(m.size()));
            mo.insert(QStringLiteral("available"), m.available());
        }
        media.append(mo);
    }
    QJsonObject j{{QStringLiteral("id"), QString::fromStdString(o.id())},
                  {QStringLiteral("children"), children},
                  {QStringLiteral("text"), QString::fromStdString(o.text())},
                  {QStringLiteral("next_steps"), QString::fromStdString(o.next_steps())},
                  {QStringLiteral("eyfs_tags"), tags},
                  {QStringLiteral("observed_at"), timeutil::formatMs(o.observed_at_ms())},
                  {QStringLiteral("revision"), static_cast<qint64>(o.revision())},
                  {QStringLiteral("state"), o.state() == wire::DRAFT ? QStringLiteral("draft") : QStringLiteral("published")},
                  {QStringLiteral("author"), QString::fromStdString(o.author_name())},
                  {QStringLiteral("media"), media}};
    if (withNote)
        j.insert(QStringLiteral("note"), QString::fromStdString(o.staff_note()));
    return j;
}

// Command-line words: global options, the command, and its options (repeatable).
struct Words
{
    QMultiHash<QString, QString> options; // values in reverse order of appearance (QMultiHash)
    QSet<QString> flags;
    QStringList positional;
    QString error;

    QStringList all(const QString &k) const
    {
        QStringList v = options.values(k);
        std::reverse(v.begin(), v.end());
        return v;
    }
    QString one(const QString &k) const { return options.value(k); }
};

Words parseWords(const QStringList &args)
{
    static const QSet<QString> valued = { QStringLiteral("profile"), QStringLiteral("server"),
        QStringLiteral("pin"), QStringLiteral("user"), QStringLiteral("child"),
        QStringLiteral("text"), QStringLiteral("note"), QStringLiteral("photo"),
        QStringLiteral("video"), QStringLiteral("observed-at"), QStringLiteral("out"),
        QStringLiteral("code"), QStringLiteral("through"), QStringLiteral("add-photo"),
        QStringLiteral("next-steps"), QStringLiteral("tag"), QStringLiteral("totp"),
        QStringLiteral("from"), QStringLiteral("to"), QStringLiteral("half-term"),
        QStringLiteral("school"), QStringLiteral("item"), QStringLiteral("judgement") };
    static const QSet<QString> flags
        = { QStringLiteral("password-stdin"), QStringLiteral("offline"), QStringLiteral("draft"),
              QStringLiteral("publish"), QStringLiteral("thumbnail"), QStringLiteral("elgs") };
    Words w;
    for (int i = 0; i < args.size(); ++i) {
        const QString &a = args[i];
        if (a.startsWith(QLatin1String("--"))) {
            const QString name = a.mid(2);
            if (flags.contains(name)) {
                w.flags.insert(name);
            } else if (valued.contains(name)) {
                if (i + 1 >= args.size()) {
                    w.error = QStringLiteral("%1 needs a value").arg(a);
                    return w;
                }
                w.options.insert(name, args[++i]);
            } else {
                w.error = QStringLiteral("unknown option %1").arg(a);
                return w;
            }
        } else {
            w.positional.append(a);
        }
    }
    return w;
}

class Cli
{
public:
    explicit Cli(Words words) : m_w(std::move(words)) { }

    int run()
    {
        if (m_w.positional.isEmpty())
            return usage(QStringLiteral("no command given"));
        m_command = m_w.positional.first();
        for (const char *required : {"profile", "server", "pin", "user"}) {
            if (m_w.one(QLatin1String(required)).isEmpty())
                return usage(QStringLiteral("--%1 is required").arg(QLatin1String(required)));
        }
        const QString server = m_w.one(QStringLiteral("server"));
        const qsizetype colon = server.lastIndexOf(QLatin1Char(':'));
        bool portOk = false;
        const uint port = colon > 0 ? server.mid(colon + 1).toUInt(&portOk) : 0;
        if (!portOk || port == 0 || port > 65535)
            return usage(QStringLiteral("--server must be HOST:PORT"));
        m_host = server.left(colon);
        if (m_host.startsWith(QLatin1Char('[')))
            m_host = m_host.mid(1, m_host.size() - 2);
        m_port = static_cast<quint16>(port);
        const auto pin = tls::normaliseFingerprint(m_w.one(QStringLiteral("pin")));
        if (!pin)
            return usage(QStringLiteral("--pin: %1").arg(pin.error()));
        m_pin = pin.value();
        m_profile = m_w.one(QStringLiteral("profile"));
        const QString dbPath = QDir(m_profile).absoluteFilePath(QStringLiteral("acorn.db"));
        const auto key = DataKeyStore::obtain(
            DataKeyStore::folderKeyName(m_profile), !ClientStore::holdsSealedData(dbPath));
        if (!key)
            return error(key.error(), Failure);
        auto store = ClientStore::open(dbPath, key.value());
        if (!store)
            return error(store.error(), Failure);
        m_store = std::move(store).value();
        if (m_store->recovery())
            error(QStringLiteral("warning: %1").arg(m_store->recovery()->message()), Ok);
        MediaPipeline::removeUnfinished(QDir(m_profile).absoluteFilePath(QStringLiteral("outbox")));

        if (m_command == QLatin1String("observe"))
            return observe();
        if (m_command == QLatin1String("amend"))
            return amend(false);
        if (m_command == QLatin1String("delete"))
            return amend(true);
        if (m_command == QLatin1String("sync"))
            return syncCommand();
        if (m_command == QLatin1String("journal"))
            return journal();
        if (m_command == QLatin1String("outbox"))
            return outbox();
        if (m_command == QLatin1String("media"))
            return media();
        if (m_command == QLatin1String("activate"))
            return activate();
        if (m_command == QLatin1String("release"))
            return release();
        if (m_command == QLatin1String("report"))
            return report();
        if (m_command == QLatin1String("assess"))
            return assess();
        return usage(QStringLiteral("unknown command '%1'").arg(m_command));
    }

private:
    int usage(const QString &why)
    {
        QTextStream(stderr) << "acorn-cli: " << why << "\n" << kUsage;
        return Usage;
    }

    std::optional<QString> password()
    {
        if (m_w.flags.contains(QStringLiteral("password-stdin"))) {
            QTextStream in(stdin);
            return in.readLine();
        }
        if (qEnvironmentVariableIsSet("ACORN_PASSWORD"))
            return qEnvironmentVariable("ACORN_PASSWORD");
        return std::nullopt;
    }

    SyncOptions options(bool push, bool pull)
    {
        SyncOptions o;
        o.host = m_host;
        o.port = m_port;
        o.pin = m_pin;
        o.username = m_w.one(QStringLiteral("user"));
        o.password = m_password;
        o.secondFactorCode = m_w.options.contains(QStringLiteral("totp"))
            ? m_w.one(QStringLiteral("totp"))
            : qEnvironmentVariable("ACORN_TOTP");
        o.kind = wire::CLIENT_KIND_CLI;
        o.push = push;
        o.pull = pull;
        o.deviceName = QStringLiteral("acorn-cli");
        return o;
    }

    // Runs a sync to completion; keeps the engine (and its signed-in connection).
    SyncEngine &sync(SyncOptions o)
    {
        m_engine = std::make_unique<SyncEngine>(*m_store, std::move(o));
        QEventLoop loop;
        QObject::connect(m_engine.get(), &SyncEngine::finished, &loop, &QEventLoop::quit);
        m_engine->start();
        loop.exec();
        if (m_engine->error() == SyncError::None && m_engine->report().role != wire::ROLE_UNSPECIFIED)
            m_store->setSetting(QStringLiteral("role"), roleName(m_engine->report().role));
        return *m_engine;
    }

    int needPassword()
    {
        const auto pw = password();
        if (!pw)
            return usage(QStringLiteral("no password: set ACORN_PASSWORD or use --password-stdin"));
        m_password = *pw;
        return Ok;
    }

    int syncFailure(const SyncEngine &e)
    {
        if (e.serverError() == wire::Error::SECOND_FACTOR_REQUIRED)
            return error(
                e.errorString() + QStringLiteral(" (give it with --totp CODE or ACORN_TOTP)"),
                exitFor(e.error()));
        return error(e.errorString(), exitFor(e.error()));
    }

    QJsonObject reportJson(const SyncReport &r)
    {
        return {{QStringLiteral("pushed"), r.accepted},
                {QStringLiteral("refused"), r.refused},
                {QStringLiteral("conflicts"), r.conflicts},
                {QStringLiteral("uploaded_bytes"), r.uploadedBytes},
                {QStringLiteral("media_completed"), r.mediaCompleted},
                {QStringLiteral("received"), r.received},
                {QStringLiteral("removed"), r.removed},
                {QStringLiteral("waiting"), static_cast<int>(m_store->outbox().size())}};
    }

    // The client's own copy of the consent rule, checked before anything is queued.
    std::optional<QString> refusedLocally(const QStringList &childRefs, bool hasMedia)
    {
        const QList<wire::Child> roster = m_store->roster();
        if (roster.isEmpty())
            return std::nullopt; // not synced yet: the server decides
        for (const QString &ref : childRefs) {
            const auto it = std::find_if(roster.cbegin(), roster.cend(),
                                         [&](const wire::Child &c) { return QString::fromStdString(c.ref()) == ref; });
            if (it == roster.cend())
                return QStringLiteral("child %1 is not in your classes").arg(ref);
            if (hasMedia && !it->consent_journal_media())
                return QStringLiteral("child %1 has no consent for photos or video in their journal: remove the child or "
                                      "the media")
                    .arg(ref);
        }
        return std::nullopt;
    }

    // Prepares the given photos/videos into the profile's outbox folder.
    Result<QList<PreparedMedia>> prepareMedia(const QStringList &photos, const QStringList &videos)
    {
        MediaPipeline pipeline(QDir(m_profile).absoluteFilePath(QStringLiteral("outbox")), m_store->dataKey());
        QList<PreparedMedia> out;
        for (const QString &p : photos) {
            auto r = pipeline.preparePhoto(p);
            if (!r)
                return Result<QList<PreparedMedia>>::failure(r.error());
            out.append(r.value());
        }
        for (const QString &v : videos) {
            auto r = pipeline.prepareVideo(v);
            if (!r)
                return Result<QList<PreparedMedia>>::failure(r.error());
            out.append(r.value());
        }
        return out;
    }

    static QList<OutboxMedia> outboxMediaFor(const QString &observationId, const QList<PreparedMedia> &media)
    {
        QList<OutboxMedia> out;
        for (const PreparedMedia &p : media) {
            out.append({p.mediaId, observationId, wire::ORIGINAL, p.originalPath, p.size, p.sha256, false});
            if (p.thumbnailSize > 0)
                out.append({p.mediaId, observationId, wire::THUMBNAIL, p.thumbnailPath, p.thumbnailSize,
                            p.thumbnailSha256, false});
        }
        return out;
    }

    // Queues `o` durably, syncs unless offline, and exits by the fate of `o`.
    int queueAndSync(wire::Observation o, quint64 baseRevision, const QList<PreparedMedia> &media)
    {
        const QString id = QString::fromStdString(o.id());
        OutboxItem item;
        item.observation = o;
        item.changeId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        item.baseRevision = baseRevision;
        item.queuedAt = QDateTime::currentMSecsSinceEpoch();
        if (Status s = m_store->queue(item, outboxMediaFor(id, media)); !s)
            return error(s.error(), Failure);
        QJsonObject result{{QStringLiteral("id"), id}, {QStringLiteral("state"), QStringLiteral("queued")}};
        QJsonArray mediaIds;
        for (const PreparedMedia &p : media)
            mediaIds.append(p.mediaId);
        result.insert(QStringLiteral("media"), mediaIds);
        if (m_w.flags.contains(QStringLiteral("offline"))) {
            print(result);
            return Ok;
        }
        if (int rc = needPassword(); rc != Ok)
            return rc;
        SyncEngine &e = sync(options(true, true));
        const QString outcome = e.report().outcomes.value(id);
        if (!outcome.isEmpty())
            result.insert(QStringLiteral("state"), outcome);
        if (outcome == QLatin1String("accepted")) {
            if (const auto c = m_store->cached(id))
                result.insert(QStringLiteral("revision"), static_cast<qint64>(c->revision()));
        }
        if (!e.report().reasons.value(id).isEmpty())
            result.insert(QStringLiteral("reason"), e.report().reasons.value(id));
        print(result);
        if (outcome == QLatin1String("refused") || outcome == QLatin1String("conflict"))
            return error(QStringLiteral("the server refused observation %1: %2").arg(id, e.report().reasons.value(id)), Refused);
        if (e.error() != SyncError::None)
            return error(QStringLiteral("%1 (the observation is saved on this device and will be sent at the next sync)")
                             .arg(e.errorString()),
                         exitFor(e.error()));
        return Ok;
    }

    int observe()
    {
        const QStringList children = m_w.all(QStringLiteral("child"));
        const QString text = m_w.one(QStringLiteral("text"));
        if (children.isEmpty() || text.isEmpty())
            return usage(QStringLiteral("observe needs --child REF and --text TEXT"));
        const QStringList photos = m_w.all(QStringLiteral("photo"));
        const QStringList videos = m_w.all(QStringLiteral("video"));
        qint64 observedAt = QDateTime::currentMSecsSinceEpoch();
        if (m_w.options.contains(QStringLiteral("observed-at"))) {
            const auto t = timeutil::parseIsoDateTime(m_w.one(QStringLiteral("observed-at")), QTimeZone::systemTimeZone());
            if (!t)
                return usage(t.error());
            observedAt = t.value();
        }
        if (auto refusal = refusedLocally(children, !photos.isEmpty() || !videos.isEmpty()))
            return error(*refusal, Refused);
        const auto media = prepareMedia(photos, videos);
        if (!media)
            return error(media.error(), Failure);

        wire::Observation o;
        o.set_id(QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString());
        o.set_observed_at_ms(observedAt);
        for (const QString &c : children)
            o.add_child_refs(c.toStdString());
        o.set_text(text.toStdString());
        o.set_staff_note(m_w.one(QStringLiteral("note")).toStdString());
        o.set_next_steps(m_w.one(QStringLiteral("next-steps")).toStdString());
        for (const QString &t : m_w.all(QStringLiteral("tag")))
            o.add_eyfs_tags(t.toStdString());
        o.set_state(m_w.flags.contains(QStringLiteral("draft")) ? wire::DRAFT : wire::PUBLISHED);
        for (const PreparedMedia &p : media.value())
            *o.add_media() = p.toWire();
        return queueAndSync(o, 0, media.value());
    }

    int amend(bool remove)
    {
        if (m_w.positional.size() != 2)
            return usage(QStringLiteral("%1 needs an observation ID").arg(m_command));
        const QString id = m_w.positional[1];
        // Start from the newest local version: a queued edit, else the synced copy.
        wire::Observation o;
        quint64 base = 0;
        if (const auto queued = m_store->outboxItem(id)) {
            o = queued->observation;
            base = queued->baseRevision;
        } else if (const auto c = m_store->cached(id)) {
            o = *c;
            base = c->revision();
        } else {
            return error(QStringLiteral("there is no observation %1 on this device (sync first)").arg(id), Failure);
        }
        const QStringList addPhotos = m_w.all(QStringLiteral("add-photo"));
        if (remove) {
            o.set_deleted(true);
        } else {
            if (m_w.options.contains(QStringLiteral("text")))
                o.set_text(m_w.one(QStringLiteral("text")).toStdString());
            if (m_w.options.contains(QStringLiteral("note")))
                o.set_staff_note(m_w.one(QStringLiteral("note")).toStdString());
            if (m_w.options.contains(QStringLiteral("next-steps")))
                o.set_next_steps(m_w.one(QStringLiteral("next-steps")).toStdString());
            const QStringList children = m_w.all(QStringLiteral("child"));
            if (!children.isEmpty()) {
                o.clear_child_refs();
                for (const QString &c : children)
                    o.add_child_refs(c.toStdString());
            }
            if (m_w.flags.contains(QStringLiteral("publish")))
                o.set_state(wire::PUBLISHED);
            if (m_w.flags.contains(QStringLiteral("draft")))
                o.set_state(wire::DRAFT);
        }
        QStringList refs;
        for (const auto &c : o.child_refs())
            refs.append(QString::fromStdString(c));
        if (!remove) {
            if (auto refusal = refusedLocally(refs, o.media_size() > 0 || !addPhotos.isEmpty()))
                return error(*refusal, Refused);
        }
        const auto media = prepareMedia(addPhotos, {});
        if (!media)
            return error(media.error(), Failure);
        for (const PreparedMedia &p : media.value())
            *o.add_media() = p.toWire();
        for (wire::Media &m : *o.mutable_media())
            m.clear_available();
        return queueAndSync(o, base, media.value());
    }

    int syncCommand()
    {
        if (int rc = needPassword(); rc != Ok)
            return rc;
        SyncEngine &e = sync(options(true, true));
        print(reportJson(e.report()));
        if (e.error() != SyncError::None)
            return syncFailure(e);
        return Ok;
    }

    int journal()
    {
        const bool withNote = isStaffRole(m_store->setting(QStringLiteral("role")));
        QJsonArray arr;
        for (const wire::Observation &o : m_store->journal(m_w.one(QStringLiteral("child"))))
            arr.append(observationJson(o, withNote));
        print(arr);
        return Ok;
    }

    int outbox()
    {
        QJsonArray arr;
        for (const OutboxItem &i : m_store->outbox()) {
            QJsonObject j = observationJson(i.observation, true);
            j.insert(QStringLiteral("outbox_state"), i.state);
            if (!i.reason.isEmpty())
                j.insert(QStringLiteral("reason"), i.reason);
            arr.append(j);
        }
        print(arr);
        return Ok;
    }

    int media()
    {
        if (m_w.positional.size() != 2 || m_w.one(QStringLiteral("out")).isEmpty())
            return usage(QStringLiteral("media needs an ID and --out FILE"));
        if (int rc = needPassword(); rc != Ok)
            return rc;
        SyncEngine &e = sync(options(false, false));
        if (e.error() != SyncError::None)
            return syncFailure(e);
        const wire::MediaVariant variant = m_w.flags.contains(QStringLiteral("thumbnail")) ? wire::THUMBNAIL : wire::ORIGINAL;
        MediaDownload d(*e.connection(), m_w.positional[1], variant, m_w.one(QStringLiteral("out")));
        QEventLoop loop;
        QObject::connect(&d, &MediaDownload::finished, &loop, &QEventLoop::quit);
        d.start();
        loop.exec();
        if (d.failed())
            return error(d.errorString(), d.refused() ? Refused : Unreachable);
        print(QJsonObject{{QStringLiteral("id"), m_w.positional[1]},
                          {QStringLiteral("out"), m_w.one(QStringLiteral("out"))},
                          {QStringLiteral("size"), d.size()},
                          {QStringLiteral("sha256"), QString::fromLatin1(d.sha256().toHex())}});
        return Ok;
    }

    int activate()
    {
        const QString code = m_w.one(QStringLiteral("code"));
        if (code.isEmpty())
            return usage(QStringLiteral("activate needs --code CODE"));
        QTextStream in(stdin);
        m_password = in.readLine();
        SyncOptions o = options(false, true);
        o.activationCode = code;
        SyncEngine &e = sync(o);
        if (e.error() != SyncError::None)
            return syncFailure(e);
        print(QJsonObject{{QStringLiteral("username"), m_w.one(QStringLiteral("user"))},
                          {QStringLiteral("activated"), true},
                          {QStringLiteral("received"), e.report().received}});
        return Ok;
    }

    int release()
    {
        if (m_w.positional.size() != 2)
            return usage(QStringLiteral("release needs a CLASS"));
        if (int rc = needPassword(); rc != Ok)
            return rc;
        SyncEngine &e = sync(options(false, false));
        if (e.error() != SyncError::None)
            return syncFailure(e);
        wire::Frame f;
        f.mutable_release()->set_class_name(m_w.positional[1].toStdString());
        f.mutable_release()->set_through_date(m_w.one(QStringLiteral("through")).toStdString());
        wire::Frame reply;
        bool answered = false;
        QEventLoop loop;
        QObject::connect(e.connection(), &ServerConnection::failed, &loop, &QEventLoop::quit);
        e.connection()->request(f, [&](const wire::Frame &r) {
            reply = r;
            answered = true;
            loop.quit();
        });
        loop.exec();
        if (!answered)
            return error(QStringLiteral("the server went away before answering"), Unreachable);
        if (reply.has_error())
            return error(QString::fromStdString(reply.error().message()),
                         reply.error().code() == wire::Error::UNAUTHENTICATED ? AuthFailed : Refused);
        print(QJsonObject{{QStringLiteral("class"), m_w.positional[1]},
                          {QStringLiteral("released_through"),
                           timeutil::formatMs(reply.release_reply().released_through_ms())}});
        return Ok;
    }

    // ---- assess: a judgement, queued durably, then sent like an observation.
    int assess()
    {
        const QString child = m_w.one(QStringLiteral("child"));
        const QString item = m_w.one(QStringLiteral("item"));
        const QString halfTerm = m_w.one(QStringLiteral("half-term"));
        const QString judgement = m_w.one(QStringLiteral("judgement"));
        if (child.isEmpty() || item.isEmpty() || halfTerm.isEmpty() || judgement.isEmpty())
            return usage(QStringLiteral(
                "assess needs --child REF --item KEY --half-term YYYY-MM-DD --judgement KEY"));
        AssessmentEdit e;
        e.assessment.set_child_ref(child.toStdString());
        e.assessment.set_item_key(item.toStdString());
        e.assessment.set_half_term(halfTerm.toStdString());
        e.assessment.set_judgement(judgement.toStdString());
        for (const wire::Assessment &a : m_store->assessments(child)) {
            if (a.item_key() == e.assessment.item_key()
                && a.half_term() == e.assessment.half_term())
                e.baseRevision = a.revision();
        }
        e.changeId = QUuid::createUuid().toString(QUuid::WithoutBraces);
        e.queuedAt = QDateTime::currentMSecsSinceEpoch();
        if (Status s = m_store->queueAssessment(e); !s)
            return error(s.error(), Failure);
        QJsonObject result { { QStringLiteral("child"), child }, { QStringLiteral("item"), item },
            { QStringLiteral("half_term"), halfTerm }, { QStringLiteral("judgement"), judgement },
            { QStringLiteral("state"), QStringLiteral("queued") } };
        if (m_w.flags.contains(QStringLiteral("offline"))) {
            print(result);
            return Ok;
        }
        if (int rc = needPassword(); rc != Ok)
            return rc;
        SyncEngine &engine = sync(options(true, true));
        QString state = QStringLiteral("accepted");
        QString reason;
        for (const AssessmentEdit &left : m_store->assessmentOutbox()) {
            if (left.changeId == e.changeId) {
                state = left.state;
                reason = left.reason;
            }
        }
        if (engine.error() != SyncError::None && state == QLatin1String("pending")) {
            print(result);
            return error(
                QStringLiteral("%1 (the judgement is saved on this device and will be sent "
                               "at the next sync)")
                    .arg(engine.errorString()),
                exitFor(engine.error()));
        }
        result.insert(QStringLiteral("state"), state);
        if (!reason.isEmpty())
            result.insert(QStringLiteral("reason"), reason);
        print(result);
        if (state == QLatin1String("refused") || state == QLatin1String("conflict"))
            return error(
                QStringLiteral("the server did not take the judgement: %1").arg(reason), Refused);
        return Ok;
    }

    // ---- report
    std::optional<QDate> dateOption(const QString &name, QString *problem)
    {
        if (!m_w.options.contains(name))
            return QDate();
        const QDate d = QDate::fromString(m_w.one(name), Qt::ISODate);
        if (!d.isValid()) {
            *problem = QStringLiteral("--%1 must be a date YYYY-MM-DD").arg(name);
            return std::nullopt;
        }
        return d;
    }

    // Fetches the thumbnails the journal book prints that this device does not have yet.
    void fetchThumbnails(MediaLoader &loader, const QList<wire::Observation> &entries)
    {
        int waiting = 0;
        QEventLoop loop;
        const auto done = [&] {
            if (--waiting == 0)
                loop.quit();
        };
        QObject::connect(&loader, &MediaLoader::ready, &loop, done);
        QObject::connect(&loader, &MediaLoader::failed, &loop, done);
        for (const wire::Observation &o : entries) {
            for (int i = 0; i < std::min(o.media_size(), JournalBook::kThumbnailsPerEntry); ++i) {
                const wire::Media &m = o.media(i);
                if (m.withheld() != wire::NOT_WITHHELD || !m.available()
                    || !loader.localPath(m, wire::THUMBNAIL).isEmpty()) {
                    continue;
                }
                ++waiting;
                loader.request(m, wire::THUMBNAIL);
            }
        }
        if (waiting > 0)
            loop.exec();
    }

    int report()
    {
        const QString kind = m_w.positional.value(1);
        const QString out = m_w.one(QStringLiteral("out"));
        if (kind != QLatin1String("journal") && kind != QLatin1String("summary")
            && kind != QLatin1String("class"))
            return usage(QStringLiteral("report needs journal, summary or class"));
        if (out.isEmpty())
            return usage(QStringLiteral("report needs --out FILE"));
        const QString childRef = m_w.one(QStringLiteral("child"));
        if (kind != QLatin1String("class") && childRef.isEmpty())
            return usage(QStringLiteral("report %1 needs --child REF").arg(kind));
        if (kind == QLatin1String("class") && m_w.positional.size() != 3)
            return usage(QStringLiteral("report class needs a CLASS"));
        QString problem;
        const auto from = dateOption(QStringLiteral("from"), &problem);
        const auto to = dateOption(QStringLiteral("to"), &problem);
        if (!from || !to)
            return usage(problem);
        QFile::remove(out); // a stale report must not pass for a new one

        const bool offline = m_w.flags.contains(QStringLiteral("offline"));
        QByteArray token;
        if (!offline) {
            if (int rc = needPassword(); rc != Ok)
                return rc;
            SyncEngine &e = sync(options(true, true));
            if (e.error() != SyncError::None)
                return syncFailure(e);
            token = e.report().newToken;
        }
        TrackingGrid::Input device = TrackingGrid::fromDevice(*m_store);
        const auto child = std::find_if(device.roster.cbegin(), device.roster.cend(),
            [&](const wire::Child &c) { return QString::fromStdString(c.ref()) == childRef; });
        if (kind != QLatin1String("class") && child == device.roster.cend()) {
            return error(QStringLiteral("child %1 is not on this device: check the reference, or "
                                        "sync (without --offline) first")
                             .arg(childRef),
                Failure);
        }
        const QString school = m_w.one(QStringLiteral("school"));
        QJsonObject result { { QStringLiteral("report"), kind }, { QStringLiteral("out"), out } };

        if (kind == QLatin1String("journal")) {
            JournalBook::Input in;
            in.child = *child;
            in.schoolName = school;
            in.from = *from;
            in.to = *to;
            in.zone = device.zone;
            in.observations = device.observations;
            in.roster = device.roster;
            MediaLoader loader(*m_store, QDir(m_profile).absoluteFilePath(QStringLiteral("media")));
            if (!offline) {
                SyncOptions signIn = options(false, false);
                signIn.password.clear();
                signIn.token = token;
                loader.setSignIn(signIn);
                fetchThumbnails(loader, JournalBook::entries(in));
            }
            in.thumbnailPath
                = [&loader](const wire::Media &m) { return loader.localPath(m, wire::THUMBNAIL); };
            const Result<int> pages = JournalBook::writePdf(in, out);
            if (!pages)
                return error(pages.error(), Failure);
            result.insert(
                QStringLiteral("entries"), static_cast<int>(JournalBook::entries(in).size()));
            result.insert(QStringLiteral("pages"), pages.value());
            print(result);
            return Ok;
        }

        // The summaries: a half term of the calendar, by its last day.
        QString halfTerm = m_w.one(QStringLiteral("half-term"));
        if (halfTerm.isEmpty()) {
            halfTerm = CountingPeriod::current(
                device.calendar, device.zone, QDateTime::currentMSecsSinceEpoch())
                           .lastDay;
        }
        const auto term = std::find_if(
            device.calendar.cbegin(), device.calendar.cend(), [&](const wire::HalfTermInfo &h) {
                return QString::fromStdString(h.last_day()) == halfTerm;
            });
        if (term == device.calendar.cend()) {
            return error(QStringLiteral("no half term ends on %1 in the school calendar on this "
                                        "device: give --half-term as the last day of one")
                             .arg(halfTerm.isEmpty() ? QStringLiteral("(none)") : halfTerm),
                Failure);
        }
        device.halfTermLastDay = halfTerm;
        result.insert(QStringLiteral("half_term"), QString::fromStdString(term->name()));
        Status written;
        if (kind == QLatin1String("summary")) {
            device.className = QString::fromStdString(child->class_name());
            written = TrackingReport::writeChildSummaryPdf(device, childRef, school, out);
        } else {
            device.className = m_w.positional[2];
            device.columns = m_w.flags.contains(QStringLiteral("elgs"))
                ? TrackingGrid::Columns::EarlyLearningGoals
                : TrackingGrid::Columns::Areas;
            const TrackingGrid grid = TrackingGrid::build(device);
            if (grid.rows().isEmpty()) {
                return error(
                    QStringLiteral("no children of class %1 on this device").arg(device.className),
                    Failure);
            }
            written = TrackingReport::writePdf(
                grid, { school, device.className, QString::fromStdString(term->name()) }, out);
            result.insert(QStringLiteral("children"), static_cast<int>(grid.rows().size()));
        }
        if (!written)
            return error(written.error(), Failure);
        print(result);
        return Ok;
    }

    Words m_w;
    QString m_command;
    QString m_host;
    quint16 m_port = 0;
    QString m_pin;
    QString m_profile;
    QString m_password;
    std::unique_ptr<ClientStore> m_store;
    std::unique_ptr<SyncEngine> m_engine;
};

} // namespace

bool needsGui(const QStringList &arguments)
{
    const Words w = parseWords(arguments.mid(1));
    return w.error.isEmpty() && w.positional.value(0) == QLatin1String("report");
}

int run(const QStringList &arguments)
{
    const Words w = parseWords(arguments.mid(1));
    if (arguments.contains(QStringLiteral("--help"))) {
        QTextStream(stdout) << kUsage;
        return Ok;
    }
    if (!w.error.isEmpty()) {
        QTextStream(stderr) << "acorn-cli: " << w.error << "\n" << kUsage;
        return Usage;
    }
    Cli cli(w);
    return cli.run();
}

} // namespace acorn::cli
