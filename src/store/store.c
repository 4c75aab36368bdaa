/*
 * store.c — the durable state store: the engine's saved state in an SQLite
 * database, written in one transaction at the end of every engine step
 * that changed it, so that a new process can take over after a crash.
 *
 * Schema (version 1; `meta.schema_version`, also PRAGMA user_version):
 *
 *   CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
 *     -- 'schema_version' = '1', 'writer' = 'rrec VERSION'
 *   CREATE TABLE engine (
 *     id INTEGER PRIMARY KEY CHECK (id = 1),	-- one row
 *     state_version INTEGER NOT NULL,		-- of the bytes (engine-state.c)
 *     saved_ms INTEGER NOT NULL,		-- the engine clock at the write
 *     steps INTEGER NOT NULL,			-- writes so far
 *     bytes BLOB NOT NULL);			-- rrec_engine_save()
 *
 * The database runs in WAL mode.  With `synchronous = NORMAL` (the
 * default) a committed step survives the death of the process (the WAL is
 * in the OS's hands once COMMIT returns); `FULL` also survives a power
 * loss, at an fsync per step; `OFF` survives neither reliably.  The whole
 * state is one row, so a step's write is atomic: a reader sees the state
 * after some step, never half of one.
 */
#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "engine-private.h"
#include "rrec-store.h"

#define SCHEMA_VERSION 1

struct _RrecStore {
	sqlite3 *db;
	sqlite3_stmt *put;
	char *path;
	gint64 steps;
	GBytes *last;		/* the bytes last written: an unchanged state
				 * (an ignored event) costs no transaction */
	gboolean damaged;	/* the last failure was damage, not a lock */
};

/* Damage (a file that is not a database, a corrupt page) may be moved
 * aside; a lock or a missing directory may not: another engine may be
 * using the store, or the host must fix the path. */
static gboolean
is_damage (int rc)
{
	rc &= 0xff;
	return rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB;
}

static gboolean
fail (GError **error, sqlite3 *db, const char *path, const char *what)
{
	g_set_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STORE,
		     "state store %s: %s: %s", path, what,
		     db ? sqlite3_errmsg (db) : "out of memory");
	return FALSE;
}

static gboolean
exec (RrecStore *s, const char *sql, GError **error)
{
	char *msg = NULL;

	int rc = sqlite3_exec (s->db, sql, NULL, NULL, &msg);

	if (rc == SQLITE_OK)
		return TRUE;
	s->damaged = is_damage (rc);
	g_set_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STORE,
		     "state store %s: %s: %s", s->path, sql,
		     msg ? msg : sqlite3_errmsg (s->db));
	sqlite3_free (msg);
	return FALSE;
}

void
rrec_store_close (RrecStore *s)
{
	if (s == NULL)
		return;
	sqlite3_finalize (s->put);
	sqlite3_close (s->db);
	if (s->last)
		g_bytes_unref (s->last);
	g_free (s->path);
	g_free (s);
}

/* A page that fails SQLite's own checks is damage, reported, never read. */
static gboolean
quick_check (RrecStore *s, GError **error)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2 (s->db, "PRAGMA quick_check", -1, &st, NULL);
	gboolean ok = FALSE;

	if (rc == SQLITE_OK && (rc = sqlite3_step (st)) == SQLITE_ROW)
		ok = g_strcmp0 ((const char *) sqlite3_column_text (st, 0), "ok") == 0;
	sqlite3_finalize (st);
	if (!ok) {
		s->damaged = rc == SQLITE_ROW || is_damage (rc);
		g_set_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STORE,
			     "state store %s: damaged (quick_check: %s)", s->path,
			     rc == SQLITE_ROW ? "pages fail their checks" :
			     sqlite3_errmsg (s->db));
	}
	return ok;
}

/* The schema, created when the database is new; a database of another
 * schema version is refused (reported, never guessed at). */
