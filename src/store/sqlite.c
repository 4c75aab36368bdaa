/*
 * store/sqlite.c — the SQLite backend of the state store (backend.h), the
 * default: one database file, embedded, no server.
 *
 * Schema (version 2; `meta.schema_version`, also PRAGMA user_version; an
 * rrec store also has PRAGMA application_id = 0x72726563, "rrec"):
 *
 *   CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
 *     -- 'schema_version' = '2', 'writer' = 'rrec VERSION'
 *   CREATE TABLE engine (			-- the ENGINE row
 *     id INTEGER PRIMARY KEY CHECK (id = 1),	-- one row
 *     state_version INTEGER NOT NULL,		-- of the bytes (engine-state.c)
 *     saved_ms INTEGER NOT NULL,		-- the engine clock at the write
 *     steps INTEGER NOT NULL,			-- writes of this row so far
 *     bytes BLOB NOT NULL);
 *   CREATE TABLE ports (			-- the PORTS row
 *     id INTEGER PRIMARY KEY CHECK (id = 1),
 *     state_version INTEGER NOT NULL,
 *     bytes BLOB NOT NULL);
 *   CREATE TABLE calls (			-- one CALL row per call
 *     id INTEGER PRIMARY KEY,			-- the ConnID (as signed 64 bits)
 *     state_version INTEGER NOT NULL,
 *     seq INTEGER NOT NULL,			-- creation order
 *     bytes BLOB NOT NULL);
 *
 * Schema 1 (one `engine` row holding the whole state, no `calls`) is not
 * read: such a store is DAMAGED here ("schema version 1"), so the engine
 * moves it aside and starts a new one (what it held is kept, not lost).
 *
 * The database runs in WAL mode, locked exclusively by its engine (a
 * second opener gets "database is locked": LOCKED).  With `synchronous =
 * NORMAL` (the default) a committed step survives the death of the process
 * (the WAL is in the OS's hands once COMMIT returns); `FULL` also survives
 * a power loss, at an fsync per step; `OFF` survives neither reliably.
 *
 * Files: a new store is created mode 0600 (the umask may make it
 * stricter, never looser); SQLite gives its -wal and -shm the database's
 * mode.  An existing store readable by others is reported (a warning) each
 * time it is opened, never changed.  A store that is a symbolic link is
 * used, and moved aside, through its target: the link stays.  A file that
 * is not an SQLite database, or a database without rrec's schema, is
 * NOT_OURS and never written; a damaged store moved aside never overwrites
 * an earlier one (FILE.corrupt, FILE.corrupt.1, …).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "rrec/version.h"
#include "store/backend.h"
#include "store/sqlite-wal.h"

#define APPLICATION_ID 0x72726563	/* "rrec" */
#define PAGE_SIZE 1024
#define CHECKPOINT_PAGES 16384		/* 16 MiB of WAL at most between two
					 * checkpoints */

typedef struct {
	RrecStoreBackend parent;
	sqlite3 *db;
	sqlite3_stmt *put_engine;
	sqlite3_stmt *put_call;
	sqlite3_stmt *put_ports;
	sqlite3_stmt *del_call;
	sqlite3_stmt *begin;
	sqlite3_stmt *commit;
	char *path;
	gint64 steps;
	mode_t mode;		/* of an existing file; 0: created here */
} Sqlite;

static gboolean
is_damage (int rc)
{
	rc &= 0xff;
	return rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB;
}

static gboolean
is_lock (int rc)
{
	rc &= 0xff;
	return rc == SQLITE_BUSY || rc == SQLITE_LOCKED;
}

static RrecStoreOpenStatus
status_of (int rc)
{
	return is_lock (rc) ? RREC_STORE_OPEN_LOCKED :
		is_damage (rc) ? RREC_STORE_OPEN_DAMAGED :
		RREC_STORE_OPEN_UNREACHABLE;
}

