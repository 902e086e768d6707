#include "logging.h"

Q_LOGGING_CATEGORY(lcProtocol, "acorn.protocol", QtInfoMsg)
Q_LOGGING_CATEGORY(lcServer, "acorn.server", QtInfoMsg)
Q_LOGGING_CATEGORY(lcServerNet, "acorn.server.net", QtInfoMsg)
Q_LOGGING_CATEGORY(lcServerSync, "acorn.server.sync", QtInfoMsg)
Q_LOGGING_CATEGORY(lcServerStore, "acorn.server.store", QtInfoMsg)
Q_LOGGING_CATEGORY(lcServerAuth, "acorn.server.auth", QtInfoMsg)
Q_LOGGING_CATEGORY(lcServerMedia, "acorn.server.media", QtInfoMsg)
Q_LOGGING_CATEGORY(lcClientNet, "acorn.client.net", QtWarningMsg)
Q_LOGGING_CATEGORY(lcClientSync, "acorn.client.sync", QtWarningMsg)
Q_LOGGING_CATEGORY(lcClientStore, "acorn.client.store", QtWarningMsg)
Q_LOGGING_CATEGORY(lcClientMedia, "acorn.client.media", QtWarningMsg)
