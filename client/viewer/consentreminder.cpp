#include "consentreminder.h"

#include "clientstore.h"

#include <QCoreApplication>
#include <QDateTime>

namespace acorn::viewer {

namespace {
QString tr(const char *s)
{
    return tr(s);
}
QString key()
{
    return QStringLiteral("consent_reminder_accepted_v%1").arg(ConsentReminder::kVersion);
}
} // namespace

QString ConsentReminder::title()
{
    return tr("Before you look: please keep these photos private");
}

QString ConsentReminder::text(const QString &schoolName)
{
    const QString school
        = schoolName.isEmpty() ? tr("your child's school") : schoolName.toHtmlEscaped();
    return QStringLiteral("<p>%1</p><ul><li>%2</li><li>%3</li><li>%4</li></ul><p>%5</p>")
        .arg(tr("This journal is shared with you by %1 so that you can follow your child's "
                "learning.")
                 .arg(school),
            tr("Please do not publish anything from it on social media or anywhere public."),
            tr("Some photos and videos include other children. Their parents agreed to them "
               "appearing in your "
               "child's journal, not to anything more: please protect their images and do not "
               "share them."),
            tr("Photos you view carry your name and the date."),
            tr("If you see something that worries you, please speak to a member of staff."));
}

bool ConsentReminder::isAccepted(client::ClientStore &store)
{
    return !store.setting(key()).isEmpty();
}

bool ConsentReminder::accept(client::ClientStore &store)
{
    return store.setSetting(key(), QDateTime::currentDateTimeUtc().toString(Qt::ISODate)).ok();
}

} // namespace acorn::viewer
