#include "syncengine.h"

#include "clientstore.h"
#include "crypto.h"
#include "logging.h"
#include "protocol.h"

#include <QCryptographicHash>
#include <QFileInfo>
#include <QSysInfo>
#include <QThreadPool>

#include <fcntl.h>
#include <unistd.h>

namespace acorn::client {

namespace {
QString str(const std::string &s)
{
    return QString::fromStdString(s);
}
} // namespace

SyncEngine::SyncEngine(ClientStore &store, SyncOptions options, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_options(std::move(options))
{
    if (m_options.deviceName.isEmpty())
        m_options.deviceName = QSysInfo::machineHostName();
}

SyncEngine::~SyncEngine() = default;

QString SyncEngine::presentedPin() const
{
    return m_connection ? m_connection->presentedPin() : QString();
}

void SyncEngine::start()
{
    emit progress(QStringLiteral("connecting"), 0, 0);
    m_connection = new ServerConnection(this);
    connect(m_connection, &ServerConnection::failed, this, [this](FailureKind kind, const QString &message) {
        switch (kind) {
        case FailureKind::PinMismatch:
        case FailureKind::Tls:
            finish(SyncError::Tls, message);
            break;
        case FailureKind::Protocol:
            finish(SyncError::Refused, message);
            break;
        default:
            finish(SyncError::Unreachable, message);
            break;
        }
    });
    connect(m_connection, &ServerConnection::ready, this, &SyncEngine::authenticate);
    m_connection->open(m_options.host, m_options.port, m_options.pin, m_options.kind);
}

bool SyncEngine::handleError(const wire::Frame &reply)
{
    if (!reply.has_error())
        return false;
    const wire::Error &e = reply.error();
    const QString msg = str(e.message());
    m_serverError = e.code();
    m_retryAfterSeconds = e.retry_after_seconds();
    switch (e.code()) {
    case wire::Error::AUTH_FAILED:
    case wire::Error::ACCOUNT_LOCKED:
    case wire::Error::UNAUTHENTICATED:
    case wire::Error::CODE_EXPIRED:
    case wire::Error::SECOND_FACTOR_REQUIRED: // serverError() tells the app to ask for the code
        finish(SyncError::Authentication, msg);
        break;
    case wire::Error::STORAGE_FULL:
    case wire::Error::INTERNAL:
        finish(SyncError::Unreachable, msg); // a server-side fault: everything stays queued
        break;
    default:
        finish(SyncError::Refused, msg);
        break;
    }
    return true;
}

void SyncEngine::authenticate()
{
    emit progress(QStringLiteral("signing in"), 0, 0);
    wire::Frame f;
    if (!m_options.activationCode.isEmpty()) {
        auto *a = f.mutable_activate();
        a->set_username(m_options.username.toStdString());
        a->set_code(m_options.activationCode.toStdString());
        a->set_new_password(m_options.password.toStdString());
        a->set_device_name(m_options.deviceName.toStdString());
    } else if (!m_options.token.isEmpty()) {
        f.mutable_token_login()->set_token(m_options.token.toStdString());
        f.mutable_token_login()->set_device_name(m_options.deviceName.toStdString());
    } else {
        auto *l = f.mutable_login();
        l->set_username(m_options.username.toStdString());
        l->set_password(m_options.password.toStdString());
        l->set_device_name(m_options.deviceName.toStdString());
        l->set_second_factor_code(m_options.secondFactorCode.toStdString());
    }
    m_connection->request(f, [this](const wire::Frame &reply) {
        if (handleError(reply))
            return;
        if (!reply.has_login_reply()) {
            finish(SyncError::Refused, QStringLiteral("the server did not answer the sign-in"));
            return;
        }
        m_report.newToken = QByteArray::fromStdString(reply.login_reply().token());
        m_report.role = reply.login_reply().role();
        m_report.displayName = str(reply.login_reply().display_name());
        if (m_options.push)
            pushOutbox();
        else if (m_options.pull)
            pullPage();
        else
            finish();
    });
}

void SyncEngine::pushOutbox()
{
    QList<OutboxItem> pending;
    for (const OutboxItem &i : m_store.outbox()) {
        if (i.state == QLatin1String("pending"))
            pending.append(i);
    }
    if (pending.isEmpty()) {
        pushAssessments();
        return;
    }
    emit progress(QStringLiteral("sending"), 0, pending.size());
    wire::Frame f;
    QHash<QString, QString> changeIds;
    for (const OutboxItem &i : pending) {
        wire::PushItem *p = f.mutable_push()->add_items();
        *p->mutable_observation() = i.observation;
        p->set_base_revision(i.baseRevision);
        p->set_change_id(i.changeId.toStdString());
        changeIds.insert(str(i.observation.id()), i.changeId);
    }
    m_connection->request(f, [this, changeIds, pending](const wire::Frame &reply) {
        if (handleError(reply))
            return;
        for (const wire::PushResult &r : reply.push_reply().results()) {
            const QString id = str(r.id());
            const QString changeId = changeIds.value(id);
            Status s;
            switch (r.outcome()) {
            case wire::PushResult::ACCEPTED: {
                // Keep a copy in the cache at once, so the journal shows it even offline.
                for (const OutboxItem &i : pending) {
                    if (str(i.observation.id()) == id) {
                        wire::Observation o = i.observation;
                        o.set_revision(r.revision());
                        s = m_store.cacheObservation(o);
                    }
                }
                if (s)
                    s = m_store.removeFromOutbox(id, changeId);
                ++m_report.accepted;
                m_report.outcomes.insert(id, QStringLiteral("accepted"));
                break;
            }
            case wire::PushResult::CONFLICT:
                s = m_store.markOutcome(id, changeId, QStringLiteral("conflict"), str(r.reason()));
                if (s && r.has_server_copy())
                    s = m_store.cacheObservation(r.server_copy());
                ++m_report.conflicts;
                m_report.outcomes.insert(id, QStringLiteral("conflict"));
                m_report.reasons.insert(id, str(r.reason()));
                break;
            default:
                s = m_store.markOutcome(id, changeId, QStringLiteral("refused"), str(r.reason()));
                ++m_report.refused;
                m_report.outcomes.insert(id, QStringLiteral("refused"));
                m_report.reasons.insert(id, str(r.reason()));
                break;
            }
            if (!s) {
                finish(SyncError::Local, s.error());
                return;
            }
        }
        pushOutbox(); // anything queued meanwhile goes too; then media
    });
}

void SyncEngine::pushAssessments()
{
    QList<AssessmentEdit> pending;
    for (const AssessmentEdit &e : m_store.assessmentOutbox()) {
        if (e.state == QLatin1String("pending") && !m_assessmentChangesSent.contains(e.changeId)
            && pending.size() < static_cast<qsizetype>(protocol::kMaxPullItems))
            pending.append(e);
    }
    if (pending.isEmpty()) {
        reportJournalViews();
        return;
    }
    emit progress(QStringLiteral("sending"), 0, pending.size());
    wire::Frame f;
    for (const AssessmentEdit &e : pending) {
        wire::AssessmentPushItem *p = f.mutable_assessment_push()->add_items();
        *p->mutable_assessment() = e.assessment;
        p->set_base_revision(e.baseRevision);
        p->set_change_id(e.changeId.toStdString());
        m_assessmentChangesSent.insert(e.changeId);
    }
    m_connection->request(f, [this, pending](const wire::Frame &reply) {
        if (reply.has_error() && reply.error().code() == wire::Error::UNSUPPORTED) {
            // A server from before assessments: they stay queued for a newer one.
            qCInfo(lcClientSync) << "the server does not take assessments yet;" << pending.size()
                                 << "stay queued";
            reportJournalViews();
            return;
        }
        if (handleError(reply))
            return;
        for (const wire::AssessmentPushResult &r : reply.assessment_push_reply().results()) {
            const QString changeId = str(r.change_id());
            Status s;
            switch (r.outcome()) {
            case wire::PushResult::ACCEPTED:
                // Keep a copy in the cache at once, so the grid shows it even offline.
                for (const AssessmentEdit &e : pending) {
                    if (e.changeId == changeId) {
                        wire::Assessment a = e.assessment;
                        a.set_revision(r.revision());
                        s = m_store.cacheAssessment(a);
                    }
                }
                if (s)
                    s = m_store.removeAssessmentFromOutbox(changeId);
                ++m_report.assessmentsAccepted;
                break;
            case wire::PushResult::CONFLICT:
                // Kept on this device (and in the server's history) until someone decides.
                s = m_store.markAssessmentOutcome(changeId, QStringLiteral("conflict"), str(r.reason()));
                if (s && r.has_server_copy())
                    s = m_store.cacheAssessment(r.server_copy());
                ++m_report.assessmentConflicts;
                break;
            default:
                s = m_store.markAssessmentOutcome(changeId, QStringLiteral("refused"), str(r.reason()));
                ++m_report.assessmentsRefused;
                break;
            }
            if (!s) {
                finish(SyncError::Local, s.error());
                return;
            }
        }
        pushAssessments(); // anything queued meanwhile goes too; then media
    });
}

void SyncEngine::reportJournalViews()
{
    const QList<wire::JournalView> views = m_store.pendingJournalViews(static_cast<int>(protocol::kMaxPullItems));
    if (views.isEmpty() || m_journalViewsReported) {
        startUploads();
        return;
    }
    m_journalViewsReported = true; // one report per sync; more wait for the next
    wire::Frame f;
    for (const wire::JournalView &v : views)
        *f.mutable_journal_views()->add_views() = v;
    m_connection->request(f, [this](const wire::Frame &reply) {
        if (reply.has_error() && reply.error().code() == wire::Error::UNSUPPORTED) {
            // A server from before the view audit: the views stay for a newer one.
            qCInfo(lcClientSync) << "the server does not take journal views yet";
            startUploads();
            return;
        }
        if (handleError(reply))
            return;
        QStringList recorded;
        for (const std::string &id : reply.journal_views_reply().recorded_ids())
            recorded.append(str(id));
        if (Status s = m_store.forgetJournalViews(recorded); !s) {
            finish(SyncError::Local, s.error());
            return;
        }
        startUploads();
    });
}

void SyncEngine::removeConfirmedOriginal(const OutboxMedia &media)
{
    // The server holds this original, checked against its SHA-256, for an observation it
    // accepted (pendingMedia() offers media only then): a lost tablet need not hold it too.
    // The thumbnail stays for the journal; the original is fetched again when wanted.
    if (media.variant != wire::ORIGINAL || !QFileInfo::exists(media.path))
        return;
    // Deleting a file frees its blocks and its cached pages when its last descriptor goes:
    // half a second for a 500 MB video, on the thread that runs the staff app's window.
    // So a descriptor is kept across the unlink and closed on a worker thread; the name is
    // gone at once, the space a moment later. (The upload's own reader closes first, so
    // the descriptor kept here is the last one, unless the video is playing right now.)
    m_file.reset();
    const int lastReference = ::open(QFile::encodeName(media.path).constData(), O_RDONLY | O_CLOEXEC);
    if (QFile::remove(media.path))
        ++m_report.originalsRemoved;
    else
        qCWarning(lcClientSync) << "an uploaded original could not be removed from this device";
    if (lastReference >= 0)
        QThreadPool::globalInstance()->start([lastReference] { ::close(lastReference); });
}

void SyncEngine::startUploads()
{
    // Originals confirmed earlier whose removal a crash or kill interrupted.
    for (const OutboxMedia &m : m_store.confirmedOriginals())
        removeConfirmedOriginal(m);
    m_uploads = m_store.pendingMedia();
    m_uploadIndex = 0;
    m_uploadTotal = 0;
    m_uploadDone = 0;
    for (const OutboxMedia &m : m_uploads)
        m_uploadTotal += m.size;
    uploadNext();
}

namespace {
constexpr int kChunksInFlight = 4;
}

void SyncEngine::uploadNext()
{
    m_file.reset();
    ++m_uploadGeneration;
    m_chunksInFlight = 0;
    m_resyncing = false;
    if (m_uploadIndex >= m_uploads.size()) {
        if (m_options.pull)
            pullPage();
        else
            finish();
        return;
    }
    const OutboxMedia &m = m_uploads.at(m_uploadIndex);
    // Queued files are sealed: chunks are read segment by segment, decrypted as they go.
    m_file = std::make_unique<SealedFileReader>(m.path, m_store.dataKey());
    if (!m_file->open(QIODevice::ReadOnly)) {
        finish(SyncError::Local,
            QFileInfo::exists(m.path)
                ? QStringLiteral("a queued media file cannot be read: %1").arg(m_file->errorString())
                : QStringLiteral("a queued media file is missing from this device: %1").arg(m.path));
        return;
    }
    wire::Frame f;
    auto *b = f.mutable_upload_begin();
    b->set_media_id(m.mediaId.toStdString());
    b->set_variant(static_cast<wire::MediaVariant>(m.variant));
    b->set_size(static_cast<quint64>(m.size));
    b->set_sha256(m.sha256.toStdString());
    m_connection->request(f, [this](const wire::Frame &reply) {
        if (handleError(reply))
            return;
        const OutboxMedia &cur = m_uploads.at(m_uploadIndex);
        const wire::UploadStatus &st = reply.upload_status();
        if (st.complete()) {
            if (Status s = m_store.markMediaDone(cur.mediaId, cur.variant); !s) {
                finish(SyncError::Local, s.error());
                return;
            }
            removeConfirmedOriginal(cur);
            m_uploadDone += cur.size;
            ++m_uploadIndex;
            uploadNext();
            return;
        }
        m_offset = static_cast<qint64>(st.offset());
        m_uploadDone += m_offset;
        qCDebug(lcClientSync) << "uploading" << cur.mediaId << "from" << m_offset;
        fillUploadWindow();
    });
}

void SyncEngine::fillUploadWindow()
{
    const OutboxMedia &m = m_uploads.at(m_uploadIndex);
    while (!m_finished && !m_resyncing && m_chunksInFlight < kChunksInFlight && m_offset < m.size) {
        if (!m_file->seek(m_offset)) {
            finish(SyncError::Local, QStringLiteral("cannot read the queued media file %1").arg(m.path));
            return;
        }
        const QByteArray data = m_file->read(protocol::kMaxChunkBytes);
        if (data.isEmpty()) {
            finish(SyncError::Local,
                m_offset < m_file->size()
                    ? QStringLiteral("a queued media file cannot be read: %1").arg(m_file->errorString())
                    : QStringLiteral("the queued media file %1 is shorter than recorded").arg(m.path));
            return;
        }
        wire::Frame f;
        auto *c = f.mutable_upload_chunk();
        c->set_media_id(m.mediaId.toStdString());
        c->set_variant(static_cast<wire::MediaVariant>(m.variant));
        c->set_offset(static_cast<quint64>(m_offset));
        c->set_data(data.constData(), static_cast<size_t>(data.size()));
        const qint64 sentOffset = m_offset;
        const qint64 sent = data.size();
        const quint64 generation = m_uploadGeneration;
        m_offset += sent;
        ++m_chunksInFlight;
        m_connection->request(f, [this, generation, sentOffset, sent](const wire::Frame &reply) {
            onChunkReply(generation, sentOffset, sent, reply);
        });
    }
    if (!m_finished && !m_resyncing && m_chunksInFlight == 0 && m_offset >= m.size) {
        // The server holds every byte but did not say the upload is complete (an older
        // server stopped between the last chunk and its commit): nothing more would come,
        // so stop here rather than wait for ever; the next sync asks again.
        finish(SyncError::Refused, tr("the server did not confirm an upload it holds in full; it will be checked at the next sync"));
    }
}

void SyncEngine::onChunkReply(quint64 generation, qint64 sentOffset, qint64 sentBytes, const wire::Frame &reply)
{
    if (m_finished || generation != m_uploadGeneration)
        return;
    --m_chunksInFlight;
    if (handleError(reply))
        return;
    const OutboxMedia &cur = m_uploads.at(m_uploadIndex);
    const wire::UploadStatus &st = reply.upload_status();
    if (st.complete()) {
        m_report.uploadedBytes += sentBytes;
        m_uploadDone += sentBytes;
        emit progress(QStringLiteral("uploading"), m_uploadDone, m_uploadTotal);
        if (Status s = m_store.markMediaDone(cur.mediaId, cur.variant); !s) {
            finish(SyncError::Local, s.error());
            return;
        }
        removeConfirmedOriginal(cur);
        ++m_report.mediaCompleted;
        ++m_uploadIndex;
        uploadNext(); // later answers for this upload carry an old generation
        return;
    }
    const qint64 held = static_cast<qint64>(st.offset());
    if (held == sentOffset + sentBytes && !m_resyncing) {
        m_report.uploadedBytes += sentBytes;
        m_uploadDone += sentBytes;
        emit progress(QStringLiteral("uploading"), m_uploadDone, m_uploadTotal);
    } else if (held != sentOffset + sentBytes) {
        // The server did not take this chunk (it holds `held` bytes): the chunks after it
        // cannot be taken either. Wait for their answers, then resume from what it holds.
        m_resyncing = true;
        m_resumeOffset = held;
    }
    if (m_resyncing && m_chunksInFlight == 0) {
        qCDebug(lcClientSync) << "upload of" << cur.mediaId << "resumes from" << m_resumeOffset;
        m_resyncing = false;
        m_offset = m_resumeOffset;
    }
    fillUploadWindow();
}

void SyncEngine::pullPage()
{
    emit progress(QStringLiteral("receiving"), m_report.received, 0);
    wire::Frame f;
    f.mutable_pull()->set_cursor(m_store.cursor().toStdString());
    m_connection->request(f, [this](const wire::Frame &reply) {
        if (handleError(reply))
            return;
        if (!reply.has_pull_reply()) {
            finish(SyncError::Refused, QStringLiteral("the server did not answer the pull"));
            return;
        }
        const wire::PullReply &page = reply.pull_reply();
        if (Status s = m_store.applyPull(page); !s) {
            finish(SyncError::Local, s.error());
            return;
        }
        m_report.received += page.observations_size();
        m_report.removed += page.removed_ids_size();
        if (page.more())
            pullPage();
        else
            finish();
    });
}

void SyncEngine::finish(SyncError error, const QString &message)
{
    if (m_finished)
        return;
    m_finished = true;
    m_error = error;
    m_errorString = message;
    m_file.reset();
    emit finished(this);
}

// ------------------------------------------------------------------ MediaDownload

MediaDownload::MediaDownload(ServerConnection &connection, QString mediaId, wire::MediaVariant variant, QString outPath,
                             QObject *parent)
    : MediaDownload(connection, std::move(mediaId), variant, std::move(outPath), DataKey(), parent)
{
}

MediaDownload::MediaDownload(ServerConnection &connection, QString mediaId, wire::MediaVariant variant, QString outPath,
                             DataKey key, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_mediaId(std::move(mediaId))
    , m_variant(variant)
    , m_outPath(std::move(outPath))
    , m_key(std::move(key))
{
}

MediaDownload::~MediaDownload() = default;

void MediaDownload::start()
{
    m_hash = std::make_unique<crypto::Sha256>();
    if (m_key.isValid()) {
        m_sealed = std::make_unique<SealedFileWriter>(m_outPath, m_key);
        if (Status s = m_sealed->open(); !s) {
            done(s.error());
            return;
        }
    } else {
        m_file.setFileName(m_outPath + QStringLiteral(".part"));
        if (!m_file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            done(QStringLiteral("cannot write %1: %2").arg(m_file.fileName(), m_file.errorString()));
            return;
        }
    }
    connect(&m_connection, &ServerConnection::failed, this, [this](FailureKind, const QString &message) { done(message); });
    fetch();
}

void MediaDownload::fetch()
{
    wire::Frame f;
    auto *r = f.mutable_media_fetch();
    r->set_media_id(m_mediaId.toStdString());
    r->set_variant(m_variant);
    r->set_offset(static_cast<quint64>(m_offset));
    m_connection.request(f, [this](const wire::Frame &reply) {
        if (reply.has_error()) {
            m_refused = reply.error().code() == wire::Error::FORBIDDEN;
            done(QString::fromStdString(reply.error().message()));
            return;
        }
        const wire::MediaData &d = reply.media_data();
        if (static_cast<qint64>(d.offset()) != m_offset) {
            done(QStringLiteral("the server sent the wrong part of the file"));
            return;
        }
        m_total = static_cast<qint64>(d.total_size());
        m_sha256 = QByteArray::fromStdString(d.sha256());
        const QByteArrayView piece(d.data().data(), static_cast<qsizetype>(d.data().size()));
        m_hash->add(piece);
        const bool written = m_sealed ? m_sealed->write(piece).ok()
                                      : m_file.write(piece.data(), piece.size()) == piece.size();
        if (!written) {
            done(QStringLiteral("cannot write the download (is the disk full?)"));
            return;
        }
        m_offset += static_cast<qint64>(d.data().size());
        emit progress(m_offset, m_total);
        if (m_offset < m_total && !d.data().empty()) {
            fetch();
            return;
        }
        if (m_hash->result() != m_sha256) {
            done(QStringLiteral("the downloaded file does not match its SHA-256"));
            return;
        }
        if (m_sealed) {
            if (Status s = m_sealed->commit(); !s) {
                done(s.error());
                return;
            }
            done();
            return;
        }
        m_file.close();
        QFile::remove(m_outPath);
        if (!QFile::rename(m_file.fileName(), m_outPath)) {
            done(QStringLiteral("cannot move the download to %1").arg(m_outPath));
            return;
        }
        done();
    });
}

void MediaDownload::done(const QString &error)
{
    if (!error.isEmpty()) {
        m_error = error;
        if (m_sealed)
            m_sealed->cancel();
        if (m_file.isOpen()) {
            m_file.close();
            QFile::remove(m_file.fileName());
        }
    }
    disconnect(&m_connection, nullptr, this, nullptr);
    emit finished(this);
}

} // namespace acorn::client
