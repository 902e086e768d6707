#include "soakschool.h"

#include "datadir.h"

#include <QDateTime>

#include <limits>

namespace acorn::soak {

using M = fixture::SchoolModel;

namespace {

QString numbered(const char *prefix, int n)
{
    return QStringLiteral("%1%2").arg(QLatin1String(prefix)).arg(n, 3, 10, QLatin1Char('0'));
}

} // namespace

SoakSchool::SoakSchool(test::TestServer &server, int staffDeviceCount, int parentCount)
{
    model.schoolName = QStringLiteral("Soak Primary");
    const QDate today = QDate::currentDate();
    // The current half term ends in three weeks: the half-termly class stays unreleased.
    model.calendar = { { QStringLiteral("Autumn 1"), today.addDays(-70), today.addDays(-21) },
        { QStringLiteral("Autumn 2"), today.addDays(-14), today.addDays(21) },
        { QStringLiteral("Spring 1"), today.addDays(30), today.addDays(70) } };
    const QStringList classNames = { QStringLiteral("Nursery Acorns"),
        QStringLiteral("Nursery Oaks"), QStringLiteral("Kindergarten"),
        QStringLiteral("Reception Robins"), QStringLiteral("Reception Wrens") };
    const int accountCount = std::max(2, (staffDeviceCount + 4) / 5);
    const int classCount = std::clamp(accountCount, 3, int(classNames.size()));
    for (int c = 0; c < classCount; ++c)
        model.classes.append({ classNames[c], c != 2, {}, std::numeric_limits<qint64>::min() });

    model.accounts.append({ QStringLiteral("lead"), QStringLiteral("The Lead"),
        QStringLiteral("lead"), {}, {}, false });
    for (int a = 0; a < accountCount; ++a) {
        // Its own class (a modulo the classes), and every class no account would otherwise have.
        QStringList classes = { classNames[a % classCount] };
        for (int c = accountCount; c < classCount; ++c) {
            if (c % accountCount == a)
                classes.append(classNames[c]);
        }
        model.accounts.append(
            { numbered("practitioner", a + 1), QStringLiteral("Practitioner %1").arg(a + 1),
                QStringLiteral("practitioner"), {}, classes, false });
    }

    int childNo = 0;
    int guardians = 0;
    for (int f = 0; guardians < parentCount; ++f) {
        const QString family = numbered("F", f + 1);
        const int children = f % 4 == 3 ? 2 : 1;
        for (int k = 0; k < children; ++k) {
            M::Child c;
            c.ref = numbered("C", ++childNo);
            c.firstName = QStringLiteral("Child%1").arg(childNo);
            c.lastName = QStringLiteral("Family%1").arg(f + 1);
            c.dateOfBirth = QDate(2021, 9, 1).addDays(childNo % 365);
            c.className = classNames[(f + k) % classCount];
            c.family = family;
            c.journalMedia = childNo % 10 != 7;
            c.othersJournals = childNo % 7 != 3;
            model.children.append(c);
        }
        const int guardiansHere = std::min(f % 3 == 2 ? 2 : 1, parentCount - guardians);
        for (int g = 0; g < guardiansHere; ++g) {
            ++guardians;
            model.accounts.append(
                { numbered("parent", guardians), QStringLiteral("Guardian %1").arg(guardians),
                    QStringLiteral("parent"), family, {}, false });
        }
    }

    if (!server.init(model.toJson())) {
        m_error = QStringLiteral("import-school failed: %1").arg(server.log());
        return;
    }

    // Who signs in where: devices round-robin over the practitioner accounts.
    QStringList usernames;
    for (int d = 0; d < staffDeviceCount; ++d)
        usernames.append(numbered("practitioner", d % accountCount + 1));
    for (const M::Account *p : model.parents())
        usernames.append(p->username);
    usernames.append(QStringLiteral("lead"));
    for (int a = 0; a < accountCount; ++a)
        usernames.append(numbered("practitioner", a + 1));

    const server::DataDir dir(server.dataDir());
    fixture::ServerHarness h(
        QDateTime::currentMSecsSinceEpoch(), dir.databasePath(), dir.mediaPath());
    if (!h.isValid()) {
        m_error = h.error();
        return;
    }
    const auto tokens = h.signInDevices(usernames, QString::fromLatin1(kPassword),
        QStringLiteral("soak device"), QDateTime::currentMSecsSinceEpoch());
    if (!tokens) {
        m_error = tokens.error();
        return;
    }
    int i = 0;
    for (; i < staffDeviceCount; ++i)
        staffDevices.append({ usernames[i], tokens->at(i) });
    for (int p = 0; p < parentCount; ++p, ++i)
        parents.append({ usernames[i], tokens->at(i) });
    lead = { usernames[i], tokens->at(i) };
    for (++i; i < usernames.size(); ++i)
        checkers.append({ usernames[i], tokens->at(i) });
}

QStringList SoakSchool::childrenOf(const QString &username) const
{
    const M::Account *who = model.account(username);
    QStringList out;
    if (!who)
        return out;
    for (const M::Child &c : model.children) {
        if (fixture::oracle::inScope(model, *who, c.ref))
            out.append(c.ref);
    }
    return out;
}

} // namespace acorn::soak
