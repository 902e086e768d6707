#pragma once

#include <QDialog>

class QSpinBox;

namespace acorn::staff {

// The staff app's device settings (QSettings of the app): the longest video the capture
// screen records before it stops by itself. Nothing here touches the school's rules.
class StaffSettings
{
public:
    static constexpr int kDefaultMaxVideoSeconds = 5 * 60;
    static int maxVideoSeconds();
    static void setMaxVideoSeconds(int seconds);
};

// Lets the user change StaffSettings.
class StaffSettingsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit StaffSettingsDialog(QWidget *parent = nullptr);
    void save();

private:
    QSpinBox *m_maxVideoMinutes;
};

} // namespace acorn::staff
