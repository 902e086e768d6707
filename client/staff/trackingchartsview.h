#pragma once

#include "trackingcharts.h"

#include <QWidget>

class QChart;
class QChartView;

namespace acorn::staff {

// The tracking charts a lead shows at a staff meeting (Qt Charts): the class's distribution
// of judgements per area (stacked bars), observations per child (bars), and the selected
// child's progress across half terms (a line per area). It draws the figures
// client::TrackingCharts computed; it counts nothing itself.
class TrackingChartsView : public QWidget
{
    Q_OBJECT
public:
    explicit TrackingChartsView(QWidget *parent = nullptr);

    void showClass(const client::TrackingCharts::Distribution &distribution,
        const client::TrackingCharts::ObservationCounts &counts);
    // Empty `childName`: no child selected (the chart says so).
    void showProgress(const client::TrackingCharts::Progress &progress, const QString &childName);

    QChart *distributionChart() const;
    QChart *countsChart() const;
    QChart *progressChart() const;

private:
    QChartView *m_distribution;
    QChartView *m_counts;
    QChartView *m_progress;
};

} // namespace acorn::staff
