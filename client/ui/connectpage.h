#pragma once

#include "acorn.pb.h"

#include <QDialog>
#include <QPointer>
#include <QString>
#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;

namespace acorn::client {
class ServerConnection;
}

namespace acorn::ui {

class FingerprintWarning;

// A school server as the user confirmed it: where it is, the fingerprint to pin, and what
// it said about itself. The activation code comes from an enrolment code, if it had one.
struct ServerIdentity
{
    QString host;
    quint16 port = 0;
    QString fingerprint;
    QString schoolName;
    QString schoolContact;
    QString activationCode;
};

// First contact with a school's server: the user pastes the enrolment code the IT manager
// printed, or types the server address and (ideally) the fingerprint. The page connects
// once (ServerConnection: TLS, the key checked before anything is sent) and shows the
// fingerprint the server presented, in groups of four, to compare with the IT manager's.
//
// - Fingerprint given and matching: confirmed at once.
// - No fingerprint given: the presented one is shown and the user must tick that it
//   matches the one they were given before continuing.
// - Fingerprint given and different, or a server this device pinned before now presenting
//   another key: a blocking FingerprintWarning showing both. There is no way past it.
class ConnectPage : public QWidget
{
    Q_OBJECT
public:
    enum class Outcome {
        None,
        Connecting,
        Matched, // the server presented the fingerprint given (or pinned before)
        NeedsComparison, // no fingerprint given: the user compares and confirms
        Mismatch, // blocking: not the fingerprint given
        ChangedKnown, // blocking: not the fingerprint this device pinned before
        Failed, // could not connect (message shown)
    };
    Q_ENUM(Outcome)

    explicit ConnectPage(wire::ClientKind kind, QWidget *parent = nullptr);
    ~ConnectPage() override;

    void setEnrolmentCode(const QString &code);
    void setAddress(const QString &address, const QString &fingerprint = {});
    // What the Connect button does.
    void connectToServer();

    Outcome outcome() const { return m_outcome; }
    bool canContinue() const;
    const ServerIdentity &identity() const { return m_identity; }
    QString message() const;
    FingerprintWarning *warning() const { return m_warning; }

signals:
    void outcomeChanged(acorn::ui::ConnectPage::Outcome outcome);
    void continueRequested(const acorn::ui::ServerIdentity &identity);

private:
    void open(const QString &expectedPin);
    void onReady();
    void onFailed(int kind, const QString &message);
    void setOutcome(Outcome o, const QString &message);
    void updateButtons();

    wire::ClientKind m_kind;
    QTabWidget *m_tabs;
    QPlainTextEdit *m_code;
    QLineEdit *m_address;
    QLineEdit *m_fingerprint;
    QPushButton *m_connect;
    QLabel *m_status;
    QLabel *m_presentedTitle;
    QLabel *m_presented;
    QCheckBox *m_confirm;
    FingerprintWarning *m_warning;
    QPushButton *m_continue;

    QPointer<client::ServerConnection> m_connection;
    Outcome m_outcome = Outcome::None;
    ServerIdentity m_identity;
    QString m_typedPin; // given by the user or an enrolment code
    QString m_knownPin; // pinned by this device before
    bool m_secondLook = false; // reconnecting with the presented pin to read the school's name
};

// ConnectPage in a dialog, for the first run of an app: accepted when the user continues.
class ConnectDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ConnectDialog(wire::ClientKind kind, QWidget *parent = nullptr);
    ConnectPage *page() const { return m_page; }
    const ServerIdentity &identity() const { return m_page->identity(); }

private:
    ConnectPage *m_page;
};

} // namespace acorn::ui
