// acorn-bench-hello: the reference of the staff-start benchmark (tests/bench/staffstart.cpp).
// The least a Qt Widgets app does to be interactive: one window with one label, shown;
// after its first paint, when the event loop is free again, it prints the same line
// acorn-staff's start-up probe prints, and quits.
#include <QApplication>
#include <QEvent>
#include <QLabel>
#include <QTextStream>
#include <QTimer>

namespace {

class FirstPaint : public QObject
{
public:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && !m_seen) {
            m_seen = true;
            QTimer::singleShot(0, qApp, [] {
                QTextStream(stdout) << "acorn-staff startup: interactive children=0" << Qt::endl;
                QCoreApplication::quit();
            });
        }
        return QObject::eventFilter(watched, event);
    }

private:
    bool m_seen = false;
};

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QLabel label(QStringLiteral("Hello"));
    FirstPaint watch;
    label.installEventFilter(&watch);
    label.resize(1280, 800);
    label.show();
    return app.exec();
}
