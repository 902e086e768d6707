#include "translations.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QTranslator>

namespace acorn::ui {

namespace {
const QString kResourceDir = QStringLiteral(":/i18n");
const QString kPrefix = QStringLiteral("acorn");
} // namespace

QStringList translatedLanguages()
{
    QStringList languages;
    const QStringList files
        = QDir(kResourceDir).entryList({ kPrefix + QStringLiteral("_*.qm") }, QDir::Files);
    for (const QString &file : files) {
        const QString language = QFileInfo(file).completeBaseName().mid(kPrefix.size() + 1);
        if (!language.startsWith(QLatin1String("en")))
            languages.append(language);
    }
    return languages;
}

QString installTranslations(QCoreApplication &app, const QLocale &locale)
{
    // Qt's own strings (standard buttons, file dialogs) first, so that Acorn's win where
    // both translate the same text.
    auto *qt = new QTranslator(&app);
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
            QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    else
        delete qt;

    auto *acorn = new QTranslator(&app);
    // Tries each of the user's UI languages in order: cy_GB, cy, ... then gives up.
    if (!acorn->load(locale, kPrefix, QStringLiteral("_"), kResourceDir) || acorn->isEmpty()) {
        delete acorn;
        return {};
    }
    QCoreApplication::installTranslator(acorn);
    return acorn->language().section(QLatin1Char('_'), 0, 0);
}

} // namespace acorn::ui
