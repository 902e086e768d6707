#include "mediaviewer.h"

#include "atrest.h"

#include "touch.h"

#include <QAudioOutput>
#include <QHBoxLayout>
#include <QImageReader>
#include <QLabel>
#include <QMediaPlayer>
#include <QPushButton>
#include <QResizeEvent>
#include <QSlider>
#include <QStackedWidget>
#include <QStyle>
#include <QUrl>
#include <QVBoxLayout>
#include <QVideoWidget>

namespace acorn::ui {

namespace {
QString clock(qint64 ms)
{
    const qint64 s = ms / 1000;
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}
} // namespace

MediaViewer::MediaViewer(QWidget *parent)
    : QWidget(parent)
    , m_stack(new QStackedWidget(this))
    , m_photo(new QLabel(this))
    , m_message(new QLabel(this))
    , m_videoPage(new QWidget(this))
    , m_video(new QVideoWidget(this))
    , m_play(new QPushButton(this))
    , m_position(new QSlider(Qt::Horizontal, this))
    , m_time(new QLabel(this))
    , m_player(new QMediaPlayer(this))
    , m_audio(new QAudioOutput(this))
{
    setObjectName(QStringLiteral("mediaViewer"));
    setAccessibleName(tr("Photo or video"));
    m_photo->setObjectName(QStringLiteral("mediaPhoto"));
    m_photo->setAlignment(Qt::AlignCenter);
    m_photo->setMinimumSize(1, 1);
    m_photo->setAccessibleName(tr("Photo"));
    m_message->setObjectName(QStringLiteral("mediaMessage"));
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_video->setAccessibleName(tr("Video"));
    m_play->setObjectName(QStringLiteral("mediaPlay"));
    m_play->setAccessibleName(tr("Play or pause"));
    m_play->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    m_play->setShortcut(Qt::Key_Space);
    m_position->setAccessibleName(tr("Position in the video"));
    m_time->setObjectName(QStringLiteral("mediaTime"));

    auto *controls = new QHBoxLayout;
    controls->addWidget(m_play);
    controls->addWidget(m_position, 1);
    controls->addWidget(m_time);
    auto *videoLayout = new QVBoxLayout(m_videoPage);
    videoLayout->setContentsMargins(0, 0, 0, 0);
    videoLayout->addWidget(m_video, 1);
    videoLayout->addLayout(controls);

    m_stack->addWidget(m_message);
    m_stack->addWidget(m_photo);
    m_stack->addWidget(m_videoPage);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);

    m_player->setAudioOutput(m_audio);
    m_player->setVideoOutput(m_video);
    connect(m_play, &QPushButton::clicked, this, [this] {
        if (m_player->playbackState() == QMediaPlayer::PlayingState)
            m_player->pause();
        else
            m_player->play();
    });
    connect(m_player, &QMediaPlayer::playbackStateChanged, this,
        [this](QMediaPlayer::PlaybackState st) {
            m_play->setIcon(style()->standardIcon(
                st == QMediaPlayer::PlayingState ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
        });
    connect(m_player, &QMediaPlayer::durationChanged, this, [this](qint64 d) {
        m_position->setRange(0, static_cast<int>(d));
        updateTime();
    });
    connect(m_player, &QMediaPlayer::positionChanged, this, [this](qint64 p) {
        if (!m_position->isSliderDown())
            m_position->setValue(static_cast<int>(p));
        updateTime();
    });
    connect(m_position, &QSlider::sliderMoved, this, [this](int v) { m_player->setPosition(v); });
    connect(m_player, &QMediaPlayer::errorOccurred, this,
        [this](QMediaPlayer::Error, const QString &text) {
            showMessage(tr("This video cannot be played on this device: %1").arg(text));
        });
    makeTouchFriendly(this);
    showMessage({});
}

MediaViewer::~MediaViewer()
{
    m_player->stop();
    m_player->setSource(QUrl()); // lets go of m_videoFile before it is destroyed
}

void MediaViewer::showPhoto(const QString &path)
{
    stop();
    QString error;
    const auto file = client::openMediaFile(path, &error);
    if (!file) {
        showMessage(tr("This photo cannot be shown: %1").arg(error));
        return;
    }
    QImageReader reader(file.get());
    reader.setAutoTransform(true);
    m_image = reader.read();
    if (m_image.isNull()) {
        showMessage(tr("This photo cannot be shown: %1").arg(reader.errorString()));
        return;
    }
    m_stack->setCurrentWidget(m_photo);
    rescale();
}

void MediaViewer::showVideo(const QString &path)
{
    stop();
    m_image = QImage();
    m_stack->setCurrentWidget(m_videoPage);
    // Played from the sealed file, decrypted segment by segment as the player reads.
    QString error;
    auto file = client::openMediaFile(path, &error);
    if (!file) {
        showMessage(tr("This video cannot be played on this device: %1").arg(error));
        return;
    }
    m_player->setSourceDevice(file.get(), QUrl::fromLocalFile(path));
    m_videoFile = std::move(file);
    m_player->play();
}

void MediaViewer::showMessage(const QString &text)
{
    stop();
    m_image = QImage();
    m_message->setText(text);
    m_stack->setCurrentWidget(m_message);
}

void MediaViewer::stop()
{
    if (m_player->playbackState() != QMediaPlayer::StoppedState)
        m_player->stop();
}

bool MediaViewer::isShowingPhoto() const
{
    return m_stack->currentWidget() == m_photo && !m_image.isNull();
}

bool MediaViewer::isShowingVideo() const
{
    return m_stack->currentWidget() == m_videoPage;
}

QString MediaViewer::message() const
{
    return m_stack->currentWidget() == m_message ? m_message->text() : QString();
}

void MediaViewer::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    rescale();
}

void MediaViewer::rescale()
{
    if (m_image.isNull())
        return;
    const qreal dpr = devicePixelRatioF();
    const QSize area = m_photo->size() * dpr;
    QImage scaled = m_image.size().width() > area.width() || m_image.size().height() > area.height()
        ? m_image.scaled(area, Qt::KeepAspectRatio, Qt::SmoothTransformation)
        : m_image;
    QPixmap pm = QPixmap::fromImage(scaled);
    pm.setDevicePixelRatio(dpr);
    m_photo->setPixmap(pm);
}

void MediaViewer::updateTime()
{
    m_time->setText(
        QStringLiteral("%1 / %2").arg(clock(m_player->position()), clock(m_player->duration())));
}

} // namespace acorn::ui
