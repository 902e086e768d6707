// acorn-viewer: the parent viewer. Everything lives in acorn_viewer_widgets and
// acorn_viewer_core; this only sets up the application and starts ViewerApp.
#include "translations.h"
#include "viewerapp.h"

#include <QApplication>

int main(int argc, char *argv[])
{
    // Qt 6.4's GStreamer backend crashes creating a QMediaPlayer when GStreamer's base
    // plugins are missing; the FFmpeg backend needs only the libav* libraries Qt links.
    if (!qEnvironmentVariableIsSet("QT_MEDIA_BACKEND"))
        qputenv("QT_MEDIA_BACKEND", "ffmpeg");
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Acorn"));
    QApplication::setOrganizationDomain(QStringLiteral("acorn-journal.org"));
    QApplication::setApplicationName(QStringLiteral("acorn-viewer"));
    QApplication::setApplicationVersion(QStringLiteral(ACORN_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("org.acorn_journal.viewer"));
    acorn::ui::installTranslations(app);
    QApplication::setApplicationDisplayName(
        QApplication::translate("acorn::viewer::ViewerWindow", "Acorn learning journal"));

    acorn::viewer::ViewerApp viewer;
    QObject::connect(&viewer, &acorn::viewer::ViewerApp::quitRequested, &app, &QApplication::quit,
        Qt::QueuedConnection);
    app.setQuitOnLastWindowClosed(false);
    viewer.start();
    return app.exec();
}
