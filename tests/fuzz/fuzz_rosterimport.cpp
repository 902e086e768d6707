// libFuzzer target: the MIS roster CSV importer ('admin import-roster') on arbitrary bytes,
// over a school with Nursery and Reception classes. A refused file must say why; an
// accepted one must import again without creating anything.

#include "importfuzzing.h"
#include "rosterimporter.h"

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    acorn::fuzz::startQt(argc, argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    static acorn::fuzz::ImportWorld world;
    const QByteArray csv(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    world.run([&](acorn::server::ServerStore &store, const acorn::server::Clock &clock) {
        return acorn::server::RosterImporter(store, clock).importCsv(csv, QStringLiteral("fuzz"));
    });
    return 0;
}
