#pragma once

#include "syncengine.h"
#include "twofactorsetup.h"

#include <QDialog>
#include <QImage>
#include <QPointer>

class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;

namespace acorn::ui {

// "Two-step sign-in": sets up sign-in with an authenticator app for the signed-in account.
// It asks the server for a new secret and shows it as a QR code (and as a key in groups of
// four, for typing in by hand), then takes a 6-digit code from the app to switch it on. An
// account that already has an authenticator is first asked for that app's current code.
// Every failure is told with what to do: a wrong code, no connection, a set-up that waited
// too long, a server that refused (a parent at a school that has not switched it on).
//
// It decides nothing: the server checks every code and applies every rule
// (client::TwoFactorSetup carries the exchange). The secret is shown, never stored.
class TwoFactorSetupDialog : public QDialog
{
    Q_OBJECT
public:
    enum class Step {
        Starting, // asking the server for a secret
        CurrentCode, // the account has an authenticator: its current code is needed first
        Scan, // the QR code and the code field
        Done, // switched on
        Failed, // could not start (offline, refused): Try again
    };

    // `store` and `signIn` as client::TwoFactorSetup takes them (the profile's store, the
    // session token). The set-up starts at once.
    TwoFactorSetupDialog(
        client::ClientStore &store, client::SyncOptions signIn, QWidget *parent = nullptr);
    ~TwoFactorSetupDialog() override;

    Step step() const { return m_step; }
    bool isBusy() const { return m_setup->isBusy(); }
    QString errorText() const;
    // The QR code as shown (null until the server sent a secret).
    QImage qrImage() const { return m_qr; }
    // The key as shown, in groups of four.
    QString shownKey() const;
    const client::TwoFactorSetup &setup() const { return *m_setup; }

    // The key in groups of four letters or digits, as people read it out.
    static QString groupedKey(const QString &base32);

private:
    void begin(const QString &currentCode = {});
    void stepFinished();
    void confirmCode();
    void showStep(Step step);
    void showError(const QString &text);
    void setBusy(bool busy, const QString &what = {});
    QString explain(const client::TwoFactorSetup &setup) const;

    client::TwoFactorSetup *m_setup;
    Step m_step = Step::Starting;
    QImage m_qr;
    QLabel *m_status;
    QStackedWidget *m_pages;
    QLineEdit *m_currentCode;
    QPushButton *m_continue;
    QLabel *m_qrLabel;
    QLabel *m_key;
    QLabel *m_expiry;
    QLineEdit *m_code;
    QPushButton *m_confirm;
    QLabel *m_done;
    QLabel *m_error;
    QPushButton *m_retry;
    QPushButton *m_close;
};

} // namespace acorn::ui
