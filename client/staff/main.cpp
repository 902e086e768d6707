// acorn-staff: the staff app. Everything lives in acorn_staff_widgets; this only reads the
// command line and starts StaffApp.
#include "staffapp.h"
#include "translations.h"

#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char *argv[])
{
    // GStreamer has no usable plugins on many installs; FFmpeg plays and records everywhere.
    if (!qEnvironmentVariableIsSet("QT_MEDIA_BACKEND"))
        qputenv("QT_MEDIA_BACKEND", "ffmpeg");
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("Acorn"));
    QCoreApplication::setOrganizationDomain(QStringLiteral("acorn-journal.org"));
    QCoreApplication::setApplicationName(QStringLiteral("acorn-staff"));
    QCoreApplication::setApplicationVersion(QStringLiteral(ACORN_VERSION));
    QGuiApplication::setApplicationDisplayName(
        QCoreApplication::translate("main", "Acorn for staff"));
    QGuiApplication::setDesktopFileName(QStringLiteral("org.acorn_journal.staff"));

    acorn::ui::installTranslations(app);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("main", "Acorn learning journal: the staff app."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption server(QStringLiteral("server"),
        QCoreApplication::translate("main", "School server."), QStringLiteral("HOST:PORT"));
    const QCommandLineOption pin(QStringLiteral("pin"),
        QCoreApplication::translate("main", "The server's fingerprint (with --server)."),
        QStringLiteral("FINGERPRINT"));
    const QCommandLineOption user(QStringLiteral("user"),
        QCoreApplication::translate("main", "Username."), QStringLiteral("USERNAME"));
    const QCommandLineOption enrol(QStringLiteral("enrol"),
        QCoreApplication::translate("main", "Start from an enrolment code."),
        QStringLiteral("CODE"));
    const QCommandLineOption screenshots(QStringLiteral("screenshots"),
        QCoreApplication::translate(
            "main", "Save PNG screenshots of the main screens into DIR, then quit."),
        QStringLiteral("DIR"));
    parser.addOptions({ server, pin, user, enrol, screenshots });
    parser.process(app);

    acorn::staff::StaffOptions options;
    options.server = parser.value(server);
    options.pin = parser.value(pin);
    options.username = parser.value(user);
    options.enrolment = parser.value(enrol);
    options.screenshots = parser.value(screenshots);
    // For demos and scripts only; never asked for on the command line, never stored.
    options.password = qEnvironmentVariable("ACORN_PASSWORD");
    qunsetenv("ACORN_PASSWORD");

    acorn::staff::StaffApp staff(options);
    QObject::connect(&staff, &acorn::staff::StaffApp::finished, &app, &QCoreApplication::exit,
        Qt::QueuedConnection);
    staff.start();
    return app.exec();
}
