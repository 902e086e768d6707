#pragma once

#include "schoolfixture.h"
#include "testserver.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace acorn::soak {

// The soak's school, described by the test (fixture::SchoolModel, the oracle's input) and
// imported into a real acorn-server's data directory before it starts:
//
// - classes: at least three; all live (parents see a published observation at once) except
//   the third, "Kindergarten", half-termly, whose current half term ends weeks from now
//   (its parents must see none of it during the run);
// - practitioner accounts: one per five staff devices (at least two), each assigned to one
//   class or more; a lead; the devices of each account share its classes;
// - families: one per guardian and a half (every third family has two guardians), one child
//   each and a sibling in another class in every fourth; some children without
//   `journal_media` consent (never in an observation with a photo) and some without
//   `others_journals` consent (their photos are withheld from the other families).
//
// Every device, guardian, the lead and one checking device per practitioner account get a
// session made directly in the store (fixture::ServerHarness::signInDevices), so that 350
// devices cost one password hash, not 350.
class SoakSchool
{
public:
    struct Device
    {
        QString username;
        QByteArray token;
    };

    // Builds the model for `staffDevices` devices and `parents` guardians, initialises
    // `server` with it and signs the devices in. Check error() afterwards.
    SoakSchool(test::TestServer &server, int staffDevices, int parents);

    QString error() const { return m_error; }

    fixture::SchoolModel model;
    QList<Device> staffDevices;
    QList<Device> parents;
    Device lead;
    QList<Device> checkers; // one per practitioner account, for the final journal checks

    // The children an account may tag (its classes' children).
    QStringList childrenOf(const QString &username) const;

    static constexpr auto kPassword = "soak password 1";

private:
    QString m_error;
};

} // namespace acorn::soak
