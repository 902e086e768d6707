#pragma once

// Helpers shared by the staff app's widget tests: an isolated home for settings, profiles
// and the keychain key names, test photos, and small ways to drive widgets as a user would.

#include <QAbstractButton>
#include <QApplication>
#include <QColor>
#include <QDir>
#include <QImage>
#include <QPainter>
#include <QTemporaryDir>
#include <QTest>
#include <QWidget>

namespace acorn::test {

// Points HOME and the XDG folders at a fresh temporary directory before the application
// starts, so that QSettings, QStandardPaths (profiles) and caches never touch the real
// user's files. Keeps DBUS_SESSION_BUS_ADDRESS: the keychain is the session's.
class IsolatedHome
{
public:
    IsolatedHome()
    {
        const QString root = m_dir.path();
        for (const char *sub : { "config", "data", "cache" })
            QDir().mkpath(root + QLatin1Char('/') + QLatin1String(sub));
        qputenv("XDG_CONFIG_HOME", (root + QStringLiteral("/config")).toLocal8Bit());
        qputenv("XDG_DATA_HOME", (root + QStringLiteral("/data")).toLocal8Bit());
        qputenv("XDG_CACHE_HOME", (root + QStringLiteral("/cache")).toLocal8Bit());
        if (!qEnvironmentVariableIsSet("QT_MEDIA_BACKEND"))
            qputenv("QT_MEDIA_BACKEND", "ffmpeg");
    }
    QString path() const { return m_dir.path(); }

private:
    QTemporaryDir m_dir;
};

// A JPEG that looks like a photo (sky, grass, a tower of blocks), `seed` varies it.
inline QString makePhoto(const QString &path, int seed = 0, QSize size = QSize(1600, 1200))
{
    QImage img(size, QImage::Format_RGB32);
    QPainter p(&img);
    p.fillRect(0, 0, size.width(), size.height() * 2 / 3, QColor(120 + seed * 10, 170, 230));
    p.fillRect(0, size.height() * 2 / 3, size.width(), size.height() / 3, QColor(90, 160, 80));
    for (int i = 0; i < 5; ++i)
        p.fillRect(size.width() / 3 + (i % 2) * 20,
            size.height() * 2 / 3 - (i + 1) * size.height() / 10, size.width() / 4,
            size.height() / 10, QColor::fromHsv((i * 70 + seed * 30) % 360, 200, 220));
    p.end();
    img.save(path, "JPEG", 85);
    return path;
}

inline void click(QAbstractButton *button)
{
    QVERIFY2(button, "no such button");
    QVERIFY2(button->isEnabled(),
        qPrintable(QStringLiteral("button '%1' is disabled").arg(button->text())));
    QTest::mouseClick(button, Qt::LeftButton);
}

template <typename T> T *child(QObject *parent, const QString &name)
{
    return parent ? parent->findChild<T *>(name) : nullptr;
}

} // namespace acorn::test

// QTEST_MAIN with the home isolated before QApplication exists and the app's names set.
#define ACORN_STAFF_TEST_MAIN(TestObject)                                                          \
    int main(int argc, char *argv[])                                                               \
    {                                                                                              \
        acorn::test::IsolatedHome home;                                                            \
        QApplication app(argc, argv);                                                              \
        QCoreApplication::setOrganizationName(QStringLiteral("AcornTest"));                        \
        QCoreApplication::setApplicationName(QStringLiteral("acorn-staff-test"));                  \
        app.setAttribute(Qt::AA_Use96Dpi, true);                                                   \
        TestObject tc;                                                                             \
        QTEST_SET_MAIN_SOURCE_PATH                                                                 \
        return QTest::qExec(&tc, argc, argv);                                                      \
    }
