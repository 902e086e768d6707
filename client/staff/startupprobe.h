#pragma once

#include <QObject>
#include <QString>

#include <functional>

namespace acorn::staff {

class StaffWindow;

// For the start-up benchmark (acorn-bench staff-start) only: when ACORN_STARTUP_PROBE is set,
// StaffApp makes one. It prints "acorn-staff startup: interactive ..." on stdout once the
// window with the roster has been painted and the event loop is free again. If the variable
// names a child, it then opens that child's journal, scrolls it to the end as a user would
// (every card shown, every cached thumbnail loaded), prints the process's memory and asks
// the app to quit. It never changes what the app does otherwise.
class StartupProbe : public QObject
{
public:
    StartupProbe(StaffWindow *window, QString childRef, std::function<void()> quit);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void reportInteractive();
    void scrollJournal();

    StaffWindow *m_window;
    QString m_childRef;
    std::function<void()> m_quit;
    bool m_painted = false;
};

} // namespace acorn::staff
