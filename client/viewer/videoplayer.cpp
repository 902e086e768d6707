#include "videoplayer.h"

#include "atrest.h"

#include "viewersession.h"

#include <QAudioOutput>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSlider>
#include <QStyle>
#include <QTime>
#include <QUrl>
#include <QVBoxLayout>
#include <QVideoWidget>

namespace acorn::viewer {

namespace {
QString clock(qint64 ms)
{
    const QTime t = QTime(0, 0).addMSecs(static_cast<int>(std::max<qint64>(ms, 0)));
    return t.hour() > 0 ? t.toString(QStringLiteral("h:mm:ss"))
                        : t.toString(QStringLiteral("m:ss"));
}
} // namespace

VideoPlayer::VideoPlayer(ViewerSession &session, const wire::Observation &observation,
    const wire::Media &video, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_video(video)
{
    setWindowTitle(tr("Video"));
    setContextMenuPolicy(Qt::NoContextMenu);
    m_player = new QMediaPlayer(this);
    m_audio = new QAudioOutput(this);
    m_player->setAudioOutput(m_audio);
    m_videoWidget = new QVideoWidget(this);
    m_videoWidget->setAccessibleName(tr("Video"));
    m_videoWidget->setContextMenuPolicy(Qt::NoContextMenu);
    m_videoWidget->setMinimumSize(480, 270);
    m_player->setVideoOutput(m_videoWidget);

    m_download = new QProgressBar(this);
    m_download->setAccessibleName(tr("Video download progress"));
    m_download->setRange(0, 0);
    m_status = new QLabel(tr("Downloading the video…"), this);
    m_status->setWordWrap(true);

    m_play = new QPushButton(style()->standardIcon(QStyle::SP_MediaPlay), tr("&Play"), this);
    m_play->setAccessibleName(tr("Play or pause"));
    m_play->setShortcut(QKeySequence(Qt::Key_Space));
    m_play->setEnabled(false);
    m_position = new QSlider(Qt::Horizontal, this);
    m_position->setAccessibleName(tr("Position in the video"));
    m_position->setEnabled(false);
    m_time = new QLabel(clock(0), this);
    auto *close = new QPushButton(tr("&Close"), this);
    close->setAccessibleName(tr("Close the video"));
    connect(close, &QPushButton::clicked, this, &QDialog::accept);

    auto *caption = new QLabel(QString::fromStdString(observation.text()), this);
    caption->setWordWrap(true);
    caption->setTextFormat(Qt::PlainText);
    caption->setMaximumHeight(fontMetrics().lineSpacing() * 4);

    auto *controls = new QHBoxLayout;
    controls->addWidget(m_play);
    controls->addWidget(m_position, 1);
    controls->addWidget(m_time);
    controls->addSpacing(24);
    controls->addWidget(close);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_videoWidget, 1);
    layout->addWidget(m_status);
    layout->addWidget(m_download);
    layout->addWidget(caption);
    layout->addLayout(controls);
    resize(900, 640);

    connect(m_play, &QPushButton::clicked, this, [this] {
        if (m_player->playbackState() == QMediaPlayer::PlayingState)
            m_player->pause();
        else
            m_player->play();
    });
    connect(
        m_player, &QMediaPlayer::playbackStateChanged, this, [this](QMediaPlayer::PlaybackState s) {
            const bool playing = s == QMediaPlayer::PlayingState;
            m_play->setIcon(
                style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
            m_play->setText(playing ? tr("&Pause") : tr("&Play"));
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
        [this](QMediaPlayer::Error, const QString &message) {
            m_problem = tr("This video cannot be played on this computer: %1").arg(message);
            m_status->setText(m_problem);
            m_status->show();
        });

    connect(&session.media(), &MediaFetcher::progress, this,
        [this](const QString &id, qint64 done, qint64 total) {
            if (id != mediaId() || total <= 0)
                return;
            m_download->setRange(0, 1000);
            m_download->setValue(static_cast<int>(done * 1000 / total));
        });
    connect(&session.media(), &MediaFetcher::ready, this,
        [this](const QString &id, wire::MediaVariant variant, const QString &path) {
            if (id == mediaId() && variant == wire::ORIGINAL)
                startPlayback(path);
        });
    connect(&session.media(), &MediaFetcher::failed, this,
        [this](const QString &id, wire::MediaVariant variant, const QString &message) {
            if (id != mediaId() || variant != wire::ORIGINAL)
                return;
            m_download->hide();
            m_problem = message;
            m_status->setText(message);
        });
    session.media().request(video, wire::ORIGINAL);
}

VideoPlayer::~VideoPlayer()
{
    m_player->stop();
    m_player->setSource(QUrl()); // lets go of m_videoFile before it is destroyed
}

QString VideoPlayer::mediaId() const
{
    return QString::fromStdString(m_video.id());
}

void VideoPlayer::startPlayback(const QString &path)
{
    m_download->hide();
    m_status->hide();
    m_play->setEnabled(true);
    m_position->setEnabled(true);
    m_loaded = true;
    // Played from the sealed cache file, decrypted segment by segment as the player reads.
    QString error;
    auto file = client::openMediaFile(path, &error);
    if (!file) {
        m_problem = tr("This video could not be opened: %1").arg(error);
        m_status->setText(m_problem);
        m_status->show();
        m_loaded = false;
        return;
    }
    m_player->setSourceDevice(file.get(), QUrl::fromLocalFile(path));
    m_videoFile = std::move(file);
    m_player->play();
    m_play->setFocus();
}

void VideoPlayer::updateTime()
{
    m_time->setText(tr("%1 / %2").arg(clock(m_player->position()), clock(m_player->duration())));
}

} // namespace acorn::viewer
