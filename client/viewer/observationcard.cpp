#include "observationcard.h"

#include "atrest.h"
#include "viewersession.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPainterPath>
#include <QStyle>
#include <QStyleOptionFocusRect>
#include <QVBoxLayout>

namespace acorn::viewer {

namespace {
// A cached thumbnail (sealed at rest), or a null pixmap if it cannot be read.
QPixmap thumbnailFrom(const QString &path)
{
    const auto bytes = client::readMediaFile(path);
    return bytes ? QPixmap::fromImage(QImage::fromData(bytes.value())) : QPixmap();
}
} // namespace

namespace {
constexpr int kTileWidth = 176;
constexpr int kTileHeight = 132;
constexpr int kTilesPerRow = 4;

QString mediaNoun(const wire::Media &m)
{
    return m.kind() == wire::VIDEO ? MediaTile::tr("video") : MediaTile::tr("photo");
}
} // namespace

// ------------------------------------------------------------------ MediaTile

MediaTile::MediaTile(const wire::Media &media, QWidget *parent)
    : QAbstractButton(parent)
    , m_media(media)
{
    setFocusPolicy(Qt::StrongFocus);
    setContextMenuPolicy(Qt::NoContextMenu);
    setCursor(Qt::PointingHandCursor);
    setAccessibleName(
        isVideo() ? tr("Video: press to play") : tr("Photo: press to see it full size"));
    setToolTip(isVideo() ? tr("Play the video") : tr("See the photo full size"));
    m_note = tr("Loading…");
}

QSize MediaTile::sizeHint() const
{
    return { kTileWidth, kTileHeight };
}

void MediaTile::setThumbnail(const QPixmap &pixmap)
{
    m_thumbnail = pixmap;
    m_note.clear();
    update();
}

void MediaTile::setNote(const QString &note)
{
    m_note = note;
    setToolTip(note);
    update();
}

void MediaTile::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QRect r = rect().adjusted(2, 2, -2, -2);
    QPainterPath clip;
    clip.addRoundedRect(r, 6, 6);
    // Videos without a picture get a dark "screen"; photos a light placeholder.
    p.fillPath(clip,
        isVideo() && m_thumbnail.isNull() ? QColor(48, 48, 52)
                                          : palette().color(QPalette::AlternateBase));
    if (!m_thumbnail.isNull()) {
        p.save();
        p.setClipPath(clip);
        const QPixmap scaled = m_thumbnail.scaled(
            r.size(), Qt::KeepAspectRatioByExpanding, Qt::SmoothTransformation);
        p.drawPixmap(r.center() - QPoint(scaled.width() / 2, scaled.height() / 2), scaled);
        p.restore();
    } else if (isVideo()) {
        p.setPen(QColor(230, 230, 230));
        p.drawText(r.adjusted(8, 6, -8, -6), Qt::AlignLeft | Qt::AlignBottom | Qt::TextWordWrap,
            m_note.isEmpty() ? mediaNoun(m_media) : m_note);
    } else {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(r.adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap,
            m_note.isEmpty() ? mediaNoun(m_media) : m_note);
    }
    if (isVideo()) {
        // A play mark in the middle.
        const int d = std::min(r.width(), r.height()) / 3;
        const QRect c(r.center() - QPoint(d / 2, d / 2), QSize(d, d));
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(0, 0, 0, 140));
        p.drawEllipse(c);
        QPolygon tri;
        tri << QPoint(c.left() + d * 2 / 5, c.top() + d / 4)
            << QPoint(c.left() + d * 2 / 5, c.bottom() - d / 4)
            << QPoint(c.right() - d / 4, c.center().y());
        p.setBrush(Qt::white);
        p.drawPolygon(tri);
        if (m_media.duration_ms() > 0) {
            const int secs = static_cast<int>(m_media.duration_ms() / 1000);
            const QString len
                = QStringLiteral("%1:%2").arg(secs / 60).arg(secs % 60, 2, 10, QLatin1Char('0'));
            QRect lr = p.fontMetrics().boundingRect(len).adjusted(-5, -2, 5, 2);
            lr.moveBottomRight(r.bottomRight() - QPoint(6, 6));
            p.setBrush(QColor(0, 0, 0, 160));
            p.drawRoundedRect(lr, 3, 3);
            p.setPen(Qt::white);
            p.drawText(lr, Qt::AlignCenter, len);
        }
    }
    p.setPen(QPen(
        palette().color(hasFocus() ? QPalette::Highlight : QPalette::Mid), hasFocus() ? 3 : 1));
    p.setBrush(Qt::NoBrush);
    p.drawPath(clip);
}

// ------------------------------------------------------------------ WithheldTile

WithheldTile::WithheldTile(const wire::Media &media, QWidget *parent)
    : QFrame(parent)
{
    setFrameShape(QFrame::StyledPanel);
    setFixedSize(kTileWidth, kTileHeight);
    setContextMenuPolicy(Qt::NoContextMenu);
    setFocusPolicy(Qt::TabFocus); // reachable, so screen-reader users hear it too
    setBackgroundRole(QPalette::AlternateBase);
    setAutoFillBackground(true);
    const bool video = media.kind() == wire::VIDEO;
    QString why;
    if (media.withheld() == wire::OTHER_CHILDREN)
        why = video ? tr("This video includes other children, so it is not shown.")
                    : tr("This photo includes other children, so it is not shown.");
    else
        why = video ? tr("This video is no longer shared with families, so it is not shown.")
                    : tr("This photo is no longer shared with families, so it is not shown.");
    m_text = new QLabel(why, this);
    m_text->setWordWrap(true);
    m_text->setAlignment(Qt::AlignCenter);
    m_text->setForegroundRole(QPalette::PlaceholderText);
    auto *icon = new QLabel(this);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxInformation).pixmap(24, 24));
    icon->setAlignment(Qt::AlignCenter);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->addStretch();
    layout->addWidget(icon);
    layout->addWidget(m_text);
    layout->addStretch();
    setAccessibleName(m_text->text());
    setToolTip(media.withheld() == wire::OTHER_CHILDREN
            ? tr("Other children appear in it, and their families have not agreed to that.")
            : tr("The school has stopped sharing it."));
}

