#pragma once

#include <QString>

#include <optional>
#include <utility>

namespace acorn {

// The outcome of an operation that can fail: a value, or a message for the person
// who has to act on it (what happened and what to do). No exceptions cross the event
// loop; functions that can fail return one of these.
template<typename T>
class Result
{
public:
    Result(T value) : m_value(std::move(value)) { }
    static Result failure(QString message) { return Result(std::nullopt, std::move(message)); }

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }
    const T &value() const & { return *m_value; }
    T &value() & { return *m_value; }
    T &&value() && { return std::move(*m_value); }
    const T *operator->() const { return &*m_value; }
    const T &operator*() const { return *m_value; }
    const QString &error() const { return m_error; }

private:
    Result(std::nullopt_t, QString message) : m_error(std::move(message)) { }
    std::optional<T> m_value;
    QString m_error;
};

// Result for operations with nothing to return.
class Status
{
public:
    Status() = default;
    static Status failure(QString message)
    {
        Status s;
        s.m_failed = true;
        s.m_error = std::move(message);
        return s;
    }
    template<typename T>
    static Status from(const Result<T> &r)
    {
        return r.ok() ? Status() : failure(r.error());
    }
    bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    const QString &error() const { return m_error; }

private:
    bool m_failed = false;
    QString m_error;
};

} // namespace acorn
