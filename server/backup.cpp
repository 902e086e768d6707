#include "backup.h"

#include "backuparchive.h"
#include "database.h"
#include "datadir.h"
#include "logging.h"
#include "serverstore.h"
#include "timeutil.h"
#include "tlspin.h"

#include <QDate>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSet>
#include <QSettings>
#include <QTemporaryDir>

#include <cerrno>
#include <cstring>
#include <memory>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace acorn::server {

namespace {

const QString kManifest = QStringLiteral("acorn-backup.json");
const QString kManifestSum = QStringLiteral("acorn-backup.json.sha256");
const QString kDatabase = QStringLiteral("acorn.db");
const QString kConfig = QStringLiteral("acorn-server.conf");
const QString kCertificate = QStringLiteral("tls/cert.pem");
const QString kKey = QStringLiteral("tls/key.pem");
constexpr qint64 kMaxManifestBytes = qint64(256) << 20;

struct FileRecord
{
    QString path;
    qint64 size = 0;
    QString sha256;
};

struct VerifiedBackup
{
    SchoolBackup::Summary summary;
    QList<FileRecord> files; // in archive order, the manifest and its checksum excluded
};

QString mediaObjectPath(const QString &sha256Hex)
{
    return QStringLiteral("media/objects/%1/%2").arg(sha256Hex.left(2), sha256Hex);
}

// Only these paths may come out of a backup: nothing can be written outside the target.
bool isBackupPath(const QString &path)
{
    static const QRegularExpression media(
        QStringLiteral("^media/objects/([0-9a-f]{2})/([0-9a-f]{64})$"));
    if (path == kDatabase || path == kConfig || path == kCertificate || path == kKey
        || path == kManifest || path == kManifestSum)
        return true;
    const auto m = media.match(path);
    return m.hasMatch() && m.captured(2).startsWith(m.captured(1));
}

QString manifestSumLine(const QString &manifestSha256)
{
    return QStringLiteral("%1  %2\n").arg(manifestSha256, kManifest);
}

Status syncFile(int fd, const QString &what)
{
    if (::fsync(fd) != 0)
        return Status::failure(QStringLiteral("cannot flush %1 to disk: %2")
                                   .arg(what, QString::fromLocal8Bit(strerror(errno))));
    return {};
}

void syncDirectory(const QString &path)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

bool makePrivateDir(const QString &path)
{
    if (!QDir().mkpath(path))
        return false;
    return QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
}

Result<VerifiedBackup> readBackup(const QString &path)
{
    using R = Result<VerifiedBackup>;
    const auto damaged = [&](const QString &why) {
        return R::failure(
            QStringLiteral("the backup %1 cannot be used: %2. Use another copy of the backup.")
                .arg(path, why));
    };
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return R::failure(
            QStringLiteral("cannot read the backup %1: %2").arg(path, file.errorString()));

    BackupArchiveReader reader(file);
    QList<FileRecord> entries;
    QSet<QString> seen;
    QByteArray manifestBytes;
    QByteArray manifestSum;
    for (;;) {
        const auto next = reader.next();
        if (!next)
            return damaged(next.error());
        if (!next.value())
            break;
        const BackupArchiveReader::Entry entry = *next.value();
        if (!isBackupPath(entry.path))
            return damaged(QStringLiteral("it holds '%1', which is not part of an Acorn backup")
                               .arg(entry.path));
        if (seen.contains(entry.path))
            return damaged(QStringLiteral("it holds '%1' twice").arg(entry.path));
        seen.insert(entry.path);
        QByteArray *keep = entry.path == kManifest ? &manifestBytes
            : entry.path == kManifestSum           ? &manifestSum
                                                   : nullptr;
        if (keep && entry.size > kMaxManifestBytes)
            return damaged(
                QStringLiteral("its manifest is implausibly large (%1 bytes)").arg(entry.size));
        const auto sha = reader.readData([keep](QByteArrayView chunk) {
            if (keep)
                keep->append(chunk);
            return Status();
        });
        if (!sha)
            return damaged(sha.error());
        entries.append({ entry.path, entry.size, sha.value() });
    }
    if (Status s = reader.finish(); !s)
        return damaged(s.error());

    // The manifest and its checksum close the archive: without them it is incomplete.
    if (entries.size() < 2 || entries.last().path != kManifestSum
        || entries[entries.size() - 2].path != kManifest)
        return damaged(QStringLiteral("its manifest is missing (an incomplete backup)"));
    const FileRecord manifestEntry = entries[entries.size() - 2];
    if (QString::fromLatin1(manifestSum) != manifestSumLine(manifestEntry.sha256))
        return damaged(QStringLiteral("its manifest does not match the manifest's checksum"));
    entries.resize(entries.size() - 2);

    QJsonParseError parseError;
    const QJsonObject manifest = QJsonDocument::fromJson(manifestBytes, &parseError).object();
    if (parseError.error != QJsonParseError::NoError)
        return damaged(
            QStringLiteral("its manifest is not valid JSON (%1)").arg(parseError.errorString()));
    if (manifest.value(QStringLiteral("format")).toString() != QLatin1String("acorn-backup"))
        return damaged(QStringLiteral("it is not an Acorn backup"));
    const int format = manifest.value(QStringLiteral("format_version")).toInt();
    if (format != SchoolBackup::kFormatVersion)
        return R::failure(
            QStringLiteral("the backup %1 is in format %2, which this acorn-server (%3) does "
                           "not read: restore it with the Acorn version that made it (%4)")
                .arg(path)
                .arg(format)
                .arg(QStringLiteral(ACORN_VERSION),
                    manifest.value(QStringLiteral("acorn_version")).toString()));

    const QJsonArray listed = manifest.value(QStringLiteral("files")).toArray();
    if (listed.size() != entries.size())
        return damaged(QStringLiteral("its manifest lists %1 files but it holds %2")
                           .arg(listed.size())
                           .arg(entries.size()));
    VerifiedBackup v;
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const QJsonObject l = listed[i].toObject();
        const FileRecord &e = entries[i];
        if (l.value(QStringLiteral("path")).toString() != e.path)
            return damaged(QStringLiteral("'%1' is not where its manifest says").arg(e.path));
        if (l.value(QStringLiteral("size")).toInteger(-1) != e.size)
            return damaged(QStringLiteral("'%1' has %2 bytes, its manifest says %3")
                               .arg(e.path)
                               .arg(e.size)
                               .arg(l.value(QStringLiteral("size")).toInteger(-1)));
        if (l.value(QStringLiteral("sha256")).toString() != e.sha256)
            return damaged(QStringLiteral("'%1' does not match its SHA-256 (the file is damaged)")
                               .arg(e.path));
        if (e.path.startsWith(QLatin1String("media/")))
            ++v.summary.mediaObjects;
    }
    for (const QString &required : { kConfig, kCertificate, kKey, kDatabase }) {
        if (!seen.contains(required))
            return damaged(QStringLiteral("it has no %1").arg(required));
    }
    v.files = entries;
    v.summary.file = QFileInfo(path).absoluteFilePath();
    v.summary.createdAtMs = manifest.value(QStringLiteral("created_at_ms")).toInteger();
    v.summary.acornVersion = manifest.value(QStringLiteral("acorn_version")).toString();
    v.summary.schemaVersion = manifest.value(QStringLiteral("schema_version")).toInt();
    v.summary.files = static_cast<int>(entries.size());
    v.summary.bytes = reader.position();
    return v;
}

} // namespace

