#include "consentdialog.h"

#include "consentreminder.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace acorn::viewer {

ConsentDialog::ConsentDialog(const QString &schoolName, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Please keep these photos private"));
    auto *title = new QLabel(ConsentReminder::title(), this);
    title->setTextFormat(Qt::PlainText);
    title->setWordWrap(true);
    QFont f = title->font();
    f.setPointSizeF(f.pointSizeF() * 1.3);
    f.setBold(true);
    title->setFont(f);
    auto *text = new QLabel(ConsentReminder::text(schoolName), this);
    text->setObjectName(QStringLiteral("consentText"));
    text->setTextFormat(Qt::RichText);
    text->setWordWrap(true);
    text->setAccessibleName(tr("The school's reminder about photos"));
    text->setTextInteractionFlags(Qt::TextSelectableByKeyboard | Qt::TextSelectableByMouse);
    auto *buttons = new QDialogButtonBox(this);
    QPushButton *ok = buttons->addButton(tr("I &understand"), QDialogButtonBox::AcceptRole);
    ok->setObjectName(QStringLiteral("acceptButton"));
    ok->setAccessibleName(tr("I understand and will keep the photos private"));
    ok->setDefault(true);
    QPushButton *cancel = buttons->addButton(tr("&Sign out"), QDialogButtonBox::RejectRole);
    cancel->setAccessibleName(tr("Sign out without opening the journal"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(text, 1);
    layout->addWidget(buttons);
    setMinimumWidth(520);
    ok->setFocus();
}

} // namespace acorn::viewer
