#include "trackingchartsview.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QGridLayout>
#include <QLineSeries>
#include <QStackedBarSeries>
#include <QValueAxis>

namespace acorn::staff {

namespace {

QChartView *makeView(QWidget *parent, const QString &objectName)
{
    auto *view = new QChartView(new QChart, parent);
    view->setObjectName(objectName);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(220);
    return view;
}

// Replaces everything on a chart: series and axes.
void clear(QChart *chart)
{
    chart->removeAllSeries();
    for (QAbstractAxis *axis : chart->axes()) {
        chart->removeAxis(axis);
        delete axis;
    }
}

} // namespace

TrackingChartsView::TrackingChartsView(QWidget *parent)
    : QWidget(parent)
    , m_distribution(makeView(this, QStringLiteral("chartDistribution")))
    , m_counts(makeView(this, QStringLiteral("chartCounts")))
    , m_progress(makeView(this, QStringLiteral("chartProgress")))
{
    setObjectName(QStringLiteral("trackingCharts"));
    auto *layout = new QGridLayout(this);
    layout->addWidget(m_distribution, 0, 0);
    layout->addWidget(m_counts, 0, 1);
    layout->addWidget(m_progress, 1, 0, 1, 2);
}

QChart *TrackingChartsView::distributionChart() const
{
    return m_distribution->chart();
}

QChart *TrackingChartsView::countsChart() const
{
    return m_counts->chart();
}

QChart *TrackingChartsView::progressChart() const
{
    return m_progress->chart();
}

void TrackingChartsView::showClass(const client::TrackingCharts::Distribution &distribution,
    const client::TrackingCharts::ObservationCounts &counts)
{
    QChart *d = distributionChart();
    clear(d);
    d->setTitle(tr("Judgements per area"));
    auto *stacked = new QStackedBarSeries;
    for (qsizetype j = 0; j < distribution.judgementTitles.size(); ++j) {
        auto *set = new QBarSet(distribution.judgementTitles.at(j));
        for (int n : distribution.counts.value(j))
            set->append(n);
        stacked->append(set);
    }
    d->addSeries(stacked);
    auto *areas = new QBarCategoryAxis;
    areas->append(distribution.columnTitles);
    d->addAxis(areas, Qt::AlignBottom);
    stacked->attachAxis(areas);
    auto *children = new QValueAxis;
    children->setTitleText(tr("Children"));
    children->setLabelFormat(QStringLiteral("%d"));
    d->addAxis(children, Qt::AlignLeft);
    stacked->attachAxis(children);

    QChart *c = countsChart();
    clear(c);
    c->setTitle(tr("Observations per child this half term"));
    c->legend()->hide();
    auto *bars = new QBarSeries;
    auto *set = new QBarSet(tr("Observations"));
    for (int n : counts.counts)
        set->append(n);
    bars->append(set);
    c->addSeries(bars);
    auto *names = new QBarCategoryAxis;
    names->append(counts.children);
    c->addAxis(names, Qt::AlignBottom);
    bars->attachAxis(names);
    auto *number = new QValueAxis;
    number->setLabelFormat(QStringLiteral("%d"));
    c->addAxis(number, Qt::AlignLeft);
    bars->attachAxis(number);
}

void TrackingChartsView::showProgress(
    const client::TrackingCharts::Progress &progress, const QString &childName)
{
    QChart *p = progressChart();
    clear(p);
    if (childName.isEmpty()) {
        p->setTitle(tr("Select a child in the grid to see their progress"));
        return;
    }
    p->setTitle(tr("%1: progress across half terms").arg(childName));
    auto *terms = new QBarCategoryAxis;
    terms->append(progress.halfTerms);
    p->addAxis(terms, Qt::AlignBottom);
    auto *level = new QValueAxis;
    level->setRange(0, std::max(1, progress.scaleSize));
    level->setTickCount(std::max(1, progress.scaleSize) + 1);
    level->setLabelFormat(QStringLiteral("%d"));
    level->setTitleText(tr("Judgement (0 = none)"));
    p->addAxis(level, Qt::AlignLeft);
    for (qsizetype a = 0; a < progress.areaTitles.size(); ++a) {
        auto *line = new QLineSeries;
        line->setName(progress.areaTitles.at(a));
        const QList<int> levels = progress.levels.value(a);
        for (qsizetype t = 0; t < levels.size(); ++t)
            line->append(static_cast<qreal>(t), levels.at(t));
        p->addSeries(line);
        line->attachAxis(terms);
        line->attachAxis(level);
    }
}

} // namespace acorn::staff
