#include "trackinggrid.h"

#include "clientstore.h"

#include "rostersummary.h"

#include <QCoreApplication>
#include <QHash>

#include <algorithm>

namespace acorn::client {

namespace {

QString str(const std::string &s)
{
    return QString::fromStdString(s);
}

// RFC 4180: quote a field that holds a comma, a quote or a line break.
QByteArray csvField(const QString &value)
{
    QByteArray v = value.toUtf8();
    if (v.contains(',') || v.contains('"') || v.contains('\n') || v.contains('\r')) {
        v.replace("\"", "\"\"");
        v = '"' + v + '"';
    }
    return v;
}

} // namespace

QString TrackingGrid::bandForClass(const QString &className)
{
    return className.contains(QLatin1String("reception"), Qt::CaseInsensitive)
        ? QStringLiteral("R")
        : QStringLiteral("34");
}

TrackingGrid TrackingGrid::build(const Input &in, const EyfsFramework &framework)
{
    TrackingGrid grid;

    // Columns, and the framework item whose judgement fills each.
    const QString band = in.band.isEmpty() ? bandForClass(in.className) : in.band;
    for (const EyfsFramework::Item &item : framework.items()) {
        const bool area = item.kind == EyfsFramework::Kind::PrimeArea
            || item.kind == EyfsFramework::Kind::SpecificArea;
        if (in.columns == Columns::Areas && area) {
            Column c { item.key, item.title, {} };
            for (const EyfsFramework::Item &dm : framework.items()) {
                if (dm.kind == EyfsFramework::Kind::DevelopmentMatters && dm.areaKey == item.key
                    && dm.bandKey.compare(band, Qt::CaseInsensitive) == 0)
                    c.assessedItem = dm.key;
            }
            grid.m_columns.append(c);
        } else if (in.columns == Columns::EarlyLearningGoals
            && item.kind == EyfsFramework::Kind::EarlyLearningGoal) {
            grid.m_columns.append({ item.key, item.title, item.key });
        }
    }

    // The half term's window.
    for (const CountingPeriod &p : CountingPeriod::halfTerms(in.calendar, in.zone)) {
        if (p.lastDay == in.halfTermLastDay) {
            grid.m_fromMs = p.fromMs;
            grid.m_toMs = p.toMs;
        }
    }

    // Rows: the class's children by name.
    for (const wire::Child &c : in.roster) {
        if (str(c.class_name()) == in.className)
            grid.m_rows.append({ c, QList<Cell>(grid.m_columns.size()) });
    }
    std::sort(grid.m_rows.begin(), grid.m_rows.end(), [](const Row &a, const Row &b) {
        const int last = str(a.child.last_name()).localeAwareCompare(str(b.child.last_name()));
        if (last != 0)
            return last < 0;
        const int first = str(a.child.first_name()).localeAwareCompare(str(b.child.first_name()));
        return first != 0 ? first < 0 : a.child.ref() < b.child.ref();
    });
    QHash<QString, qsizetype> rowOf;
    for (qsizetype r = 0; r < grid.m_rows.size(); ++r)
        rowOf.insert(str(grid.m_rows.at(r).child.ref()), r);
    QHash<QString, qsizetype> columnOf;
    for (qsizetype c = 0; c < grid.m_columns.size(); ++c)
        columnOf.insert(grid.m_columns.at(c).key, c);

    // Evidence: published observations of the half term, under each column they tag.
    QList<wire::Observation> observations = in.observations;
    std::stable_sort(observations.begin(), observations.end(),
        [](const wire::Observation &a, const wire::Observation &b) {
            return a.observed_at_ms() < b.observed_at_ms();
        });
    for (const wire::Observation &o : observations) {
        if (o.state() != wire::PUBLISHED || o.deleted() || o.observed_at_ms() < grid.m_fromMs
            || o.observed_at_ms() >= grid.m_toMs)
            continue;
        QList<qsizetype> columns;
        for (const std::string &tag : o.eyfs_tags()) {
            const QString key = in.columns == Columns::Areas
                ? framework.areaKeyOf(str(tag))
                : (framework.item(str(tag)) ? framework.item(str(tag))->key : str(tag));
            const auto c = columnOf.constFind(key);
            if (c != columnOf.cend() && !columns.contains(*c))
                columns.append(*c);
        }
        for (const std::string &ref : o.child_refs()) {
            const auto r = rowOf.constFind(str(ref));
            if (r == rowOf.cend())
                continue;
            for (qsizetype c : std::as_const(columns)) {
                QStringList &ids = grid.m_rows[*r].cells[c].observationIds;
                if (!ids.contains(str(o.id())))
                    ids.append(str(o.id()));
            }
        }
    }

    // Judgements of this half term.
    for (const wire::Assessment &a : in.assessments) {
        if (str(a.half_term()) != in.halfTermLastDay)
            continue;
        const auto r = rowOf.constFind(str(a.child_ref()));
        if (r == rowOf.cend())
            continue;
        for (qsizetype c = 0; c < grid.m_columns.size(); ++c) {
            const QString &item = grid.m_columns.at(c).assessedItem;
            if (item.isEmpty() || item.compare(str(a.item_key()), Qt::CaseInsensitive) != 0)
                continue;
            Cell &cell = grid.m_rows[*r].cells[c];
            cell.judgement = str(a.judgement());
            cell.judgementTitle = cell.judgement;
            cell.revision = a.revision();
            if (const EyfsFramework::Scale *scale = framework.scaleOf(item)) {
                for (const EyfsFramework::Judgement &j : scale->judgements) {
                    if (j.key == cell.judgement)
                        cell.judgementTitle = j.title;
                }
            }
        }
    }
    return grid;
}

QList<TrackingGrid> TrackingGrid::buildThrough(
    const Input &input, QStringList *names, const EyfsFramework &framework)
{
    QList<TrackingGrid> grids;
    for (const CountingPeriod &p : CountingPeriod::halfTerms(input.calendar, input.zone)) {
        if (p.lastDay > input.halfTermLastDay)
            continue;
        Input in = input;
        in.halfTermLastDay = p.lastDay;
        grids.append(build(in, framework));
        if (names)
            names->append(p.name);
    }
    return grids;
}

int TrackingGrid::gapCount() const
{
    int gaps = 0;
    for (const Row &r : m_rows) {
        for (const Cell &c : r.cells)
            gaps += c.gap() ? 1 : 0;
    }
    return gaps;
}

QByteArray TrackingGrid::toCsv() const
{
    QByteArray out = "ref,first_name,last_name";
    for (const Column &c : m_columns)
        out += ',' + csvField(c.key + QStringLiteral(" judgement")) + ','
            + csvField(c.key + QStringLiteral(" observations"));
    out += "\r\n";
    for (const Row &r : m_rows) {
        out += csvField(str(r.child.ref())) + ',' + csvField(str(r.child.first_name())) + ','
            + csvField(str(r.child.last_name()));
        for (const Cell &c : r.cells)
            out += ',' + csvField(c.judgement) + ',' + QByteArray::number(c.evidence());
        out += "\r\n";
    }
    return out;
}

TrackingGridModel::TrackingGridModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void TrackingGridModel::setGrid(TrackingGrid grid)
{
    beginResetModel();
    m_grid = std::move(grid);
    endResetModel();
}

int TrackingGridModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_grid.rows().size());
}

int TrackingGridModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_grid.columns().size());
}

QVariant TrackingGridModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= columnCount())
        return {};
    const TrackingGrid::Row &row = m_grid.rows().at(index.row());
    const TrackingGrid::Cell &cell = row.cells.at(index.column());
    switch (role) {
    case Qt::DisplayRole:
        if (cell.gap() && cell.judgement.isEmpty())
            return QCoreApplication::translate("acorn::client::TrackingGridModel", "No evidence");
        if (cell.judgement.isEmpty())
            return QString::number(cell.evidence());
        return QStringLiteral("%1 (%2)").arg(cell.judgementTitle).arg(cell.evidence());
    case Qt::ToolTipRole:
        return QCoreApplication::translate("acorn::client::TrackingGridModel",
            "%n observation(s) this half term", nullptr, cell.evidence());
    case JudgementRole:
        return cell.judgement;
    case EvidenceCountRole:
        return cell.evidence();
    case GapRole:
        return cell.gap();
    case ObservationIdsRole:
        return cell.observationIds;
    case ChildRefRole:
        return str(row.child.ref());
    case ColumnKeyRole:
        return m_grid.columns().at(index.column()).key;
    default:
        return {};
    }
}

QVariant TrackingGridModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole || section < 0)
        return {};
    if (orientation == Qt::Horizontal) {
        return section < columnCount() ? QVariant(m_grid.columns().at(section).title) : QVariant();
    }
    if (section >= rowCount())
        return {};
    const wire::Child &c = m_grid.rows().at(section).child;
    return QStringLiteral("%1 %2").arg(str(c.first_name()), str(c.last_name()));
}

TrackingGrid::Input TrackingGrid::fromDevice(ClientStore &store)
{
    Input in;
    in.roster = store.roster();
    in.calendar = store.calendar();
    in.zone = QTimeZone(store.schoolTimeZone().toLatin1());
    if (!in.zone.isValid())
        in.zone = QTimeZone::systemTimeZone();
    in.assessments = store.assessments();
    for (const AssessmentEdit &e : store.assessmentOutbox()) {
        if (e.state == QLatin1String("refused"))
            continue;
        wire::Assessment a = e.assessment;
        a.set_revision(e.baseRevision);
        in.assessments.append(a);
    }
    QHash<QString, qsizetype> index;
    for (const wire::Observation &o : store.journal()) {
        index.insert(QString::fromStdString(o.id()), in.observations.size());
        in.observations.append(o);
    }
    for (const OutboxItem &item : store.outbox()) {
        const auto it = index.constFind(QString::fromStdString(item.observation.id()));
        if (it != index.cend())
            in.observations[*it] = item.observation;
        else
            in.observations.append(item.observation);
    }
    return in;
}

} // namespace acorn::client