QString WithheldTile::text() const
{
    return m_text->text();
}

// ------------------------------------------------------------------ ObservationCard

ObservationCard::ObservationCard(ViewerSession &session, const wire::Observation &observation,
    const QString &dateText, const QStringList &areas, QWidget *parent)
    : QFrame(parent)
    , m_session(session)
    , m_observation(observation)
{
    setObjectName(QStringLiteral("observationCard"));
    setFrameShape(QFrame::StyledPanel);
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
    setAccessibleName(tr("Observation of %1").arg(dateText));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 12, 16, 12);
    layout->setSpacing(8);

    auto *date = new QLabel(dateText, this);
    QFont f = date->font();
    f.setBold(true);
    date->setFont(f);
    layout->addWidget(date);

    auto *text = new QLabel(QString::fromStdString(observation.text()), this);
    text->setObjectName(QStringLiteral("observationText"));
    text->setTextFormat(Qt::PlainText);
    text->setWordWrap(true);
    text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(text);

    if (!observation.next_steps().empty()) {
        auto *next = new QLabel(
            tr("Next steps: %1").arg(QString::fromStdString(observation.next_steps())), this);
        next->setTextFormat(Qt::PlainText);
        next->setWordWrap(true);
        layout->addWidget(next);
    }

    if (!areas.isEmpty()) {
        auto *row = new QHBoxLayout;
        row->setSpacing(6);
        for (const QString &a : areas) {
            auto *chip = new QLabel(a, this);
            chip->setObjectName(QStringLiteral("areaChip"));
            chip->setTextFormat(Qt::PlainText);
            chip->setStyleSheet(QStringLiteral(
                "QLabel#areaChip { background: palette(alternate-base); color: palette(text);"
                " border: 1px solid palette(mid); border-radius: 9px; padding: 1px 8px; }"));
            chip->setAccessibleName(tr("Area of learning: %1").arg(a));
            row->addWidget(chip);
        }
        row->addStretch();
        layout->addLayout(row);
    }

    if (observation.media_size() > 0) {
        auto *media = new QGridLayout;
        media->setSpacing(8);
        int cell = 0;
        auto place = [&](QWidget *w) {
            media->addWidget(w, cell / kTilesPerRow, cell % kTilesPerRow);
            ++cell;
        };
        int photoNumber = 0;
        int videoNumber = 0;
        for (const wire::Media &m : observation.media()) {
            if (m.withheld() != wire::NOT_WITHHELD) {
                auto *w = new WithheldTile(m, this);
                m_withheld.append(w);
                place(w);
                continue;
            }
            auto *tile = new MediaTile(m, this);
            tile->setAccessibleName(m.kind() == wire::VIDEO
                    ? tr("Video %1 from %2: press to play").arg(++videoNumber).arg(dateText)
                    : tr("Photo %1 from %2: press to see it full size")
                          .arg(++photoNumber)
                          .arg(dateText));
            m_tiles.append(tile);
            place(tile);
            connect(tile, &QAbstractButton::clicked, this, [this, tile] {
                if (tile->isVideo())
                    emit openVideo(m_observation, tile->media());
                else
                    emit openPhoto(m_observation, tile->mediaId());
            });
        }
        media->setColumnStretch(kTilesPerRow, 1);
        layout->addLayout(media);

        MediaFetcher &fetcher = session.media();
        connect(&fetcher, &MediaFetcher::ready, this,
            [this](const QString &id, wire::MediaVariant v, const QString &path) {
                if (v != wire::THUMBNAIL)
                    return;
                for (MediaTile *t : std::as_const(m_tiles)) {
                    if (t->mediaId() == id)
                        t->setThumbnail(thumbnailFrom(path));
                }
            });
        connect(&fetcher, &MediaFetcher::failed, this,
            [this](const QString &id, wire::MediaVariant v, const QString &message) {
                if (v != wire::THUMBNAIL)
                    return;
                for (MediaTile *t : std::as_const(m_tiles)) {
                    if (t->mediaId() == id)
                        t->setNote(message);
                }
            });
        for (MediaTile *t : std::as_const(m_tiles)) {
            if (t->media().thumbnail_size() > 0)
                fetcher.request(t->media(), wire::THUMBNAIL);
            else
                t->setNote(t->isVideo() ? tr("Video: press to play") : tr("Photo"));
        }
    }

    if (!observation.author_name().empty()) {
        auto *by = new QLabel(
            tr("Recorded by %1").arg(QString::fromStdString(observation.author_name())), this);
        by->setTextFormat(Qt::PlainText);
        by->setForegroundRole(QPalette::PlaceholderText);
        layout->addWidget(by);
    }
}

} // namespace acorn::viewer
