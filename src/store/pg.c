/*
 * store/pg.c — the PostgreSQL backend of the state store (backend.h), for
 * a primary/backup pair of T-Servers sharing one database: the store is a
 * `postgresql://…` (or `postgres://…`) connection URI, as libpq reads it.
 *
 * Schema (version 2, the logical schema of backend.h), in a schema of its
 * own, `rrec`, of the database the URI names (one store per database;
 * nothing outside the schema `rrec` is read or written):
 *
 *   CREATE TABLE rrec.meta (key text PRIMARY KEY, value text NOT NULL);
 *     -- 'application' = 'rrec state store' (tells an rrec store from
 *     --   another program's schema of the same name),
 *     -- 'schema_version' = '2', 'writer' = 'rrec VERSION',
 *     -- 'holder' = a random token of the engine that opened it last
 *   CREATE TABLE rrec.engine (			-- the ENGINE row
 *     id integer PRIMARY KEY CHECK (id = 1),
 *     state_version integer NOT NULL, saved_ms bigint NOT NULL,
 *     steps bigint NOT NULL, bytes bytea NOT NULL);
 *   CREATE TABLE rrec.ports (			-- the PORTS row
 *     id integer PRIMARY KEY CHECK (id = 1),
 *     state_version integer NOT NULL, bytes bytea NOT NULL);
 *   CREATE TABLE rrec.calls (			-- one CALL row per call
 *     id bigint PRIMARY KEY,			-- the ConnID (as signed 64 bits)
 *     state_version integer NOT NULL, seq bigint NOT NULL,
 *     bytes bytea NOT NULL);
 *
 * The tables belong to the role the URI logs in as; PostgreSQL grants
 * other roles nothing on them (private to their owner, as the SQLite
 * file's mode 0600).
 *
 * One engine per store: the engine holds a session-level advisory lock,
 * pg_try_advisory_lock(0x72726563, 1) ("rrec", 1) in the store's database,
 * for as long as its connection lives.  A second engine is refused at
 * once (LOCKED, naming the holder's server process); when the holder dies
 * the server ends its session and the lock is free: at once for a process
 * killed on the server's machine or over a Unix socket, after the TCP
 * keepalives (set by rrec on its session: 10 s idle, then 3 probes 5 s
 * apart) for a machine or a network lost.
 *
 * One engine step is one transaction, sent in libpq's pipeline mode: the
 * step's statements and a Sync in one round trip, run by the server as
 * one implicit transaction (all or nothing).
 *
 * Sync levels, per session (`synchronous_commit`):
 *   - normal (the default) = off: COMMIT returns once the server has the
 *     commit in its memory (it is visible to every session at once): the
 *     step survives the death of the rrec process and of its machine; a
 *     crash of the database server itself may lose the last ~0.6 s of
 *     steps (three wal_writer_delay);
 *   - full = on: COMMIT returns once the commit is flushed to the
 *     server's disk (and to synchronous replicas, when the server has
 *     synchronous_standby_names): it also survives a crash of the server
 *     or of its machine;
 *   - off = off, as normal: PostgreSQL has nothing cheaper that still
 *     answers each step before the host acts on it.
 *
 * A lost connection: a step that fails because the connection is gone
 * reconnects once, at once (no waiting: the engine never sleeps), takes
 * the lock again and writes the whole state as this engine has it (the
 * server may have lost the last steps, see `normal`, or never got this
 * one); if that fails too, the step fails (the engine raises
 * `state-store`) and the next step tries again.  The backend keeps the
 * rows it was given (the state as the engine has it) for that rewrite.
 * A lock still held by this engine's own old session (the server has not
 * yet seen it die: a network cut) is taken back by ending that session.
 * If another engine took the store over meanwhile (the lock is held by
 * someone else, or the `holder` token is not ours), this engine is
 * fenced: nothing more is written and every step fails, so that its host
 * stops acting; the standby's state is the one that counts.  The backend
 * is `shared` (backend.h): a step that fails is not acted on, its
 * actions wait for the next write that succeeds.
 */
#include <endian.h>
#include <string.h>

#include <libpq-fe.h>

#include "rrec/version.h"
#include "store/pg-private.h"

/* The advisory lock: (1920099683, 1), 1920099683 = 0x72726563 = "rrec",
 * written out in the statements below. */