static gboolean
fail (GError **error, Sqlite *s, const char *what)
{
	g_set_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STORE,
		     "state store %s: %s: %s", s->path, what,
		     s->db ? sqlite3_errmsg (s->db) : "out of memory");
	return FALSE;
}

/* Runs @sql; on failure *@rc gets SQLite's code. */
static gboolean
exec (Sqlite *s, const char *sql, int *rc, GError **error)
{
	char *msg = NULL;
	int r = sqlite3_exec (s->db, sql, NULL, NULL, &msg);

	if (rc)
		*rc = r;
	if (r == SQLITE_OK)
		return TRUE;
	g_set_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STORE,
		     "state store %s: %s: %s", s->path, sql,
		     msg ? msg : sqlite3_errmsg (s->db));
	sqlite3_free (msg);
	return FALSE;
}

static void
sqlite_close (RrecStoreBackend *b)
{
	Sqlite *s = (Sqlite *) b;

	if (s == NULL)
		return;
	sqlite3_finalize (s->put_engine);
	sqlite3_finalize (s->put_call);
	sqlite3_finalize (s->put_ports);
	sqlite3_finalize (s->del_call);
	sqlite3_finalize (s->begin);
	sqlite3_finalize (s->commit);
	sqlite3_close (s->db);
	g_free (s->path);
	g_free (s);
}

/* A symbolic link is followed to what it names (once per level, at most
 * 16 levels): the store is the target, and the link stays a link. */
static char *
resolve (const char *path)
{
	char *p = g_strdup (path);

	for (guint i = 0; i < 16 && g_file_test (p, G_FILE_TEST_IS_SYMLINK); i++) {
		g_autofree char *target = g_file_read_link (p, NULL);

		if (target == NULL)
			break;
		if (!g_path_is_absolute (target)) {
			g_autofree char *dir = g_path_get_dirname (p);
			g_free (p);
			p = g_build_filename (dir, target, NULL);
		} else {
			g_free (p);
			p = g_steal_pointer (&target);
		}
	}
	return p;
}

/*
 * Before SQLite touches anything: a missing file is created private
 * (0600); an existing one must start as an SQLite database does (or be
 * empty), else it is another program's file; a store others can read is
 * reported.
 */
static gboolean
check_file (Sqlite *s, RrecStoreOpenStatus *status, GError **error)
{
	struct stat st;
	int fd = open (s->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd >= 0) {
		close (fd);
		return TRUE;
	}
	if (errno != EEXIST) {
		int err = errno;
		*status = RREC_STORE_OPEN_UNREACHABLE;
		g_set_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STORE,
			     "state store %s: cannot create: %s", s->path,
			     g_strerror (err));
		return FALSE;
	}
	fd = open (s->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat (fd, &st) != 0) {
		int err = errno;
		if (fd >= 0)
			close (fd);
		*status = RREC_STORE_OPEN_UNREACHABLE;
		g_set_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STORE,
			     "state store %s: cannot open: %s", s->path,
			     g_strerror (err));
		return FALSE;
	}
	if (!S_ISREG (st.st_mode)) {
		close (fd);
		*status = RREC_STORE_OPEN_UNREACHABLE;
		g_set_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STORE,
			     "state store %s: not a regular file", s->path);
		return FALSE;
	}
	char head[16] = { 0 };
	ssize_t n = st.st_size > 0 ? read (fd, head, sizeof head) : 0;
	close (fd);
	if (st.st_size > 0 &&
	    (n != (ssize_t) sizeof head || memcmp (head, "SQLite format 3", 16) != 0)) {
		*status = RREC_STORE_OPEN_NOT_OURS;
		g_set_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STORE,
			     "state store %s: not an SQLite database, so not an "
			     "rrec store: refused, left as it is", s->path);
		return FALSE;
	}
	s->mode = st.st_mode;
	return TRUE;
}

