#pragma once

#include "mediapipeline.h"

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QList>
#include <QPointer>
#include <QTimer>
#include <QWidget>

class QCamera;
class QComboBox;
class QHBoxLayout;
class QImageCapture;
class QLabel;
class QMediaCaptureSession;
class QMediaRecorder;
class QProgressBar;
class QPushButton;
class QStackedWidget;
class QVideoWidget;

namespace acorn::staff {

// The capture screen: a camera viewfinder (QMediaCaptureSession + QCamera + QVideoWidget)
// to take photos (QImageCapture) and record video (QMediaRecorder) with a visible timer that
// stops at the configured maximum length, and a camera chooser when there are several.
// With no camera it says so and offers import from files instead (several at once, or by
// drag and drop); import is always available.
//
// Every photo and video goes through MediaPipeline (orientation applied, size capped,
// metadata stripped, thumbnail made, hashed) into the profile's outbox folder before it
// appears in the tray below the viewfinder; the tray is handed to the editor. Nothing is
// queued for sending here.
class CapturePage : public QWidget
{
    Q_OBJECT
public:
    CapturePage(
        client::MediaPipeline pipeline, QString scratchDirectory, QWidget *parent = nullptr);
    ~CapturePage() override;

    // Starts the camera (if any) when the screen is shown; stops it when it is left.
    void activate();
    void deactivate();

    bool hasCamera() const;
    bool isCameraActive() const;
    bool isRecording() const;
    // Prepares files (photos or videos) in the background; they appear in the tray.
    void importFiles(const QStringList &paths);
    bool isPreparing() const { return m_preparing > 0; }
    QStringList errors() const { return m_errors; }

    const QList<client::PreparedMedia> &media() const { return m_media; }
    // Hands the tray over (to the editor) and empties it; the files stay.
    QList<client::PreparedMedia> takeMedia();
    // The user gave up: deletes the prepared files.
    void discardMedia();

    QWidget *noCameraPanel() const { return m_noCamera; }
    QPushButton *importButton() const { return m_import; }
    QPushButton *continueButton() const { return m_continue; }
    QString statusText() const;

public slots:
    void takePhoto();
    void toggleRecording();
    void chooseFiles();

signals:
    void continueRequested();
    void cancelRequested();
    void mediaChanged();

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void refreshCameras();
    void useCamera(int index);
    void prepare(const QString &path, bool deleteSource);
    void rebuildTray();
    void updateButtons();
    void updateTimer();
    void setStatus(const QString &text);

    client::MediaPipeline m_pipeline;
    QString m_scratch;
    QStackedWidget *m_stack;
    QWidget *m_cameraPanel;
    QWidget *m_noCamera;
    QVideoWidget *m_viewfinder;
    QComboBox *m_cameras;
    QPushButton *m_photo;
    QPushButton *m_record;
    QLabel *m_timer;
    QPushButton *m_import;
    QPushButton *m_import2;
    QLabel *m_status;
    QProgressBar *m_busy;
    QWidget *m_tray;
    QHBoxLayout *m_trayLayout;
    QPushButton *m_continue;
    QPushButton *m_cancel;

    QMediaCaptureSession *m_session = nullptr;
    QPointer<QCamera> m_camera;
    QImageCapture *m_imageCapture = nullptr;
    QMediaRecorder *m_recorder = nullptr;
    QTimer m_tick;
    QElapsedTimer m_recordingFor;
    int m_maxSeconds = 300;
    bool m_active = false;

    QList<client::PreparedMedia> m_media;
    QStringList m_errors;
    int m_preparing = 0;
};

} // namespace acorn::staff
