#include "faultproxy.h"

#include <QTimer>

#include <sys/socket.h>

namespace acorn::test {

// One proxied connection: its faults, and where it stands in each direction's TLS records.
struct FaultProxy::Link
{
    int number = 0;
    QPointer<QTcpSocket> client;
    QPointer<QTcpSocket> upstream;
    qint64 cutBytes = -1;
    int cutRecords = -1;
    bool resetHandshake = false;
    qint64 clientBytes = 0;
    int records = 0;
    bool serverSpoke = false;
    bool dead = false;
    // TLS record reader per direction (0: from the client, 1: from the server).
    struct Reader
    {
        QByteArray header;
        qint64 bodyLeft = 0;
        bool inBody = false;
    } reader[2];
};

FaultProxy::FaultProxy(quint16 targetPort, QObject *parent) : QObject(parent), m_targetPort(targetPort)
{
    connect(&m_server, &QTcpServer::newConnection, this, &FaultProxy::onNewConnection);
}

FaultProxy::~FaultProxy()
{
    for (Link *l : std::as_const(m_links)) {
        if (l->client)
            l->client->abort();
        if (l->upstream)
            l->upstream->abort();
        delete l;
    }
}

bool FaultProxy::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

void FaultProxy::heal()
{
    m_cutBytes = nullptr;
    m_cutRecords = nullptr;
    m_resetHandshake = nullptr;
    m_delayMs = 0;
}

void FaultProxy::cut(Link &link, bool reset)
{
    if (link.dead)
        return;
    link.dead = true;
    ++m_cuts;
    if (reset) {
        ++m_resets;
        // SO_LINGER 0: close() sends a TCP RST instead of a FIN.
        if (link.client && link.client->socketDescriptor() >= 0) {
            const linger l{1, 0};
            ::setsockopt(static_cast<int>(link.client->socketDescriptor()), SOL_SOCKET, SO_LINGER, &l, sizeof l);
        }
    }
    if (link.upstream)
        link.upstream->abort();
    if (link.client)
        link.client->abort();
}

void FaultProxy::forward(Link &link, bool fromClient, QByteArray data)
{
    if (link.dead)
        return;
    QTcpSocket *to = fromClient ? link.upstream.data() : link.client.data();
    if (!to)
        return;
    auto send = [to](const QByteArray &bytes) {
        if (!bytes.isEmpty()) {
            to->write(bytes); // buffered while the upstream is still connecting
            if (to->state() == QAbstractSocket::ConnectedState)
                to->flush(); // before a cut that follows
        }
    };
    if (fromClient && link.cutBytes >= 0 && link.clientBytes + data.size() > link.cutBytes) {
        data.truncate(static_cast<qsizetype>(link.cutBytes - link.clientBytes));
        link.clientBytes += data.size();
        m_clientBytes += data.size();
        send(data);
        cut(link, false);
        return;
    }
    if (fromClient) {
        link.clientBytes += data.size();
        m_clientBytes += data.size();
    }
    if (!fromClient && link.resetHandshake && !link.serverSpoke) {
        link.serverSpoke = true;
        send(data.left(data.size() / 2));
        cut(link, true);
        return;
    }
    link.serverSpoke = link.serverSpoke || !fromClient;
    if (link.cutRecords >= 0) {
        Link::Reader &r = link.reader[fromClient ? 0 : 1];
        qsizetype cutAt = link.records >= link.cutRecords ? 0 : -1;
        for (qsizetype i = 0; cutAt < 0 && i < data.size();) {
            if (!r.inBody) {
                const qsizetype take = std::min<qsizetype>(5 - r.header.size(), data.size() - i);
                r.header += data.mid(i, take);
                i += take;
                if (r.header.size() == 5) {
                    r.bodyLeft = (static_cast<uchar>(r.header[3]) << 8) | static_cast<uchar>(r.header[4]);
                    r.header.clear();
                    r.inBody = true;
                }
            } else {
                const qsizetype take = std::min<qsizetype>(r.bodyLeft, data.size() - i);
                i += take;
                r.bodyLeft -= take;
            }
            if (r.inBody && r.bodyLeft == 0) {
                r.inBody = false;
                if (++link.records >= link.cutRecords)
                    cutAt = i;
            }
        }
        if (cutAt >= 0) {
            send(data.left(cutAt));
            cut(link, false);
            return;
        }
    }
    send(data);
}

void FaultProxy::onNewConnection()
{
    while (QTcpSocket *client = m_server.nextPendingConnection()) {
        auto *link = new Link;
        m_links.append(link);
        link->number = ++m_connections;
        link->client = client;
        link->upstream = new QTcpSocket(this);
        link->cutBytes = m_cutBytes ? m_cutBytes(link->number) : -1;
        link->cutRecords = m_cutRecords ? m_cutRecords(link->number) : -1;
        link->resetHandshake = m_resetHandshake ? m_resetHandshake(link->number) : false;
        QTcpSocket *upstream = link->upstream;

        auto relay = [this, link](bool fromClient) {
            QTcpSocket *from = fromClient ? link->client.data() : link->upstream.data();
            if (!from)
                return;
            const QByteArray data = from->readAll();
            if (m_delayMs > 0)
                QTimer::singleShot(m_delayMs, this, [this, link, fromClient, data] { forward(*link, fromClient, data); });
            else
                forward(*link, fromClient, data);
        };
        connect(client, &QTcpSocket::readyRead, this, [relay] { relay(true); });
        connect(upstream, &QTcpSocket::readyRead, this, [relay] { relay(false); });
        // A close follows the data before it, delay included.
        auto closeLater = [this](QTcpSocket *s) {
            QTimer::singleShot(m_delayMs, s, [s] { s->disconnectFromHost(); });
        };
        connect(client, &QTcpSocket::disconnected, upstream, [closeLater, upstream] { closeLater(upstream); });
        connect(upstream, &QTcpSocket::disconnected, client, [closeLater, client] { closeLater(client); });
        upstream->connectToHost(QHostAddress::LocalHost, m_targetPort);
    }
}

} // namespace acorn::test