static gint64
query_int (Sqlite *s, const char *sql, int *rc)
{
	sqlite3_stmt *st = NULL;
	gint64 v = -1;

	*rc = sqlite3_prepare_v2 (s->db, sql, -1, &st, NULL);
	if (*rc == SQLITE_OK) {
		*rc = sqlite3_step (st);
		if (*rc == SQLITE_ROW) {
			v = sqlite3_column_int64 (st, 0);
			*rc = SQLITE_OK;
		} else if (*rc == SQLITE_DONE) {
			*rc = SQLITE_OK;
		}
	}
	sqlite3_finalize (st);
	return v;
}

/*
 * Inside the open's first transaction: an empty database gets the schema;
 * an rrec store of this schema is taken; an rrec store of another schema
 * is DAMAGED (kept aside, not lost); any other database is NOT_OURS.
 */
static gboolean
check_schema (Sqlite *s, gboolean *empty, RrecStoreOpenStatus *status,
	      GError **error)
{
	int rc;
	gint64 tables = query_int (s, "SELECT count(*) FROM sqlite_master", &rc);
	gint64 app = rc == SQLITE_OK ?
		query_int (s, "PRAGMA application_id", &rc) : -1;
	gint64 has_meta = rc == SQLITE_OK ?
		query_int (s, "SELECT count(*) FROM sqlite_master WHERE "
			   "type = 'table' AND name = 'meta'", &rc) : -1;
	gint64 version = -1;

	if (rc != SQLITE_OK) {
		*status = status_of (rc);
		return fail (error, s, "not a readable database");
	}
	*empty = tables == 0;
	if (*empty)
		return TRUE;
	if (has_meta > 0)
		version = query_int (s, "SELECT value FROM meta WHERE key = "
				     "'schema_version'", &rc);
	/* schema 1 had no application_id: its meta table tells it */
	if (app != APPLICATION_ID && (has_meta <= 0 || version != 1)) {
		*status = RREC_STORE_OPEN_NOT_OURS;
		g_set_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STORE,
			     "state store %s: an SQLite database without rrec's "
			     "schema (another program's?): refused, left as it is",
			     s->path);
		return FALSE;
	}
	if (version != RREC_STORE_SCHEMA_VERSION) {
		*status = RREC_STORE_OPEN_DAMAGED;
		g_set_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STORE,
			     "state store %s: schema version %" G_GINT64_FORMAT
			     ", this rrec reads version %d (an older store is "
			     "not converted)", s->path, version,
			     RREC_STORE_SCHEMA_VERSION);
		return FALSE;
	}
	return TRUE;
}

/* The schema, in a new (empty) database. */
static gboolean
create_schema (Sqlite *s, RrecStoreOpenStatus *status, GError **error)
{
	int rc;
	g_autofree char *sql = g_strdup_printf (
		"BEGIN;"
		"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
		"INSERT INTO meta VALUES ('schema_version', '%d');"
		"INSERT INTO meta VALUES ('writer', 'rrec %s');"
		"CREATE TABLE engine (id INTEGER PRIMARY KEY CHECK (id = 1),"
		" state_version INTEGER NOT NULL, saved_ms INTEGER NOT NULL,"
		" steps INTEGER NOT NULL, bytes BLOB NOT NULL);"
		"CREATE TABLE ports (id INTEGER PRIMARY KEY CHECK (id = 1),"
		" state_version INTEGER NOT NULL, bytes BLOB NOT NULL);"
		"CREATE TABLE calls (id INTEGER PRIMARY KEY,"
		" state_version INTEGER NOT NULL, seq INTEGER NOT NULL,"
		" bytes BLOB NOT NULL);"
		"PRAGMA application_id = %d;"
		"PRAGMA user_version = %d;"
		"COMMIT;",
		RREC_STORE_SCHEMA_VERSION, RREC_VERSION, APPLICATION_ID,
		RREC_STORE_SCHEMA_VERSION);

	if (!exec (s, sql, &rc, error)) {
		*status = status_of (rc);
		sqlite3_exec (s->db, "ROLLBACK", NULL, NULL, NULL);
		return FALSE;
	}
	return TRUE;
}

