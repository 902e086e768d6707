#pragma once

#include <QtGlobal>

namespace acorn::client {

class ClientStore;

// What is waiting to leave this device, for status displays. Read-only: the parent
// viewer shows it too, so this lives apart from the editing code (ObservationQueue).
struct OutboxSummary
{
    int waiting = 0; // observations with an edit or media not yet on the server
    int refused = 0; // the server refused: they need the user
    int conflicts = 0; // changed on another device: the user chooses
    qint64 mediaBytes = 0;

    static OutboxSummary of(ClientStore &store);
};

} // namespace acorn::client
