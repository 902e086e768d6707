#include "consentdialog.h"
#include "translations.h"

#include <QApplication>
#include <QFile>
#include <QPushButton>
#include <QTest>
#include <QTranslator>

using acorn::ui::installTranslations;

// The apps' translations are built into them and chosen from the system locale: the
// parent viewer's strings in Welsh and Polish, on a real viewer widget (offscreen).
// ctest runs this with LC_ALL=cy_GB.UTF-8 and LANGUAGE=cy, as on a Welsh desktop.
class TestTranslations : public QObject
{
    Q_OBJECT

    // Removes the translators a previous case installed.
    static void reset()
    {
        for (QTranslator *t : qApp->findChildren<QTranslator *>()) {
            QCoreApplication::removeTranslator(t);
            delete t;
        }
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedKingdom));
    }

    static QPushButton *buttonWithText(const QWidget &w, const QString &text)
    {
        for (QPushButton *b : w.findChildren<QPushButton *>()) {
            if (b->text() == text)
                return b;
        }
        return nullptr;
    }

private slots:
    void init() { reset(); }
    void cleanupTestCase() { reset(); }

    void translationsAreBuiltIn()
    {
        for (const char *lang : { "en_GB", "cy", "pl" })
            QVERIFY2(
                QFile::exists(QStringLiteral(":/i18n/acorn_%1.qm").arg(QLatin1String(lang))), lang);
        QStringList languages = acorn::ui::translatedLanguages();
        languages.sort();
        QCOMPARE(languages, (QStringList { QStringLiteral("cy"), QStringLiteral("pl") }));
    }

    void systemLocaleChoosesTheLanguage()
    {
        if (QLocale::system().language() != QLocale::Welsh)
            QFAIL(qPrintable(QStringLiteral(
                "the test runs with LC_ALL=cy_GB.UTF-8 and LANGUAGE=cy, but the system "
                "locale is %1")
                                 .arg(QLocale::system().name())));
        QCOMPARE(installTranslations(*qApp), QStringLiteral("cy"));
        QCOMPARE(QCoreApplication::translate("acorn::viewer::ViewerWindow", "&Update now"),
            QStringLiteral("&Diweddaru nawr"));
    }

    void englishNeedsNoTranslation()
    {
        QCOMPARE(installTranslations(*qApp, QLocale(QLocale::English, QLocale::UnitedKingdom)),
            QString());
        QCOMPARE(QCoreApplication::translate("acorn::viewer::ViewerWindow", "&Update now"),
            QStringLiteral("&Update now"));
    }

    void viewerStrings_data()
    {
        QTest::addColumn<QString>("locale");
        QTest::addColumn<QString>("context");
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("expected");
        QTest::newRow("cy home") << QStringLiteral("cy_GB")
                                 << QStringLiteral("acorn::viewer::HomePage")
                                 << QStringLiteral("Your children's journals")
                                 << QStringLiteral("Dyddiaduron eich plant");
        QTest::newRow("pl home") << QStringLiteral("pl_PL")
                                 << QStringLiteral("acorn::viewer::HomePage")
                                 << QStringLiteral("Your children's journals")
                                 << QStringLiteral("Dzienniki Twoich dzieci");
        QTest::newRow("cy withheld photo")
            << QStringLiteral("cy_GB") << QStringLiteral("acorn::viewer::WithheldTile")
            << QStringLiteral("This photo includes other children, so it is not shown.")
            << QStringLiteral(
                   "Mae'r llun hwn yn cynnwys plant eraill, felly nid yw'n cael ei ddangos.");
        QTest::newRow("pl withheld photo")
            << QStringLiteral("pl_PL") << QStringLiteral("acorn::viewer::WithheldTile")
            << QStringLiteral("This photo includes other children, so it is not shown.")
            << QStringLiteral("Na tym zdjęciu są inne dzieci, więc nie jest ono pokazywane.");
        QTest::newRow("cy sign in")
            << QStringLiteral("cy_GB") << QStringLiteral("acorn::ui::SignInDialog")
            << QStringLiteral("&Sign in") << QStringLiteral("&Mewngofnodi");
        QTest::newRow("pl sign in")
            << QStringLiteral("pl_PL") << QStringLiteral("acorn::ui::SignInDialog")
            << QStringLiteral("&Sign in") << QStringLiteral("&Zaloguj się");
    }

    void viewerStrings()
    {
        QFETCH(QString, locale);
        QFETCH(QString, context);
        QFETCH(QString, source);
        QFETCH(QString, expected);
        QCOMPARE(installTranslations(*qApp, QLocale(locale)), locale.left(2));
        QCOMPARE(
            QCoreApplication::translate(context.toUtf8().constData(), source.toUtf8().constData()),
            expected);
    }

    void viewerWidgetIsTranslated_data()
    {
        QTest::addColumn<QString>("locale");
        QTest::addColumn<QString>("title");
        QTest::addColumn<QString>("button");
        QTest::newRow("Welsh") << QStringLiteral(
            "cy_GB") << QStringLiteral("Cadwch y lluniau hyn yn breifat, os gwelwch yn dda")
                               << QStringLiteral("Rwy'n &deall");
        QTest::newRow("Polish") << QStringLiteral("pl_PL")
                                << QStringLiteral("Prosimy, zachowaj te zdjęcia dla siebie")
                                << QStringLiteral("&Rozumiem");
        QTest::newRow("English") << QStringLiteral("en_GB")
                                 << QStringLiteral("Please keep these photos private")
                                 << QStringLiteral("I &understand");
    }

    void viewerWidgetIsTranslated()
    {
        QFETCH(QString, locale);
        QFETCH(QString, title);
        QFETCH(QString, button);
        QLocale::setDefault(QLocale(locale));
        installTranslations(*qApp, QLocale(locale));
        acorn::viewer::ConsentDialog dialog(QStringLiteral("Test Primary"));
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QCOMPARE(dialog.windowTitle(), title);
        QVERIFY2(buttonWithText(dialog, button), qPrintable(button));
    }
};

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
