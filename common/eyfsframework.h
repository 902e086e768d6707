#pragma once

#include "result.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

namespace acorn {

// The EYFS framework as data: the seven areas of learning, the 17 Early Learning Goals, the
// three Characteristics of Effective Learning, the Development Matters age bands and the
// judgement scales assessments use. It is read from a JSON file (the shipped one is the
// resource :/eyfs/framework.json, see docs/tracking.md for the format), and a school may add
// its own items (e.g. Birth to 5 Matters ranges) in extension files without a rebuild.
//
// Every unknown or malformed entry is reported as a Problem naming the file and the position
// in it; a problem item is left out of the framework, never silently accepted or dropped.
//
// Data only: the framework decides nothing about who may see what.
class EyfsFramework
{
public:
    enum class Kind {
        PrimeArea,
        SpecificArea,
        Characteristic,
        EarlyLearningGoal,
        DevelopmentMatters, // an area at one Development Matters age band
        SchoolItem, // a school's own item (extension files only)
    };

    struct Judgement
    {
        QString key; // stored and sent on the wire ("on-track")
        QString title; // what people read ("On track")
    };

    struct Scale
    {
        QString key;
        QString title;
        QList<Judgement> judgements; // lowest first
    };

    struct AgeBand
    {
        QString key;
        QString title;
    };

    struct Item
    {
        QString key; // stable tag key: "CL", "CL-ELG-02", "COEL-PE", "CL-DM-R"
        Kind kind = Kind::SchoolItem;
        QString title;
        QString areaKey; // the area or characteristic it belongs to; empty for those themselves
        QString bandKey; // Development Matters / school age band, if any
        QString scaleKey; // empty: a tag only, not assessed
        QString file; // the file it came from
    };

    struct Problem
    {
        QString file;
        QString position; // "line 3, column 7" or "items[12] (CL-ELG-09)"
        QString message;
        QString toString() const;
    };

    // The framework in the shipped resource file.
    static Result<EyfsFramework> loadShipped();
    // Reads a framework file. Fails (with the problems in the message) when the file is not
    // a framework file at all; item-level problems are appended to *problems and those items
    // left out.
    static Result<EyfsFramework> parse(
        const QByteArray &json, const QString &file, QList<Problem> *problems);
    // Adds a school's extension file: new items, scales and age bands, and replacement
    // judgements for an existing scale ("replace": true). Returns false when the file could
    // not be used at all; item-level problems are appended and those items left out.
    bool extend(const QByteArray &json, const QString &file, QList<Problem> *problems);
    // Reads and adds an extension file from disk.
    bool extendFromFile(const QString &path, QList<Problem> *problems);

    // The process-wide framework the apps use: the shipped file plus every *.json extension in
    // the directories of ACORN_FRAMEWORK_PATH (colon-separated) and in
    // <AppConfigLocation>/framework. Problems are logged (acorn.framework) and kept in
    // problems() for the apps to show.
    static const EyfsFramework &standard();

    QString title() const { return m_title; }
    const QList<Item> &items() const { return m_items; }
    const QList<Scale> &scales() const { return m_scales; }
    const QList<AgeBand> &ageBands() const { return m_bands; }
    // Problems met while building standard() (empty for a framework built by parse()).
    const QList<Problem> &problems() const { return m_problems; }

    // Case-insensitive lookups; nullptr when unknown.
    const Item *item(const QString &key) const;
    const Scale *scale(const QString &key) const;
    const AgeBand *ageBand(const QString &key) const;
    // The scale an item is assessed on, or nullptr when it is not assessable.
    const Scale *scaleOf(const QString &itemKey) const;
    // The seven areas, then the three characteristics, in file order.
    QList<Item> areasAndCharacteristics() const;
    // The area (or characteristic) a tag counts under: the item's area, the item itself for an
    // area, or for an unknown tag the longest known area key it starts with followed by a
    // separator ("COEL-PE-1" -> "COEL-PE"); an unknown tag under no area is returned trimmed.
    QString areaKeyOf(const QString &tag) const;

    static QString kindKey(Kind kind);

private:
    struct Parser;
    QString m_title;
    QList<Item> m_items;
    QList<Scale> m_scales;
    QList<AgeBand> m_bands;
    QHash<QString, qsizetype> m_itemIndex; // lower-case key -> index in m_items
    QList<Problem> m_problems;
};

} // namespace acorn
