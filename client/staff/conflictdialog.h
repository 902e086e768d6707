#pragma once

#include "acorn.pb.h"

#include <QDialog>

namespace acorn::staff {

// An amendment that clashed with one made on another device, shown side by side: this
// device's version and the server's, with the fields that differ marked. The user
// chooses; nothing is decided for them and nothing is lost until they do.
class ConflictDialog : public QDialog
{
    Q_OBJECT
public:
    enum Choice { Undecided, KeepMine, TakeTheirs };

    ConflictDialog(const wire::Observation &mine, const wire::Observation &theirs,
        const QList<wire::Child> &roster, QWidget *parent = nullptr);
    Choice choice() const { return m_choice; }
    QStringList differences() const { return m_differences; }

private:
    Choice m_choice = Undecided;
    QStringList m_differences;
};

} // namespace acorn::staff
