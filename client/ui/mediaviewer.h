#pragma once

#include <QIODevice>
#include <QImage>

#include <memory>
#include <QWidget>

class QAudioOutput;
class QLabel;
class QMediaPlayer;
class QPushButton;
class QSlider;
class QStackedWidget;
class QVideoWidget;

namespace acorn::ui {

// Shows one photo (scaled to fit, sharp on resize) or plays one video (QMediaPlayer with
// play/pause, a position slider and the time), or a message while media loads or when it
// cannot be shown. It displays files it is given; where they come from is not its business.
class MediaViewer : public QWidget
{
    Q_OBJECT
public:
    explicit MediaViewer(QWidget *parent = nullptr);
    ~MediaViewer() override;

    void showPhoto(const QString &path);
    void showVideo(const QString &path);
    void showMessage(const QString &text);
    void stop();

    bool isShowingPhoto() const;
    bool isShowingVideo() const;
    QString message() const;
    QMediaPlayer *player() const { return m_player; }

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void rescale();
    void updateTime();

    QStackedWidget *m_stack;
    QLabel *m_photo;
    QLabel *m_message;
    QWidget *m_videoPage;
    QVideoWidget *m_video;
    QPushButton *m_play;
    QSlider *m_position;
    QLabel *m_time;
    QMediaPlayer *m_player;
    std::unique_ptr<QIODevice> m_videoFile; // the player's source while it plays
    QAudioOutput *m_audio;
    QImage m_image;
};

} // namespace acorn::ui