#define APPLICATION "rrec state store"


void
pg_kept_free (gpointer p)
{
	Kept *k = p;

	if (k == NULL)
		return;
	g_bytes_unref (k->bytes);
	g_free (k);
}

/* libpq's messages end with a newline; ours do not. */
static char *
reason (PGconn *conn, const PGresult *res)
{
	const char *m = res ? PQresultErrorMessage (res) : NULL;
	char *r;

	if (m == NULL || *m == '\0')
		m = conn ? PQerrorMessage (conn) : "out of memory";
	g_auto (GStrv) lines = g_strsplit (m, "\n", -1);
	for (guint i = 0; lines[i]; i++)
		g_strstrip (lines[i]);
	/* one line: an alarm's text */
	r = g_strjoinv (" ", lines);
	g_strstrip (r);
	return *r ? r : (g_free (r), g_strdup ("connection lost"));
}

gboolean
pg_fail (GError **error, Pg *p, const char *what, const PGresult *res)
{
	g_autofree char *why = reason (p->conn, res);

	g_set_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STORE,
		     "state store %s: %s: %s", p->name, what, why);
	return FALSE;
}

/* The URI as messages show it: as given, unless it carries a password. */
static char *
display_name (const char *uri)
{
	PQconninfoOption *opts = PQconninfoParse (uri, NULL);
	const char *user = NULL, *host = NULL, *port = NULL, *db = NULL;
	gboolean password = FALSE;
	char *name;

	for (PQconninfoOption *o = opts; o && o->keyword; o++) {
		if (o->val == NULL)
			continue;
		if (strcmp (o->keyword, "password") == 0)
			password = TRUE;
		else if (strcmp (o->keyword, "user") == 0)
			user = o->val;
		else if (strcmp (o->keyword, "host") == 0)
			host = o->val;
		else if (strcmp (o->keyword, "port") == 0)
			port = o->val;
		else if (strcmp (o->keyword, "dbname") == 0)
			db = o->val;
	}
	if (!password)
		name = g_strdup (uri);
	else
		name = g_strdup_printf ("postgresql://%s%s%s%s%s/%s (password "
					"not shown)", user ? user : "",
					user ? "@" : "", host ? host : "",
					port ? ":" : "", port ? port : "",
					db ? db : "");
	PQconninfoFree (opts);
	return name;
}

PGresult *
pg_exec (Pg *p, const char *sql)
{
	return PQexec (p->conn, sql);
}

gboolean
pg_exec_ok (Pg *p, const char *sql, const char *what, GError **error)
{
	PGresult *res = pg_exec (p, sql);
	ExecStatusType st = PQresultStatus (res);
	gboolean ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;

	if (!ok)
		pg_fail (error, p, what, res);
	PQclear (res);
	return ok;
}

static void
quiet (void *arg, const char *message)
{
}

/* Connects; the URI's own settings win over these defaults. */
gboolean
pg_connect (Pg *p, GError **error)
{
	const char *const keys[] = {
		"connect_timeout", "keepalives", "keepalives_idle",
		"keepalives_interval", "keepalives_count",
		"fallback_application_name", "dbname", NULL,
	};
	const char *const values[] = {
		"10", "1", "10", "5", "3", "rrec", p->uri, NULL,
	};

	if (p->conn)
		PQfinish (p->conn);
	p->conn = PQconnectdbParams (keys, values, 1);
	if (PQstatus (p->conn) != CONNECTION_OK)
		return pg_fail (error, p, "cannot connect", NULL);
	PQsetNoticeProcessor (p->conn, quiet, NULL);
	p->server_pid = PQbackendPID (p->conn);
	return TRUE;
}

/*
 * The session's settings and the lock.  *@locked: the lock is another
 * engine's.  The holder's server process is named, so that an operator
 * can find the engine (pg_stat_activity).
 */
