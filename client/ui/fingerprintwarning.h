#pragma once

#include <QDialog>
#include <QFrame>
#include <QString>

class QLabel;

namespace acorn::ui {

// "ab12 cd34 ... (8 groups)\n... (8 groups)": a fingerprint as people compare it, in groups
// of four hex digits on two lines.
QString groupedFingerprint(const QString &fingerprint);

// A blocking warning that the server presented a fingerprint other than the expected one,
// with both shown for comparison and what to do. It has no "continue anyway": nothing is
// sent to a server whose key does not match, and the only way forward is the IT manager.
class FingerprintWarning : public QFrame
{
    Q_OBJECT
public:
    enum class Reason {
        ChangedSinceLastTime, // this device pinned the server before: its key changed
        NotTheOneYouWereGiven // the user typed or pasted the expected fingerprint
    };

    explicit FingerprintWarning(QWidget *parent = nullptr);
    void showWarning(Reason reason, const QString &expected, const QString &presented);

    QString expected() const { return m_expected; }
    QString presented() const { return m_presentedFp; }
    QString text() const;

private:
    QLabel *m_title;
    QLabel *m_body;
    QLabel *m_expectedLabel;
    QLabel *m_expectedValue;
    QLabel *m_presentedValue;
    QLabel *m_advice;
    QString m_expected;
    QString m_presentedFp;
};

// The same warning as a dialog, for when a known server's key changes while the app runs:
// synchronisation stays stopped, work keeps being saved on the device.
class FingerprintChangedDialog : public QDialog
{
    Q_OBJECT
public:
    FingerprintChangedDialog(
        const QString &pinned, const QString &presented, QWidget *parent = nullptr);
    FingerprintWarning *warning() const { return m_warning; }

private:
    FingerprintWarning *m_warning;
};

} // namespace acorn::ui
