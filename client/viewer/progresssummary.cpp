#include "progresssummary.h"

#include "eyfstags.h"

#include <QHash>

#include <algorithm>
#include <limits>

namespace acorn::viewer {

namespace {

QString str(const std::string &s)
{
    return QString::fromStdString(s);
}

} // namespace

ProgressSummary ProgressSummary::build(const QList<wire::Assessment> &assessments,
    const QList<wire::HalfTermInfo> &calendar, const EyfsFramework &framework)
{
    ProgressSummary out;
    // Columns: the half terms judged, in the calendar's order; unknown ones after, by date.
    QStringList terms;
    for (const wire::Assessment &a : assessments) {
        if (!terms.contains(str(a.half_term())))
            terms.append(str(a.half_term()));
    }
    const auto calendarIndex = [&](const QString &lastDay) {
        for (qsizetype i = 0; i < calendar.size(); ++i) {
            if (str(calendar.at(i).last_day()) == lastDay)
                return i;
        }
        return std::numeric_limits<qsizetype>::max();
    };
    std::sort(terms.begin(), terms.end(), [&](const QString &a, const QString &b) {
        const qsizetype ia = calendarIndex(a);
        const qsizetype ib = calendarIndex(b);
        return ia != ib ? ia < ib : a < b;
    });
    out.halfTermKeys = terms;
    for (const QString &t : std::as_const(terms)) {
        const qsizetype i = calendarIndex(t);
        out.halfTermNames.append(i < calendar.size() ? str(calendar.at(i).name()) : t);
    }

    // Rows: by area, then item, in the framework's order.
    QStringList areaOrder;
    for (const EyfsFramework::Item &i : framework.areasAndCharacteristics())
        areaOrder.append(i.key);
    QStringList itemOrder;
    for (const EyfsFramework::Item &i : framework.items())
        itemOrder.append(i.key);
    const auto rank = [&](const QString &key) {
        const EyfsFramework::Item *item = framework.item(key);
        if (!item)
            return std::pair { areaOrder.size() + 1, itemOrder.size() + 1 };
        const QString area = item->areaKey.isEmpty() ? item->key : item->areaKey;
        const qsizetype a = areaOrder.indexOf(area);
        return std::pair { a < 0 ? areaOrder.size() : a, itemOrder.indexOf(item->key) };
    };
    QHash<QString, qsizetype> rowOf;
    for (const wire::Assessment &a : assessments) {
        const QString key = str(a.item_key());
        if (!rowOf.contains(key)) {
            Row row;
            row.itemKey = key;
            row.judgements = QStringList(terms.size(), QString());
            const EyfsFramework::Item *item = framework.item(key);
            if (item && item->kind == EyfsFramework::Kind::EarlyLearningGoal) {
                row.words = tr("%1: %2").arg(
                    client::EyfsTags::words(item->areaKey), client::EyfsTags::words(key));
            } else {
                row.words = client::EyfsTags::words(key);
            }
            rowOf.insert(key, out.rows.size());
            out.rows.append(row);
        }
        const QString words = client::EyfsTags::judgementWords(key, str(a.judgement()));
        out.rows[rowOf.value(key)].judgements[terms.indexOf(str(a.half_term()))] = words;
    }
    std::stable_sort(out.rows.begin(), out.rows.end(), [&](const Row &a, const Row &b) {
        const auto ra = rank(a.itemKey);
        const auto rb = rank(b.itemKey);
        return ra != rb ? ra < rb : a.itemKey < b.itemKey;
    });
    return out;
}

} // namespace acorn::viewer