gboolean
pg_take_session (Pg *p, gboolean *locked, GError **error)
{
	PGresult *res;
	gboolean got;

	*locked = FALSE;
	if (!pg_exec_ok (p, p->sync == RREC_STORE_SYNC_FULL ?
		      "SET synchronous_commit = on" :
		      "SET synchronous_commit = off", "setting the sync level",
		      error))
		return FALSE;
	/* the server notices a lost rrec machine (TCP; nothing on a socket) */
	PQclear (pg_exec (p, "SET tcp_keepalives_idle = 10; "
		       "SET tcp_keepalives_interval = 5; "
		       "SET tcp_keepalives_count = 3"));
	res = pg_exec (p, "SELECT pg_try_advisory_lock(1920099683, 1)");
	if (PQresultStatus (res) != PGRES_TUPLES_OK || PQntuples (res) != 1) {
		pg_fail (error, p, "taking the lock", res);
		PQclear (res);
		return FALSE;
	}
	got = strcmp (PQgetvalue (res, 0, 0), "t") == 0;
	PQclear (res);
	if (got)
		return TRUE;
	*locked = TRUE;
	res = pg_exec (p, "SELECT l.pid, coalesce(host(a.client_addr), 'local'), "
		    "coalesce(to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS'), "
		    "'?') FROM pg_locks l LEFT JOIN pg_stat_activity a "
		    "ON a.pid = l.pid WHERE l.locktype = 'advisory' AND "
		    "l.classid = 1920099683 AND l.objid = 1 AND l.granted AND "
		    "l.database = (SELECT oid FROM pg_database "
		    "WHERE datname = current_database())");
	if (PQresultStatus (res) == PGRES_TUPLES_OK && PQntuples (res) > 0)
		g_set_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STORE,
			     "state store %s: held by another engine (its "
			     "connection: server process %s, from %s, since "
			     "%s): refused, nothing touched", p->name,
			     PQgetvalue (res, 0, 0), PQgetvalue (res, 0, 1),
			     PQgetvalue (res, 0, 2));
	else
		g_set_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STORE,
			     "state store %s: held by another engine: refused, "
			     "nothing touched", p->name);
	PQclear (res);
	return FALSE;
}

gboolean
pg_prepare (Pg *p, GError **error)
{
	static const char *const sql[][2] = {
		{ "rrec_put_engine",
		  "INSERT INTO rrec.engine (id, state_version, saved_ms, steps, "
		  "bytes) VALUES (1, $1, $2, $3, $4) ON CONFLICT (id) DO UPDATE "
		  "SET state_version = EXCLUDED.state_version, saved_ms = "
		  "EXCLUDED.saved_ms, steps = EXCLUDED.steps, bytes = "
		  "EXCLUDED.bytes" },
		{ "rrec_put_call",
		  "INSERT INTO rrec.calls (id, state_version, seq, bytes) VALUES "
		  "($1, $2, $3, $4) ON CONFLICT (id) DO UPDATE SET state_version "
		  "= EXCLUDED.state_version, seq = EXCLUDED.seq, bytes = "
		  "EXCLUDED.bytes" },
		{ "rrec_put_ports",
		  "INSERT INTO rrec.ports (id, state_version, bytes) VALUES "
		  "(1, $1, $2) ON CONFLICT (id) DO UPDATE SET state_version = "
		  "EXCLUDED.state_version, bytes = EXCLUDED.bytes" },
		{ "rrec_del_call", "DELETE FROM rrec.calls WHERE id = $1" },
		{ "rrec_del_engine", "DELETE FROM rrec.engine" },
		{ "rrec_del_ports", "DELETE FROM rrec.ports" },
	};

	for (guint i = 0; i < G_N_ELEMENTS (sql); i++) {
		PGresult *res = PQprepare (p->conn, sql[i][0], sql[i][1], 0, NULL);
		gboolean ok = PQresultStatus (res) == PGRES_COMMAND_OK;

		if (!ok)
			pg_fail (error, p, "preparing the writes", res);
		PQclear (res);
		if (!ok)
			return FALSE;
	}
	return TRUE;
}

static gint64
query_int (Pg *p, const char *sql, gboolean *ok)
{
	PGresult *res = pg_exec (p, sql);
	gint64 v = -1;

	*ok = PQresultStatus (res) == PGRES_TUPLES_OK;
	if (*ok && PQntuples (res) > 0 && !PQgetisnull (res, 0, 0))
		v = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
	PQclear (res);
	return v;
}

/* Inside the open's transaction, with the lock held: a database without
 * the schema `rrec` gets it; an rrec store of this schema is taken; one
 * of another schema version is DAMAGED; a schema `rrec` that is not an
 * rrec store is NOT_OURS. */