/* A page that fails SQLite's own checks is damage, reported, never read. */
static gboolean
quick_check (Sqlite *s, RrecStoreOpenStatus *status, GError **error)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2 (s->db, "PRAGMA quick_check", -1, &st, NULL);
	gboolean ok = FALSE;

	if (rc == SQLITE_OK && (rc = sqlite3_step (st)) == SQLITE_ROW)
		ok = g_strcmp0 ((const char *) sqlite3_column_text (st, 0), "ok") == 0;
	if (!ok) {
		*status = rc == SQLITE_ROW ? RREC_STORE_OPEN_DAMAGED : status_of (rc);
		g_set_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STORE,
			     "state store %s: damaged (quick_check: %s)", s->path,
			     rc == SQLITE_ROW ? "pages fail their checks" :
			     sqlite3_errmsg (s->db));
	}
	sqlite3_finalize (st);
	return ok;
}

static RrecStoreBackend *
sqlite_open (const char *location, RrecStoreSync sync, gboolean fresh,
	     RrecStoreOpenStatus *status, GError **error)
{
	static const char *const sync_sql[] = {
		[RREC_STORE_SYNC_OFF] = "PRAGMA synchronous = OFF",
		[RREC_STORE_SYNC_NORMAL] = "PRAGMA synchronous = NORMAL",
		[RREC_STORE_SYNC_FULL] = "PRAGMA synchronous = FULL",
	};
	extern const RrecStoreBackendOps rrec_store_backend_sqlite;
	Sqlite *s = g_new0 (Sqlite, 1);
	int rc = SQLITE_OK;

	s->parent.ops = &rrec_store_backend_sqlite;
	s->path = resolve (location);
	*status = RREC_STORE_OPEN_OK;
	if (!check_file (s, status, error))
		goto out;
	/* the WAL written in one system call per commit (sqlite-wal.c).
	 * Without the connection's mutexes (SQLite's "multi-thread" mode):
	 * a backend is used from one thread at a time (backend.h), and in
	 * the default "serialized" mode every call into SQLite — each bind,
	 * step and reset of a step's statements — takes and gives back a
	 * mutex, a twentieth of a durable replay's instructions. */
	rc = sqlite3_open_v2 (s->path, &s->db,
			      SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
			      rrec_sqlite_wal_vfs ());
	if (rc != SQLITE_OK) {
		*status = status_of (rc);
		fail (error, s, "cannot open");
		goto out;
	}
	sqlite3_extended_result_codes (s->db, 1);
	/* One engine owns a store: an exclusive lock keeps a second one out
	 * (it gets "database is locked") and spares a lock and unlock per
	 * transaction.  Set before WAL, so that no shared memory is used.
	 * The schema is checked before anything is written: another
	 * program's database is never changed. */
	/* Small pages for a new store (a step writes a page or two: the
	 * fewer bytes, the cheaper), asked for before any transaction: the
	 * first one fixes the page size (a store made before issue #14 got
	 * SQLite's 4096 this way).  An existing database keeps its own: the
	 * pragma writes nothing, and changes nothing without a VACUUM. */
	if (!exec (s, "PRAGMA locking_mode = EXCLUSIVE", &rc, error) ||
	    !exec (s, "PRAGMA page_size = " G_STRINGIFY (PAGE_SIZE), &rc, error) ||
	    !exec (s, "BEGIN IMMEDIATE", &rc, error)) {
		*status = status_of (rc);
		goto out;
	}
	gboolean empty = FALSE;
	if (!check_schema (s, &empty, status, error)) {
		sqlite3_exec (s->db, "ROLLBACK", NULL, NULL, NULL);
		goto out;
	}
	/* only now, known to be empty or an rrec store, is it written; it
	 * checkpoints rarely (each one syncs) */
	if (!exec (s, "ROLLBACK", &rc, error) ||
	    !exec (s, "PRAGMA wal_autocheckpoint = " G_STRINGIFY (CHECKPOINT_PAGES),
		   &rc, error) ||
	    !exec (s, sync_sql[CLAMP (sync, RREC_STORE_SYNC_NORMAL,
				      RREC_STORE_SYNC_OFF)], &rc, error) ||
	    !exec (s, "PRAGMA journal_mode = WAL", &rc, error)) {
		*status = status_of (rc);
		goto out;
	}
	if (empty && !create_schema (s, status, error))
		goto out;
	if (fresh && !exec (s, "BEGIN; DELETE FROM calls; DELETE FROM ports;"
			    " DELETE FROM engine;"
			    " COMMIT", &rc, error)) {
		*status = status_of (rc);
		sqlite3_exec (s->db, "ROLLBACK", NULL, NULL, NULL);
		goto out;
	}
	if (!quick_check (s, status, error))
		goto out;
	/* the schema, or the rows removed (@fresh), in the OS before the
	 * first step: a replay killed before it must not resume the old
	 * store */
	if ((rc = rrec_sqlite_wal_flush (s->db)) != SQLITE_OK) {
		*status = status_of (rc);
		fail (error, s, "writing the new store");
		goto out;
	}
	/* an rrec store others may read: reported once per open, left as
	 * its owner set it */
	if (s->mode & (S_IRWXG | S_IRWXO))
		g_message ("state store %s: mode %04o lets others than its "
			   "owner read or write the calls' data (0600 expected)",
			   s->path, (unsigned) (s->mode & 07777));
	if (sqlite3_prepare_v2 (s->db, "INSERT OR REPLACE INTO engine "
				"(id, state_version, saved_ms, steps, bytes) "
				"VALUES (1, ?, ?, ?, ?)", -1, &s->put_engine,
				NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2 (s->db, "INSERT OR REPLACE INTO calls "
				"(id, state_version, seq, bytes) "
				"VALUES (?, ?, ?, ?)", -1, &s->put_call,
				NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2 (s->db, "INSERT OR REPLACE INTO ports "
				"(id, state_version, bytes) VALUES (1, ?, ?)",
				-1, &s->put_ports, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2 (s->db, "DELETE FROM calls WHERE id = ?", -1,
				&s->del_call, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2 (s->db, "BEGIN", -1, &s->begin, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2 (s->db, "COMMIT", -1, &s->commit, NULL) != SQLITE_OK) {
		*status = RREC_STORE_OPEN_DAMAGED;
		fail (error, s, "preparing the writes");
		goto out;
	}
	return &s->parent;
out:
	if (*status == RREC_STORE_OPEN_OK)
		*status = RREC_STORE_OPEN_UNREACHABLE;
	sqlite_close (&s->parent);
	return NULL;
}

static gboolean
load_rows (Sqlite *s, const char *sql, RrecStoreRowKind kind,
	   RrecStoreRowFunc func, gpointer data, gboolean *any,
	   gboolean *damaged, GError **error)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2 (s->db, sql, -1, &st, NULL);
	gboolean ok = TRUE;

	while (ok && rc == SQLITE_OK && (rc = sqlite3_step (st)) == SQLITE_ROW) {
		RrecStoreRow row = {
			.kind = kind,
			.key = (guint64) sqlite3_column_int64 (st, 0),
			.version = (guint32) sqlite3_column_int64 (st, 1),
			.order = sqlite3_column_int64 (st, 2),
			.bytes = sqlite3_column_blob (st, 3),
			.len = (gsize) sqlite3_column_bytes (st, 3),
		};
		if (kind == RREC_STORE_ROW_ENGINE)
			s->steps = sqlite3_column_int64 (st, 4);
		if (kind != RREC_STORE_ROW_CALL)
			row.key = 0;
		*any = TRUE;
		ok = func (&row, data, error);
		if (!ok)
			*damaged = TRUE;
		rc = SQLITE_OK;
	}
	if (ok && rc != SQLITE_DONE && rc != SQLITE_OK) {
		*damaged = is_damage (rc);
		ok = fail (error, s, "reading the state");
	}
	sqlite3_finalize (st);
	return ok;
}

static gboolean
sqlite_load (RrecStoreBackend *b, RrecStoreRowFunc func, gpointer data,
	     gboolean *damaged, GError **error)
{
	Sqlite *s = (Sqlite *) b;
	gboolean any = FALSE;

	*damaged = FALSE;
	if (!load_rows (s, "SELECT id, state_version, saved_ms, bytes, steps "
			"FROM engine WHERE id = 1", RREC_STORE_ROW_ENGINE, func,
			data, &any, damaged, error))
		return FALSE;
	if (!any)
		return TRUE;	/* a new store: calls without an engine row are
				 * never written (one transaction has both) */
	if (!load_rows (s, "SELECT id, state_version, 0, bytes FROM ports "
			"WHERE id = 1", RREC_STORE_ROW_PORTS, func, data, &any,
			damaged, error))
		return FALSE;
	return load_rows (s, "SELECT id, state_version, seq, bytes FROM calls "
			  "ORDER BY seq", RREC_STORE_ROW_CALL, func, data, &any,
			  damaged, error);
}

static gboolean step_done (Sqlite *s, sqlite3_stmt *st, GError **error);

static gboolean
sqlite_begin (RrecStoreBackend *b, GError **error)
{
	Sqlite *s = (Sqlite *) b;

	return step_done (s, s->begin, error);
}

/* Each use of a statement binds all its parameters anew: a reset is
 * enough (no clearing of the bindings). */
static gboolean
step_done (Sqlite *s, sqlite3_stmt *st, GError **error)
{
	int rc = sqlite3_step (st);

	sqlite3_reset (st);
	return rc == SQLITE_DONE || fail (error, s, "writing the state");
}

static gboolean
sqlite_put (RrecStoreBackend *b, const RrecStoreRow *row, GError **error)
{
	Sqlite *s = (Sqlite *) b;
	sqlite3_stmt *st;

	if (row->kind == RREC_STORE_ROW_ENGINE) {
		st = s->put_engine;
		sqlite3_bind_int64 (st, 1, row->version);
		sqlite3_bind_int64 (st, 2, row->order);
		sqlite3_bind_int64 (st, 3, s->steps + 1);
		sqlite3_bind_blob64 (st, 4, row->bytes, row->len, SQLITE_STATIC);
		if (!step_done (s, st, error))
			return FALSE;
		s->steps++;
		return TRUE;
	}
	if (row->kind == RREC_STORE_ROW_PORTS) {
		st = s->put_ports;
		sqlite3_bind_int64 (st, 1, row->version);
		sqlite3_bind_blob64 (st, 2, row->bytes, row->len, SQLITE_STATIC);
		return step_done (s, st, error);
	}
	st = s->put_call;
	sqlite3_bind_int64 (st, 1, (sqlite3_int64) row->key);
	sqlite3_bind_int64 (st, 2, row->version);
	sqlite3_bind_int64 (st, 3, row->order);
	sqlite3_bind_blob64 (st, 4, row->bytes, row->len, SQLITE_STATIC);
	return step_done (s, st, error);
}

static gboolean
sqlite_remove (RrecStoreBackend *b, RrecStoreRowKind kind, guint64 key,
	       GError **error)
{
	Sqlite *s = (Sqlite *) b;

	if (kind == RREC_STORE_ROW_ENGINE)
		return exec (s, "DELETE FROM engine", NULL, error);
	if (kind == RREC_STORE_ROW_PORTS)
		return exec (s, "DELETE FROM ports", NULL, error);
	sqlite3_bind_int64 (s->del_call, 1, (sqlite3_int64) key);
	return step_done (s, s->del_call, error);
}

/* COMMIT, then the transaction's WAL frames to the OS in one write
 * (sqlite-wal.c): a commit is done only once they are there. */
static gboolean
sqlite_commit (RrecStoreBackend *b, GError **error)
{
	Sqlite *s = (Sqlite *) b;
	int rc;

	if (!step_done (s, s->commit, error))
		return FALSE;
	rc = rrec_sqlite_wal_flush (s->db);
	if (rc != SQLITE_OK) {
		g_set_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STORE,
			     "state store %s: writing the state: %s (the store "
			     "keeps its last complete commit; nothing more is "
			     "written to it)", s->path, sqlite3_errstr (rc));
		return FALSE;
	}
	return TRUE;
}

static void
sqlite_rollback (RrecStoreBackend *b)
{
	sqlite3_exec (((Sqlite *) b)->db, "ROLLBACK", NULL, NULL, NULL);
}

static gboolean
exists (const char *path)
{
	struct stat st;

	return lstat (path, &st) == 0 || errno != ENOENT;
}

/*
 * A damaged store is kept for inspection as PATH.corrupt (then
 * PATH.corrupt.1, .2, …: an earlier incident's evidence is never
 * overwritten), its -wal and -shm with it (or SQLite would replay a stale
 * log into the new database).  Each file is linked under its new name
 * first (link never replaces) and only then unlinked.
 */
static gboolean
sqlite_move_aside (const char *location, char **moved_to, GError **error)
{
	static const char *const ext[] = { "", "-wal", "-shm" };
	g_autofree char *path = resolve (location);
	g_autofree char *base = NULL;

	for (guint n = 0; n < 10000 && base == NULL; n++) {
		g_autofree char *b = n == 0 ? g_strconcat (path, ".corrupt", NULL) :
			g_strdup_printf ("%s.corrupt.%u", path, n);
		gboolean free = TRUE;

		for (guint i = 0; i < G_N_ELEMENTS (ext) && free; i++) {
			g_autofree char *f = g_strconcat (b, ext[i], NULL);
			free = !exists (f);
		}
		if (free)
			base = g_steal_pointer (&b);
	}
	if (base == NULL) {
		g_set_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STORE,
			     "state store %s: cannot move it aside: 10000 "
			     "earlier copies", path);
		return FALSE;
	}
	for (guint i = 0; i < G_N_ELEMENTS (ext); i++) {
		g_autofree char *from = g_strconcat (path, ext[i], NULL);
		g_autofree char *to = g_strconcat (base, ext[i], NULL);

		if (link (from, to) != 0) {
			int err = errno;
			if (err == ENOENT)
				continue;
			g_set_error (error, RREC_ENGINE_ERROR,
				     RREC_ENGINE_ERROR_STORE,
				     "state store %s: cannot move it aside to "
				     "%s: %s", path, to, g_strerror (err));
			return FALSE;
		}
		if (g_unlink (from) != 0) {
			int err = errno;
			g_set_error (error, RREC_ENGINE_ERROR,
				     RREC_ENGINE_ERROR_STORE,
				     "state store %s: cannot move it aside: %s",
				     path, g_strerror (err));
			return FALSE;
		}
	}
	if (moved_to)
		*moved_to = g_steal_pointer (&base);
	return TRUE;
}

const RrecStoreBackendOps rrec_store_backend_sqlite = {
	.name = "sqlite",
	.open = sqlite_open,
	.load = sqlite_load,
	.begin = sqlite_begin,
	.put = sqlite_put,
	.remove = sqlite_remove,
	.commit = sqlite_commit,
	.rollback = sqlite_rollback,
	.close = sqlite_close,
	.move_aside = sqlite_move_aside,
};
