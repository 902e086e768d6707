#include "twofactorsetupdialog.h"

#include "qrcodeimage.h"
#include "touch.h"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QRegularExpressionValidator>
#include <QStackedWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace acorn::ui {

namespace {
QLineEdit *codeField(QWidget *parent, const QString &name, const QString &accessible)
{
    auto *e = new QLineEdit(parent);
    e->setObjectName(name);
    e->setAccessibleName(accessible);
    e->setPlaceholderText(TwoFactorSetupDialog::tr("6 digits"));
    e->setInputMethodHints(Qt::ImhDigitsOnly | Qt::ImhSensitiveData | Qt::ImhNoPredictiveText);
    e->setValidator(
        new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[0-9 ]{0,8}")), e));
    e->setMaxLength(8);
    QFont f = e->font();
    f.setPointSizeF(f.pointSizeF() * 1.4);
    f.setLetterSpacing(QFont::AbsoluteSpacing, 2);
    e->setFont(f);
    return e;
}

QLabel *wrapped(const QString &text, QWidget *parent)
{
    auto *l = new QLabel(text, parent);
    l->setWordWrap(true);
    return l;
}
} // namespace

TwoFactorSetupDialog::TwoFactorSetupDialog(
    client::ClientStore &store, client::SyncOptions signIn, QWidget *parent)
    : QDialog(parent)
    , m_setup(new client::TwoFactorSetup(store, std::move(signIn), this))
    , m_status(new QLabel(this))
    , m_pages(new QStackedWidget(this))
    , m_currentCode(codeField(this, QStringLiteral("currentCode"), tr("Current code")))
    , m_continue(new QPushButton(tr("&Continue"), this))
    , m_qrLabel(new QLabel(this))
    , m_key(new QLabel(this))
    , m_expiry(new QLabel(this))
    , m_code(codeField(this, QStringLiteral("confirmCode"), tr("Code from the app")))
    , m_confirm(new QPushButton(tr("&Turn on"), this))
    , m_done(new QLabel(this))
    , m_error(new QLabel(this))
    , m_retry(new QPushButton(tr("Try &again"), this))
    , m_close(new QPushButton(tr("Close"), this))
{
    setObjectName(QStringLiteral("twoFactorSetupDialog"));
    setWindowTitle(tr("Two-step sign-in"));

    auto *intro = wrapped(tr("With two-step sign-in you type a 6-digit code from an "
                             "authenticator app on your phone (such as Aegis, FreeOTP, Google or "
                             "Microsoft Authenticator) as well as your password. Someone who "
                             "learns your password still cannot sign in as you."),
        this);
    m_status->setObjectName(QStringLiteral("twoFactorStatus"));
    m_status->setWordWrap(true);

    // Page 0: waiting for the server (the status line says what is happening).
    auto *waiting = new QWidget(this);

    // Page 1: the account already has an authenticator.
    auto *current = new QWidget(this);
    auto *cl = new QVBoxLayout(current);
    cl->setContentsMargins(0, 0, 0, 0);
    cl->addWidget(wrapped(tr("This account already signs in with an authenticator app. To move "
                             "it to a new app or phone, type the code your present app shows "
                             "now. If you no longer have it (a lost phone), ask the school's "
                             "admin to reset two-step sign-in for you."),
        current));
    auto *cf = new QFormLayout;
    cf->addRow(tr("C&urrent code:"), m_currentCode);
    cl->addLayout(cf);
    m_continue->setObjectName(QStringLiteral("continueButton"));
    cl->addWidget(m_continue, 0, Qt::AlignRight);
    cl->addStretch(1);

    // Page 2: scan, then type a code.
    auto *scan = new QWidget(this);
    auto *sl = new QVBoxLayout(scan);
    sl->setContentsMargins(0, 0, 0, 0);
    sl->addWidget(wrapped(tr("<b>1.</b> In your authenticator app, add an account and scan "
                             "this code:"),
        scan));
    m_qrLabel->setObjectName(QStringLiteral("qrCode"));
    m_qrLabel->setAccessibleName(tr("QR code for your authenticator app"));
    m_qrLabel->setAlignment(Qt::AlignCenter);
    sl->addWidget(m_qrLabel, 0, Qt::AlignHCenter);
    sl->addWidget(wrapped(tr("Cannot scan it? Choose to enter a key instead, and type this "
                             "one (the spaces do not matter; time-based, 6 digits):"),
        scan));
    m_key->setObjectName(QStringLiteral("secretKey"));
    m_key->setAccessibleName(tr("Key for your authenticator app"));
    m_key->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_key->setAlignment(Qt::AlignCenter);
    QFont mono(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::Monospace);
    mono.setPointSizeF(m_key->font().pointSizeF() * 1.2);
    mono.setBold(true);
    m_key->setFont(mono);
    sl->addWidget(m_key);
    sl->addWidget(
        wrapped(tr("<b>2.</b> Type the 6-digit code the app now shows for Acorn:"), scan));
    auto *row = new QHBoxLayout;
    row->addWidget(m_code, 1);
    m_confirm->setObjectName(QStringLiteral("confirmButton"));
    m_confirm->setDefault(true);
    row->addWidget(m_confirm);
    sl->addLayout(row);
    m_expiry->setObjectName(QStringLiteral("twoFactorExpiry"));
    m_expiry->setWordWrap(true);
    QPalette muted = m_expiry->palette();
    muted.setColor(QPalette::WindowText, muted.color(QPalette::PlaceholderText));
    m_expiry->setPalette(muted);
    sl->addWidget(m_expiry);

    // Page 3: done.
    auto *done = new QWidget(this);
    auto *dl = new QVBoxLayout(done);
    dl->setContentsMargins(0, 0, 0, 0);
    m_done->setObjectName(QStringLiteral("twoFactorDone"));
    m_done->setWordWrap(true);
    dl->addWidget(m_done);
    dl->addStretch(1);

    m_pages->addWidget(waiting);
    m_pages->addWidget(current);
    m_pages->addWidget(scan);
    m_pages->addWidget(done);

    m_error->setObjectName(QStringLiteral("twoFactorError"));
    m_error->setWordWrap(true);
    m_error->setAccessibleName(tr("Two-step sign-in problem"));
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QPalette red = m_error->palette();
    red.setColor(QPalette::WindowText, QColor(0xb0, 0x1c, 0x1c));
    m_error->setPalette(red);
    m_error->hide();

    m_retry->setObjectName(QStringLiteral("retryButton"));
    m_retry->hide();
    m_close->setObjectName(QStringLiteral("closeButton"));
    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_retry, QDialogButtonBox::ActionRole);
    buttons->addButton(m_close, QDialogButtonBox::RejectRole);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_status);
    layout->addWidget(m_pages, 1);
    layout->addWidget(m_error);
    layout->addWidget(buttons);

    connect(
        m_setup, &client::TwoFactorSetup::stepFinished, this, &TwoFactorSetupDialog::stepFinished);
    connect(m_confirm, &QPushButton::clicked, this, &TwoFactorSetupDialog::confirmCode);
    connect(m_code, &QLineEdit::returnPressed, this, &TwoFactorSetupDialog::confirmCode);
    connect(m_continue, &QPushButton::clicked, this, [this] {
        if (m_currentCode->text().remove(u' ').size() != 6) {
            showError(tr("Type the 6 digits your present authenticator app shows."));
            m_currentCode->setFocus();
            return;
        }
        begin(m_currentCode->text());
    });
    connect(m_currentCode, &QLineEdit::returnPressed, m_continue, &QPushButton::click);
    connect(m_retry, &QPushButton::clicked, this, [this] { begin(); });
    connect(m_close, &QPushButton::clicked, this,
        [this] { m_step == Step::Done ? accept() : reject(); });
    makeTouchFriendly(this);
    setMinimumWidth(millimetres(this, 120));
    begin();
}

