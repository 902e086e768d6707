#pragma once

#include <QLocale>
#include <QString>
#include <QStringList>

class QCoreApplication;

namespace acorn::ui {

// Installs the apps' translations (translations/acorn_*.ts, built into the apps as
// :/i18n/acorn_LANG.qm) and Qt's own (qtbase_LANG.qm from the system, when present) for
// `locale`, the user's language by default. The translators are children of `app`.
// English (the source language) needs none. Returns the language installed ("cy", "pl"),
// or an empty string when the apps' strings stay in English.
QString installTranslations(QCoreApplication &app, const QLocale &locale = QLocale::system());

// The languages the apps are translated into, besides English (e.g. {"cy", "pl"}).
QStringList translatedLanguages();

} // namespace acorn::ui
