#include "signindialog.h"

#include "clientstore.h"
#include "enrolment.h"
#include "profile.h"
#include "syncengine.h"
#include "touch.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QSysInfo>
#include <QVBoxLayout>

namespace acorn::ui {

client::Profile profileFor(const ServerIdentity &server, const SignInResult &result)
{
    client::Profile profile;
    profile.host = server.host;
    profile.port = server.port;
    profile.fingerprint = server.fingerprint;
    profile.username = result.username;
    profile.displayName = result.displayName;
    profile.role = result.role;
    profile.schoolName = result.schoolName;
    return profile;
}

ServerIdentity identityOf(const client::Profile &profile)
{
    ServerIdentity s;
    s.host = profile.host;
    s.port = profile.port;
    s.fingerprint = profile.fingerprint;
    s.schoolName = profile.schoolName;
    return s;
}

namespace {
constexpr int kMinPasswordChars = 8;

QLineEdit *passwordField(QWidget *parent, const QString &name, const QString &accessible)
{
    auto *e = new QLineEdit(parent);
    e->setObjectName(name);
    e->setAccessibleName(accessible);
    e->setEchoMode(QLineEdit::Password);
    e->setInputMethodHints(Qt::ImhHiddenText | Qt::ImhSensitiveData | Qt::ImhNoAutoUppercase
        | Qt::ImhNoPredictiveText);
    return e;
}
} // namespace

SignInDialog::SignInDialog(
    ServerIdentity server, wire::ClientKind kind, QList<wire::Role> allowedRoles, QWidget *parent)
    : QDialog(parent)
    , m_server(std::move(server))
    , m_kind(kind)
    , m_allowed(std::move(allowedRoles))
    , m_school(new QLabel(this))
    , m_notice(new QLabel(this))
    , m_username(new QLineEdit(this))
    , m_modes(new QStackedWidget(this))
    , m_password(passwordField(this, QStringLiteral("password"), tr("Password")))
    , m_secondFactorLabel(new QLabel(tr("Au&thenticator code:"), this))
    , m_secondFactor(new QLineEdit(this))
    , m_code(new QLineEdit(this))
    , m_newPassword(passwordField(this, QStringLiteral("newPassword"), tr("New password")))
    , m_repeatPassword(
          passwordField(this, QStringLiteral("repeatPassword"), tr("New password again")))
    , m_activation(new QCheckBox(tr("I have an &activation code (new account)"), this))
    , m_error(new QLabel(this))
    , m_signIn(new QPushButton(tr("&Sign in"), this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
{
    setObjectName(QStringLiteral("signInDialog"));
    setWindowTitle(tr("Sign in to Acorn"));
    const QString where = m_server.schoolName.isEmpty()
        ? client::ServerAddress { m_server.host, m_server.port }.toString()
        : m_server.schoolName;
    m_school->setText(tr("Signing in to %1").arg(where));
    m_school->setWordWrap(true);
    QFont bold = m_school->font();
    bold.setBold(true);
    m_school->setFont(bold);
    m_notice->setObjectName(QStringLiteral("signInNotice"));
    m_notice->setWordWrap(true);
    m_notice->hide();

    m_username->setObjectName(QStringLiteral("username"));
    m_username->setAccessibleName(tr("Username"));
    m_username->setInputMethodHints(Qt::ImhNoAutoUppercase | Qt::ImhNoPredictiveText);
    m_code->setObjectName(QStringLiteral("activationCode"));
    m_code->setAccessibleName(tr("Activation code"));
    m_code->setPlaceholderText(tr("as printed on the school's letter"));
    m_code->setInputMethodHints(Qt::ImhPreferUppercase | Qt::ImhNoPredictiveText);
    m_code->setText(m_server.activationCode);
    m_activation->setObjectName(QStringLiteral("activationMode"));

    auto *passwordPage = new QWidget(this);
    auto *pf = new QFormLayout(passwordPage);
    pf->setContentsMargins(0, 0, 0, 0);
    pf->addRow(tr("&Password:"), m_password);
    m_secondFactor->setObjectName(QStringLiteral("secondFactorCode"));
    m_secondFactor->setAccessibleName(tr("Authenticator code"));
    m_secondFactor->setPlaceholderText(tr("6 digits from your authenticator app"));
    m_secondFactor->setInputMethodHints(
        Qt::ImhDigitsOnly | Qt::ImhSensitiveData | Qt::ImhNoPredictiveText);
    m_secondFactor->setMaxLength(8);
    m_secondFactorLabel->setBuddy(m_secondFactor);
    pf->addRow(m_secondFactorLabel, m_secondFactor);
    m_secondFactorLabel->hide();
    m_secondFactor->hide();
    auto *activationPage = new QWidget(this);
    auto *af = new QFormLayout(activationPage);
    af->setContentsMargins(0, 0, 0, 0);
    af->setRowWrapPolicy(QFormLayout::WrapLongRows);
    af->addRow(tr("Activation &code:"), m_code);
    af->addRow(tr("&New password:"), m_newPassword);
    af->addRow(tr("New password &again:"), m_repeatPassword);
    auto *rule = new QLabel(
        tr("Choose a password of at least %1 characters that you do not use anywhere else.")
            .arg(kMinPasswordChars),
        activationPage);
    rule->setWordWrap(true);
    af->addRow(rule);
    m_modes->addWidget(passwordPage);
    m_modes->addWidget(activationPage);

    auto *form = new QFormLayout;
    form->addRow(tr("&Username:"), m_username);

    m_error->setObjectName(QStringLiteral("signInError"));
    m_error->setWordWrap(true);
    m_error->setAccessibleName(tr("Sign-in problem"));
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->hide();

    m_signIn->setObjectName(QStringLiteral("signInButton"));
    m_signIn->setDefault(true);
    m_signIn->setAccessibleName(tr("Sign in"));
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_signIn, QDialogButtonBox::AcceptRole);
    buttons->addButton(m_cancel, QDialogButtonBox::RejectRole);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_school);
    layout->addWidget(m_notice);
    layout->addLayout(form);
    layout->addWidget(m_modes);
    layout->addWidget(m_activation);
    layout->addWidget(m_error);
    layout->addStretch(1);
    layout->addWidget(buttons);

    connect(m_activation, &QCheckBox::toggled, this, [this](bool on) {
        m_modes->setCurrentIndex(on ? 1 : 0);
        m_signIn->setText(on ? tr("&Activate and sign in") : tr("&Sign in"));
    });
    connect(m_signIn, &QPushButton::clicked, this, &SignInDialog::signIn);
    connect(m_cancel, &QPushButton::clicked, this, &QDialog::reject);
    setActivationMode(!m_server.activationCode.isEmpty());
    makeTouchFriendly(this);
    setMinimumWidth(millimetres(this, 110));
}

SignInDialog::~SignInDialog() = default;

void SignInDialog::setUsername(const QString &username, bool editable)
{
    m_username->setText(username);
    m_username->setReadOnly(!editable);
    (username.isEmpty() ? static_cast<QWidget *>(m_username) : m_password)->setFocus();
}

void SignInDialog::setActivationMode(bool activation)
{
    m_activation->setChecked(activation);
    m_modes->setCurrentIndex(activation ? 1 : 0);
}

bool SignInDialog::isActivationMode() const
{
    return m_activation->isChecked();
}

void SignInDialog::setNotice(const QString &text)
{
    m_notice->setText(text);
    m_notice->setVisible(!text.isEmpty());
}

bool SignInDialog::asksForSecondFactor() const
{
    return !m_secondFactor->isHidden();
}

QString SignInDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

void SignInDialog::showError(const QString &text)
{
    m_error->setText(text);
    m_error->setVisible(!text.isEmpty());
}

void SignInDialog::setBusy(bool busy)
{
    for (QWidget *w : std::initializer_list<QWidget *> { m_username, m_password, m_secondFactor,
             m_code, m_newPassword, m_repeatPassword, m_activation, m_signIn })
        w->setEnabled(!busy);
    m_signIn->setText(busy       ? tr("Signing in…")
            : isActivationMode() ? tr("&Activate and sign in")
                                 : tr("&Sign in"));
}

void SignInDialog::signIn()
{
    if (m_engine)
        return;
    const QString username = m_username->text().trimmed().toLower();
    if (username.isEmpty()) {
        showError(tr("Enter your username."));
        m_username->setFocus();
        return;
    }
    client::SyncOptions o;
    o.host = m_server.host;
    o.port = m_server.port;
    o.pin = m_server.fingerprint;
    o.username = username;
    o.kind = m_kind;
    o.push = false;
    o.pull = false;
    o.deviceName = QSysInfo::machineHostName();
    if (isActivationMode()) {
        if (m_code->text().trimmed().isEmpty()) {
            showError(tr("Enter the activation code from the school's letter."));
            m_code->setFocus();
            return;
        }
        if (m_newPassword->text().size() < kMinPasswordChars) {
            showError(tr("Choose a password of at least %1 characters.").arg(kMinPasswordChars));
            m_newPassword->setFocus();
            return;
        }
        if (m_newPassword->text() != m_repeatPassword->text()) {
            showError(tr("The two new passwords are not the same: type them again."));
            m_repeatPassword->clear();
            m_repeatPassword->setFocus();
            return;
        }
        o.activationCode = m_code->text().trimmed();
        o.password = m_newPassword->text();
    } else {
        if (m_password->text().isEmpty()) {
            showError(tr("Enter your password."));
            m_password->setFocus();
            return;
        }
        o.password = m_password->text();
        if (asksForSecondFactor()) {
            if (m_secondFactor->text().trimmed().isEmpty()) {
                showError(tr("Enter the 6-digit code from your authenticator app."));
                m_secondFactor->setFocus();
                return;
            }
            o.secondFactorCode = m_secondFactor->text().trimmed();
        }
    }
    if (!m_scratch) {
        auto store = client::ClientStore::open(
            QStringLiteral(":memory:"), client::DataKey::generate()); // in memory, this sign-in only
        if (!store) {
            showError(store.error());
            return;
        }
        m_scratch = std::move(store).value();
    }
    showError({});
    setBusy(true);
    m_engine = new client::SyncEngine(*m_scratch, o, this);
    o.password.clear();
    connect(m_engine, &client::SyncEngine::finished, this, &SignInDialog::finished);
    m_engine->start();
}

QString SignInDialog::friendlyError(
    const client::SyncEngine &engine, const QString &schoolContact, bool activation)
{
    const QString contact = schoolContact.isEmpty() ? tr("a member of staff") : schoolContact;
    switch (engine.error()) {
    case client::SyncError::None:
        return {};
    case client::SyncError::Authentication:
        switch (engine.serverError()) {
        case wire::Error::AUTH_FAILED:
            return activation
                ? tr("That activation code is not right for this username. Check both against the "
                     "school's letter and try again.")
                : tr("The username or password is not right. Check them and try again.");
        case wire::Error::CODE_EXPIRED:
            return tr("That activation code has expired or has already been used. Ask the school "
                      "for a new one "
                      "(%1).")
                .arg(contact);
        case wire::Error::ACCOUNT_LOCKED:
            return tr("This account is switched off. Please speak to %1.").arg(contact);
        case wire::Error::UNAUTHENTICATED:
            return tr("Your sign-in on this device has ended. Please sign in again.");
        case wire::Error::SECOND_FACTOR_REQUIRED:
            return activation ? tr("Your password is set. This account also needs the 6-digit code "
                                   "from your authenticator app: enter it and sign in.")
                              : tr("This account also needs the 6-digit code from your "
                                   "authenticator app: enter it and sign in.");
        default:
            return engine.errorString();
        }
    case client::SyncError::Unreachable:
        return tr("Acorn cannot reach the school's server just now. Check this device's network "
                  "(Wi-Fi) and try "
                  "again. (%1)")
            .arg(engine.errorString());
    case client::SyncError::Tls:
        return engine.presentedPin().isEmpty()
            ? tr("A secure connection to the school's server could not be made: %1")
                  .arg(engine.errorString())
            : tr("Stop: the school's server presented a different fingerprint from the one this "
                 "device "
                 "trusts. Nothing was sent. Tell the school's IT manager.");
    case client::SyncError::Refused:
        if (engine.serverError() == wire::Error::THROTTLED)
            return tr("Too many attempts. Please wait %1 s and try again.")
                .arg(std::max<quint32>(engine.retryAfterSeconds(), 1));
        return engine.errorString();
    case client::SyncError::Local:
        return tr("This device could not sign in: %1").arg(engine.errorString());
    }
    return engine.errorString();
}

void SignInDialog::finished(client::SyncEngine *engine)
{
    m_engine = nullptr;
    engine->deleteLater();
    setBusy(false);
    const bool activation = isActivationMode();
    QString contact = m_server.schoolContact;
    if (engine->connection() && !engine->connection()->hello().school_contact().empty())
        contact = QString::fromStdString(engine->connection()->hello().school_contact());
    if (engine->error() != client::SyncError::None) {
        showError(friendlyError(*engine, contact, activation));
        if (engine->serverError() == wire::Error::SECOND_FACTOR_REQUIRED) {
            // The password was right: it stays in its field (never anywhere else) for the
            // second attempt with the code. After an activation, the new password is it.
            if (activation) {
                m_password->setText(m_newPassword->text());
                setActivationMode(false);
            }
            m_newPassword->clear();
            m_repeatPassword->clear();
            m_secondFactorLabel->show();
            m_secondFactor->show();
            m_secondFactor->clear();
            m_secondFactor->setFocus();
            return;
        }
        if (engine->serverError() == wire::Error::AUTH_FAILED && asksForSecondFactor())
            showError(tr("The password or the code is not right. A code changes every 30 seconds "
                         "and works once: wait for the next one and try again."));
        m_password->clear();
        m_secondFactor->clear();
        (activation ? m_code : m_password)->setFocus();
        return;
    }
    // The password has done its job; it is not kept anywhere.
    m_password->clear();
    m_secondFactor->clear();
    m_newPassword->clear();
    m_repeatPassword->clear();
    const client::SyncReport &r = engine->report();
    if (!m_allowed.isEmpty() && !m_allowed.contains(r.role)) {
        if (engine->connection()) {
            wire::Frame logout;
            logout.mutable_logout();
            engine->connection()->request(logout, [](const wire::Frame &) {});
        }
        showError(m_kind == wire::CLIENT_KIND_VIEWER && client::Profile::isStaff(r.role)
                ? tr("This is the app for parents and carers. Staff read journals in the Acorn "
                     "staff app.")
                : r.role == wire::ROLE_PARENT ? tr("This is the staff app. Parents and carers read "
                                                   "their child's journal in Acorn Viewer.")
                : r.role == wire::ROLE_ADMIN ? tr("This is an IT manager's account: it manages the "
                                                  "school but reads no journals. Sign in "
                                                  "with a staff account.")
                                             : tr("This account cannot use this app."));
        return;
    }
    m_result.token = r.newToken;
    m_result.username = m_username->text().trimmed().toLower();
    m_result.displayName = r.displayName;
    m_result.role = r.role;
    m_result.schoolName = engine->connection()
        ? QString::fromStdString(engine->connection()->hello().school_name())
        : m_server.schoolName;
    if (m_result.schoolName.isEmpty())
        m_result.schoolName = m_server.schoolName;
    m_result.schoolContact = contact;
    emit signedIn(m_result);
    accept();
}

} // namespace acorn::ui