static gboolean
check_schema (RrecStore *s, GError **error)
{
	sqlite3_stmt *st = NULL;
	gboolean has_meta = FALSE;
	int version = -1;

	if (sqlite3_prepare_v2 (s->db, "SELECT count(*) FROM sqlite_master "
				"WHERE name = 'meta'", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step (st) != SQLITE_ROW) {
		sqlite3_finalize (st);
		return fail (error, s->db, s->path, "not a readable database");
	}
	has_meta = sqlite3_column_int (st, 0) > 0;
	sqlite3_finalize (st);

	if (!has_meta) {
		g_autofree char *sql = g_strdup_printf (
			"BEGIN;"
			"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
			"INSERT INTO meta VALUES ('schema_version', '%d');"
			"INSERT INTO meta VALUES ('writer', 'rrec %s');"
			"CREATE TABLE engine (id INTEGER PRIMARY KEY CHECK (id = 1),"
			" state_version INTEGER NOT NULL, saved_ms INTEGER NOT NULL,"
			" steps INTEGER NOT NULL, bytes BLOB NOT NULL);"
			"PRAGMA user_version = %d;"
			"COMMIT;", SCHEMA_VERSION, rrec_version (), SCHEMA_VERSION);
		return exec (s, sql, error);
	}
	if (sqlite3_prepare_v2 (s->db, "SELECT value FROM meta WHERE key = "
				"'schema_version'", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step (st) == SQLITE_ROW)
		version = sqlite3_column_int (st, 0);
	sqlite3_finalize (st);
	if (version != SCHEMA_VERSION) {
		g_set_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STORE,
			     "state store %s: schema version %d, this rrec "
			     "reads version %d", s->path, version, SCHEMA_VERSION);
		s->damaged = TRUE;	/* unusable here: kept aside, not lost */
		return FALSE;
	}
	return TRUE;
}

static GBytes *
read_state (RrecStore *s, GError **error)
{
	sqlite3_stmt *st = NULL;
	GBytes *bytes = NULL;
	int rc;

	if (sqlite3_prepare_v2 (s->db, "SELECT bytes, steps FROM engine "
				"WHERE id = 1", -1, &st, NULL) != SQLITE_OK) {
		fail (error, s->db, s->path, "reading the state");
		return NULL;
	}
	rc = sqlite3_step (st);
	if (rc == SQLITE_ROW) {
		bytes = g_bytes_new (sqlite3_column_blob (st, 0),
				     sqlite3_column_bytes (st, 0));
		s->steps = sqlite3_column_int64 (st, 1);
	} else if (rc != SQLITE_DONE) {
		fail (error, s->db, s->path, "reading the state");
	}
	sqlite3_finalize (st);
	return bytes;
}

RrecStore *
rrec_store_open (const char *path, RrecStoreSync sync, GBytes **state,
		 gboolean *damaged, GError **error)
{
	static const char *const sync_sql[] = {
		[RREC_STORE_SYNC_OFF] = "PRAGMA synchronous = OFF",
		[RREC_STORE_SYNC_NORMAL] = "PRAGMA synchronous = NORMAL",
		[RREC_STORE_SYNC_FULL] = "PRAGMA synchronous = FULL",
	};
	RrecStore *s = g_new0 (RrecStore, 1);
	GError *local = NULL;

	*state = NULL;
	*damaged = FALSE;
	s->path = g_strdup (path);
	if (sqlite3_open_v2 (path, &s->db, SQLITE_OPEN_READWRITE |
			     SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		fail (error, s->db, path, "cannot open");
		rrec_store_close (s);
		return NULL;
	}
	/* One engine owns a store: an exclusive lock keeps a second one out
	 * (it gets "database is locked") and spares a lock and unlock per
	 * transaction.  Set before WAL, so that no shared memory is used. */
	if (!exec (s, "PRAGMA locking_mode = EXCLUSIVE", error)) {
		rrec_store_close (s);
		return NULL;
	}
	sqlite3_extended_result_codes (s->db, 1);
	/* a page that fails its checks is damage, not a crash */
	if (!exec (s, "PRAGMA journal_mode = WAL", &local) ||
	    !exec (s, sync_sql[CLAMP (sync, RREC_STORE_SYNC_OFF,
				      RREC_STORE_SYNC_FULL)], &local) ||
	    !quick_check (s, &local) ||
	    !check_schema (s, &local) ||
	    ((*state = read_state (s, &local)), local != NULL)) {
		*damaged = s->damaged;
		g_propagate_error (error, local);
		rrec_store_close (s);
		return NULL;
	}
	if (sqlite3_prepare_v2 (s->db, "INSERT OR REPLACE INTO engine "
				"(id, state_version, saved_ms, steps, bytes) "
				"VALUES (1, ?, ?, ?, ?)", -1, &s->put,
				NULL) != SQLITE_OK) {
		fail (error, s->db, path, "preparing the write");
		g_clear_pointer (state, g_bytes_unref);
		rrec_store_close (s);
		return NULL;
	}
	return s;
}

/* One engine step: the whole state in one transaction. */
gboolean
rrec_store_write (RrecStore *s, GBytes *bytes, guint32 state_version,
		  gint64 now, GError **error)
{
	gsize len;
	gconstpointer data = g_bytes_get_data (bytes, &len);
	int rc;

	if (s->last && g_bytes_equal (s->last, bytes))
		return TRUE;
	if (!exec (s, "BEGIN", error))
		return FALSE;
	sqlite3_bind_int64 (s->put, 1, state_version);
	sqlite3_bind_int64 (s->put, 2, now);
	sqlite3_bind_int64 (s->put, 3, s->steps + 1);
	sqlite3_bind_blob (s->put, 4, data, (int) len, SQLITE_STATIC);
	rc = sqlite3_step (s->put);
	sqlite3_reset (s->put);
	sqlite3_clear_bindings (s->put);
	if (rc != SQLITE_DONE) {
		fail (error, s->db, s->path, "writing the state");
		sqlite3_exec (s->db, "ROLLBACK", NULL, NULL, NULL);
		return FALSE;
	}
	if (!exec (s, "COMMIT", error)) {
		sqlite3_exec (s->db, "ROLLBACK", NULL, NULL, NULL);
		return FALSE;
	}
	s->steps++;
	if (s->last)
		g_bytes_unref (s->last);
	s->last = g_bytes_ref (bytes);
	return TRUE;
}

/* A store that cannot be read is kept for inspection as PATH.corrupt
 * (its -wal and -shm with it, or SQLite would replay a stale log into the
 * new database). */
gboolean
rrec_store_move_aside (const char *path, GError **error)
{
	static const char *const ext[] = { "", "-wal", "-shm" };

	for (guint i = 0; i < G_N_ELEMENTS (ext); i++) {
		g_autofree char *from = g_strconcat (path, ext[i], NULL);
		g_autofree char *to = g_strconcat (path, ".corrupt", ext[i], NULL);

		if (g_rename (from, to) != 0 && errno != ENOENT) {
			int err = errno;
			g_set_error (error, RREC_ENGINE_ERROR,
				     RREC_ENGINE_ERROR_STORE,
				     "state store %s: cannot move it aside: %s",
				     path, g_strerror (err));
			return FALSE;
		}
	}
	return TRUE;
}
