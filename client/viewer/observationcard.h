#pragma once

#include "acorn.pb.h"

#include <QAbstractButton>
#include <QFrame>
#include <QList>
#include <QPixmap>

class QLabel;

namespace acorn::viewer {

class ViewerSession;

// A photo or video in a journal card: its thumbnail once downloaded (a placeholder
// before), a play mark on videos. Press (click, Enter or Space) to open it. No context
// menu and no drag: the viewer offers no way to save media.
class MediaTile : public QAbstractButton
{
    Q_OBJECT
public:
    MediaTile(const wire::Media &media, QWidget *parent = nullptr);

    const wire::Media &media() const { return m_media; }
    QString mediaId() const { return QString::fromStdString(m_media.id()); }
    bool isVideo() const { return m_media.kind() == wire::VIDEO; }
    bool hasThumbnail() const { return !m_thumbnail.isNull(); }
    void setThumbnail(const QPixmap &pixmap);
    void setNote(const QString &note);

    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    wire::Media m_media;
    QPixmap m_thumbnail;
    QString m_note;
};

// The place of media the school withheld from this family because it shows other
// children: a visible notice, so nothing goes silently missing. Never fetches anything.
class WithheldTile : public QFrame
{
    Q_OBJECT
public:
    WithheldTile(const wire::Media &media, QWidget *parent = nullptr);
    QString text() const;

private:
    QLabel *m_text = nullptr;
};

// One observation in a journal: date and time, text, EYFS areas in plain words, next
// steps, who recorded it, and its media (thumbnails first; withheld media marked).
class ObservationCard : public QFrame
{
    Q_OBJECT
public:
    ObservationCard(ViewerSession &session, const wire::Observation &observation,
        const QString &dateText, const QStringList &areas, QWidget *parent = nullptr);

    QString observationId() const { return QString::fromStdString(m_observation.id()); }
    const wire::Observation &observation() const { return m_observation; }
    QList<MediaTile *> mediaTiles() const { return m_tiles; }
    QList<WithheldTile *> withheldTiles() const { return m_withheld; }

signals:
    void openPhoto(const wire::Observation &observation, const QString &mediaId);
    void openVideo(const wire::Observation &observation, const wire::Media &media);

private:
    ViewerSession &m_session;
    wire::Observation m_observation;
    QList<MediaTile *> m_tiles;
    QList<WithheldTile *> m_withheld;
};

} // namespace acorn::viewer
