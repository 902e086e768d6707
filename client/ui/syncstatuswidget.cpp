#include "syncstatuswidget.h"

#include "syncscheduler.h"
#include "touch.h"

#include <QDateTime>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QStyle>

namespace acorn::ui {

using client::SyncScheduler;

SyncStatusWidget::SyncStatusWidget(SyncScheduler *scheduler, QWidget *parent)
    : QWidget(parent)
    , m_scheduler(scheduler)
    , m_icon(new QLabel(this))
    , m_state(new QLabel(this))
    , m_waiting(new QPushButton(this))
    , m_last(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_error(new QLabel(this))
    , m_syncNow(new QPushButton(tr("Sync &now"), this))
{
    setObjectName(QStringLiteral("syncStatus"));
    setAccessibleName(tr("Sync status"));
    m_state->setObjectName(QStringLiteral("syncState"));
    m_state->setAccessibleName(tr("Connection"));
    m_waiting->setObjectName(QStringLiteral("syncWaiting"));
    m_waiting->setFlat(true);
    m_waiting->setAccessibleName(tr("Observations waiting to send"));
    m_waiting->setToolTip(tr("Show what is waiting to be sent"));
    m_last->setObjectName(QStringLiteral("syncLast"));
    m_last->setAccessibleName(tr("Last sync"));
    m_progress->setObjectName(QStringLiteral("syncProgress"));
    m_progress->setAccessibleName(tr("Upload progress"));
    m_progress->setTextVisible(true);
    m_progress->hide();
    m_error->setObjectName(QStringLiteral("syncError"));
    m_error->setAccessibleName(tr("Sync problem"));
    m_error->setWordWrap(true);
    m_error->hide();
    m_syncNow->setObjectName(QStringLiteral("syncNow"));
    m_syncNow->setAccessibleName(tr("Sync now"));
    m_syncNow->setToolTip(tr("Send and receive observations now (F5)"));
    m_syncNow->setIcon(style()->standardIcon(QStyle::SP_BrowserReload));
    m_syncNow->setShortcut(QKeySequence::Refresh);

    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(6, 2, 6, 2);
    auto *top = new QHBoxLayout;
    top->addWidget(m_icon);
    top->addWidget(m_state);
    top->addWidget(m_waiting);
    top->addStretch(1);
    top->addWidget(m_last);
    top->addWidget(m_syncNow);
    grid->addLayout(top, 0, 0);
    grid->addWidget(m_progress, 1, 0);
    grid->addWidget(m_error, 2, 0);

    connect(m_syncNow, &QPushButton::clicked, this, [this] {
        if (m_scheduler)
            m_scheduler->syncNow();
    });
    connect(m_waiting, &QPushButton::clicked, this, &SyncStatusWidget::waitingClicked);
    if (m_scheduler) {
        connect(m_scheduler, &SyncScheduler::stateChanged, this, &SyncStatusWidget::refresh);
        connect(m_scheduler, &SyncScheduler::progress, this, &SyncStatusWidget::refresh);
    }
    m_clock.setInterval(15000);
    connect(&m_clock, &QTimer::timeout, this, &SyncStatusWidget::refresh);
    m_clock.start();
    makeTouchFriendly(this);
    refresh();
}

QString SyncStatusWidget::stateText() const
{
    return m_state->text();
}

QString SyncStatusWidget::waitingText() const
{
    return m_waiting->text();
}

QString SyncStatusWidget::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

QString SyncStatusWidget::progressText() const
{
    return m_progress->isHidden() ? QString() : m_progress->format();
}

bool SyncStatusWidget::isProgressVisible() const
{
    return !m_progress->isHidden();
}

void SyncStatusWidget::refresh()
{
    if (!m_scheduler)
        return;
    const SyncScheduler &s = *m_scheduler;
    const int iconSide = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    QStyle::StandardPixmap icon = QStyle::SP_DialogApplyButton;
    QString state;
    const QString stage = s.stage();
    switch (s.state()) {
    case SyncScheduler::State::Syncing:
        icon = QStyle::SP_BrowserReload;
        state = stage == QLatin1String("uploading") ? tr("Sending photos and video…")
            : stage == QLatin1String("sending")     ? tr("Sending observations…")
            : stage == QLatin1String("receiving")   ? tr("Receiving…")
                                                    : tr("Connecting…");
        break;
    case SyncScheduler::State::Idle:
        state = s.lastSyncMs() > 0 ? tr("Online") : tr("Not synced yet");
        break;
    case SyncScheduler::State::Offline:
        icon = QStyle::SP_MessageBoxInformation;
        state = tr("Offline: your work is saved on this device");
        break;
    case SyncScheduler::State::Failed:
        icon = QStyle::SP_MessageBoxWarning;
        state = tr("Sync problem: your work is saved on this device");
        break;
    case SyncScheduler::State::SignInNeeded:
        icon = QStyle::SP_MessageBoxWarning;
        state = tr("Signed out: sign in again to send and receive");
        break;
    case SyncScheduler::State::FingerprintChanged:
        icon = QStyle::SP_MessageBoxCritical;
        state = tr("Stopped: the server's fingerprint has changed");
        break;
    }
    m_icon->setPixmap(style()->standardIcon(icon).pixmap(iconSide, iconSide));
    m_state->setText(state);

    const client::OutboxSummary &sum = s.summary();
    const int attention = sum.refused + sum.conflicts;
    const int waiting = sum.waiting - attention;
    QStringList parts;
    if (waiting > 0)
        parts.append(tr("Waiting to send: %1").arg(waiting));
    if (attention > 0)
        parts.append(tr("Need your attention: %1").arg(attention));
    m_waiting->setText(
        parts.isEmpty() ? tr("Everything is sent") : parts.join(QStringLiteral(" · ")));

    const QLocale locale;
    if (s.lastSyncMs() > 0) {
        const QDateTime last = QDateTime::fromMSecsSinceEpoch(s.lastSyncMs());
        const bool today = last.date() == QDate::currentDate();
        m_last->setText(tr("Last synced %1")
                            .arg(today ? locale.toString(last.time(), QStringLiteral("HH:mm"))
                                       : locale.toString(last, QStringLiteral("d MMM HH:mm"))));
    } else {
        m_last->clear();
    }

    const bool uploading = s.state() == SyncScheduler::State::Syncing
        && stage == QLatin1String("uploading") && s.progressTotal() > 0;
    m_progress->setVisible(uploading);
    if (uploading) {
        // Scaled to kilobytes so that files over 2 GB still fit the bar's int range.
        m_progress->setRange(0, static_cast<int>(std::max<qint64>(1, s.progressTotal() / 1024)));
        m_progress->setValue(
            static_cast<int>(std::min(s.progressDone(), s.progressTotal()) / 1024));
        m_progress->setFormat(tr("Uploading %1 of %2")
                                  .arg(locale.formattedDataSize(s.progressDone()),
                                      locale.formattedDataSize(s.progressTotal())));
    }

    QString error;
    if (s.state() == SyncScheduler::State::Offline || s.state() == SyncScheduler::State::Failed) {
        const qint64 wait = s.nextAttemptMs() - QDateTime::currentMSecsSinceEpoch();
        error = s.errorString();
        if (s.nextAttemptMs() > 0)
            error += u' '
                + (wait < 60000
                        ? tr("Trying again in %1 s.").arg(std::max<qint64>(1, (wait + 999) / 1000))
                        : tr("Trying again at %1.")
                              .arg(locale.toString(
                                  QDateTime::fromMSecsSinceEpoch(s.nextAttemptMs()).time(),
                                  QStringLiteral("HH:mm"))));
    } else if (s.state() == SyncScheduler::State::SignInNeeded) {
        error = s.errorString();
    }
    m_error->setText(error.trimmed());
    m_error->setVisible(!error.trimmed().isEmpty());
    m_syncNow->setEnabled(s.state() != SyncScheduler::State::Syncing
        && s.state() != SyncScheduler::State::FingerprintChanged);
}

} // namespace acorn::ui