TwoFactorSetupDialog::~TwoFactorSetupDialog() = default;

QString TwoFactorSetupDialog::groupedKey(const QString &base32)
{
    QString out;
    for (qsizetype i = 0; i < base32.size(); i += 4) {
        if (!out.isEmpty())
            out += QLatin1Char(' ');
        out += base32.mid(i, 4);
    }
    return out;
}

QString TwoFactorSetupDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

QString TwoFactorSetupDialog::shownKey() const
{
    return m_key->text();
}

void TwoFactorSetupDialog::begin(const QString &currentCode)
{
    showError({});
    m_retry->hide();
    if (m_step != Step::CurrentCode)
        showStep(Step::Starting);
    setBusy(true, tr("Asking the school's server for a new key…"));
    m_setup->start(currentCode);
}

void TwoFactorSetupDialog::confirmCode()
{
    if (m_setup->isBusy())
        return;
    const QString code = m_code->text().remove(u' ');
    if (code.size() != m_setup->digits()) {
        showError(tr("Type the %1 digits your authenticator app shows for Acorn.")
                      .arg(m_setup->digits()));
        m_code->setFocus();
        return;
    }
    showError({});
    setBusy(true, tr("Checking the code…"));
    m_setup->confirm(code);
}

void TwoFactorSetupDialog::stepFinished()
{
    setBusy(false);
    const client::TwoFactorSetup &s = *m_setup;
    using E = client::TwoFactorSetup::Error;
    if (s.error() == E::None) {
        if (s.isConfirmed()) {
            const int ended = s.sessionsEnded();
            m_done->setText(
                tr("<b>Two-step sign-in is on.</b><br>From now on you sign in with your password "
                   "and the 6-digit code from your authenticator app.")
                + (ended > 0 ? QStringLiteral("<br><br>")
                            + tr("You were signed out on %n other device(s): sign in there again "
                                 "with your password and a code.",
                                nullptr, ended)
                             : QString()));
            m_currentCode->clear();
            m_code->clear();
            m_key->clear(); // the key is not shown again
            m_qr = {};
            m_qrLabel->clear();
            m_qrLabel->setFixedSize(0, 0);
            m_close->setText(tr("Done"));
            showStep(Step::Done);
            return;
        }
        const QrCodeImage code = QrCodeImage::encode(s.otpauthUri());
        // About 60 mm across: easy for a phone's camera at arm's length, whole modules only.
        const int side = code.modules() + 2 * QrCodeImage::kQuietZoneModules;
        const int moduleSize = std::max(3, millimetres(this, 60) / std::max(1, side));
        m_qr = code.image(moduleSize);
        m_qrLabel->setPixmap(QPixmap::fromImage(m_qr));
        m_qrLabel->setFixedSize(m_qr.size()); // never squeezed: a cut-off code does not scan
        m_key->setText(groupedKey(s.secret()));
        const QDateTime until = QDateTime::fromMSecsSinceEpoch(s.expiresAtMs());
        m_expiry->setText(
            (s.replacesExisting() ? tr("Your present authenticator keeps working until you turn "
                                       "this one on. ")
                                  : QString())
            + tr("Finish by %1, or start again.").arg(until.toString(QStringLiteral("HH:mm"))));
        m_currentCode->clear();
        showStep(Step::Scan);
        m_code->setFocus();
        return;
    }
    showError(explain(s));
    switch (s.error()) {
    case E::CodeNeeded:
        showError({}); // the page says it
        showStep(Step::CurrentCode);
        m_currentCode->setFocus();
        break;
    case E::WrongCode:
        if (m_step == Step::CurrentCode) {
            m_currentCode->clear();
            m_currentCode->setFocus();
        } else {
            m_code->clear();
            m_code->setFocus();
        }
        break;
    case E::Expired:
        m_qr = {};
        m_qrLabel->clear();
        m_qrLabel->setFixedSize(0, 0);
        m_key->clear();
        m_code->clear();
        m_retry->setText(tr("Start &again"));
        m_retry->show();
        showStep(Step::Failed);
        break;
    case E::Throttled:
        break; // the page stays; the message says how long to wait
    default:
        if (m_step == Step::Scan) {
            // Offline while confirming: the key stays valid, the same code may be retried.
            break;
        }
        m_retry->setText(tr("Try &again"));
        m_retry->show();
        showStep(Step::Failed);
        break;
    }
}

