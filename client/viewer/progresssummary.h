#pragma once

#include "acorn.pb.h"
#include "eyfsframework.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

namespace acorn::viewer {

// A child's judgements as the parent viewer shows them: a row per framework item judged
// (by area, then item, in the framework's order; items it does not know last, as written),
// a column per half term with a judgement (in the calendar's order), each cell the judgement
// in plain words ("On track"), or empty.
//
// Display only: it lays out the assessments the server sent this parent, which are already
// only the released ones and only where the school shares them. It filters nothing.
class ProgressSummary
{
    Q_DECLARE_TR_FUNCTIONS(acorn::viewer::ProgressSummary)

public:
    struct Row
    {
        QString itemKey;
        QString words; // "Mathematics: Number", "Communication and language: children in reception"
        QStringList judgements; // one per half term column; empty where none
    };

    static ProgressSummary build(const QList<wire::Assessment> &assessments,
        const QList<wire::HalfTermInfo> &calendar,
        const EyfsFramework &framework = EyfsFramework::standard());

    QStringList halfTermKeys; // last days, YYYY-MM-DD
    QStringList halfTermNames; // "Autumn 1"
    QList<Row> rows;
    bool isEmpty() const { return rows.isEmpty(); }
};

} // namespace acorn::viewer
