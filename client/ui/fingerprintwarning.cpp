#include "fingerprintwarning.h"

#include "tlspin.h"
#include "touch.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace acorn::ui {

QString groupedFingerprint(const QString &fingerprint)
{
    if (fingerprint.isEmpty())
        return QString();
    const QStringList groups = tls::displayFingerprint(fingerprint).split(u' ');
    if (groups.size() <= 8)
        return groups.join(u' ');
    return groups.mid(0, 8).join(u' ') + u'\n' + groups.mid(8).join(u' ');
}

namespace {
QLabel *fingerprintLabel(QWidget *parent)
{
    auto *l = new QLabel(parent);
    l->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    l->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    return l;
}
} // namespace

FingerprintWarning::FingerprintWarning(QWidget *parent)
    : QFrame(parent)
    , m_title(new QLabel(this))
    , m_body(new QLabel(this))
    , m_expectedLabel(new QLabel(this))
    , m_expectedValue(fingerprintLabel(this))
    , m_presentedValue(fingerprintLabel(this))
    , m_advice(new QLabel(this))
{
    setObjectName(QStringLiteral("fingerprintWarning"));
    setFrameShape(QFrame::StyledPanel);
    setAccessibleName(tr("Server fingerprint warning"));
    auto *icon = new QLabel(this);
    const int side = touchTarget(this);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxCritical).pixmap(side, side));
    icon->setAlignment(Qt::AlignTop);
    QFont bold = m_title->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.15);
    m_title->setFont(bold);
    for (QLabel *l : { m_title, m_body, m_advice })
        l->setWordWrap(true);
    auto *presentedLabel = new QLabel(tr("The server presented:"), this);
    auto *text = new QVBoxLayout;
    text->addWidget(m_title);
    text->addWidget(m_body);
    text->addWidget(m_expectedLabel);
    text->addWidget(m_expectedValue);
    text->addWidget(presentedLabel);
    text->addWidget(m_presentedValue);
    text->addWidget(m_advice);
    auto *row = new QHBoxLayout(this);
    row->addWidget(icon);
    row->addLayout(text, 1);
    hide();
}

void FingerprintWarning::showWarning(
    Reason reason, const QString &expected, const QString &presented)
{
    m_expected = expected;
    m_presentedFp = presented;
    if (reason == Reason::ChangedSinceLastTime) {
        m_title->setText(tr("Stop: the school's server has a different fingerprint"));
        m_body->setText(tr(
            "This device has connected to this server before, and the server's fingerprint has "
            "changed since. Nothing was sent to it. This can mean someone is pretending to be the "
            "school's server."));
        m_expectedLabel->setText(tr("Fingerprint this device trusts:"));
        m_advice->setText(
            tr("Do not continue. Tell the school's IT manager and compare both fingerprints with "
               "them. Only if they confirm the server's key was replaced, remove this account from "
               "the device and connect again with the new fingerprint. Work saved on this device "
               "is kept."));
    } else {
        m_title->setText(tr("Stop: this is not the fingerprint you were given"));
        m_body->setText(tr(
            "The server at this address presented a different fingerprint from the one you "
            "entered. Nothing was sent to it. Check the address and the fingerprint; if both are "
            "right, someone may be pretending to be the school's server."));
        m_expectedLabel->setText(tr("Fingerprint you entered:"));
        m_advice->setText(tr("Do not continue. Tell the school's IT manager."));
    }
    m_expectedValue->setText(groupedFingerprint(expected));
    m_presentedValue->setText(presented.isEmpty() ? tr("(none)") : groupedFingerprint(presented));
    m_expectedValue->setAccessibleName(m_expectedLabel->text());
    m_presentedValue->setAccessibleName(tr("The server presented"));
    QFrame::show();
}

QString FingerprintWarning::text() const
{
    return QStringList { m_title->text(), m_body->text(), m_expectedLabel->text(),
        m_expectedValue->text(), m_presentedValue->text(), m_advice->text() }
        .join(u'\n');
}

FingerprintChangedDialog::FingerprintChangedDialog(
    const QString &pinned, const QString &presented, QWidget *parent)
    : QDialog(parent)
    , m_warning(new FingerprintWarning(this))
{
    setObjectName(QStringLiteral("fingerprintChangedDialog"));
    setWindowTitle(tr("Server fingerprint changed"));
    m_warning->showWarning(FingerprintWarning::Reason::ChangedSinceLastTime, pinned, presented);
    auto *note = new QLabel(
        tr("Acorn has stopped sending and receiving. You can keep working: everything you save "
           "stays on this device until the server is trusted again."),
        this);
    note->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->button(QDialogButtonBox::Close)->setText(tr("Keep working offline"));
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_warning);
    layout->addWidget(note);
    layout->addWidget(buttons);
    makeTouchFriendly(this);
}

} // namespace acorn::ui
