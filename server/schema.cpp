#include "schema.h"

#include "sqldialect.h"

namespace acorn::server::schema {

namespace {

// Version 1: the foundation schema.
QStringList version1()
{
    return {
        QStringLiteral("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"),
        QStringLiteral("INSERT INTO meta (key, value) VALUES ('seq', '0')"),
        QStringLiteral("INSERT INTO meta (key, value) VALUES ('roster_seq', '0')"),
        QStringLiteral("CREATE TABLE school ("
                       " id INTEGER PRIMARY KEY CHECK (id = 1),"
                       " name TEXT NOT NULL, time_zone TEXT NOT NULL, release_time TEXT NOT NULL,"
                       " contact TEXT NOT NULL DEFAULT '')"),
        QStringLiteral("CREATE TABLE half_terms ("
                       " id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                       " first_day TEXT NOT NULL, last_day TEXT NOT NULL UNIQUE)"),
        QStringLiteral("CREATE TABLE classes ("
                       " id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
                       " release TEXT NOT NULL CHECK (release IN ('live', 'half-term')))"),
        QStringLiteral("CREATE TABLE families (id INTEGER PRIMARY KEY, ref TEXT NOT NULL UNIQUE)"),
        QStringLiteral("CREATE TABLE children ("
                       " id INTEGER PRIMARY KEY, ref TEXT NOT NULL UNIQUE,"
                       " first_name TEXT NOT NULL, last_name TEXT NOT NULL,"
                       " date_of_birth TEXT NOT NULL,"
                       " class_id INTEGER NOT NULL REFERENCES classes(id),"
                       " family_id INTEGER NOT NULL REFERENCES families(id),"
                       " journal_media INTEGER NOT NULL, others_journals INTEGER NOT NULL,"
                       " consent_recorded_by TEXT NOT NULL DEFAULT '',"
                       " consent_recorded_at INTEGER NOT NULL DEFAULT 0,"
                       " leaving_date TEXT)"),
        QStringLiteral("CREATE INDEX children_family ON children(family_id)"),
        QStringLiteral("CREATE INDEX children_class ON children(class_id)"),
        QStringLiteral("CREATE TABLE users ("
                       " id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE,"
                       " display_name TEXT NOT NULL,"
                       " role TEXT NOT NULL CHECK (role IN ('admin', 'lead', 'practitioner', 'parent')),"
                       " family_id INTEGER REFERENCES families(id),"
                       " password_hash TEXT,"
                       " state TEXT NOT NULL CHECK (state IN ('invited', 'active', 'locked', 'disabled')),"
                       " activation_hash TEXT, activation_expires INTEGER NOT NULL DEFAULT 0,"
                       " created_at INTEGER NOT NULL)"),
        QStringLiteral("CREATE TABLE staff_classes ("
                       " user_id INTEGER NOT NULL REFERENCES users(id),"
                       " class_id INTEGER NOT NULL REFERENCES classes(id),"
                       " PRIMARY KEY (user_id, class_id))"),
        QStringLiteral("CREATE TABLE sessions ("
                       " id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id),"
                       " token_hash BLOB NOT NULL UNIQUE, device TEXT NOT NULL,"
                       " created_at INTEGER NOT NULL, last_used_at INTEGER NOT NULL,"
                       " revoked_at INTEGER)"),
        QStringLiteral("CREATE INDEX sessions_user ON sessions(user_id)"),
        // content: the staff view of the current revision, a serialised wire Observation.
        QStringLiteral("CREATE TABLE observations ("
                       " id TEXT PRIMARY KEY, author_id INTEGER NOT NULL REFERENCES users(id),"
                       " observed_at INTEGER NOT NULL,"
                       " state TEXT NOT NULL CHECK (state IN ('draft', 'published')),"
                       " deleted INTEGER NOT NULL, revision INTEGER NOT NULL,"
                       " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
                       " seq INTEGER NOT NULL, content BLOB NOT NULL)"),
        QStringLiteral("CREATE INDEX observations_seq ON observations(seq)"),
        // current = 0 keeps a child who was untagged, so their families get a tombstone.
        QStringLiteral("CREATE TABLE observation_children ("
                       " observation_id TEXT NOT NULL REFERENCES observations(id),"
                       " child_id INTEGER NOT NULL REFERENCES children(id),"
                       " current INTEGER NOT NULL,"
                       " PRIMARY KEY (observation_id, child_id))"),
        QStringLiteral("CREATE INDEX observation_children_child"
                       " ON observation_children(child_id, observation_id)"),
        QStringLiteral("CREATE TABLE observation_revisions ("
                       " observation_id TEXT NOT NULL REFERENCES observations(id),"
                       " revision INTEGER NOT NULL, change_id TEXT NOT NULL UNIQUE,"
                       " author_id INTEGER NOT NULL, at INTEGER NOT NULL, content BLOB NOT NULL,"
                       " PRIMARY KEY (observation_id, revision))"),
        QStringLiteral("CREATE TABLE media ("
                       " id TEXT PRIMARY KEY,"
                       " kind TEXT NOT NULL CHECK (kind IN ('photo', 'video')),"
                       " size INTEGER NOT NULL, sha256 TEXT NOT NULL,"
                       " thumbnail_size INTEGER NOT NULL, thumbnail_sha256 TEXT NOT NULL,"
                       " original_done INTEGER NOT NULL DEFAULT 0,"
                       " thumbnail_done INTEGER NOT NULL DEFAULT 0,"
                       " declared_by INTEGER NOT NULL REFERENCES users(id),"
                       " created_at INTEGER NOT NULL)"),
        QStringLiteral("CREATE TABLE observation_media ("
                       " observation_id TEXT NOT NULL REFERENCES observations(id),"
                       " media_id TEXT NOT NULL REFERENCES media(id),"
                       " PRIMARY KEY (observation_id, media_id))"),
        QStringLiteral("CREATE INDEX observation_media_media ON observation_media(media_id)"),
        QStringLiteral("CREATE TABLE early_releases ("
                       " id INTEGER PRIMARY KEY, class_id INTEGER NOT NULL REFERENCES classes(id),"
                       " through_ms INTEGER NOT NULL, released_by TEXT NOT NULL,"
                       " at INTEGER NOT NULL)"),
        QStringLiteral("CREATE TABLE audit ("
                       " id INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL,"
                       " device TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL,"
                       " detail TEXT NOT NULL)"),
        QStringLiteral("CREATE INDEX audit_at ON audit(at)"),
        // Append-only audit log: the database refuses edits and deletions; the triggers
        // come from sqldialect (appendOnlyTriggers), see migrationStep().
    };
}

// Version 2: sign-in throttling counters (they survive a restart) and why a session ended.
QStringList version2()
{
    return {
        // One row per failed (or still running) sign-in attempt, per throttle key:
        // "account:<SHA-256 of the username>" or "address:<IP or IPv6 /64>". Rows older
        // than an hour are pruned.
        QStringLiteral("CREATE TABLE login_failures ("
                       " id INTEGER PRIMARY KEY, key TEXT NOT NULL, at INTEGER NOT NULL)"),
        QStringLiteral("CREATE INDEX login_failures_key_at ON login_failures(key, at)"),
        QStringLiteral("CREATE INDEX login_failures_at ON login_failures(at)"),
        QStringLiteral("CREATE TABLE login_locks ("
                       " key TEXT PRIMARY KEY, level INTEGER NOT NULL,"
                       " locked_at INTEGER NOT NULL, locked_until INTEGER NOT NULL)"),
        QStringLiteral("ALTER TABLE sessions ADD COLUMN end_reason TEXT"),
    };
}

// Version 3: assessments (issue 6). One current judgement per child, framework item and
// half term (the half term's last day, unique in the calendar), with every revision and every
// submission that lost a conflict kept in assessment_history.
QStringList version3()
{
    return {
        QStringLiteral("CREATE TABLE assessments ("
                       " id INTEGER PRIMARY KEY,"
                       " child_id INTEGER NOT NULL REFERENCES children(id),"
                       " item_key TEXT NOT NULL, half_term TEXT NOT NULL,"
                       " judgement TEXT NOT NULL, revision INTEGER NOT NULL,"
                       " by_id INTEGER NOT NULL REFERENCES users(id), at INTEGER NOT NULL,"
                       " seq INTEGER NOT NULL,"
                       " UNIQUE (child_id, item_key, half_term))"),
        QStringLiteral("CREATE INDEX assessments_seq ON assessments(seq)"),
        // outcome 'applied': the revision it made; 'conflict': kept, not applied, based on
        // `revision`.
        QStringLiteral("CREATE TABLE assessment_history ("
                       " id INTEGER PRIMARY KEY,"
                       " assessment_id INTEGER NOT NULL REFERENCES assessments(id),"
                       " revision INTEGER NOT NULL, judgement TEXT NOT NULL,"
                       " by_id INTEGER NOT NULL REFERENCES users(id), at INTEGER NOT NULL,"
                       " change_id TEXT NOT NULL UNIQUE, device TEXT NOT NULL,"
                       " outcome TEXT NOT NULL CHECK (outcome IN ('applied', 'conflict')))"),
        QStringLiteral("CREATE INDEX assessment_history_assessment"
                       " ON assessment_history(assessment_id, id)"),
    };
}

// Version 4 (issue 7): two-factor sign-in and erasure.
// two_factor: one row per account that signs in with a TOTP code, with its secret and the
// last time step accepted, so that each code works once.
// children.erased_at: set by 'admin erase-child'. The row stays as a stub without name,
// date of birth, reference or consent, so that devices that had the child's observations
// are told to drop them; every read of the roster leaves it out.
QStringList version4()
{
    return {
        QStringLiteral("CREATE TABLE two_factor ("
                       " user_id INTEGER PRIMARY KEY REFERENCES users(id),"
                       " secret BLOB NOT NULL, last_step INTEGER NOT NULL DEFAULT 0,"
                       " created_at INTEGER NOT NULL)"),
        QStringLiteral("ALTER TABLE children ADD COLUMN erased_at INTEGER"),
    };
}

// Version 5 (issue 7): two-factor set-up from the user's own device (the staff app's QR code).
// two_factor_pending: a secret made for an account that asked to set up (or replace) its
// second factor and has not yet proved, with a code from the authenticator app, that the app
// holds it. One per account: a new request replaces it, confirming moves it to two_factor,
// and after expires_at it is refused (and replaced by the next request).
QStringList version5()
{
    return {
        QStringLiteral("CREATE TABLE two_factor_pending ("
                       " user_id INTEGER PRIMARY KEY REFERENCES users(id),"
                       " secret BLOB NOT NULL, created_at INTEGER NOT NULL,"
                       " expires_at INTEGER NOT NULL)"),
    };
}

} // namespace

int latestVersion()
{
    return 5;
}

namespace {
QStringList portableStep(int to)
{
    switch (to) {
    case 1:
        return version1();
    case 2:
        return version2();
    case 3:
        return version3();
    case 4:
        return version4();
    case 5:
        return version5();
    default:
        return {};
    }
}
} // namespace

QStringList migrationStep(int to, SqlDialect dialect)
{
    QStringList out;
    for (const QString &statement : portableStep(to))
        out.append(sqldialect::schemaStatement(dialect, statement));
    if (to == 1)
        out.append(sqldialect::appendOnlyTriggers(dialect, QStringLiteral("audit")));
    return out;
}

} // namespace acorn::server::schema
