#include "eyfsareas.h"

#include "eyfstags.h"

#include <QRegularExpression>

namespace acorn::viewer {

using client::EyfsTags;

QString EyfsAreas::areaKey(const QString &tag)
{
    const QString t = tag.trimmed();
    QString best;
    for (const EyfsTags::Tag &known : EyfsTags::all()) {
        if (t.compare(known.key, Qt::CaseInsensitive) == 0)
            return known.key;
        // "CL-ELG-02" is under "CL"; the longest key wins ("COEL-PE-1" is not under "CO...").
        if (t.size() > known.key.size() && t.startsWith(known.key, Qt::CaseInsensitive)
            && !t.at(known.key.size()).isLetterOrNumber() && known.key.size() > best.size())
            best = known.key;
    }
    return best.isEmpty() ? t : best;
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
