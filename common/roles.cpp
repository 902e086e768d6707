#include "roles.h"

namespace acorn {

QString roleName(wire::Role role)
{
    switch (role) {
    case wire::ROLE_ADMIN:
        return QStringLiteral("admin");
    case wire::ROLE_LEAD:
        return QStringLiteral("lead");
    case wire::ROLE_PRACTITIONER:
        return QStringLiteral("practitioner");
    case wire::ROLE_PARENT:
        return QStringLiteral("parent");
    default:
        return {};
    }
}

wire::Role roleFromName(const QString &name)
{
    for (wire::Role r : { wire::ROLE_ADMIN, wire::ROLE_LEAD, wire::ROLE_PRACTITIONER, wire::ROLE_PARENT }) {
        if (roleName(r) == name)
            return r;
    }
    return wire::ROLE_UNSPECIFIED;
}

} // namespace acorn