static gboolean
check_schema (Pg *p, RrecStoreOpenStatus *status, GError **error)
{
	gboolean ok;
	gint64 schemas = query_int (p, "SELECT count(*) FROM pg_namespace "
				    "WHERE nspname = 'rrec'", &ok);
	gint64 meta, app, version;

	if (!ok) {
		*status = RREC_STORE_OPEN_UNREACHABLE;
		return pg_fail (error, p, "reading the catalogue", NULL);
	}
	if (schemas == 0) {
		g_autofree char *sql = g_strdup_printf (
			"CREATE SCHEMA rrec;"
			"CREATE TABLE rrec.meta (key text PRIMARY KEY, "
			" value text NOT NULL);"
			"INSERT INTO rrec.meta VALUES ('application', '%s'),"
			" ('schema_version', '%d'), ('writer', 'rrec %s');"
			"CREATE TABLE rrec.engine (id integer PRIMARY KEY "
			" CHECK (id = 1), state_version integer NOT NULL,"
			" saved_ms bigint NOT NULL, steps bigint NOT NULL,"
			" bytes bytea NOT NULL);"
			"CREATE TABLE rrec.ports (id integer PRIMARY KEY "
			" CHECK (id = 1), state_version integer NOT NULL,"
			" bytes bytea NOT NULL);"
			"CREATE TABLE rrec.calls (id bigint PRIMARY KEY,"
			" state_version integer NOT NULL, seq bigint NOT NULL,"
			" bytes bytea NOT NULL);", APPLICATION,
			RREC_STORE_SCHEMA_VERSION, RREC_VERSION);
		if (!pg_exec_ok (p, sql, "creating the schema", error)) {
			*status = RREC_STORE_OPEN_UNREACHABLE;
			return FALSE;
		}
		return TRUE;
	}
	meta = query_int (p, "SELECT count(*) FROM pg_tables WHERE schemaname "
			  "= 'rrec' AND tablename = 'meta'", &ok);
	app = ok && meta > 0 ?
		query_int (p, "SELECT count(*) FROM rrec.meta WHERE key = "
			   "'application' AND value = '" APPLICATION "'", &ok) : 0;
	if (!ok) {
		*status = RREC_STORE_OPEN_UNREACHABLE;
		return pg_fail (error, p, "reading the schema rrec", NULL);
	}
	if (app <= 0) {
		*status = RREC_STORE_OPEN_NOT_OURS;
		g_set_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STORE,
			     "state store %s: the database has a schema rrec "
			     "that is not an rrec store (another program's?): "
			     "refused, left as it is", p->name);
		return FALSE;
	}
	version = query_int (p, "SELECT value FROM rrec.meta WHERE key = "
			     "'schema_version'", &ok);
	if (!ok || version != RREC_STORE_SCHEMA_VERSION) {
		*status = RREC_STORE_OPEN_DAMAGED;
		g_set_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STORE,
			     "state store %s: schema version %" G_GINT64_FORMAT
			     ", this rrec reads version %d", p->name, version,
			     RREC_STORE_SCHEMA_VERSION);
		return FALSE;
	}
	return TRUE;
}

/* This engine's token as the store's holder; *@was gets the one before. */
gboolean
pg_write_holder (Pg *p, char **was, GError **error)
{
	const char *params[] = { p->token };
	PGresult *res = PQexecParams (
		p->conn, "WITH old AS (SELECT value FROM rrec.meta WHERE key "
		"= 'holder') INSERT INTO rrec.meta VALUES ('holder', $1) "
		"ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value "
		"RETURNING (SELECT value FROM old)", 1, NULL, params, NULL,
		NULL, 0);
	gboolean ok = PQresultStatus (res) == PGRES_TUPLES_OK &&
		PQntuples (res) == 1;

	if (!ok)
		pg_fail (error, p, "writing the holder", res);
	else if (was)
		*was = PQgetisnull (res, 0, 0) ? NULL :
			g_strdup (PQgetvalue (res, 0, 0));
	PQclear (res);
	return ok;
}

