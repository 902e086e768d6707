#pragma once

class QAbstractScrollArea;
class QWidget;

// Tablet-friendly geometry shared by the apps: touch targets of at least 9 mm (converted
// with the screen's logical DPI, so they stay 9 mm on any screen) and kinetic scrolling.
namespace acorn::ui {

inline constexpr double kTouchTargetMm = 9.0;

// Pixels for `mm` millimetres on the screen `widget` is on.
int millimetres(const QWidget *widget, double mm);
// The minimum side of a touch target on `widget`'s screen.
int touchTarget(const QWidget *widget);
// Gives every button, field, box and tab under `root` (and `root` itself) a minimum height
// of one touch target. Call after building a screen; safe to call again.
void makeTouchFriendly(QWidget *root);
// Flick scrolling with a finger, overshoot off, per-pixel scrolling: lists feel like lists
// on a tablet. Mouse users keep selection and drag and drop.
void enableKineticScrolling(QAbstractScrollArea *area);

} // namespace acorn::ui
