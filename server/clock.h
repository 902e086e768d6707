#pragma once

#include <QDateTime>
#include <QtGlobal>

namespace acorn::server {

// The server's one source of "now". Every rule that depends on time (release gates,
// session expiry, activation codes) asks this object, so tests can move time and
// production cannot: SystemClock has no setter and acorn-server never builds a ManualClock.
class Clock
{
public:
    virtual ~Clock() = default;
    virtual qint64 nowMs() const = 0;
};

class SystemClock final : public Clock
{
public:
    qint64 nowMs() const override { return QDateTime::currentMSecsSinceEpoch(); }
};

// For tests only: time stands still until told to move.
class ManualClock final : public Clock
{
public:
    explicit ManualClock(qint64 startMs) : m_now(startMs) { }
    qint64 nowMs() const override { return m_now; }
    void setNowMs(qint64 ms) { m_now = ms; }
    void advanceMs(qint64 ms) { m_now += ms; }

private:
    qint64 m_now;
};

} // namespace acorn::server
