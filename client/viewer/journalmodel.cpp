#include "journalmodel.h"

#include "eyfsareas.h"

#include <algorithm>

namespace acorn::viewer {

JournalModel::JournalModel(QObject *parent)
    : QAbstractListModel(parent)
{ }

void JournalModel::setJournal(
    const QList<wire::Observation> &observations, const SchoolCalendar &calendar)
{
    beginResetModel();
    m_calendar = calendar;
    m_all.clear();
    m_all.reserve(observations.size());
    for (const wire::Observation &o : observations) {
        Entry e;
        e.observation = o;
        QStringList words;
        for (const std::string &tag : o.eyfs_tags()) {
            const QString key = EyfsAreas::areaKey(QString::fromStdString(tag));
            if (!e.areaKeys.contains(key)) {
                e.areaKeys.append(key);
                words.append(EyfsAreas::plainWords(key));
            }
        }
        e.searchable = (QString::fromStdString(o.text()) + QLatin1Char('\n')
            + QString::fromStdString(o.next_steps()) + QLatin1Char('\n')
            + words.join(QLatin1Char('\n')))
                           .toCaseFolded();
        e.day = m_calendar.schoolTime(o.observed_at_ms()).date();
        e.period = m_calendar.periodFor(o.observed_at_ms());
        m_all.append(std::move(e));
    }
    std::stable_sort(m_all.begin(), m_all.end(), [](const Entry &a, const Entry &b) {
        if (a.observation.observed_at_ms() != b.observation.observed_at_ms())
            return a.observation.observed_at_ms() > b.observation.observed_at_ms();
        return a.observation.id() < b.observation.id();
    });
    m_visible.clear();
    for (int i = 0; i < m_all.size(); ++i) {
        if (accepts(m_all.at(i)))
            m_visible.append(i);
    }
    endResetModel();
}

void JournalModel::setSearchText(const QString &text)
{
    const QString t = text.simplified();
    if (t == m_search)
        return;
    m_search = t;
    refilter();
}

void JournalModel::setAreaFilter(const QString &areaKey)
{
    if (areaKey == m_area)
        return;
    m_area = areaKey;
    refilter();
}

void JournalModel::setDateRange(const QDate &from, const QDate &to)
{
    if (from == m_from && to == m_to)
        return;
    m_from = from;
    m_to = to;
    refilter();
}

void JournalModel::clearFilters()
{
    m_search.clear();
    m_area.clear();
    m_from = {};
    m_to = {};
    refilter();
}

bool JournalModel::isFiltered() const
{
    return !m_search.isEmpty() || !m_area.isEmpty() || m_from.isValid() || m_to.isValid();
}

bool JournalModel::accepts(const Entry &e) const
{
    if (!m_area.isEmpty() && !e.areaKeys.contains(m_area))
        return false;
    if (m_from.isValid() && e.day < m_from)
        return false;
    if (m_to.isValid() && e.day > m_to)
        return false;
    if (!m_search.isEmpty()) {
        const QStringList words
            = m_search.toCaseFolded().split(QLatin1Char(' '), Qt::SkipEmptyParts);
        for (const QString &w : words) {
            if (!e.searchable.contains(w))
                return false;
        }
    }
    return true;
}

void JournalModel::refilter()
{
    beginResetModel();
    m_visible.clear();
    for (int i = 0; i < m_all.size(); ++i) {
        if (accepts(m_all.at(i)))
            m_visible.append(i);
    }
    endResetModel();
}

int JournalModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_visible.size());
}

const wire::Observation &JournalModel::observation(int row) const
{
    return m_all.at(m_visible.at(row)).observation;
}

int JournalModel::rowOf(const QString &observationId) const
{
    const std::string id = observationId.toStdString();
    for (int r = 0; r < m_visible.size(); ++r) {
        if (m_all.at(m_visible.at(r)).observation.id() == id)
            return r;
    }
    return -1;
}

