#include "touch.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAbstractScrollArea>
#include <QAbstractSpinBox>
#include <QComboBox>
#include <QLineEdit>
#include <QScroller>
#include <QScrollerProperties>
#include <QTabBar>
#include <QWidget>

#include <cmath>

namespace acorn::ui {

int millimetres(const QWidget *widget, double mm)
{
    const int dpi = widget ? widget->logicalDpiY() : 96;
    return static_cast<int>(std::lround(mm * dpi / 25.4));
}

int touchTarget(const QWidget *widget)
{
    return millimetres(widget, kTouchTargetMm);
}

void makeTouchFriendly(QWidget *root)
{
    if (!root)
        return;
    const int target = touchTarget(root);
    auto apply = [target](QWidget *w) {
        if (qobject_cast<QAbstractButton *>(w) || qobject_cast<QLineEdit *>(w)
            || qobject_cast<QComboBox *>(w) || qobject_cast<QAbstractSpinBox *>(w)) {
            if (w->minimumHeight() < target)
                w->setMinimumHeight(target);
            if (qobject_cast<QAbstractButton *>(w) && w->minimumWidth() < target)
                w->setMinimumWidth(target);
        }
    };
    apply(root);
    for (QWidget *w : root->findChildren<QWidget *>())
        apply(w);
    for (QTabBar *bar : root->findChildren<QTabBar *>())
        bar->setMinimumHeight(target);
}

void enableKineticScrolling(QAbstractScrollArea *area)
{
    if (!area)
        return;
    QScroller::grabGesture(area->viewport(), QScroller::TouchGesture);
    QScroller *scroller = QScroller::scroller(area->viewport());
    QScrollerProperties props = scroller->scrollerProperties();
    props.setScrollMetric(
        QScrollerProperties::VerticalOvershootPolicy, QScrollerProperties::OvershootAlwaysOff);
    props.setScrollMetric(
        QScrollerProperties::HorizontalOvershootPolicy, QScrollerProperties::OvershootAlwaysOff);
    props.setScrollMetric(QScrollerProperties::DragStartDistance, 0.004);
    scroller->setScrollerProperties(props);
    if (auto *view = qobject_cast<QAbstractItemView *>(area)) {
        view->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
        view->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    }
}

} // namespace acorn::ui
