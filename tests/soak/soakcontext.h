#pragma once

#include "schoolfixture.h"
#include "syncgate.h"

#include <QDir>
#include <QImage>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

namespace acorn::soak {

// A new device's profile folder with its store (acorn.db), sealed with a data key of its
// own (held in memory: each simulated device opens its store once, so no keychain is
// needed, and 350 keychain entries would only measure gnome-keyring).
inline Result<std::unique_ptr<client::ClientStore>> openProfile(const QString &dir)
{
    if (!QDir().mkpath(dir))
        return Result<std::unique_ptr<client::ClientStore>>::failure(
            QStringLiteral("cannot make %1").arg(dir));
    return client::ClientStore::open(dir + QStringLiteral("/acorn.db"), client::DataKey::generate());
}

// What the devices of one soak run share: the school model they mirror what the server
// accepted into (the oracle's input), the gate their syncs go through, where the server is,
// and the run's figures and problems. Everything runs on one thread (the event loop).
struct SoakContext
{
    SoakContext(fixture::SchoolModel &m, SyncGate &g)
        : model(m)
        , gate(g)
    { }

    fixture::SchoolModel &model;
    SyncGate &gate;
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 0;
    QString pin;
    quint32 seed = 0;
    // While true, devices keep making observations and parents keep pulling.
    bool generating = true;
    // The "camera": one small picture made once; each capture stamps it
    // (tests/soak/staffdevice.cpp).
    QImage picture;

    QStringList problems;
    void problem(const QString &what)
    {
        if (problems.size() < 10000)
            problems.append(what);
    }

    // Figures.
    int deviceSyncs = 0;
    int failedSyncs = 0;
    int pulls = 0;
    int failedPulls = 0;
    int observationsNew = 0;
    int observationsEdited = 0;
    int drafts = 0;
    int withPhoto = 0;
    int twoFamilies = 0;
    int accepted = 0;
    qint64 mediaBytesUploaded = 0;
    int parentObservationsChecked = 0;
    QList<double> syncMs;
    QList<double> pullMs;

    client::SyncOptions options(
        wire::ClientKind kind, const QString &username, const QByteArray &token) const
    {
        client::SyncOptions o;
        o.host = host;
        o.port = port;
        o.pin = pin;
        o.username = username;
        o.token = token;
        o.kind = kind;
        o.deviceName = QStringLiteral("soak device");
        return o;
    }
};

} // namespace acorn::soak
