#include "eyfstags.h"

#include "eyfsframework.h"

#include <QCoreApplication>

namespace acorn::client {

namespace {

// The framework file's words are the en_GB source text; a translation, when one exists,
// is looked up under this class's context.
QString translated(const QString &title)
{
    return QCoreApplication::translate("acorn::client::EyfsTags", title.toUtf8().constData());
}

} // namespace

QList<EyfsTags::Tag> EyfsTags::all()
{
    QList<Tag> out;
    for (const EyfsFramework::Item &i : EyfsFramework::standard().areasAndCharacteristics()) {
        const Kind kind = i.kind == EyfsFramework::Kind::PrimeArea ? Kind::PrimeArea
            : i.kind == EyfsFramework::Kind::SpecificArea          ? Kind::SpecificArea
                                                                   : Kind::Characteristic;
        out.append({ i.key, translated(i.title), kind });
    }
    return out;
}

QString EyfsTags::words(const QString &key)
{
    if (const EyfsFramework::Item *i = EyfsFramework::standard().item(key))
        return translated(i->title);
    return key;
}

QString EyfsTags::judgementWords(const QString &itemKey, const QString &judgement)
{
    if (const EyfsFramework::Scale *scale = EyfsFramework::standard().scaleOf(itemKey)) {
        for (const EyfsFramework::Judgement &j : scale->judgements) {
            if (j.key == judgement)
                return translated(j.title);
        }
    }
    return judgement;
}

QString EyfsTags::areaKey(const QString &tag)
{
    return EyfsFramework::standard().areaKeyOf(tag);
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
