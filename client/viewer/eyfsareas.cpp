#include "eyfsareas.h"

#include "eyfstags.h"

#include <QRegularExpression>

namespace acorn::viewer {

using client::EyfsTags;

QString EyfsAreas::areaKey(const QString &tag)
{
    return EyfsTags::areaKey(tag);
}

QString EyfsAreas::plainWords(const QString &key)
{
    for (const EyfsTags::Tag &known : EyfsTags::all()) {
        if (known.key == key)
            return known.words;
    }
    QString readable = key;
    static const QRegularExpression separators(QStringLiteral("[\\-_.:/]+"));
    readable.replace(separators, QStringLiteral(" "));
    readable = readable.simplified();
    if (!readable.isEmpty())
        readable[0] = readable[0].toUpper();
    return readable;
}

QStringList EyfsAreas::knownKeys()
{
    QStringList keys;
    for (const EyfsTags::Tag &known : EyfsTags::all())
        keys.append(known.key);
    return keys;
}

} // namespace acorn::viewer
