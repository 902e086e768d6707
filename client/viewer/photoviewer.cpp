#include "photoviewer.h"

#include "atrest.h"

#include "schoolcalendar.h"
#include "viewersession.h"
#include "watermark.h"

#include <QDate>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QImageReader>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QShortcut>
#include <QVBoxLayout>

namespace acorn::viewer {

PhotoCanvas::PhotoCanvas(QWidget *parent)
    : QWidget(parent)
{
    setContextMenuPolicy(Qt::NoContextMenu);
    setAcceptDrops(false);
    setMinimumSize(320, 240);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setAttribute(Qt::WA_OpaquePaintEvent, false);
}

void PhotoCanvas::setImage(const QImage &image)
{
    m_image = image;
    m_message.clear();
    update();
}

void PhotoCanvas::setWatermark(const QString &text)
{
    m_watermark = text;
    update();
}

void PhotoCanvas::setMessage(const QString &message)
{
    m_message = message;
    update();
}

QRect PhotoCanvas::imageRect() const
{
    if (m_image.isNull())
        return {};
    const QSize s = m_image.size().scaled(size(), Qt::KeepAspectRatio);
    return QRect(QPoint((width() - s.width()) / 2, (height() - s.height()) / 2), s);
}

void PhotoCanvas::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Window).darker(130));
    if (!m_image.isNull()) {
        p.setRenderHint(QPainter::SmoothPixmapTransform);
        const QRect r = imageRect();
        p.drawImage(r, m_image);
        Watermark::paint(p, r, m_watermark);
    }
    if (!m_message.isEmpty()) {
        QRect box = rect().adjusted(20, 0, -20, -16);
        QFont f = font();
        f.setBold(true);
        p.setFont(f);
        const QRect textRect
            = p.boundingRect(box, Qt::AlignHCenter | Qt::AlignBottom | Qt::TextWordWrap, m_message);
        p.setPen(Qt::NoPen);
        p.setBrush(palette().color(QPalette::ToolTipBase));
        p.setOpacity(0.9);
        p.drawRoundedRect(textRect.adjusted(-10, -6, 10, 6), 6, 6);
        p.setOpacity(1);
        p.setPen(palette().color(QPalette::ToolTipText));
        p.drawText(box, Qt::AlignHCenter | Qt::AlignBottom | Qt::TextWordWrap, m_message);
    }
}

// ------------------------------------------------------------------ PhotoViewer

PhotoViewer::PhotoViewer(ViewerSession &session, const wire::Observation &observation,
    const QString &mediaId, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_observation(observation)
{
    setWindowTitle(tr("Photo"));
    setContextMenuPolicy(Qt::NoContextMenu);
    for (const wire::Media &m : observation.media()) {
        if (m.kind() != wire::VIDEO && m.withheld() == wire::NOT_WITHHELD)
            m_photos.append(m);
    }
    m_canvas = new PhotoCanvas(this);
    m_canvas->setAccessibleName(tr("Photo"));
    m_canvas->setWatermark(Watermark::text(session.familyName(), QDate::currentDate()));

    m_caption = new QLabel(this);
    m_caption->setWordWrap(true);
    m_caption->setAccessibleName(tr("What the photo shows"));
    m_caption->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_caption->setMaximumHeight(fontMetrics().lineSpacing() * 6);

    m_position = new QLabel(this);
    m_previous = new QPushButton(tr("&Previous"), this);
    m_previous->setAccessibleName(tr("Previous photo"));
    m_previous->setShortcut(QKeySequence(Qt::Key_Left));
    m_next = new QPushButton(tr("&Next"), this);
    m_next->setAccessibleName(tr("Next photo"));
    m_next->setShortcut(QKeySequence(Qt::Key_Right));
    auto *close = new QPushButton(tr("&Close"), this);
    close->setAccessibleName(tr("Close the photo"));
    connect(close, &QPushButton::clicked, this, &QDialog::accept);
    connect(m_previous, &QPushButton::clicked, this, [this] { showIndex(m_index - 1); });
    connect(m_next, &QPushButton::clicked, this, [this] { showIndex(m_index + 1); });

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_previous);
    buttons->addWidget(m_position);
    buttons->addWidget(m_next);
    buttons->addStretch(1);
    buttons->addWidget(close);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_canvas, 1);
    layout->addWidget(m_caption);
    layout->addLayout(buttons);
    resize(960, 760);

    const SchoolCalendar calendar = session.calendar();
    m_caption->setTextFormat(Qt::RichText);
    m_caption->setText(
        QStringLiteral("<b>%1</b><br>%2")
            .arg(calendar.formatDateTime(observation.observed_at_ms()).toHtmlEscaped(),
                QString::fromStdString(observation.text()).toHtmlEscaped()));

    connect(&session.media(), &MediaFetcher::ready, this,
        [this](const QString &id, wire::MediaVariant variant, const QString &path) {
            if (id != currentMediaId())
                return;
            if (variant == wire::ORIGINAL || !m_full) {
                const auto file = client::openMediaFile(path); // sealed at rest
                QImageReader reader(file.get());
                reader.setAutoTransform(true);
                const QImage img = file ? reader.read() : QImage();
                if (img.isNull()) {
                    m_canvas->setMessage(tr("This photo could not be opened."));
                    return;
                }
                m_canvas->setImage(img);
                if (variant == wire::ORIGINAL) {
                    m_full = true;
                } else {
                    m_canvas->setMessage(tr("Loading the full-size photo…"));
                }
            }
        });
    connect(&session.media(), &MediaFetcher::failed, this,
        [this](const QString &id, wire::MediaVariant variant, const QString &message) {
            if (id != currentMediaId())
                return;
            if (variant == wire::ORIGINAL || m_canvas->image().isNull())
                m_canvas->setMessage(message);
        });

    int start = 0;
    for (int i = 0; i < m_photos.size(); ++i) {
        if (QString::fromStdString(m_photos.at(i).id()) == mediaId)
            start = i;
    }
    showIndex(start);
}

QString PhotoViewer::currentMediaId() const
{
    return m_index < m_photos.size() ? QString::fromStdString(m_photos.at(m_index).id())
                                     : QString();
}

void PhotoViewer::showIndex(int index)
{
    if (m_photos.isEmpty()) {
        m_canvas->setMessage(tr("There is no photo to show."));
        m_previous->setEnabled(false);
        m_next->setEnabled(false);
        return;
    }
    m_index = std::clamp(index, 0, static_cast<int>(m_photos.size()) - 1);
    m_previous->setEnabled(m_index > 0);
    m_next->setEnabled(m_index + 1 < m_photos.size());
    m_position->setText(tr("Photo %1 of %2").arg(m_index + 1).arg(m_photos.size()));
    m_position->setVisible(m_photos.size() > 1);
    m_previous->setVisible(m_photos.size() > 1);
    m_next->setVisible(m_photos.size() > 1);
    m_full = false;
    m_canvas->setImage({});
    m_canvas->setMessage(tr("Loading the photo…"));
    load();
}

void PhotoViewer::load()
{
    const wire::Media &m = m_photos.at(m_index);
    // Thumbnail first (usually cached already), then the full photo.
    if (m.thumbnail_size() > 0)
        m_session.media().request(m, wire::THUMBNAIL);
    m_session.media().request(m, wire::ORIGINAL);
}

} // namespace acorn::viewer