QJsonObject SchoolBackup::Summary::toJson() const
{
    QJsonObject o { { QStringLiteral("backup"), file },
        { QStringLiteral("created_at"), timeutil::formatMs(createdAtMs) },
        { QStringLiteral("acorn_version"), acornVersion },
        { QStringLiteral("schema_version"), schemaVersion }, { QStringLiteral("files"), files },
        { QStringLiteral("media_objects"), mediaObjects }, { QStringLiteral("bytes"), bytes } };
    if (!dataDir.isEmpty())
        o.insert(QStringLiteral("data_dir"), dataDir);
    if (!fingerprint.isEmpty())
        o.insert(QStringLiteral("fingerprint"), fingerprint);
    if (!warnings.isEmpty())
        o.insert(QStringLiteral("warnings"), QJsonArray::fromStringList(warnings));
    return o;
}

// ------------------------------------------------------------------ backup

Result<SchoolBackup::Summary> SchoolBackup::create(ServerStore &store, const DataDir &dir,
    const QString &outPath, const QString &actor, qint64 nowMs)
{
    using R = Result<Summary>;
    const QString url
        = QSettings(dir.configPath(), QSettings::IniFormat)
              .value(QStringLiteral("database/url"), QStringLiteral("sqlite:acorn.db"))
              .toString();
    if (!url.startsWith(QLatin1String("sqlite:")))
        return R::failure(
            QStringLiteral("this school's database is not SQLite (%1): back it up with the "
                           "database's own tools (pg_dump for PostgreSQL) and copy %2")
                .arg(url.section(QLatin1Char(':'), 0, 0), dir.mediaPath()));
    const QFileInfo out(outPath);
    if (out.isDir())
        return R::failure(
            QStringLiteral("%1 is a directory: give --out a file name, e.g. %1/acorn-%2.tar")
                .arg(outPath, QDate::currentDate().toString(Qt::ISODate)));
    if (!out.dir().exists())
        return R::failure(
            QStringLiteral("the folder %1 does not exist: create it or choose another --out")
                .arg(out.absolutePath()));

    Summary summary;
    summary.file = out.absoluteFilePath();
    summary.createdAtMs = nowMs;
    summary.acornVersion = QStringLiteral(ACORN_VERSION);

    // 1. The database snapshot, in a private working folder beside the backup.
    QTemporaryDir work(out.absolutePath() + QStringLiteral("/.acorn-backup-XXXXXX"));
    if (!work.isValid())
        return R::failure(
            QStringLiteral("cannot create a working folder in %1 (%2): check that this user may "
                           "write there and that the disk has space")
                .arg(out.absolutePath(), work.errorString()));
    const QString snapshot = work.filePath(kDatabase);
    if (Status s = store.snapshotInto(snapshot); !s)
        return R::failure(s.error());
    QStringList mediaObjects;
    {
        auto copy = ServerStore::openSqlite(snapshot, false);
        if (!copy)
            return R::failure(
                QStringLiteral("the database snapshot cannot be opened: %1").arg(copy.error()));
        if (const QString problems = copy.value()->integrityProblems(); !problems.isEmpty())
            return R::failure(
                QStringLiteral("the database snapshot fails SQLite's check (%1): the school's "
                               "database may be damaged; keep the previous backups and ask "
                               "for help before restoring anything")
                    .arg(problems));
        summary.schemaVersion = copy.value()->schemaVersion();
        mediaObjects = copy.value()->completeMediaObjects();
    }

    // 2. The archive, written under a temporary name and renamed when complete.
    QSaveFile file(outPath);
    if (!file.open(QIODevice::WriteOnly))
        return R::failure(QStringLiteral("cannot write %1: %2").arg(outPath, file.errorString()));
    ::fchmod(file.handle(), S_IRUSR | S_IWUSR);
    BackupArchiveWriter writer(file, nowMs / 1000);
    QJsonArray listed;
    const auto add = [&](const QString &archivePath, const QString &source) -> Status {
        QFile in(source);
        if (!in.open(QIODevice::ReadOnly))
            return Status::failure(
                QStringLiteral("cannot read %1: %2").arg(source, in.errorString()));
        const qint64 size = in.size();
        const auto sha = writer.addFile(archivePath, in, size);
        if (!sha)
            return Status::failure(sha.error());
        listed.append(QJsonObject { { QStringLiteral("path"), archivePath },
            { QStringLiteral("size"), size }, { QStringLiteral("sha256"), sha.value() } });
        if (archivePath.startsWith(QLatin1String("media/")) && !archivePath.endsWith(sha.value())) {
            summary.warnings.append(
                QStringLiteral("media object %1 does not match its SHA-256 (damaged on the "
                               "server's disk); it was backed up as it is")
                    .arg(QFileInfo(archivePath).fileName()));
        }
        return {};
    };
    const auto fail = [&](const QString &message) {
        file.cancelWriting();
        return R::failure(QStringLiteral("the backup was not made: %1").arg(message));
    };
    for (const auto &[archivePath, source] : { std::pair { kConfig, dir.configPath() },
             std::pair { kCertificate, dir.certificatePath() }, std::pair { kKey, dir.keyPath() },
             std::pair { kDatabase, snapshot } }) {
        if (Status s = add(archivePath, source); !s)
            return fail(s.error());
    }
    for (const QString &sha : std::as_const(mediaObjects)) {
        const QString source
            = dir.mediaPath() + QStringLiteral("/objects/%1/%2").arg(sha.left(2), sha);
        if (!isBackupPath(mediaObjectPath(sha))) {
            summary.warnings.append(
                QStringLiteral("the database names a media object '%1', which is not a SHA-256; "
                               "it was left out")
                    .arg(sha));
            continue;
        }
        if (!QFileInfo::exists(source)) {
            summary.warnings.append(
                QStringLiteral("media object %1 is recorded as complete but missing from %2")
                    .arg(sha, dir.mediaPath()));
            continue;
        }
        if (Status s = add(mediaObjectPath(sha), source); !s)
            return fail(s.error());
        ++summary.mediaObjects;
    }
    const QJsonObject manifest { { QStringLiteral("format"), QStringLiteral("acorn-backup") },
        { QStringLiteral("format_version"), kFormatVersion },
        { QStringLiteral("acorn_version"), summary.acornVersion },
        { QStringLiteral("schema_version"), summary.schemaVersion },
        { QStringLiteral("database"), QStringLiteral("sqlite") },
        { QStringLiteral("created_at"), timeutil::formatMs(nowMs) },
        { QStringLiteral("created_at_ms"), nowMs }, { QStringLiteral("files"), listed } };
    const QByteArray manifestBytes = QJsonDocument(manifest).toJson(QJsonDocument::Indented);
    const auto manifestSha = writer.addData(kManifest, manifestBytes);
    if (!manifestSha)
        return fail(manifestSha.error());
    if (const auto s
        = writer.addData(kManifestSum, manifestSumLine(manifestSha.value()).toLatin1());
        !s)
        return fail(s.error());
    if (Status s = writer.finish(); !s)
        return fail(s.error());
    if (!file.flush())
        return fail(QStringLiteral("cannot write %1: %2").arg(outPath, file.errorString()));
    if (Status s = syncFile(file.handle(), outPath); !s)
        return fail(s.error());
    if (!file.commit())
        return R::failure(QStringLiteral("the backup was not made: cannot save %1: %2")
                              .arg(outPath, file.errorString()));
    syncDirectory(out.absolutePath());
    summary.files = static_cast<int>(listed.size());
    summary.bytes = writer.bytesWritten();

    Status recorded = store.setMeta(lastBackupMetaKey(), QString::number(nowMs));
    if (recorded)
        recorded
            = store.audit(actor, QStringLiteral("admin"), QStringLiteral("backup"), summary.file,
                QStringLiteral("%1 files, %2 bytes").arg(summary.files).arg(summary.bytes), nowMs);
    if (!recorded)
        summary.warnings.append(
            QStringLiteral("the backup is complete, but its time could not be recorded: %1")
                .arg(recorded.error()));
    qCInfo(lcServer) << "backup made:" << summary.files << "files," << summary.bytes << "bytes";
    return summary;
}

