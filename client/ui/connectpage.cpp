#include "connectpage.h"

#include "enrolment.h"
#include "fingerprintwarning.h"
#include "profile.h"
#include "protocol.h"
#include "serverconnection.h"
#include "tlspin.h"
#include "touch.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>

namespace acorn::ui {

using client::FailureKind;

ConnectPage::ConnectPage(wire::ClientKind kind, QWidget *parent)
    : QWidget(parent)
    , m_kind(kind)
    , m_tabs(new QTabWidget(this))
    , m_code(new QPlainTextEdit(this))
    , m_address(new QLineEdit(this))
    , m_fingerprint(new QLineEdit(this))
    , m_connect(new QPushButton(tr("&Connect"), this))
    , m_status(new QLabel(this))
    , m_presentedTitle(new QLabel(this))
    , m_presented(new QLabel(this))
    , m_confirm(new QCheckBox(tr("These are the same as the fingerprint the school gave me"), this))
    , m_warning(new FingerprintWarning(this))
    , m_continue(new QPushButton(tr("C&ontinue"), this))
{
    setObjectName(QStringLiteral("connectPage"));
    auto *intro = new QLabel(
        tr("Connect this device to your school's Acorn server. Use the enrolment code from the "
           "letter the school gave you, or the server's address and fingerprint."),
        this);
    intro->setWordWrap(true);

    // Tab 1: enrolment code.
    auto *codePage = new QWidget(this);
    m_code->setObjectName(QStringLiteral("enrolmentCode"));
    m_code->setAccessibleName(tr("Enrolment code"));
    m_code->setPlaceholderText(tr("acorn:1:…"));
    m_code->setTabChangesFocus(true);
    m_code->setMaximumHeight(millimetres(this, 24));
    auto *codeLabel = new QLabel(tr("&Enrolment code:"), codePage);
    codeLabel->setBuddy(m_code);
    auto *codeLayout = new QVBoxLayout(codePage);
    codeLayout->addWidget(codeLabel);
    codeLayout->addWidget(m_code);

    // Tab 2: address and fingerprint.
    auto *addressPage = new QWidget(this);
    m_address->setObjectName(QStringLiteral("serverAddress"));
    m_address->setAccessibleName(tr("Server address"));
    m_address->setPlaceholderText(tr("journal.school.example or 192.168.1.20:7443"));
    m_address->setInputMethodHints(Qt::ImhUrlCharactersOnly | Qt::ImhNoAutoUppercase);
    m_fingerprint->setObjectName(QStringLiteral("serverFingerprint"));
    m_fingerprint->setAccessibleName(tr("Server fingerprint"));
    m_fingerprint->setPlaceholderText(tr("64 letters and digits from the IT manager (optional)"));
    m_fingerprint->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_fingerprint->setInputMethodHints(Qt::ImhNoAutoUppercase | Qt::ImhNoPredictiveText);
    auto *form = new QFormLayout(addressPage);
    form->setRowWrapPolicy(QFormLayout::WrapLongRows);
    form->addRow(tr("Server &address:"), m_address);
    form->addRow(tr("&Fingerprint:"), m_fingerprint);

    m_tabs->setObjectName(QStringLiteral("connectTabs"));
    m_tabs->addTab(codePage, tr("Enrolment code"));
    m_tabs->addTab(addressPage, tr("Address and fingerprint"));

    m_connect->setObjectName(QStringLiteral("connectButton"));
    m_connect->setAccessibleName(tr("Connect to the server"));
    m_connect->setDefault(true);
    m_status->setObjectName(QStringLiteral("connectStatus"));
    m_status->setWordWrap(true);
    m_status->setAccessibleName(tr("Connection status"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_presentedTitle->setWordWrap(true);
    m_presented->setObjectName(QStringLiteral("presentedFingerprint"));
    m_presented->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_presented->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_presented->setAccessibleName(tr("Fingerprint the server presented"));
    QFont big = m_presented->font();
    big.setPointSizeF(big.pointSizeF() * 1.2);
    m_presented->setFont(big);
    m_confirm->setObjectName(QStringLiteral("confirmFingerprint"));
    m_confirm->setAccessibleName(tr("The fingerprints are the same"));
    m_continue->setObjectName(QStringLiteral("continueButton"));
    m_continue->setAccessibleName(tr("Continue to sign in"));

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_connect);
    buttons->addStretch(1);
    buttons->addWidget(m_continue);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_tabs);
    layout->addWidget(m_status);
    layout->addWidget(m_presentedTitle);
    layout->addWidget(m_presented);
    layout->addWidget(m_confirm);
    layout->addWidget(m_warning);
    layout->addStretch(1);
    layout->addLayout(buttons);

    connect(m_connect, &QPushButton::clicked, this, &ConnectPage::connectToServer);
    connect(m_confirm, &QCheckBox::toggled, this, &ConnectPage::updateButtons);
    connect(m_continue, &QPushButton::clicked, this, [this] {
        if (canContinue())
            emit continueRequested(m_identity);
    });
    // Editing the input starts over: a confirmation belongs to what was checked.
    auto reset = [this] {
        if (m_outcome != Outcome::Connecting)
            setOutcome(Outcome::None, {});
    };
    connect(m_code, &QPlainTextEdit::textChanged, this, reset);
    connect(m_address, &QLineEdit::textEdited, this, reset);
    connect(m_fingerprint, &QLineEdit::textEdited, this, reset);
    connect(m_tabs, &QTabWidget::currentChanged, this, reset);
    setOutcome(Outcome::None, {});
    makeTouchFriendly(this);
}

ConnectPage::~ConnectPage() = default;

void ConnectPage::setEnrolmentCode(const QString &code)
{
    m_tabs->setCurrentIndex(0);
    m_code->setPlainText(code);
}

void ConnectPage::setAddress(const QString &address, const QString &fingerprint)
{
    m_tabs->setCurrentIndex(1);
    m_address->setText(address);
    m_fingerprint->setText(fingerprint);
}

QString ConnectPage::message() const
{
    return m_status->text();
}

bool ConnectPage::canContinue() const
{
    return m_outcome == Outcome::Matched
        || (m_outcome == Outcome::NeedsComparison && m_confirm->isChecked()
            && !m_identity.fingerprint.isEmpty());
}

void ConnectPage::updateButtons()
{
    m_continue->setEnabled(canContinue());
    m_connect->setEnabled(m_outcome != Outcome::Connecting);
}

void ConnectPage::setOutcome(Outcome o, const QString &message)
{
    m_outcome = o;
    m_status->setText(message);
    const bool showPresented = o == Outcome::Matched || o == Outcome::NeedsComparison;
    m_presentedTitle->setVisible(showPresented);
    m_presented->setVisible(showPresented);
    m_confirm->setVisible(o == Outcome::NeedsComparison);
    if (o != Outcome::NeedsComparison)
        m_confirm->setChecked(false);
    if (o != Outcome::Mismatch && o != Outcome::ChangedKnown)
        m_warning->hide();
    updateButtons();
    emit outcomeChanged(o);
}

void ConnectPage::connectToServer()
{
    m_identity = {};
    m_typedPin.clear();
    m_secondLook = false;
    if (m_tabs->currentIndex() == 0) {
        const auto code = client::EnrolmentCode::parse(m_code->toPlainText());
        if (!code) {
            setOutcome(
                Outcome::Failed, tr("The enrolment code cannot be used: %1.").arg(code.error()));
            return;
        }
        m_identity.host = code->host;
        m_identity.port = code->port;
        m_identity.activationCode = code->activationCode;
        m_typedPin = code->fingerprint;
    } else {
        const auto address
            = client::ServerAddress::parse(m_address->text(), protocol::kDefaultPort);
        if (!address) {
            setOutcome(
                Outcome::Failed, tr("The server address cannot be used: %1.").arg(address.error()));
            return;
        }
        m_identity.host = address->host;
        m_identity.port = address->port;
        if (!m_fingerprint->text().trimmed().isEmpty()) {
            const auto fp = tls::normaliseFingerprint(m_fingerprint->text());
            if (!fp) {
                setOutcome(
                    Outcome::Failed, tr("The fingerprint cannot be used: %1").arg(fp.error()));
                return;
            }
            m_typedPin = fp.value();
        }
    }
    m_knownPin = client::ProfileList::pinnedFingerprint(m_identity.host, m_identity.port);
    setOutcome(Outcome::Connecting,
        tr("Connecting to %1…")
            .arg(client::ServerAddress { m_identity.host, m_identity.port }.toString()));
    open(!m_knownPin.isEmpty() ? m_knownPin : m_typedPin);
}

void ConnectPage::open(const QString &expectedPin)
{
    if (m_connection)
        m_connection->deleteLater();
    m_connection = new client::ServerConnection(this);
    m_connection->setTimeouts(15000, 15000);
    connect(m_connection, &client::ServerConnection::ready, this, &ConnectPage::onReady);
    connect(m_connection, &client::ServerConnection::failed, this,
        [this](FailureKind kind, const QString &message) {
            onFailed(static_cast<int>(kind), message);
        });
    // With no expected pin the check fails after the handshake, before anything is sent,
    // and tells us what the server presented: that is all first contact needs.
    m_connection->open(m_identity.host, m_identity.port, expectedPin, m_kind);
}

void ConnectPage::onReady()
{
    const QString presented = m_connection->presentedPin();
    m_identity.schoolName = QString::fromStdString(m_connection->hello().school_name());
    m_identity.schoolContact = QString::fromStdString(m_connection->hello().school_contact());
    m_identity.fingerprint = presented;
    m_connection->close();
    m_presented->setText(groupedFingerprint(presented));
    const QString school
        = m_identity.schoolName.isEmpty() ? tr("the school's server") : m_identity.schoolName;
    if (!m_typedPin.isEmpty() && m_typedPin != presented) {
        // Pinned before and unchanged, but not what the user was given now.
        m_warning->showWarning(
            FingerprintWarning::Reason::NotTheOneYouWereGiven, m_typedPin, presented);
        setOutcome(Outcome::Mismatch, tr("Not connected: the fingerprint does not match."));
        return;
    }
    if (m_secondLook) {
        m_presentedTitle->setText(
            tr("Compare this fingerprint with the one the school's IT manager gave you, "
               "group by group:"));
        setOutcome(Outcome::NeedsComparison,
            tr("Connected to %1. It has not been checked yet.").arg(school));
        return;
    }
    m_presentedTitle->setText(tr("Fingerprint the server presented:"));
    setOutcome(Outcome::Matched,
        m_knownPin.isEmpty()
            ? tr("Connected to %1. Its fingerprint matches the one you were given.").arg(school)
            : tr("Connected to %1. Its fingerprint is the one this device already trusts.")
                  .arg(school));
}

void ConnectPage::onFailed(int kind, const QString &message)
{
    const QString presented = m_connection ? m_connection->presentedPin() : QString();
    if (static_cast<FailureKind>(kind) != FailureKind::PinMismatch || presented.isEmpty()) {
        const QString where = client::ServerAddress { m_identity.host, m_identity.port }.toString();
        if (static_cast<FailureKind>(kind) == FailureKind::Unreachable)
            setOutcome(Outcome::Failed,
                tr("Acorn cannot reach a server at %1. Check the address, and that this "
                   "device is on the school's network. (%2)")
                    .arg(where, message));
        else
            setOutcome(Outcome::Failed, tr("The connection to %1 failed: %2").arg(where, message));
        return;
    }
    if (!m_knownPin.isEmpty()) {
        m_warning->showWarning(
            FingerprintWarning::Reason::ChangedSinceLastTime, m_knownPin, presented);
        setOutcome(
            Outcome::ChangedKnown, tr("Not connected: the server's fingerprint has changed."));
        return;
    }
    if (!m_typedPin.isEmpty()) {
        m_warning->showWarning(
            FingerprintWarning::Reason::NotTheOneYouWereGiven, m_typedPin, presented);
        setOutcome(Outcome::Mismatch, tr("Not connected: the fingerprint does not match."));
        return;
    }
    // First contact without a fingerprint: look again with the presented key pinned, to
    // read the school's name for the comparison (still nothing but Hello is sent).
    m_secondLook = true;
    open(presented);
}

ConnectDialog::ConnectDialog(wire::ClientKind kind, QWidget *parent)
    : QDialog(parent)
    , m_page(new ConnectPage(kind, this))
{
    setObjectName(QStringLiteral("connectDialog"));
    setWindowTitle(tr("Connect to your school"));
    auto *cancel = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    connect(cancel, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_page, &ConnectPage::continueRequested, this, &QDialog::accept);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_page);
    layout->addWidget(cancel);
    makeTouchFriendly(this);
}

} // namespace acorn::ui
