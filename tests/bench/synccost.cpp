// Benchmark 3 of issue 9: what an incremental sync costs the server as the school grows.
//
// Two schools with the same 500 children (17 classes, one family each) differ only in how
// many observations they hold (5,000 and 100,000 in the full run). A lead's device pulls
// everything once, then measures the server's CPU time for a pull that finds nothing new
// and for a pull that finds one amended observation. Everything runs in this process (the
// real SyncService over a real SQLite file, driven with wire frames by the rule tests'
// harness), so the process CPU time around a call is the server's cost of that call.
//
// Target: the large school costs no more than 1.5 times the small one (indexes, not scans).
#include "bench.h"
#include "protocol.h"
#include "schoolfixture.h"

#include <QCoreApplication>
#include <QUuid>

#include <algorithm>

namespace acorn::bench {

using fixture::ServerHarness;
using fixture::WireClient;
using M = fixture::SchoolModel;

namespace {

constexpr auto kPassword = "bench-password-1";

QString newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

M schoolOf(int children)
{
    M m;
    m.schoolName = QStringLiteral("Bench Primary");
    QDate first(2025, 9, 1);
    for (int i = 0; i < 6; ++i) {
        const QDate last = first.addDays(44);
        m.calendar.append({ QStringLiteral("Half term %1").arg(i + 1), first, last });
        first = last.addDays(10);
    }
    const int classes = std::max(1, children / 30);
    for (int i = 0; i < classes; ++i)
        m.classes.append({ QStringLiteral("Class %1").arg(i + 1), i % 2 == 0, {},
            std::numeric_limits<qint64>::min() });
    for (int i = 0; i < children; ++i) {
        M::Child c;
        c.ref = QStringLiteral("C%1").arg(i + 1, 5, 10, QLatin1Char('0'));
        c.firstName = QStringLiteral("Child%1").arg(i + 1);
        c.lastName = QStringLiteral("Family%1").arg(i + 1);
        c.dateOfBirth = QDate(2021, 1, 1).addDays(i % 700);
        c.className = m.classes[i % classes].name;
        c.family = QStringLiteral("F%1").arg(i + 1);
        m.children.append(c);
    }
    m.accounts.append({ QStringLiteral("lead"), QStringLiteral("The Lead"), QStringLiteral("lead"),
        {}, {}, false });
    return m;
}

struct SchoolFigures
{
    int observations = 0;
    double pushPerSecond = 0; // observations stored per second, in pushes of 500
    double initialPullMs = 0;
    double noChangeCpuUs = 0; // median
    double oneChangeCpuUs = 0; // median
    QString error;
};

qsizetype observationsIn(const WireClient::PullRun &run)
{
    qsizetype n = 0;
    for (const wire::PullReply &p : run.pages)
        n += p.observations_size();
    return n;
}

SchoolFigures measureSchool(int children, int observations, int repeats)
{
    SchoolFigures f;
    f.observations = observations;
    M m = schoolOf(children);
    // "Now": the middle of the fourth half term; observations spread over the year so far.
    const qint64 start = m.at(m.calendar.first().first, QTime(9, 0));
    const qint64 now = m.at(m.calendar[3].first.addDays(20), QTime(12, 0));
    ServerHarness h(now);
    if (!h.isValid())
        return f.error = h.error(), f;
    if (const QString e = h.importSchool(m); !e.isEmpty())
        return f.error = QStringLiteral("import: %1").arg(e), f;
    if (const QString e = h.setPassword(QStringLiteral("lead"), QString::fromLatin1(kPassword));
        !e.isEmpty())
        return f.error = e, f;
    WireClient lead(h);
    lead.hello(wire::CLIENT_KIND_STAFF);
    if (const wire::Frame r = lead.login(QStringLiteral("lead"), QString::fromLatin1(kPassword));
        !r.has_login_reply())
        return f.error = QStringLiteral("the lead could not sign in"), f;

    // Fill the school: pushes of 500 observations, each of one child.
    QList<M::Observation> made;
    made.reserve(observations);
    constexpr int kBatch = 500;
    Stopwatch filling;
    for (int i = 0; i < observations; i += kBatch) {
        QList<wire::PushItem> items;
        for (int j = i; j < std::min(observations, i + kBatch); ++j) {
            M::Observation o;
            o.id = newId();
            o.author = QStringLiteral("lead");
            o.observedAtMs = start + (now - start) * j / observations;
            o.children = { m.children[j % children].ref };
            o.text = QStringLiteral("Observation %1: built a tower and counted the blocks.").arg(j);
            o.eyfsTags = { QStringLiteral("M") };
            o.revision = 1;
            items.append(fixture::pushItem(m, o, 0, newId()));
            made.append(o);
        }
        const wire::Frame r = lead.push(items);
        if (!r.has_push_reply() || r.push_reply().results_size() != items.size())
            return f.error = QStringLiteral("a push of %1 items failed").arg(items.size()), f;
        for (const wire::PushResult &res : r.push_reply().results()) {
            if (res.outcome() != wire::PushResult::ACCEPTED)
                return f.error = QStringLiteral("an observation was not accepted"), f;
        }
    }

    f.pushPerSecond = observations / std::max(0.001, filling.wallMs() / 1000);

    QByteArray cursor;
    Stopwatch initial;
    const auto all = lead.pullAll(cursor, protocol::kMaxPullItems);
    f.initialPullMs = initial.wallMs();
    if (!all.complete || observationsIn(all) != observations)
        return f.error = QStringLiteral("the first sync brought %1 observations, not %2")
                             .arg(observationsIn(all))
                             .arg(observations),
               f;

    QList<double> noChange;
    QList<double> oneChange;
    for (int i = 0; i < repeats; ++i) {
        Stopwatch w;
        const auto none = lead.pullAll(cursor, protocol::kMaxPullItems);
        noChange.append(w.cpuUs());
        if (!none.complete || observationsIn(none) != 0)
            return f.error = QStringLiteral("a pull with no change brought %1 observations")
                                 .arg(observationsIn(none)),
                   f;

        M::Observation &o = made[(i * 7919) % made.size()];
        o.text += QStringLiteral(" Amended.");
        const quint64 base = o.revision;
        const wire::Frame r = lead.push({ fixture::pushItem(m, o, base, newId()) });
        if (!r.has_push_reply() || r.push_reply().results_size() != 1
            || r.push_reply().results(0).outcome() != wire::PushResult::ACCEPTED)
            return f.error = QStringLiteral("an amendment was not accepted"), f;
        o.revision = base + 1;

        Stopwatch w1;
        const auto one = lead.pullAll(cursor, protocol::kMaxPullItems);
        oneChange.append(w1.cpuUs());
        if (!one.complete || observationsIn(one) != 1
            || QString::fromStdString(one.pages.first().observations(0).id()) != o.id
            || one.pages.first().observations(0).revision() != o.revision)
            return f.error = QStringLiteral("a pull after one amendment did not bring exactly it"),
                   f;
    }
    f.noChangeCpuUs = median(noChange);
    f.oneChangeCpuUs = median(oneChange);
    return f;
}

} // namespace

int runSyncCost(const Options &options)
{
    const int children = options.smoke ? 60 : 500;
    const int small = options.smoke ? 300 : 5000;
    const int large = options.smoke ? 1500 : 100000;
    const int repeats = options.smoke ? 3 : 40;
    printHeading(QStringLiteral("3. Incremental sync cost (server CPU per pull, %1 children)")
                     .arg(children));
    const SchoolFigures s = measureSchool(children, small, repeats);
    if (!s.error.isEmpty())
        return fail(QStringLiteral("sync-cost (small school): %1").arg(s.error));
    const SchoolFigures l = measureSchool(children, large, repeats);
    if (!l.error.isEmpty())
        return fail(QStringLiteral("sync-cost (large school): %1").arg(l.error));

    printRow({ QStringLiteral("school"), QStringLiteral("observations"),
        QStringLiteral("pushed (obs/s)"), QStringLiteral("first sync (ms)"), QStringLiteral("no-change pull (us CPU)"),
        QStringLiteral("one-change pull (us CPU)") });
    for (const SchoolFigures *f : { &s, &l }) {
        printRow({ f == &s ? QStringLiteral("small") : QStringLiteral("large"),
            QString::number(f->observations), QString::number(f->pushPerSecond, 'f', 0),
            QString::number(f->initialPullMs, 'f', 0),
            QString::number(f->noChangeCpuUs, 'f', 0), QString::number(f->oneChangeCpuUs, 'f', 0) });
    }
    const double noChangeRatio = l.noChangeCpuUs / std::max(1.0, s.noChangeCpuUs);
    const double oneChangeRatio = l.oneChangeCpuUs / std::max(1.0, s.oneChangeCpuUs);
    printRow({ QStringLiteral("large/small"), QString::number(double(large) / small, 'f', 0) + u'x',
        QString(), QString(), ratioText(noChangeRatio, 1.5, Better::Lower),
        ratioText(oneChangeRatio, 1.5, Better::Lower) });
    return 0;
}

} // namespace acorn::bench
