#include "startupprobe.h"

#include "journalcard.h"
#include "journalpage.h"
#include "mediathumbnail.h"
#include "rosterpage.h"
#include "rostersummary.h"
#include "staffwindow.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QEvent>
#include <QFile>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QTextStream>
#include <QThread>
#include <QTimer>

#include <algorithm>

namespace acorn::staff {

namespace {

// A figure from /proc/self/status in KiB ("VmRSS:", "VmHWM:"); 0 where there is none.
qint64 statusKiB(const QByteArray &field)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(field.size()).trimmed().split(' ').first().toLongLong();
    }
    return 0;
}

void say(const QString &line)
{
    QTextStream out(stdout);
    out << "acorn-staff startup: " << line << Qt::endl;
}

} // namespace

StartupProbe::StartupProbe(StaffWindow *window, QString childRef, std::function<void()> quit)
    : QObject(window)
    , m_window(window)
    , m_childRef(std::move(childRef))
    , m_quit(std::move(quit))
{
    m_window->installEventFilter(this);
}

bool StartupProbe::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_window && event->type() == QEvent::Paint && !m_painted) {
        m_painted = true;
        // After this paint has finished and whatever it queued has run.
        QTimer::singleShot(0, this, &StartupProbe::reportInteractive);
    }
    return QObject::eventFilter(watched, event);
}

void StartupProbe::reportInteractive()
{
    m_window->removeEventFilter(this);
    say(QStringLiteral("interactive children=%1 rss_kib=%2")
            .arg(m_window->rosterPage()->model()->children().size())
            .arg(statusKiB("VmRSS:")));
    if (m_childRef.isEmpty() || m_childRef == QLatin1String("1"))
        return;
    QTimer::singleShot(0, this, &StartupProbe::scrollJournal);
}

void StartupProbe::scrollJournal()
{
    m_window->showJournal(m_childRef);
    JournalPage *page = m_window->journalPage();
    auto *scroll = page->findChild<QScrollArea *>(QStringLiteral("journalScroll"));
    auto *more = page->findChild<QPushButton *>(QStringLiteral("journalMore"));
    QDeadlineTimer deadline(120'000);
    // Down to the end, a screenful at a time, asking for older observations at the bottom.
    while (scroll && more && !deadline.hasExpired()) {
        QCoreApplication::processEvents();
        QScrollBar *bar = scroll->verticalScrollBar();
        if (bar->value() < bar->maximum()) {
            bar->setValue(std::min(bar->maximum(), bar->value() + std::max(1, scroll->viewport()->height())));
            continue;
        }
        if (!more->isVisible())
            break;
        more->click();
    }
    // Every thumbnail the device holds is on screen at least once.
    int withImage = 0;
    int thumbnails = 0;
    while (!deadline.hasExpired()) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        const auto thumbs = page->findChildren<ui::MediaThumbnail *>();
        thumbnails = int(thumbs.size());
        withImage = int(std::count_if(thumbs.cbegin(), thumbs.cend(), [](const ui::MediaThumbnail *t) { return t->hasImage(); }));
        if (withImage == thumbnails)
            break;
        QThread::msleep(10);
    }
    say(QStringLiteral("scrolled cards=%1 thumbnails=%2/%3 rss_kib=%4 hwm_kib=%5")
            .arg(page->cards().size())
            .arg(withImage)
            .arg(thumbnails)
            .arg(statusKiB("VmRSS:"))
            .arg(statusKiB("VmHWM:")));
    m_quit();
}

} // namespace acorn::staff
