#pragma once

#include "acorn.pb.h"
#include "consentcheck.h"
#include "medialoader.h"
#include "mediapipeline.h"
#include "observationqueue.h"

#include <QHash>
#include <QPointer>
#include <QWidget>

class QBoxLayout;
class QCheckBox;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;

namespace acorn::staff {

// Writes or amends one observation: which children (one or several), what happened, a
// staff-only note, next steps, the EYFS areas and characteristics of effective learning in
// plain words, its photos and videos, and whether to publish it or keep it as a draft.
//
// It shows the consent check (ConsentCheck, from the core) as the user edits: a child
// without consent for photos or video in an observation with media is refused with the
// reason and the save buttons stay off until it is fixed; a child whose image may not
// appear in other journals gets a notice. Saving itself is the window's job (through
// ObservationQueue); this widget only assembles what the user entered.
class ObservationEditor : public QWidget
{
    Q_OBJECT
public:
    explicit ObservationEditor(QWidget *parent = nullptr);

    void setRoster(const QList<wire::Child> &roster);
    void setMediaLoader(client::MediaLoader *loader) { m_loader = loader; }

    // A new observation of `childRefs` with freshly prepared media.
    void startNew(const QStringList &childRefs, const QList<client::PreparedMedia> &media);
    // An amendment of an observation as this device has it.
    void startAmend(const client::LocalObservation &current);
    void addMedia(const QList<client::PreparedMedia> &media);

    bool isAmending() const { return m_amending; }
    QString observationId() const { return QString::fromStdString(m_base.id()); }
    QStringList childRefs() const;
    void setChildPicked(const QString &ref, bool picked);
    bool hasMedia() const;
    const client::ConsentCheck &consent() const { return m_consent; }
    QString consentText() const;
    QString noticeText() const;

    // The observation as entered (existing media kept unless removed; new media not
    // included: see newMedia()).
    wire::Observation observation(wire::ObservationState state) const;
    const QList<client::PreparedMedia> &newMedia() const { return m_newMedia; }
    // Takes the new media out (after a successful save) so they are not discarded.
    QList<client::PreparedMedia> takeNewMedia();
    void showSaveError(const QString &text);

    QPlainTextEdit *textField() const { return m_text; }
    QPlainTextEdit *noteField() const { return m_note; }
    QPlainTextEdit *nextStepsField() const { return m_nextSteps; }
    QPushButton *publishButton() const { return m_publish; }
    QPushButton *draftButton() const { return m_draft; }
    QCheckBox *tagBox(const QString &key) const { return m_tags.value(key); }
    QListWidget *childList() const { return m_children; }

signals:
    void saveRequested(acorn::wire::ObservationState state);
    void cancelRequested();
    void addMediaRequested();
    void mediaOpened(const acorn::wire::Media &media);

protected:
    void resizeEvent(QResizeEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void fillChildren(const QStringList &picked);
    void rebuildMedia();
    void recheck();

    QList<wire::Child> m_roster;
    QPointer<client::MediaLoader> m_loader;
    wire::Observation m_base; // the version being amended (or an empty new one)
    bool m_amending = false;
    QList<wire::Media> m_keptMedia;
    QList<client::PreparedMedia> m_newMedia;
    client::ConsentCheck m_consent;

    QBoxLayout *m_columns;
    QLabel *m_title;
    QLineEdit *m_childSearch;
    QListWidget *m_children;
    QLabel *m_picked;
    QPlainTextEdit *m_text;
    QPlainTextEdit *m_nextSteps;
    QPlainTextEdit *m_note;
    QHash<QString, QCheckBox *> m_tags;
    QWidget *m_mediaStrip;
    QHBoxLayout *m_mediaLayout;
    QPushButton *m_addMedia;
    QLabel *m_refusal;
    QLabel *m_notice;
    QLabel *m_saveError;
    QPushButton *m_cancel;
    QPushButton *m_draft;
    QPushButton *m_publish;
};

} // namespace acorn::staff