static void
pg_close (RrecStoreBackend *b)
{
	Pg *p = (Pg *) b;

	if (p == NULL)
		return;
	if (p->conn && PQstatus (p->conn) == CONNECTION_OK &&
	    PQpipelineStatus (p->conn) == PQ_PIPELINE_OFF)
		/* the lock goes with the session, but the server ends a
		 * session after its client has gone: let go of it first, so
		 * that an engine opened next (a restart in this process, the
		 * next process) finds the store free */
		PQclear (pg_exec (p, "SELECT pg_advisory_unlock(1920099683, 1)"));
	if (p->conn)
		PQfinish (p->conn);
	for (guint i = 0; i < G_N_ELEMENTS (p->single); i++)
		pg_kept_free (p->single[i]);
	if (p->calls)
		g_hash_table_destroy (p->calls);
	if (p->ops)
		g_array_unref (p->ops);
	g_free (p->uri);
	g_free (p->name);
	g_free (p->token);
	g_free (p);
}

static RrecStoreBackend *
pg_open (const char *location, RrecStoreSync sync, gboolean fresh,
	 RrecStoreOpenStatus *status, GError **error)
{
	extern const RrecStoreBackendOps rrec_store_backend_pg;
	Pg *p = g_new0 (Pg, 1);
	gboolean locked = FALSE;
	char *err = NULL;

	p->parent.ops = &rrec_store_backend_pg;
	p->uri = g_strdup (location);
	p->sync = sync;
	p->token = g_uuid_string_random ();
	p->calls = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
					  pg_kept_free);
	p->ops = g_array_new (FALSE, FALSE, sizeof (Op));
	*status = RREC_STORE_OPEN_UNREACHABLE;

	PQconninfoFree (PQconninfoParse (location, &err));
	if (err) {
		g_set_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STORE,
			     "state store %s: not a PostgreSQL connection URI: "
			     "%s", location, g_strstrip (err));
		PQfreemem (err);
		pg_close (&p->parent);
		return NULL;
	}
	p->name = display_name (location);
	if (!pg_connect (p, error))
		goto out;
	if (!pg_take_session (p, &locked, error)) {
		if (locked)
			*status = RREC_STORE_OPEN_LOCKED;
		goto out;
	}
	if (!pg_exec_ok (p, "BEGIN", "starting", error))
		goto out;
	if (!check_schema (p, status, error)) {
		PQclear (pg_exec (p, "ROLLBACK"));
		goto out;
	}
	*status = RREC_STORE_OPEN_UNREACHABLE;
	if (!pg_write_holder (p, NULL, error) ||
	    (fresh && !pg_exec_ok (p, "DELETE FROM rrec.calls; DELETE FROM "
				"rrec.ports; DELETE FROM rrec.engine",
				"emptying", error)) ||
	    !pg_exec_ok (p, "COMMIT", "creating", error)) {
		PQclear (pg_exec (p, "ROLLBACK"));
		goto out;
	}
	if (!pg_prepare (p, error))
		goto out;
	*status = RREC_STORE_OPEN_OK;
	return &p->parent;
out:
	pg_close (&p->parent);
	return NULL;
}

static guint64
be64 (const char *v)
{
	guint64 x;

	memcpy (&x, v, 8);
	return be64toh (x);
}

static guint32
be32 (const char *v)
{
	guint32 x;

	memcpy (&x, v, 4);
	return be32toh (x);
}

void
pg_keep (Pg *p, const RrecStoreRow *row)
{
	Kept *k = g_new0 (Kept, 1);

	k->version = row->version;
	k->order = row->order;
	k->bytes = g_bytes_new (row->bytes, row->len);
	if (row->kind != RREC_STORE_ROW_CALL) {
		pg_kept_free (p->single[row->kind]);
		p->single[row->kind] = k;
	} else {
		guint64 *key = g_new (guint64, 1);

		*key = row->key;
		g_hash_table_replace (p->calls, key, k);
	}
}

