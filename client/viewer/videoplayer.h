#pragma once

#include "acorn.pb.h"

#include <QDialog>
#include <QMediaPlayer>

#include <memory>

class QAudioOutput;
class QLabel;
class QProgressBar;
class QPushButton;
class QSlider;
class QVideoWidget;

namespace acorn::viewer {

class ViewerSession;

// Plays one video of an observation (QMediaPlayer + QVideoWidget): downloads the file into
// the profile's media folder first (with a progress bar), then plays it. Space plays and
// pauses, Escape closes. Offers nothing to save the file.
class VideoPlayer : public QDialog
{
    Q_OBJECT
public:
    VideoPlayer(ViewerSession &session, const wire::Observation &observation,
        const wire::Media &video, QWidget *parent = nullptr);
    ~VideoPlayer() override;

    QMediaPlayer *player() const { return m_player; }
    QString mediaId() const;
    // True once the file is here and handed to the player.
    bool isLoaded() const { return m_loaded; }
    // What went wrong (download or playback), empty if nothing did.
    QString problem() const { return m_problem; }

private:
    void startPlayback(const QString &path);
    void updateTime();

    ViewerSession &m_session;
    wire::Media m_video;
    QMediaPlayer *m_player = nullptr;
    std::unique_ptr<QIODevice> m_videoFile; // the player's source while it plays
    QAudioOutput *m_audio = nullptr;
    QVideoWidget *m_videoWidget = nullptr;
    QProgressBar *m_download = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_play = nullptr;
    QSlider *m_position = nullptr;
    QLabel *m_time = nullptr;
    bool m_loaded = false;
    QString m_problem;
};

} // namespace acorn::viewer
