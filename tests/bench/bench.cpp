#include "bench.h"

#include <QFile>
#include <QHostAddress>
#include <QTcpServer>
#include <QTextStream>

#include <algorithm>
#include <cstdio>

namespace acorn::bench {

double median(QList<double> values)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    const qsizetype mid = values.size() / 2;
    return values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

void printHeading(const QString &title)
{
    QTextStream(stdout) << "\n" << title << "\n" << QString(title.size(), u'-') << "\n";
}

void printRow(const QStringList &cells)
{
    QTextStream out(stdout);
    for (qsizetype i = 0; i < cells.size(); ++i)
        out << (i == 0 ? cells[i].leftJustified(14) : QLatin1Char(' ') + cells[i].rightJustified(25)); // never run together
    out << "\n";
}

QString ratioText(double ratio, double target, Better better)
{
    const bool met = better == Better::Lower ? ratio <= target : ratio >= target;
    return QStringLiteral("%1 (%2 %3: %4)")
        .arg(ratio, 0, 'f', 2)
        .arg(better == Better::Lower ? QStringLiteral("<=") : QStringLiteral(">="))
        .arg(target, 0, 'f', 1)
        .arg(met ? QStringLiteral("met") : QStringLiteral("MISSED"));
}

bool isListening(quint16 port)
{
    QFile f(QStringLiteral("/proc/net/tcp"));
    if (!f.open(QIODevice::ReadOnly))
        return false;
    const QByteArray local = QStringLiteral("0100007F:%1").arg(port, 4, 16, QLatin1Char('0')).toUpper().toLatin1();
    for (const QByteArray &line : f.readAll().split('\n')) {
        const QList<QByteArray> cols = line.simplified().split(' ');
        if (cols.size() > 3 && cols[1] == local && cols[3] == "0A")
            return true;
    }
    return false;
}

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

int fail(const QString &why)
{
    std::fprintf(stderr, "acorn-bench: FAILED: %s\n", qPrintable(why));
    return 1;
}

} // namespace acorn::bench
