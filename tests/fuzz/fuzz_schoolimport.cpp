// libFuzzer target: the school JSON importer ('admin import-school') on arbitrary bytes,
// over a school that already exists. A refused file must say why; an accepted one must
// import again without creating anything (imports are keyed, so they can be re-run).

#include "importfuzzing.h"

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    acorn::fuzz::startQt(argc, argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    static acorn::fuzz::ImportWorld world;
    const QByteArray json(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    world.run([&](acorn::server::ServerStore &store, const acorn::server::Clock &clock) {
        return acorn::server::SchoolImporter(store, clock).importJson(json, QStringLiteral("fuzz"));
    });
    return 0;
}
