#include "faultproxy.h"

namespace acorn::test {

FaultProxy::FaultProxy(quint16 targetPort, QObject *parent) : QObject(parent), m_targetPort(targetPort)
{
    connect(&m_server, &QTcpServer::newConnection, this, &FaultProxy::onNewConnection);
}

bool FaultProxy::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

void FaultProxy::onNewConnection()
{
    while (QTcpSocket *client = m_server.nextPendingConnection()) {
        auto *upstream = new QTcpSocket(client);
        qint64 *passed = new qint64(0);
        auto cut = [this, client, upstream, passed] {
            ++m_cuts;
            upstream->abort();
            client->abort();
            Q_UNUSED(passed);
        };
        connect(client, &QTcpSocket::readyRead, this, [this, client, upstream, passed, cut] {
            QByteArray data = client->readAll();
            if (m_cutAfter >= 0 && *passed + data.size() > m_cutAfter) {
                data.truncate(static_cast<qsizetype>(m_cutAfter - *passed));
                upstream->write(data);
                upstream->flush();
                m_clientBytes += data.size();
                *passed += data.size();
                cut();
                return;
            }
            *passed += data.size();
            m_clientBytes += data.size();
            upstream->write(data);
        });
        connect(upstream, &QTcpSocket::readyRead, client, [client, upstream] { client->write(upstream->readAll()); });
        connect(client, &QTcpSocket::disconnected, upstream, [upstream] { upstream->disconnectFromHost(); });
        connect(upstream, &QTcpSocket::disconnected, client, [client] { client->disconnectFromHost(); });
        connect(client, &QObject::destroyed, this, [passed] { delete passed; });
        connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
        upstream->connectToHost(QHostAddress::LocalHost, m_targetPort);
    }
}

} // namespace acorn::test