QString TwoFactorSetupDialog::explain(const client::TwoFactorSetup &s) const
{
    using E = client::TwoFactorSetup::Error;
    switch (s.error()) {
    case E::None:
        return {};
    case E::Offline:
        return tr("The school's server cannot be reached, so nothing was changed. Check the "
                  "network and try again. (%1)")
            .arg(s.errorString());
    case E::Tls:
        return tr("The server did not prove it is the school's server, so nothing was sent. "
                  "(%1)")
            .arg(s.errorString());
    case E::SessionEnded:
        return tr("Your session has ended: sign in again, then set up two-step sign-in.");
    case E::CodeNeeded:
        return tr("Type the code your present authenticator app shows.");
    case E::WrongCode:
        return m_step == Step::CurrentCode
            ? tr("That code of your present authenticator app is not right (or was used "
                 "already). Wait for the next code and type it.")
            : tr("That code is not right. Check that the app shows the account you just "
                 "added for Acorn, and type the code it shows now.");
    case E::Expired:
        return tr("The set-up waited too long, so this key no longer works. Start again for a "
                  "new code, and remove the unfinished entry from your authenticator app.");
    case E::Throttled:
        return tr("Too many wrong codes or passwords for this account. Wait %n second(s) and "
                  "try again.",
            nullptr, int(std::max<quint32>(1, s.retryAfterSeconds())));
    case E::Refused:
        return tr("The school's server refused: %1").arg(s.errorString());
    }
    return s.errorString();
}

void TwoFactorSetupDialog::showStep(Step step)
{
    m_step = step;
    switch (step) {
    case Step::Starting:
    case Step::Failed:
        m_pages->setCurrentIndex(0);
        break;
    case Step::CurrentCode:
        m_pages->setCurrentIndex(1);
        break;
    case Step::Scan:
        m_pages->setCurrentIndex(2);
        break;
    case Step::Done:
        m_pages->setCurrentIndex(3);
        break;
    }
    // Word-wrapped labels make the height depend on the width, which a window's minimum
    // size does not follow by itself: fit the window to the page (the QR code is large).
    if (isVisible())
        adjustSize();
}

void TwoFactorSetupDialog::showError(const QString &text)
{
    m_error->setText(text);
    m_error->setVisible(!text.isEmpty());
}

void TwoFactorSetupDialog::setBusy(bool busy, const QString &what)
{
    m_status->setText(busy ? what : QString());
    m_status->setVisible(busy);
    for (QWidget *w :
        std::initializer_list<QWidget *> { m_currentCode, m_continue, m_code, m_confirm, m_retry })
        w->setEnabled(!busy);
}

} // namespace acorn::ui
