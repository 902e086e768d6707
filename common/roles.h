#pragma once

#include "acorn.pb.h"

#include <QString>

namespace acorn {

// The one spelling of each account role, as stored in the server's and devices' databases
// and printed by the command-line tools: "admin", "lead", "practitioner", "parent".
QString roleName(wire::Role role);
// The role with that name, or ROLE_UNSPECIFIED for any other text.
wire::Role roleFromName(const QString &name);

} // namespace acorn
