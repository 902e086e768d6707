#pragma once

#include <QList>
#include <QString>

namespace acorn::client {

// The EYFS tags staff put on an observation: the seven areas of learning and the three
// Characteristics of Effective Learning, with their stable tag keys ("CL", "COEL-PE", ...)
// and the plain words people read. The keys are the ones the parent viewer groups by; the
// full framework (aspects, Early Learning Goals) extends them with "KEY-..." items.
//
// Words only: tags decide nothing about who may see an observation.
class EyfsTags
{
public:
    enum class Kind { PrimeArea, SpecificArea, Characteristic };

    struct Tag
    {
        QString key;
        QString words; // translated
        Kind kind;
    };

    static QList<Tag> all();
    // The plain words for a key; an unknown tag is shown as written, never dropped.
    static QString words(const QString &key);
    // "Prime area", "Specific area", "Characteristic of effective learning" (translated).
    static QString kindWords(Kind kind);
};

} // namespace acorn::client
