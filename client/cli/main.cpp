#include "clicommands.h"

#include <QCoreApplication>
#include <QGuiApplication>

#include <memory>

int main(int argc, char *argv[])
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    // The reports are printed with Qt's text layout, which needs a QGuiApplication; a
    // headless machine has no display, so the offscreen platform unless told otherwise.
    std::unique_ptr<QCoreApplication> app;
    if (acorn::cli::needsGui(arguments)) {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        app = std::make_unique<QGuiApplication>(argc, argv);
    } else {
        app = std::make_unique<QCoreApplication>(argc, argv);
    }
    QCoreApplication::setApplicationName(QStringLiteral("acorn-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral("0.1.0"));
    return acorn::cli::run(QCoreApplication::arguments());
}
