#pragma once

#include "acorn.pb.h"

#include <QDialog>
#include <QImage>
#include <QList>
#include <QWidget>

class QLabel;
class QPushButton;

namespace acorn::viewer {

class ViewerSession;

// Shows one photo scaled to fit, with the family's watermark painted over it. It offers
// nothing to keep the picture: no context menu, no drag, no copy.
class PhotoCanvas : public QWidget
{
    Q_OBJECT
public:
    explicit PhotoCanvas(QWidget *parent = nullptr);

    void setImage(const QImage &image);
    void setWatermark(const QString &text);
    void setMessage(const QString &message);
    const QImage &image() const { return m_image; }
    QString watermark() const { return m_watermark; }
    // The rectangle the photo occupies in widget coordinates.
    QRect imageRect() const;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QImage m_image;
    QString m_watermark;
    QString m_message;
};

// The photo screen: one observation's photos, the thumbnail at once and the full photo
// when it has arrived (downloaded on demand into the profile's media folder), with the
// date and text underneath. Left/Right move between the photos, Escape closes.
// Withheld media never reaches this dialog (there is nothing to show).
class PhotoViewer : public QDialog
{
    Q_OBJECT
public:
    PhotoViewer(ViewerSession &session, const wire::Observation &observation,
        const QString &mediaId, QWidget *parent = nullptr);

    QString currentMediaId() const;
    bool showsFullImage() const { return m_full; }
    PhotoCanvas *canvas() const { return m_canvas; }

    void showIndex(int index);

private:
    void load();

    ViewerSession &m_session;
    wire::Observation m_observation;
    QList<wire::Media> m_photos;
    int m_index = 0;
    bool m_full = false;
    PhotoCanvas *m_canvas = nullptr;
    QLabel *m_caption = nullptr;
    QLabel *m_position = nullptr;
    QPushButton *m_previous = nullptr;
    QPushButton *m_next = nullptr;
};

} // namespace acorn::viewer
