#pragma once

#include "keepsakeexporter.h"

#include <QObject>
#include <QSet>

namespace acorn::viewer {

class ViewerSession;

// A keepsake export of one child's journal, KJob style: start(), progress(), finished()
// once. Downloads the full photos and videos this device does not hold yet (online), then
// writes the folder with KeepsakeExporter. Offline, it exports what is here and the
// report counts what is missing.
class KeepsakeJob : public QObject
{
    Q_OBJECT
public:
    KeepsakeJob(ViewerSession &session, const wire::Child &child, QString folder,
        QObject *parent = nullptr);

    void start();
    bool failed() const { return !m_error.isEmpty(); }
    QString errorString() const { return m_error; }
    const KeepsakeReport &report() const { return m_report; }

signals:
    void progress(const QString &text, int done, int total);
    void finished(acorn::viewer::KeepsakeJob *self);

private:
    void write();

    ViewerSession &m_session;
    wire::Child m_child;
    QString m_folder;
    QList<wire::Observation> m_journal;
    QSet<QString> m_waiting;
    int m_total = 0;
    KeepsakeReport m_report;
    QString m_error;
    bool m_done = false;
};

} // namespace acorn::viewer
