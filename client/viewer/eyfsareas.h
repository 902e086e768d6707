#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace acorn::viewer {

// Groups an observation's EYFS tags by the area parents read and filter by. The words
// and keys are client::EyfsTags' (the staff app's); this adds the grouping: a framework
// item below an area ("CL-ELG-02", "COEL-PE-1") counts under its area ("CL", "COEL-PE").
// A tag it does not know is shown as written (separators turned into spaces), never
// dropped.
//
// Display only: it decides nothing about what a parent may see.
class EyfsAreas
{
    Q_DECLARE_TR_FUNCTIONS(acorn::viewer::EyfsAreas)

public:
    // The key of the area a tag belongs to ("CL", "PSED", ... "COEL-PE"), or the tag
    // itself (trimmed) when it belongs to no known area.
    static QString areaKey(const QString &tag);
    // "Communication and language"; for an unknown key, the key in readable form.
    static QString plainWords(const QString &areaKey);
    // The known area keys in the framework's order.
    static QStringList knownKeys();
};

} // namespace acorn::viewer