QVariant JournalModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() < 0 || index.row() >= m_visible.size())
        return {};
    const Entry &e = m_all.at(m_visible.at(index.row()));
    const wire::Observation &o = e.observation;
    auto countMedia = [&](auto pred) {
        return static_cast<int>(std::count_if(o.media().cbegin(), o.media().cend(), pred));
    };
    switch (role) {
    case Qt::DisplayRole:
    case TextRole:
        return QString::fromStdString(o.text());
    case Qt::AccessibleTextRole:
        return tr("%1: %2").arg(
            m_calendar.formatDateTime(o.observed_at_ms()), QString::fromStdString(o.text()));
    case IdRole:
        return QString::fromStdString(o.id());
    case ObservedAtRole:
        return static_cast<qint64>(o.observed_at_ms());
    case DateTimeTextRole:
        return m_calendar.formatDateTime(o.observed_at_ms());
    case NextStepsRole:
        return QString::fromStdString(o.next_steps());
    case AuthorRole:
        return QString::fromStdString(o.author_name());
    case AreaKeysRole:
        return e.areaKeys;
    case AreasRole: {
        QStringList words;
        for (const QString &k : e.areaKeys)
            words.append(EyfsAreas::plainWords(k));
        return words;
    }
    case PeriodKeyRole:
        return e.period.key;
    case PeriodTitleRole:
        return e.period.title;
    case FirstInPeriodRole:
        return index.row() == 0
            || m_all.at(m_visible.at(index.row() - 1)).period.key != e.period.key;
    case PhotoCountRole:
        return countMedia([](const wire::Media &m) {
            return m.kind() != wire::VIDEO && m.withheld() == wire::NOT_WITHHELD;
        });
    case VideoCountRole:
        return countMedia([](const wire::Media &m) {
            return m.kind() == wire::VIDEO && m.withheld() == wire::NOT_WITHHELD;
        });
    case WithheldCountRole:
        return countMedia([](const wire::Media &m) { return m.withheld() != wire::NOT_WITHHELD; });
    default:
        return {};
    }
}

QHash<int, QByteArray> JournalModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(IdRole, "id");
    names.insert(ObservedAtRole, "observedAt");
    names.insert(DateTimeTextRole, "dateTimeText");
    names.insert(TextRole, "text");
    names.insert(NextStepsRole, "nextSteps");
    names.insert(AuthorRole, "author");
    names.insert(AreaKeysRole, "areaKeys");
    names.insert(AreasRole, "areas");
    names.insert(PeriodKeyRole, "periodKey");
    names.insert(PeriodTitleRole, "periodTitle");
    names.insert(FirstInPeriodRole, "firstInPeriod");
    names.insert(PhotoCountRole, "photoCount");
    names.insert(VideoCountRole, "videoCount");
    names.insert(WithheldCountRole, "withheldCount");
    return names;
}

QStringList JournalModel::areasInJournal() const
{
    QSet<QString> used;
    for (const Entry &e : m_all)
        used.unite(QSet<QString>(e.areaKeys.cbegin(), e.areaKeys.cend()));
    QStringList out;
    for (const QString &k : EyfsAreas::knownKeys()) {
        if (used.remove(k))
            out.append(k);
    }
    QStringList rest(used.cbegin(), used.cend());
    rest.sort(Qt::CaseInsensitive);
    return out + rest;
}

QList<JournalModel::PeriodRange> JournalModel::periods() const
{
    QList<PeriodRange> out;
    for (const Entry &e : m_all) { // newest first
        if (out.isEmpty() || out.constLast().period.key != e.period.key)
            out.append({ e.period, e.day, e.day, 0 });
        PeriodRange &r = out.last();
        r.first = std::min(r.first, e.day);
        r.last = std::max(r.last, e.day);
        ++r.count;
    }
    return out;
}

QDate JournalModel::firstDate() const
{
    return m_all.isEmpty() ? QDate() : m_all.constLast().day;
}

QDate JournalModel::lastDate() const
{
    return m_all.isEmpty() ? QDate() : m_all.constFirst().day;
}

} // namespace acorn::viewer
