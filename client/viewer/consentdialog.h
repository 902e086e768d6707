#pragma once

#include <QDialog>

namespace acorn::viewer {

// Shows the consent reminder (ConsentReminder) on a profile's first sign-in; "I
// understand" accepts it (the caller remembers that per profile), Cancel signs out.
class ConsentDialog : public QDialog
{
    Q_OBJECT
public:
    ConsentDialog(const QString &schoolName, QWidget *parent = nullptr);
};

} // namespace acorn::viewer
