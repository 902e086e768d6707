#include "keepsakejob.h"

#include "viewersession.h"

#include <QTimer>

namespace acorn::viewer {

KeepsakeJob::KeepsakeJob(
    ViewerSession &session, const wire::Child &child, QString folder, QObject *parent)
    : QObject(parent)
    , m_session(session)
    , m_child(child)
    , m_folder(std::move(folder))
{ }

void KeepsakeJob::start()
{
    m_journal = m_session.journal(QString::fromStdString(m_child.ref()));
    const KeepsakeExporter exporter(m_session.calendar(), m_session.mediaCache());
    const QList<wire::Media> missing = exporter.missingMedia(m_journal);
    if (missing.isEmpty()) {
        QTimer::singleShot(0, this, &KeepsakeJob::write);
        return;
    }
    m_total = static_cast<int>(missing.size());
    for (const wire::Media &m : missing)
        m_waiting.insert(QString::fromStdString(m.id()));
    MediaFetcher &fetcher = m_session.media();
    auto settle = [this](const QString &id, wire::MediaVariant variant) {
        if (variant != wire::ORIGINAL || !m_waiting.remove(id))
            return;
        emit progress(tr("Downloading photos and videos…"),
            m_total - static_cast<int>(m_waiting.size()), m_total);
        if (m_waiting.isEmpty())
            write();
    };
    connect(&fetcher, &MediaFetcher::ready, this,
        [settle](const QString &id, wire::MediaVariant v, const QString &) { settle(id, v); });
    connect(&fetcher, &MediaFetcher::failed, this,
        [settle](const QString &id, wire::MediaVariant v, const QString &) { settle(id, v); });
    emit progress(tr("Downloading photos and videos…"), 0, m_total);
    for (const wire::Media &m : missing)
        fetcher.request(m, wire::ORIGINAL);
}

void KeepsakeJob::write()
{
    if (m_done)
        return;
    m_done = true;
    disconnect(&m_session.media(), nullptr, this, nullptr);
    emit progress(tr("Writing the copy…"), m_total, m_total);
    KeepsakeExporter exporter(m_session.calendar(), m_session.mediaCache());
    exporter.setSchoolName(m_session.schoolName());
    const auto r = exporter.exportJournal(m_child, m_journal, m_folder);
    if (r)
        m_report = r.value();
    else
        m_error = r.error();
    emit finished(this);
}

} // namespace acorn::viewer
