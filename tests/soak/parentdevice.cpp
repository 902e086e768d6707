#include "parentdevice.h"

#include <QDir>
#include <QTimer>

namespace acorn::soak {

ParentDevice::ParentDevice(
    SoakContext &context, int index, QString username, QByteArray token, QString directory)
    : m_ctx(context)
    , m_username(std::move(username))
    , m_token(std::move(token))
    , m_dir(std::move(directory))
    , m_rng(context.seed ^ (0x85EBCA6Bu * quint32(index + 1)) ^ 0x5bd1e995u)
{ }

QString ParentDevice::open()
{
    auto store = openProfile(m_dir);
    if (!store)
        return store.error();
    m_store = std::move(store).value();
    return {};
}

void ParentDevice::begin(int firstWithinMs)
{
    QTimer::singleShot(int(m_rng.bounded(std::max(1, firstWithinMs))), &m_context, [this] {
        if (m_ctx.generating)
            pull([this] { scheduleNext(); });
    });
}

void ParentDevice::scheduleNext()
{
    if (!m_ctx.generating)
        return;
    // A parent opens the viewer every 5 to 20 seconds: far more often than a real one.
    QTimer::singleShot(5000 + int(m_rng.bounded(15000)), &m_context, [this] {
        if (m_ctx.generating)
            pull([this] { scheduleNext(); });
    });
}

void ParentDevice::pull(std::function<void()> after)
{
    m_ctx.gate.run(*m_store, m_ctx.options(wire::CLIENT_KIND_VIEWER, m_username, m_token),
        [this, after = std::move(after)](client::SyncEngine &engine, double ms) {
            ++m_ctx.pulls;
            m_ctx.pullMs.append(ms);
            if (engine.error() != client::SyncError::None) {
                ++m_ctx.failedPulls;
                m_ctx.problem(QStringLiteral("parent %1: a pull failed: %2")
                                  .arg(m_username, engine.errorString()));
            }
            const fixture::SchoolModel::Account *parent = m_ctx.model.account(m_username);
            for (const wire::Observation &o : m_store->journal()) {
                ++m_ctx.parentObservationsChecked;
                for (const QString &p : fixture::parentInvariantProblems(m_ctx.model, *parent, o))
                    m_ctx.problem(p);
            }
            after();
        });
}

QMap<QString, wire::Observation> ParentDevice::held()
{
    QMap<QString, wire::Observation> out;
    for (const wire::Observation &o : m_store->journal())
        out.insert(QString::fromStdString(o.id()), o);
    return out;
}

} // namespace acorn::soak
