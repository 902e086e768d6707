#include "staffsettings.h"

#include "touch.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QSettings>
#include <QSpinBox>
#include <QVBoxLayout>

namespace acorn::staff {

namespace {
const QString kMaxVideo = QStringLiteral("capture/maxVideoSeconds");
}

int StaffSettings::maxVideoSeconds()
{
    const int s = QSettings().value(kMaxVideo, kDefaultMaxVideoSeconds).toInt();
    return s > 0 ? s : kDefaultMaxVideoSeconds;
}

void StaffSettings::setMaxVideoSeconds(int seconds)
{
    QSettings().setValue(kMaxVideo, std::max(10, seconds));
}

StaffSettingsDialog::StaffSettingsDialog(QWidget *parent)
    : QDialog(parent)
    , m_maxVideoMinutes(new QSpinBox(this))
{
    setObjectName(QStringLiteral("staffSettings"));
    setWindowTitle(tr("Settings"));
    m_maxVideoMinutes->setObjectName(QStringLiteral("maxVideoMinutes"));
    m_maxVideoMinutes->setAccessibleName(tr("Longest video, in minutes"));
    m_maxVideoMinutes->setRange(1, 30);
    m_maxVideoMinutes->setSuffix(tr(" min"));
    m_maxVideoMinutes->setValue(std::max(1, StaffSettings::maxVideoSeconds() / 60));
    auto *help = new QLabel(
        tr("Recording stops by itself at this length. Short clips upload faster and are "
           "easier for families to watch."),
        this);
    help->setWordWrap(true);
    auto *form = new QFormLayout;
    form->addRow(tr("Longest &video:"), m_maxVideoMinutes);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        save();
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(help);
    layout->addWidget(buttons);
    ui::makeTouchFriendly(this);
}

void StaffSettingsDialog::save()
{
    StaffSettings::setMaxVideoSeconds(m_maxVideoMinutes->value() * 60);
}

} // namespace acorn::staff
