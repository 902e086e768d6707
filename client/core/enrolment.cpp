#include "enrolment.h"

#include "tlspin.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QRegularExpression>

namespace acorn::client {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("acorn::client::EnrolmentCode", text);
}

bool isHostName(const QString &host)
{
    static const QRegularExpression re(QStringLiteral(
        "^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*\\.?$"));
    return host.size() <= 253 && re.match(host).hasMatch();
}

// Splits "HOST:REST" or "[V6]:REST"; `rest` is empty when there is no ':' after the host.
Result<QString> takeHost(QStringView text, QStringView *rest, bool *hadPort)
{
    using R = Result<QString>;
    QString host;
    *hadPort = false;
    if (text.startsWith(u'[')) {
        const qsizetype close = text.indexOf(u']');
        if (close < 0)
            return R::failure(tr("the server address starts with '[' but has no closing ']'"));
        host = text.mid(1, close - 1).toString();
        QHostAddress v6;
        if (!v6.setAddress(host) || v6.protocol() != QAbstractSocket::IPv6Protocol)
            return R::failure(tr("\"%1\" in brackets is not an IPv6 address").arg(host));
        QStringView after = text.mid(close + 1);
        if (!after.isEmpty() && !after.startsWith(u':'))
            return R::failure(
                tr("after the IPv6 address in brackets a ':' and the port must follow"));
        *hadPort = !after.isEmpty();
        *rest = after.mid(1);
        return host;
    }
    const qsizetype colon = text.indexOf(u':');
    host = (colon < 0 ? text : text.left(colon)).toString();
    *hadPort = colon >= 0;
    *rest = colon < 0 ? QStringView() : text.mid(colon + 1);
    if (host.isEmpty())
        return R::failure(tr("the server address is missing"));
    if (!isHostName(host))
        return R::failure(
            tr("\"%1\" is not a server name or address (an IPv6 address needs brackets: [fd00::5])")
                .arg(host));
    return host;
}

Result<quint16> readPort(QStringView text)
{
    bool ok = false;
    const uint port = text.toUInt(&ok);
    if (!ok || port == 0 || port > 65535)
        return Result<quint16>::failure(
            tr("\"%1\" is not a port number (1 to 65535)").arg(text.toString()));
    return static_cast<quint16>(port);
}

QString withBrackets(const QString &host)
{
    return host.contains(u':') ? QStringLiteral("[%1]").arg(host) : host;
}

} // namespace

Result<EnrolmentCode> EnrolmentCode::parse(const QString &text)
{
    using R = Result<EnrolmentCode>;
    QString squeezed = text;
    squeezed.remove(QRegularExpression(QStringLiteral("\\s+")));
    if (squeezed.isEmpty())
        return R::failure(
            tr("the enrolment code is empty: paste or type the code from the school's letter"));
    if (!squeezed.startsWith(QLatin1String("acorn:"), Qt::CaseInsensitive))
        return R::failure(
            tr("this is not an Acorn enrolment code: it should start with \"acorn:\""));
    QStringView rest = QStringView(squeezed).mid(6);
    const qsizetype versionEnd = rest.indexOf(u':');
    bool versionOk = false;
    const int version = (versionEnd < 0 ? rest : rest.left(versionEnd)).toInt(&versionOk);
    if (!versionOk || versionEnd < 0)
        return R::failure(tr("the enrolment code is incomplete: check it was copied in full"));
    if (version != kVersion)
        return R::failure(tr(
            "this enrolment code was made by a newer version of Acorn (format %1): please update "
            "the app")
                              .arg(version));
    rest = rest.mid(versionEnd + 1);

    if (!rest.startsWith(u'[') && rest.count(u':') > 3)
        return R::failure(
            tr("the server address looks like an IPv6 address: it needs brackets, as in "
               "acorn:1:[fd00::5]:7443:..."));

    EnrolmentCode code;
    bool hadPort = false;
    QStringView afterHost;
    auto host = takeHost(rest, &afterHost, &hadPort);
    if (!host)
        return R::failure(host.error());
    code.host = host.value();
    if (!hadPort)
        return R::failure(tr("the enrolment code has no port after the server address: check it "
                             "was copied in full"));

    const qsizetype portEnd = afterHost.indexOf(u':');
    if (portEnd < 0)
        return R::failure(tr("the enrolment code has no fingerprint: check it was copied in full"));
    auto port = readPort(afterHost.left(portEnd));
    if (!port)
        return R::failure(port.error());
    code.port = port.value();

    QStringView afterPort = afterHost.mid(portEnd + 1);
    const qsizetype fpEnd = afterPort.indexOf(u':');
    const QString fingerprintText = (fpEnd < 0 ? afterPort : afterPort.left(fpEnd)).toString();
    auto fingerprint = tls::normaliseFingerprint(fingerprintText);
    if (!fingerprint)
        return R::failure(
            tr("the fingerprint in the enrolment code is not right: %1").arg(fingerprint.error()));
    code.fingerprint = fingerprint.value();

    if (fpEnd >= 0) {
        const QString activation = afterPort.mid(fpEnd + 1).toString().toUpper();
        static const QRegularExpression codeChars(QStringLiteral("^[A-Z0-9-]+$"));
        if (activation.isEmpty() || !codeChars.match(activation).hasMatch())
            return R::failure(
                tr("the activation code at the end of the enrolment code has characters other than "
                   "letters, digits and '-': check it was copied correctly"));
        code.activationCode = activation;
    }
    return code;
}

QString EnrolmentCode::make() const
{
    QString out = QStringLiteral("acorn:%1:%2:%3:%4")
                      .arg(kVersion)
                      .arg(withBrackets(host))
                      .arg(port)
                      .arg(fingerprint);
    if (!activationCode.isEmpty())
        out += u':' + activationCode.toUpper();
    return out;
}

QString EnrolmentCode::address() const
{
    return ServerAddress { host, port }.toString();
}

Result<ServerAddress> ServerAddress::parse(const QString &text, quint16 defaultPort)
{
    using R = Result<ServerAddress>;
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return R::failure(tr("enter the server address the school's IT manager gave you"));
    // A bare IPv6 address without brackets: no port possible.
    QHostAddress bare;
    if (trimmed.count(u':') > 1 && !trimmed.startsWith(u'[') && bare.setAddress(trimmed))
        return ServerAddress { trimmed, defaultPort };
    bool hadPort = false;
    QStringView rest;
    auto host = takeHost(trimmed, &rest, &hadPort);
    if (!host)
        return R::failure(host.error());
    ServerAddress a { host.value(), defaultPort };
    if (hadPort) {
        auto port = readPort(rest);
        if (!port)
            return R::failure(port.error());
        a.port = port.value();
    }
    return a;
}

QString ServerAddress::toString() const
{
    return QStringLiteral("%1:%2").arg(withBrackets(host)).arg(port);
}

} // namespace acorn::client
