#pragma once

#include <QList>
#include <QString>

namespace acorn::client {

// The EYFS tags staff put on an observation, in the words people read. The keys and words
// come from the EYFS framework file (acorn::EyfsFramework::standard(), one source of truth):
// all() is the seven areas of learning and the three Characteristics of Effective Learning
// with their stable keys ("CL", "COEL-PE", ...); the framework's other items ("CL-ELG-02",
// "CL-DM-R", a school's own) are tags too and are shown in their own words and counted under
// their area.
//
// Words only: tags decide nothing about who may see an observation.
class EyfsTags
{
public:
    enum class Kind { PrimeArea, SpecificArea, Characteristic };

    struct Tag
    {
        QString key;
        QString words; // translated where a translation exists
        Kind kind;
    };

    // The areas of learning, then the characteristics, in the framework file's order.
    static QList<Tag> all();
    // The plain words for any framework item; an unknown tag is shown as written, never
    // dropped.
    static QString words(const QString &key);
    // The key of the area (or characteristic) a tag counts under ("CL-ELG-02" -> "CL",
    // "COEL-PE-1" -> "COEL-PE"); an unknown tag under no area is returned trimmed.
    static QString areaKey(const QString &tag);
    // The words of a judgement on an item's scale ("on-track" -> "On track"); a judgement the
    // scale does not have is shown as written.
    static QString judgementWords(const QString &itemKey, const QString &judgement);
    // "Prime area", "Specific area", "Characteristic of effective learning" (translated).
    static QString kindWords(Kind kind);
};

} // namespace acorn::client