/* Reads rows in binary: (id, state_version, order, bytes[, steps]). */
static gboolean
load_rows (Pg *p, const char *sql, RrecStoreRowKind kind,
	   RrecStoreRowFunc func, gpointer data, gboolean *any,
	   gboolean *damaged, GError **error)
{
	PGresult *res = PQexecParams (p->conn, sql, 0, NULL, NULL, NULL, NULL, 1);
	gboolean ok = PQresultStatus (res) == PGRES_TUPLES_OK;

	if (!ok) {
		pg_fail (error, p, "reading the state", res);
		PQclear (res);
		return FALSE;
	}
	for (int i = 0; ok && i < PQntuples (res); i++) {
		RrecStoreRow row = {
			.kind = kind,
			.key = kind != RREC_STORE_ROW_CALL ? 0 :
				be64 (PQgetvalue (res, i, 0)),
			.version = be32 (PQgetvalue (res, i, 1)),
			.order = (gint64) be64 (PQgetvalue (res, i, 2)),
			.bytes = (const guint8 *) PQgetvalue (res, i, 3),
			.len = (gsize) PQgetlength (res, i, 3),
		};
		if (kind == RREC_STORE_ROW_ENGINE)
			p->steps = (gint64) be64 (PQgetvalue (res, i, 4));
		*any = TRUE;
		pg_keep (p, &row);
		ok = func (&row, data, error);
		if (!ok)
			*damaged = TRUE;
	}
	PQclear (res);
	return ok;
}

static gboolean
pg_load (RrecStoreBackend *b, RrecStoreRowFunc func, gpointer data,
	 gboolean *damaged, GError **error)
{
	Pg *p = (Pg *) b;
	gboolean any = FALSE;

	*damaged = FALSE;
	if (!load_rows (p, "SELECT id, state_version, saved_ms, bytes, steps "
			"FROM rrec.engine WHERE id = 1", RREC_STORE_ROW_ENGINE,
			func, data, &any, damaged, error))
		return FALSE;
	if (!any)
		return TRUE;	/* a new store: no row without the ENGINE row
				 * (one transaction has them all) */
	if (!load_rows (p, "SELECT id, state_version, 0::bigint, bytes FROM "
			"rrec.ports WHERE id = 1", RREC_STORE_ROW_PORTS, func,
			data, &any, damaged, error))
		return FALSE;
	return load_rows (p, "SELECT id, state_version, seq, bytes FROM "
			  "rrec.calls ORDER BY seq", RREC_STORE_ROW_CALL, func,
			  data, &any, damaged, error);
}

/*
 * A DAMAGED store (another schema version, rows this rrec cannot read)
 * is kept for inspection: the schema `rrec` is renamed rrec_corrupt, or
 * rrec_corrupt_1, _2, … (an earlier incident's evidence is never
 * overwritten), under the lock, so that a new store can be created.
 */
static gboolean
pg_move_aside (const char *location, char **moved_to, GError **error)
{
	extern const RrecStoreBackendOps rrec_store_backend_pg;
	Pg *p = g_new0 (Pg, 1);
	gboolean locked, ok = FALSE;
	PGresult *res;
	g_autofree char *to = NULL;
	g_autofree char *sql = NULL;
	int n;

	p->parent.ops = &rrec_store_backend_pg;
	p->uri = g_strdup (location);
	p->name = display_name (location);
	if (!pg_connect (p, error) || !pg_take_session (p, &locked, error))
		goto out;
	res = pg_exec (p, "SELECT n FROM generate_series(0, 9999) AS n WHERE NOT "
		    "EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = "
		    "CASE n WHEN 0 THEN 'rrec_corrupt' ELSE 'rrec_corrupt_' || n "
		    "END) ORDER BY n LIMIT 1");
	if (PQresultStatus (res) != PGRES_TUPLES_OK || PQntuples (res) != 1) {
		pg_fail (error, p, "cannot move it aside", res);
		PQclear (res);
		goto out;
	}
	n = atoi (PQgetvalue (res, 0, 0));
	PQclear (res);
	to = n == 0 ? g_strdup ("rrec_corrupt") :
		g_strdup_printf ("rrec_corrupt_%d", n);
	sql = g_strdup_printf ("ALTER SCHEMA rrec RENAME TO %s", to);
	if (!pg_exec_ok (p, sql, "cannot move it aside", error))
		goto out;
	if (moved_to)
		*moved_to = g_strdup_printf ("%s (schema %s)", p->name, to);
	ok = TRUE;
out:
	pg_close (&p->parent);
	return ok;
}

const RrecStoreBackendOps rrec_store_backend_pg = {
	.name = "postgresql",
	.shared = TRUE,
	.open = pg_open,
	.load = pg_load,
	.begin = pg_begin,
	.put = pg_put,
	.remove = pg_remove,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.close = pg_close,
	.move_aside = pg_move_aside,
};
