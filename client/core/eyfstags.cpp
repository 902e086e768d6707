#include "eyfstags.h"

#include <QCoreApplication>

namespace acorn::client {

namespace {

struct Entry
{
    const char *key;
    const char *words;
    EyfsTags::Kind kind;
};

constexpr Entry kEntries[] = {
    { "PSED",
        QT_TRANSLATE_NOOP("acorn::client::EyfsTags", "Personal, social and emotional development"),
        EyfsTags::Kind::PrimeArea },
    { "CL", QT_TRANSLATE_NOOP("acorn::client::EyfsTags", "Communication and language"),
        EyfsTags::Kind::PrimeArea },
    { "PD", QT_TRANSLATE_NOOP("acorn::client::EyfsTags", "Physical development"),
        EyfsTags::Kind::PrimeArea },
    { "L", QT_TRANSLATE_NOOP("acorn::client::EyfsTags", "Literacy"), EyfsTags::Kind::SpecificArea },
    { "M", QT_TRANSLATE_NOOP("acorn::client::EyfsTags", "Mathematics"),
        EyfsTags::Kind::SpecificArea },
    { "UW", QT_TRANSLATE_NOOP("acorn::client::EyfsTags", "Understanding the world"),
        EyfsTags::Kind::SpecificArea },
    { "EAD", QT_TRANSLATE_NOOP("acorn::client::EyfsTags", "Expressive arts and design"),
        EyfsTags::Kind::SpecificArea },
    { "COEL-PE", QT_TRANSLATE_NOOP("acorn::client::EyfsTags", "Playing and exploring"),
        EyfsTags::Kind::Characteristic },
    { "COEL-AL", QT_TRANSLATE_NOOP("acorn::client::EyfsTags", "Active learning"),
        EyfsTags::Kind::Characteristic },
    { "COEL-CTC", QT_TRANSLATE_NOOP("acorn::client::EyfsTags", "Creating and thinking critically"),
        EyfsTags::Kind::Characteristic },
};

} // namespace

QList<EyfsTags::Tag> EyfsTags::all()
{
    QList<Tag> out;
    for (const Entry &e : kEntries)
        out.append({ QString::fromLatin1(e.key),
            QCoreApplication::translate("acorn::client::EyfsTags", e.words), e.kind });
    return out;
}

QString EyfsTags::words(const QString &key)
{
    for (const Entry &e : kEntries) {
        if (key.compare(QLatin1String(e.key), Qt::CaseInsensitive) == 0)
            return QCoreApplication::translate("acorn::client::EyfsTags", e.words);
    }
    return key;
}

QString EyfsTags::kindWords(Kind kind)
{
    switch (kind) {
    case Kind::PrimeArea:
        return QCoreApplication::translate("acorn::client::EyfsTags", "Prime area");
    case Kind::SpecificArea:
        return QCoreApplication::translate("acorn::client::EyfsTags", "Specific area");
    case Kind::Characteristic:
        return QCoreApplication::translate(
            "acorn::client::EyfsTags", "Characteristic of effective learning");
    }
    return {};
}

} // namespace acorn::client
