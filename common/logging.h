#pragma once

#include <QLoggingCategory>

// Log categories, one per module. Never log personal data (names, notes, passwords,
// tokens): ids and counts only.
Q_DECLARE_LOGGING_CATEGORY(lcProtocol)      // acorn.protocol
Q_DECLARE_LOGGING_CATEGORY(lcServer)        // acorn.server
Q_DECLARE_LOGGING_CATEGORY(lcServerNet)     // acorn.server.net
Q_DECLARE_LOGGING_CATEGORY(lcServerSync)    // acorn.server.sync
Q_DECLARE_LOGGING_CATEGORY(lcServerStore)   // acorn.server.store
Q_DECLARE_LOGGING_CATEGORY(lcServerAuth)    // acorn.server.auth
Q_DECLARE_LOGGING_CATEGORY(lcServerMedia)   // acorn.server.media
Q_DECLARE_LOGGING_CATEGORY(lcClientNet)     // acorn.client.net
Q_DECLARE_LOGGING_CATEGORY(lcClientSync)    // acorn.client.sync
Q_DECLARE_LOGGING_CATEGORY(lcClientStore)   // acorn.client.store
Q_DECLARE_LOGGING_CATEGORY(lcClientMedia)   // acorn.client.media
