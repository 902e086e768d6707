#include "capturepage.h"

#include "mediathumbnail.h"
#include "observationqueue.h"
#include "staffsettings.h"
#include "touch.h"

#include <QAudioDevice>
#include <QAudioInput>
#include <QCamera>
#include <QCameraDevice>
#include <QComboBox>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QImageCapture>
#include <QLabel>
#include <QMediaCaptureSession>
#include <QMediaDevices>
#include <QMediaRecorder>
#include <QMimeData>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStyle>
#include <QUrl>
#include <QUuid>
#include <QVBoxLayout>
#include <QVideoWidget>
#include <QtConcurrent>

namespace acorn::staff {

namespace {
// A camera with a line through it, drawn in the text colour so that it suits any palette.
QPixmap noCameraGlyph(int side, const QColor &colour)
{
    QPixmap pm(side, side);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    const qreal w = side;
    p.setPen(QPen(colour, w / 16, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    p.setBrush(Qt::NoBrush);
    p.drawRoundedRect(QRectF(w * 0.12, w * 0.3, w * 0.76, w * 0.5), w * 0.08, w * 0.08);
    p.drawRect(QRectF(w * 0.36, w * 0.2, w * 0.28, w * 0.1));
    p.drawEllipse(QPointF(w * 0.5, w * 0.55), w * 0.15, w * 0.15);
    p.drawLine(QPointF(w * 0.1, w * 0.1), QPointF(w * 0.9, w * 0.9));
    return pm;
}

QString clock(qint64 seconds)
{
    return QStringLiteral("%1:%2")
        .arg(seconds / 60, 2, 10, QLatin1Char('0'))
        .arg(seconds % 60, 2, 10, QLatin1Char('0'));
}
} // namespace

CapturePage::CapturePage(client::MediaPipeline pipeline, QString scratchDirectory, QWidget *parent)
    : QWidget(parent)
    , m_pipeline(std::move(pipeline))
    , m_scratch(std::move(scratchDirectory))
    , m_stack(new QStackedWidget(this))
    , m_cameraPanel(new QWidget(this))
    , m_noCamera(new QWidget(this))
    , m_viewfinder(new QVideoWidget(this))
    , m_cameras(new QComboBox(this))
    , m_photo(new QPushButton(tr("Take &photo"), this))
    , m_record(new QPushButton(tr("&Record video"), this))
    , m_timer(new QLabel(this))
    , m_import(new QPushButton(tr("&Import photos or videos…"), this))
    , m_import2(new QPushButton(tr("&Import from files…"), this))
    , m_status(new QLabel(this))
    , m_busy(new QProgressBar(this))
    , m_tray(new QWidget(this))
    , m_trayLayout(new QHBoxLayout(m_tray))
    , m_continue(new QPushButton(tr("&Next: describe it"), this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
{
    setObjectName(QStringLiteral("capturePage"));
    setAcceptDrops(true);

    // Camera panel.
    m_viewfinder->setObjectName(QStringLiteral("viewfinder"));
    m_viewfinder->setAccessibleName(tr("Camera viewfinder"));
    m_viewfinder->setMinimumHeight(ui::millimetres(this, 50));
    m_cameras->setObjectName(QStringLiteral("cameraChooser"));
    m_cameras->setAccessibleName(tr("Camera"));
    m_photo->setObjectName(QStringLiteral("takePhoto"));
    m_photo->setAccessibleName(tr("Take a photo"));
    m_photo->setIcon(style()->standardIcon(QStyle::SP_DialogYesButton));
    m_photo->setShortcut(Qt::Key_Space);
    m_record->setObjectName(QStringLiteral("recordVideo"));
    m_record->setAccessibleName(tr("Record a video"));
    m_record->setShortcut(Qt::CTRL | Qt::Key_R);
    m_timer->setObjectName(QStringLiteral("recordingTimer"));
    m_timer->setAccessibleName(tr("Recording time"));
    QFont timerFont = m_timer->font();
    timerFont.setPointSizeF(timerFont.pointSizeF() * 1.3);
    timerFont.setBold(true);
    m_timer->setFont(timerFont);
    m_import2->setObjectName(QStringLiteral("importWithCamera"));
    m_import2->setAccessibleName(tr("Import photos or videos from files"));
    auto *cameraButtons = new QHBoxLayout;
    cameraButtons->addWidget(m_cameras);
    cameraButtons->addWidget(m_photo, 1);
    cameraButtons->addWidget(m_record, 1);
    cameraButtons->addWidget(m_timer);
    cameraButtons->addWidget(m_import2);
    auto *cameraLayout = new QVBoxLayout(m_cameraPanel);
    cameraLayout->setContentsMargins(0, 0, 0, 0);
    cameraLayout->addWidget(m_viewfinder, 1);
    cameraLayout->addLayout(cameraButtons);

    // No-camera panel.
    m_noCamera->setObjectName(QStringLiteral("noCameraPanel"));
    m_noCamera->setAccessibleName(tr("No camera"));
    auto *icon = new QLabel(m_noCamera);
    icon->setPixmap(
        noCameraGlyph(ui::millimetres(this, 16), palette().color(QPalette::WindowText)));
    icon->setAlignment(Qt::AlignCenter);
    icon->setAccessibleName(tr("No camera"));
    auto *noCameraText
        = new QLabel(tr("No camera was found on this device.\nImport photos and videos from files "
                        "instead: choose several at once, or drag them here."),
            m_noCamera);
    noCameraText->setObjectName(QStringLiteral("noCameraText"));
    noCameraText->setAlignment(Qt::AlignCenter);
    noCameraText->setWordWrap(true);
    QFont big = noCameraText->font();
    big.setPointSizeF(big.pointSizeF() * 1.15);
    noCameraText->setFont(big);
    m_import->setObjectName(QStringLiteral("importFiles"));
    m_import->setAccessibleName(tr("Import photos or videos from files"));
    m_import->setIcon(style()->standardIcon(QStyle::SP_DialogOpenButton));
    m_import->setShortcut(Qt::CTRL | Qt::Key_I);
    auto *noCameraLayout = new QVBoxLayout(m_noCamera);
    noCameraLayout->addStretch(1);
    noCameraLayout->addWidget(icon);
    noCameraLayout->addWidget(noCameraText);
    auto *importRow = new QHBoxLayout;
    importRow->addStretch(1);
    importRow->addWidget(m_import);
    importRow->addStretch(1);
    noCameraLayout->addLayout(importRow);
    noCameraLayout->addStretch(1);

    m_stack->addWidget(m_cameraPanel);
    m_stack->addWidget(m_noCamera);

    m_status->setObjectName(QStringLiteral("captureStatus"));
    m_status->setWordWrap(true);
    m_status->setAccessibleName(tr("Capture status"));
    m_busy->setRange(0, 0);
    m_busy->setMaximumHeight(ui::millimetres(this, 2));
    m_busy->setTextVisible(false);
    m_busy->hide();

    m_tray->setObjectName(QStringLiteral("captureTray"));
    m_tray->setAccessibleName(tr("Photos and videos for this observation"));
    m_trayLayout->setContentsMargins(0, 0, 0, 0);
    auto *trayScroll = new QScrollArea(this);
    trayScroll->setWidget(m_tray);
    trayScroll->setWidgetResizable(true);
    trayScroll->setFrameShape(QFrame::NoFrame);
    trayScroll->setFixedHeight(ui::millimetres(this, 34));
    trayScroll->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    ui::enableKineticScrolling(trayScroll);

    m_continue->setObjectName(QStringLiteral("captureContinue"));
    m_continue->setAccessibleName(tr("Next: describe the observation"));
    m_continue->setDefault(true);
    m_cancel->setObjectName(QStringLiteral("captureCancel"));
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_cancel);
    bottom->addStretch(1);
    bottom->addWidget(m_continue);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_stack, 1);
    layout->addWidget(m_busy);
    layout->addWidget(m_status);
    layout->addWidget(trayScroll);
    layout->addLayout(bottom);

    connect(m_photo, &QPushButton::clicked, this, &CapturePage::takePhoto);
    connect(m_record, &QPushButton::clicked, this, &CapturePage::toggleRecording);
    connect(m_import, &QPushButton::clicked, this, &CapturePage::chooseFiles);
    connect(m_import2, &QPushButton::clicked, this, &CapturePage::chooseFiles);
    connect(m_continue, &QPushButton::clicked, this, &CapturePage::continueRequested);
    connect(m_cancel, &QPushButton::clicked, this, &CapturePage::cancelRequested);
    connect(m_cameras, &QComboBox::currentIndexChanged, this, &CapturePage::useCamera);
    auto *devices = new QMediaDevices(this);
    connect(devices, &QMediaDevices::videoInputsChanged, this, &CapturePage::refreshCameras);
    m_tick.setInterval(250);
    connect(&m_tick, &QTimer::timeout, this, &CapturePage::updateTimer);

    ui::makeTouchFriendly(this);
    refreshCameras();
    rebuildTray();
}

CapturePage::~CapturePage()
{
    deactivate();
}

bool CapturePage::hasCamera() const
{
    return !QMediaDevices::videoInputs().isEmpty();
}

bool CapturePage::isCameraActive() const
{
    return m_camera && m_camera->isActive();
}

bool CapturePage::isRecording() const
{
    return m_recorder && m_recorder->recorderState() == QMediaRecorder::RecordingState;
}

QString CapturePage::statusText() const
{
    return m_status->text();
}

void CapturePage::setStatus(const QString &text)
{
    m_status->setText(text);
}

void CapturePage::refreshCameras()
{
    const QList<QCameraDevice> inputs = QMediaDevices::videoInputs();
    m_cameras->blockSignals(true);
    m_cameras->clear();
    for (const QCameraDevice &d : inputs)
        m_cameras->addItem(d.description());
    m_cameras->setVisible(inputs.size() > 1);
    m_cameras->blockSignals(false);
    if (inputs.isEmpty()) {
        if (m_camera)
            m_camera->stop();
        m_stack->setCurrentWidget(m_noCamera);
        updateButtons();
        return;
    }
    m_stack->setCurrentWidget(m_cameraPanel);
    if (!m_session) {
        m_session = new QMediaCaptureSession(this);
        m_imageCapture = new QImageCapture(this);
        m_recorder = new QMediaRecorder(this);
        m_session->setImageCapture(m_imageCapture);
        m_session->setRecorder(m_recorder);
        m_session->setVideoOutput(m_viewfinder);
        if (!QMediaDevices::audioInputs().isEmpty())
            m_session->setAudioInput(new QAudioInput(this));
        connect(m_imageCapture, &QImageCapture::imageSaved, this,
            [this](int, const QString &fileName) { prepare(fileName, true); });
        connect(m_imageCapture, &QImageCapture::errorOccurred, this,
            [this](int, QImageCapture::Error, const QString &text) {
                setStatus(tr("The photo could not be taken: %1").arg(text));
            });
        connect(m_imageCapture, &QImageCapture::readyForCaptureChanged, this,
            &CapturePage::updateButtons);
        connect(m_recorder, &QMediaRecorder::recorderStateChanged, this,
            [this](QMediaRecorder::RecorderState st) {
                if (st == QMediaRecorder::RecordingState) {
                    m_recordingFor.start();
                    m_tick.start();
                } else {
                    m_tick.stop();
                    if (st == QMediaRecorder::StoppedState
                        && m_recorder->actualLocation().isLocalFile()) {
                        const QString file = m_recorder->actualLocation().toLocalFile();
                        if (QFileInfo::exists(file))
                            prepare(file, true);
                    }
                }
                updateTimer();
                updateButtons();
            });
        connect(m_recorder, &QMediaRecorder::durationChanged, this, &CapturePage::updateTimer);
        connect(m_recorder, &QMediaRecorder::errorOccurred, this,
            [this](QMediaRecorder::Error, const QString &text) {
                setStatus(tr("The video could not be recorded: %1").arg(text));
            });
    }
    useCamera(std::max(0, m_cameras->currentIndex()));
}

void CapturePage::useCamera(int index)
{
    const QList<QCameraDevice> inputs = QMediaDevices::videoInputs();
    if (!m_session || index < 0 || index >= inputs.size())
        return;
    if (m_camera)
        m_camera->deleteLater();
    m_camera = new QCamera(inputs.at(index), this);
    connect(m_camera, &QCamera::errorOccurred, this, [this](QCamera::Error, const QString &text) {
        setStatus(
            tr("The camera cannot be used: %1. You can still import photos and videos from files.")
                .arg(text));
    });
    connect(m_camera, &QCamera::activeChanged, this, &CapturePage::updateButtons);
    m_session->setCamera(m_camera);
    if (m_active)
        m_camera->start();
    updateButtons();
}

void CapturePage::activate()
{
    m_active = true;
    m_maxSeconds = StaffSettings::maxVideoSeconds();
    if (m_camera)
        m_camera->start();
    updateTimer();
    updateButtons();
}

void CapturePage::deactivate()
{
    m_active = false;
    if (isRecording())
        m_recorder->stop();
    if (m_camera)
        m_camera->stop();
}

void CapturePage::takePhoto()
{
    if (!m_imageCapture || !isCameraActive() || !m_imageCapture->isReadyForCapture())
        return;
    QDir().mkpath(m_scratch);
    m_imageCapture->captureToFile(m_scratch + QLatin1Char('/')
        + QUuid::createUuid().toString(QUuid::WithoutBraces) + QStringLiteral(".jpg"));
}

void CapturePage::toggleRecording()
{
    if (!m_recorder || !isCameraActive())
        return;
    if (isRecording()) {
        m_recorder->stop();
        return;
    }
    QDir().mkpath(m_scratch);
    m_recorder->setQuality(QMediaRecorder::NormalQuality);
    m_recorder->setOutputLocation(QUrl::fromLocalFile(
        m_scratch + QLatin1Char('/') + QUuid::createUuid().toString(QUuid::WithoutBraces)));
    m_recorder->record();
}

void CapturePage::updateTimer()
{
    if (!isRecording()) {
        m_timer->setText(m_recorder ? tr("up to %1").arg(clock(m_maxSeconds)) : QString());
        return;
    }
    const qint64 ms
        = std::max(m_recorder->duration(), m_recordingFor.isValid() ? m_recordingFor.elapsed() : 0);
    m_timer->setText(QStringLiteral("● %1 / %2").arg(clock(ms / 1000), clock(m_maxSeconds)));
    if (ms >= qint64(m_maxSeconds) * 1000) {
        m_recorder->stop();
        setStatus(
            tr("Recording stopped at the longest video length (%1). You can change it in Settings.")
                .arg(clock(m_maxSeconds)));
    }
}

void CapturePage::updateButtons()
{
    const bool ready = isCameraActive();
    m_photo->setEnabled(
        ready && m_imageCapture && m_imageCapture->isReadyForCapture() && !isRecording());
    m_record->setEnabled(ready);
    m_record->setText(isRecording() ? tr("&Stop recording") : tr("&Record video"));
    m_continue->setEnabled(!isRecording() && m_preparing == 0);
}

void CapturePage::chooseFiles()
{
    const QString start = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    auto *dialog = new QFileDialog(this, tr("Import photos or videos"), start,
        tr("Photos and videos (*.jpg *.jpeg *.png *.heic *.webp *.bmp *.gif *.tif *.tiff "
           "*.mp4 *.mov *.m4v *.webm *.mkv *.avi *.3gp);;All files (*)"));
    dialog->setObjectName(QStringLiteral("importDialog"));
    dialog->setFileMode(QFileDialog::ExistingFiles);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::filesSelected, this,
        [this](const QStringList &files) { importFiles(files); });
    dialog->open();
}

void CapturePage::importFiles(const QStringList &paths)
{
    for (const QString &p : paths)
        prepare(p, false);
}

void CapturePage::prepare(const QString &path, bool deleteSource)
{
    ++m_preparing;
    m_busy->show();
    setStatus(tr("Preparing photos and videos… (%1 to go)").arg(m_preparing));
    updateButtons();
    auto *watcher = new QFutureWatcher<Result<client::PreparedMedia>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, path] {
        watcher->deleteLater();
        const Result<client::PreparedMedia> r = watcher->result();
        --m_preparing;
        if (r)
            m_media.append(r.value());
        else
            m_errors.append(r.error());
        m_busy->setVisible(m_preparing > 0);
        if (m_preparing > 0)
            setStatus(tr("Preparing photos and videos… (%1 to go)").arg(m_preparing));
        else if (!r)
            setStatus(tr("%1 could not be added: %2").arg(QFileInfo(path).fileName(), r.error()));
        else
            setStatus(
                tr("Photos and videos ready: %1. Add more, or go on to describe the observation.")
                    .arg(m_media.size()));
        rebuildTray();
        updateButtons();
        emit mediaChanged();
    });
    const client::MediaPipeline pipeline = m_pipeline;
    watcher->setFuture(QtConcurrent::run([pipeline, path, deleteSource] {
        Result<client::PreparedMedia> r = pipeline.prepare(path);
        if (deleteSource)
            QFile::remove(path); // a camera capture: the prepared copy is what counts
        return r;
    }));
}

