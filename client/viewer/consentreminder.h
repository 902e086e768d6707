#pragma once

#include <QCoreApplication>
#include <QString>

namespace acorn::client {
class ClientStore;
}

namespace acorn::viewer {

// The school's reminder to parents about the photos they see (do not publish them on
// social media; other children appear with their parents' consent only, so protect their
// images). Shown on the first sign-in of each profile until accepted, and in About.
// Acceptance is remembered in the profile's store, per reminder version: a reworded
// reminder is shown again.
class ConsentReminder
{
    Q_DECLARE_TR_FUNCTIONS(acorn::viewer::ConsentReminder)

public:
    static QString title();
    // Rich text (paragraphs), escaped; `schoolName` may be empty.
    static QString text(const QString &schoolName);
    static bool isAccepted(client::ClientStore &store);
    static bool accept(client::ClientStore &store);

    static constexpr int kVersion = 1;
};

} // namespace acorn::viewer
