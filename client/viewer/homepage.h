#pragma once

#include "acorn.pb.h"

#include <QFrame>
#include <QList>
#include <QWidget>

class QHBoxLayout;
class QLabel;
class QPushButton;

namespace acorn::viewer {

class ViewerSession;

// One child on the home screen: initials, name, class, how much is in the journal, the
// class's next update (half-termly classes) and a button that opens the journal.
class ChildCard : public QFrame
{
    Q_OBJECT
public:
    ChildCard(const wire::Child &child, const QString &notice, int observations,
        const QString &latest, QWidget *parent = nullptr);
    QString childRef() const { return QString::fromStdString(m_child.ref()); }
    QString childName() const;
    QString noticeText() const;
    QPushButton *openButton() const { return m_open; }

signals:
    void openJournal(const wire::Child &child);

protected:
    void mouseReleaseEvent(QMouseEvent *event) override;

private:
    wire::Child m_child;
    QLabel *m_notice = nullptr;
    QPushButton *m_open = nullptr;
};

// The home screen: the family's children side by side (siblings together), each opening
// their journal, and when the journal was last brought up to date.
class HomePage : public QWidget
{
    Q_OBJECT
public:
    explicit HomePage(ViewerSession &session, QWidget *parent = nullptr);

    // Rebuilds the cards from the cached roster.
    void reload();
    QList<ChildCard *> cards() const { return m_cards; }

signals:
    void openJournal(const wire::Child &child);

private:
    ViewerSession &m_session;
    QLabel *m_greeting = nullptr;
    QLabel *m_updated = nullptr;
    QLabel *m_empty = nullptr;
    QWidget *m_row = nullptr;
    QHBoxLayout *m_rowLayout = nullptr;
    QList<ChildCard *> m_cards;
};

} // namespace acorn::viewer