void CapturePage::rebuildTray()
{
    while (QLayoutItem *item = m_trayLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    if (m_media.isEmpty()) {
        auto *hint = new QLabel(tr("Photos and videos you take or import appear here."), m_tray);
        hint->setEnabled(false);
        m_trayLayout->addWidget(hint);
        m_trayLayout->addStretch(1);
        return;
    }
    for (qsizetype i = 0; i < m_media.size(); ++i) {
        const client::PreparedMedia &m = m_media.at(i);
        auto *cell = new QWidget(m_tray);
        auto *v = new QVBoxLayout(cell);
        v->setContentsMargins(0, 0, 0, 0);
        auto *thumb = new ui::MediaThumbnail(cell);
        thumb->setLocalFile(m.thumbnailPath, m.kind == wire::VIDEO);
        thumb->setFocusPolicy(Qt::NoFocus);
        auto *remove = new QPushButton(tr("Remove"), cell);
        remove->setAccessibleName(
            m.kind == wire::VIDEO ? tr("Remove this video") : tr("Remove this photo"));
        ui::makeTouchFriendly(remove);
        const QString id = m.mediaId;
        connect(remove, &QPushButton::clicked, this, [this, id] {
            for (qsizetype j = 0; j < m_media.size(); ++j) {
                if (m_media[j].mediaId == id) {
                    client::ObservationQueue::discardPrepared({ m_media[j] });
                    m_media.removeAt(j);
                    break;
                }
            }
            rebuildTray();
            emit mediaChanged();
        });
        v->addWidget(thumb);
        v->addWidget(remove);
        m_trayLayout->addWidget(cell);
    }
    m_trayLayout->addStretch(1);
}

QList<client::PreparedMedia> CapturePage::takeMedia()
{
    QList<client::PreparedMedia> out = std::exchange(m_media, {});
    m_errors.clear();
    setStatus({});
    rebuildTray();
    emit mediaChanged();
    return out;
}

void CapturePage::discardMedia()
{
    client::ObservationQueue::discardPrepared(m_media);
    takeMedia();
}

void CapturePage::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls()) {
        for (const QUrl &u : event->mimeData()->urls()) {
            if (u.isLocalFile()) {
                event->acceptProposedAction();
                return;
            }
        }
    }
}

void CapturePage::dropEvent(QDropEvent *event)
{
    QStringList files;
    for (const QUrl &u : event->mimeData()->urls()) {
        if (u.isLocalFile() && QFileInfo(u.toLocalFile()).isFile())
            files.append(u.toLocalFile());
    }
    if (files.isEmpty())
        return;
    event->acceptProposedAction();
    importFiles(files);
}

} // namespace acorn::staff