// ------------------------------------------------------------------ verify

Result<SchoolBackup::Summary> SchoolBackup::verify(const QString &backupPath)
{
    auto v = readBackup(backupPath);
    if (!v)
        return Result<Summary>::failure(v.error());
    return v.value().summary;
}

// ------------------------------------------------------------------ restore

Result<SchoolBackup::Summary> SchoolBackup::restore(
    const QString &backupPath, const DataDir &target, const QString &actor, qint64 nowMs)
{
    using R = Result<Summary>;
    const QString root = target.path();
    const QFileInfo rootInfo(root);
    if (target.holdsSchool())
        return R::failure(
            QStringLiteral("%1 already holds a school: restore only into a new or empty "
                           "directory (stop the server and move the old one aside first)")
                .arg(root));
    if (rootInfo.exists() && !rootInfo.isDir())
        return R::failure(QStringLiteral("%1 is not a directory").arg(root));
    // Restored files belong to whoever restores them: root's would be unreadable by a
    // server running as its own user (the packaged service runs as 'acorn').
    if (rootInfo.exists() && ::geteuid() == 0 && rootInfo.ownerId() != 0)
        return R::failure(QStringLiteral("%1 belongs to the user '%2': restore as that user "
                                         "(sudo -u %2 acorn-server admin ...), so that the "
                                         "server can read what is restored")
                              .arg(root, rootInfo.owner()));
    if (rootInfo.exists()
        && !QDir(root)
                .entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot)
                .isEmpty())
        return R::failure(
            QStringLiteral("%1 is not empty: restore only into a new or empty directory")
                .arg(root));

    // 1. Every byte checked before anything is written.
    auto verified = readBackup(backupPath);
    if (!verified)
        return R::failure(QStringLiteral("%1 Nothing was restored.").arg(verified.error()));
    VerifiedBackup &v = verified.value();
    if (v.summary.schemaVersion > Database::latestSchemaVersion())
        return R::failure(
            QStringLiteral("the backup %1 was made by a newer Acorn (%2, database schema %3; this "
                           "acorn-server knows up to %4): install that version or newer, then "
                           "restore. Nothing was restored.")
                .arg(backupPath, v.summary.acornVersion)
                .arg(v.summary.schemaVersion)
                .arg(Database::latestSchemaVersion()));

    // 2. Unpacked into a private staging folder inside the target (same file system, and
    //    writable by the server's user even where the parent folder is not).
    const bool createdRoot = !rootInfo.exists();
    if (createdRoot && !makePrivateDir(root))
        return R::failure(QStringLiteral("cannot create %1").arg(root));
    const auto cleanUpRoot = [&] {
        if (createdRoot)
            QDir().rmdir(root);
    };
    auto staging = std::make_unique<QTemporaryDir>(root + QStringLiteral("/.acorn-restore-XXXXXX"));
    const auto fail = [&](const QString &message) {
        staging.reset();
        cleanUpRoot();
        return R::failure(QStringLiteral("nothing was restored: %1").arg(message));
    };
    if (!staging->isValid())
        return fail(QStringLiteral("cannot create a working folder in %1 (%2)")
                        .arg(root, staging->errorString()));

    QFile file(backupPath);
    if (!file.open(QIODevice::ReadOnly))
        return fail(
            QStringLiteral("cannot read the backup %1: %2").arg(backupPath, file.errorString()));
    BackupArchiveReader reader(file);
    qsizetype index = 0;
    for (;;) {
        const auto next = reader.next();
        if (!next)
            return fail(QStringLiteral("the backup changed while it was being restored: %1")
                            .arg(next.error()));
        if (!next.value())
            break;
        const QString path = next.value()->path;
        const bool listed = index < v.files.size();
        if (!listed && path != kManifest && path != kManifestSum)
            return fail(
                QStringLiteral("the backup changed while it was being restored (%1)").arg(path));
        if (!listed) {
            if (const auto skipped = reader.readData(); !skipped)
                return fail(skipped.error());
            continue;
        }
        const FileRecord &expected = v.files[index++];
        if (path != expected.path || next.value()->size != expected.size)
            return fail(
                QStringLiteral("the backup changed while it was being restored (%1)").arg(path));
        const QString dest = staging->filePath(path);
        if (!makePrivateDir(QFileInfo(dest).path()))
            return fail(QStringLiteral("cannot create %1").arg(QFileInfo(dest).path()));
        QFile outFile(dest);
        if (!outFile.open(QIODevice::WriteOnly | QIODevice::NewOnly))
            return fail(QStringLiteral("cannot write %1: %2").arg(dest, outFile.errorString()));
        ::fchmod(outFile.handle(), S_IRUSR | S_IWUSR);
        const auto sha = reader.readData([&outFile](QByteArrayView chunk) {
            if (outFile.write(chunk.data(), chunk.size()) != chunk.size())
                return Status::failure(QStringLiteral("cannot write %1: %2")
                                           .arg(outFile.fileName(), outFile.errorString()));
            return Status();
        });
        if (!sha)
            return fail(sha.error());
        if (sha.value() != expected.sha256)
            return fail(
                QStringLiteral("the backup changed while it was being restored (%1)").arg(path));
        if (!outFile.flush())
            return fail(QStringLiteral("cannot write %1: %2").arg(dest, outFile.errorString()));
        if (Status s = syncFile(outFile.handle(), dest); !s)
            return fail(s.error());
    }
    if (index != v.files.size())
        return fail(QStringLiteral("the backup changed while it was being restored"));
    if (!makePrivateDir(staging->filePath(QStringLiteral("media")))
        || !makePrivateDir(staging->filePath(QStringLiteral("media/objects")))
        || !makePrivateDir(staging->filePath(QStringLiteral("media/incoming"))))
        return fail(QStringLiteral("cannot create the media folders"));

    // 3. The restored database must open (older schemas are migrated here, as `run` would),
    //    and the restore is recorded in its audit log.
    {
        QSettings config(staging->filePath(kConfig), QSettings::IniFormat);
        if (config.value(QStringLiteral("database/url")).toString()
            != QLatin1String("sqlite:acorn.db")) {
            config.setValue(QStringLiteral("database/url"), QStringLiteral("sqlite:acorn.db"));
            config.sync();
            v.summary.warnings.append(
                QStringLiteral("the database is now %1/acorn.db (set in %2)").arg(root, kConfig));
        }
        auto store = ServerStore::openSqlite(staging->filePath(kDatabase), false);
        if (!store)
            return fail(
                QStringLiteral("the restored database cannot be opened: %1").arg(store.error()));
        if (Status s = store.value()->audit(actor, QStringLiteral("admin"),
                QStringLiteral("restore"), v.summary.file,
                QStringLiteral("backup of %1").arg(timeutil::formatMs(v.summary.createdAtMs)),
                nowMs);
            !s)
            return fail(s.error());
        // Devices that synced after this backup hold cursors beyond the restored change
        // sequence; they would skip the changes made from now on up to that point. A new
        // cursor key (SyncService makes one when the meta value is empty) makes every old
        // cursor invalid, so each device's next pull is a full one.
        if (Status s = store.value()->setMeta(QStringLiteral("cursor_key"), QString()); !s)
            return fail(s.error());
    }
    if (QFileInfo::exists(staging->filePath(kDatabase + QStringLiteral("-wal"))))
        return fail(QStringLiteral("the restored database was not closed cleanly"));

    // 4. Moved into place, the configuration last: until it is there the directory does
    //    not hold a school.
    QStringList moved;
    for (const QString &name :
        { QStringLiteral("tls"), QStringLiteral("media"), kDatabase, kConfig }) {
        const QByteArray from = QFile::encodeName(staging->filePath(name));
        const QByteArray to = QFile::encodeName(root + QLatin1Char('/') + name);
        if (::rename(from.constData(), to.constData()) != 0) {
            const QString why = QString::fromLocal8Bit(strerror(errno));
            for (const QString &back : std::as_const(moved))
                ::rename(QFile::encodeName(root + QLatin1Char('/') + back).constData(),
                    QFile::encodeName(staging->filePath(back)).constData());
            return fail(QStringLiteral("cannot move %1 into %2: %3").arg(name, root, why));
        }
        moved.append(name);
    }
    staging.reset();
    syncDirectory(root);

    v.summary.dataDir = root;
    QFile cert(target.certificatePath());
    if (cert.open(QIODevice::ReadOnly)) {
        if (const auto fp = tls::spkiFingerprint(cert.readAll()))
            v.summary.fingerprint = fp.value();
    }
    qCInfo(lcServer) << "restored a backup:" << v.summary.files << "files";
    return v.summary;
}

} // namespace acorn::server
