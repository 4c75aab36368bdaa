/*
 * test-store-pg.c — the state store on PostgreSQL (issue #13), against a
 * real server the test starts itself (tools/pgtemp.c): the backend's rows
 * written and read back, one engine per store (the advisory lock), another
 * program's schema refused, another schema version moved aside, a
 * connection cut while the server stops and starts again (the next step
 * writes the whole state), and an engine fenced once another took over;
 * then the engine on it: a restart, a second engine refused, and a process
 * killed with SIGKILL at random moments whose store always opens.
 */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libpq-fe.h>

#include "engine-harness.h"
#include "pgtemp.h"
#include "store/backend.h"
#include "test-util.h"

static const RrecStoreBackendOps *ops = &rrec_store_backend_pg;

static RrecPgTemp *server;

/* A new database for each test: its URI. */
static char *
new_store (void)
{
	static guint n;
	g_autoptr (GError) error = NULL;
	g_autofree char *name = g_strdup_printf ("store_%u", ++n);
	char *uri = rrec_pg_temp_new_database (server, name, &error);

	g_assert_no_error (error);
	return uri;
}

/* Runs @sql on the store's database from a connection of its own. */
static char *
sql_value (const char *uri, const char *sql)
{
	PGconn *conn = PQconnectdb (uri);
	PGresult *res;
	char *v = NULL;

	g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
	res = PQexec (conn, sql);
	if (PQresultStatus (res) != PGRES_COMMAND_OK &&
	    PQresultStatus (res) != PGRES_TUPLES_OK)
		g_error ("%s: %s", sql, PQresultErrorMessage (res));
	if (PQresultStatus (res) == PGRES_TUPLES_OK && PQntuples (res) > 0)
		v = g_strdup (PQgetvalue (res, 0, 0));
	PQclear (res);
	PQfinish (conn);
	return v;
}

static RrecStoreBackend *
open_store (const char *uri, gboolean fresh)
{
	g_autoptr (GError) error = NULL;
	RrecStoreOpenStatus status;
	RrecStoreBackend *b = ops->open (uri, RREC_STORE_SYNC_NORMAL, fresh,
					 &status, &error);

	g_assert_no_error (error);
	g_assert_cmpint (status, ==, RREC_STORE_OPEN_OK);
	g_assert_nonnull (b);
	return b;
}

static void
put (RrecStoreBackend *b, RrecStoreRowKind kind, guint64 key, gint64 order,
     const char *text)
{
	g_autoptr (GError) error = NULL;
	RrecStoreRow row = {
		.kind = kind, .key = key, .version = 7, .order = order,
		.bytes = (const guint8 *) text, .len = strlen (text),
	};

	g_assert_true (ops->put (b, &row, &error));
	g_assert_no_error (error);
}

static void
step (RrecStoreBackend *b)
{
	g_autoptr (GError) error = NULL;

	g_assert_true (ops->begin (b, &error));
	g_assert_no_error (error);
}

static void
commit (RrecStoreBackend *b)
{
	g_autoptr (GError) error = NULL;

	g_assert_true (ops->commit (b, &error));
	g_assert_no_error (error);
}

static gboolean
collect (const RrecStoreRow *row, gpointer data, GError **error)
{
	GString *s = data;

	g_string_append_printf (s, "%s %" G_GUINT64_FORMAT " v%u o%"
				G_GINT64_FORMAT " %.*s\n",
				row->kind == RREC_STORE_ROW_ENGINE ? "engine" :
				row->kind == RREC_STORE_ROW_PORTS ? "ports" : "call",
				row->key, row->version, row->order, (int) row->len,
				(const char *) row->bytes);
	return TRUE;
}

/* The rows a new opener reads, one line each. */
static char *
rows_of (const char *uri)
{
	g_autoptr (GError) error = NULL;
	GString *s = g_string_new (NULL);
	RrecStoreBackend *b = open_store (uri, FALSE);
	gboolean damaged = TRUE;

	g_assert_true (ops->load (b, collect, s, &damaged, &error));
	g_assert_no_error (error);
	g_assert_false (damaged);
	ops->close (b);
	return g_string_free (s, FALSE);
}

/* Rows put in a step are read back by the next opener, the ENGINE row
 * first, then the calls in their creation order; a removed call is gone;
 * `fresh` empties the store. */
static void
pg_backend_round_trip (void)
{
	g_autofree char *uri = new_store ();
	RrecStoreBackend *b = open_store (uri, TRUE);
	g_autofree char *empty = NULL, *first = NULL, *second = NULL;
	g_autoptr (GError) error = NULL;

	step (b);
	put (b, RREC_STORE_ROW_CALL, 0xfedcba9876543210ULL, 2, "second call");
	put (b, RREC_STORE_ROW_CALL, 5, 1, "first call");
	put (b, RREC_STORE_ROW_ENGINE, 0, 1000, "engine at 1000");
	put (b, RREC_STORE_ROW_PORTS, 0, 0, "ports 1");
	commit (b);
	step (b);
	g_assert_true (ops->remove (b, RREC_STORE_ROW_CALL, 5, &error));
	put (b, RREC_STORE_ROW_CALL, 9, 3, "third call");
	put (b, RREC_STORE_ROW_ENGINE, 0, 2000, "engine at 2000");
	commit (b);
	ops->close (b);
	b = open_store (uri, FALSE);
	step (b);
	g_assert_true (ops->remove (b, RREC_STORE_ROW_PORTS, 0, &error));
	commit (b);
	step (b);
	put (b, RREC_STORE_ROW_PORTS, 0, 0, "ports 2");
	commit (b);
	ops->close (b);

	second = rows_of (uri);
	g_assert_cmpstr (second, ==,
			 "engine 0 v7 o2000 engine at 2000\n"
			 "ports 0 v7 o0 ports 2\n"
			 "call 18364758544493064720 v7 o2 second call\n"
			 "call 9 v7 o3 third call\n");
	g_autofree char *steps = sql_value (uri, "SELECT steps FROM rrec.engine");
	g_assert_cmpstr (steps, ==, "2");
	/* a fresh open starts with nothing */
	b = open_store (uri, TRUE);
	ops->close (b);
	empty = rows_of (uri);
	g_assert_cmpstr (empty, ==, "");
}

/* One engine per store: a second opener is refused at once, naming the
 * store and the holder, and nothing is touched; once the holder closes
 * (its session ends), the store opens. */
static void
pg_backend_locked (void)
{
	g_autofree char *uri = new_store ();
	RrecStoreBackend *a = open_store (uri, TRUE);
	g_autoptr (GError) error = NULL;
	RrecStoreOpenStatus status = RREC_STORE_OPEN_OK;

	step (a);
	put (a, RREC_STORE_ROW_ENGINE, 0, 10, "held");
	commit (a);
	RrecStoreBackend *b = ops->open (uri, RREC_STORE_SYNC_NORMAL, TRUE,
					 &status, &error);
	g_assert_null (b);
	g_assert_cmpint (status, ==, RREC_STORE_OPEN_LOCKED);
	g_assert_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STORE);
	g_test_message ("%s", error->message);
	g_assert_nonnull (strstr (error->message, uri));
	g_assert_nonnull (strstr (error->message, "held by another engine"));
	/* refused before anything was written, even with `fresh` */
	step (a);
	put (a, RREC_STORE_ROW_ENGINE, 0, 20, "still held");
	commit (a);
	ops->close (a);
	g_autofree char *rows = rows_of (uri);
	g_assert_cmpstr (rows, ==, "engine 0 v7 o20 still held\n");
}

/* A schema `rrec` of another program is refused and left as it is; an
 * rrec store of another schema version is damaged: moved aside (never
 * over an earlier one) and a new store starts. */
static void
pg_backend_not_ours_and_other_version (void)
{
	g_autofree char *uri = new_store ();
	g_autoptr (GError) error = NULL;
	RrecStoreOpenStatus status = RREC_STORE_OPEN_OK;
	g_autofree char *moved = NULL;

	g_free (sql_value (uri, "CREATE SCHEMA rrec; CREATE TABLE rrec.meta "
			   "(key text, value text); INSERT INTO rrec.meta "
			   "VALUES ('mine', 'theirs')"));
	g_assert_null (ops->open (uri, RREC_STORE_SYNC_NORMAL, TRUE, &status,
				  &error));
	g_assert_cmpint (status, ==, RREC_STORE_OPEN_NOT_OURS);
	g_test_message ("%s", error->message);
	g_autofree char *kept = sql_value (uri, "SELECT value FROM rrec.meta");
	g_assert_cmpstr (kept, ==, "theirs");
	g_clear_error (&error);
	g_free (sql_value (uri, "DROP SCHEMA rrec CASCADE"));

	for (guint round = 0; round < 2; round++) {
		RrecStoreBackend *b = open_store (uri, FALSE);

		ops->close (b);
		g_free (sql_value (uri, "UPDATE rrec.meta SET value = '1' "
				   "WHERE key = 'schema_version'"));
		g_assert_null (ops->open (uri, RREC_STORE_SYNC_NORMAL, FALSE,
					  &status, &error));
		g_assert_cmpint (status, ==, RREC_STORE_OPEN_DAMAGED);
		g_assert_nonnull (strstr (error->message, "schema version 1"));
		g_clear_error (&error);
		g_assert_true (ops->move_aside (uri, &moved, &error));
		g_assert_no_error (error);
		g_test_message ("moved to %s", moved);
		g_assert_nonnull (strstr (moved, round == 0 ? "rrec_corrupt)" :
					  "rrec_corrupt_1)"));
		g_clear_pointer (&moved, g_free);
	}
	RrecStoreBackend *b = open_store (uri, FALSE);
	ops->close (b);
	g_autofree char *n = sql_value (uri, "SELECT count(*) FROM pg_namespace "
					"WHERE nspname LIKE 'rrec%'");
	g_assert_cmpstr (n, ==, "3");
}

/* The server stops under the engine: the step fails (the engine raises
 * `state-store`), so does the next while it is down; once it is back the
 * next step reconnects and writes the whole state as the engine has it,
 * the failed steps' rows included. */
static void
pg_backend_connection_cut (void)
{
	g_autofree char *uri = new_store ();
	RrecStoreBackend *b = open_store (uri, TRUE);
	g_autoptr (GError) error = NULL;

	step (b);
	put (b, RREC_STORE_ROW_CALL, 1, 1, "call one");
	put (b, RREC_STORE_ROW_CALL, 2, 2, "call two");
	put (b, RREC_STORE_ROW_ENGINE, 0, 100, "engine at 100");
	put (b, RREC_STORE_ROW_PORTS, 0, 0, "ports");
	commit (b);

	g_assert_true (rrec_pg_temp_stop_server (server, &error));
	g_assert_no_error (error);
	for (guint i = 0; i < 2; i++) {
		step (b);
		if (i == 0)
			g_assert_true (ops->remove (b, RREC_STORE_ROW_CALL, 1,
						    &error));
		put (b, RREC_STORE_ROW_CALL, 3 + i, 3 + i, "a call while down");
		put (b, RREC_STORE_ROW_ENGINE, 0, 200 + i, "engine while down");
		g_assert_false (ops->commit (b, &error));
		g_assert_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STORE);
		g_test_message ("%s", error->message);
		g_assert_nonnull (strstr (error->message, uri));
		g_clear_error (&error);
		ops->rollback (b);
	}
	g_assert_true (rrec_pg_temp_start_server (server, &error));
	g_assert_no_error (error);
	step (b);
	put (b, RREC_STORE_ROW_ENGINE, 0, 300, "engine at 300");
	commit (b);
	ops->close (b);
	g_autofree char *rows = rows_of (uri);
	g_assert_cmpstr (rows, ==,
			 "engine 0 v7 o300 engine at 300\n"
			 "ports 0 v7 o0 ports\n"
			 "call 2 v7 o2 call two\n"
			 "call 3 v7 o3 a call while down\n"
			 "call 4 v7 o4 a call while down\n");
}

static void
terminate_others (const char *uri)
{
	/* waits until they are gone (and their locks with them) */
	g_free (sql_value (uri, "SELECT pg_terminate_backend(pid, 60000) FROM "
			   "pg_stat_activity WHERE datname = current_database() "
			   "AND pid <> pg_backend_pid()"));
}

/* The holder's connection is cut and another engine takes the store:
 * the first, back, is fenced — while the other holds the lock, and after
 * it let go too (the store is no longer as the first left it). */
static void
pg_backend_fenced (void)
{
	g_autofree char *uri = new_store ();
	RrecStoreBackend *a = open_store (uri, TRUE);
	g_autoptr (GError) error = NULL;

	step (a);
	put (a, RREC_STORE_ROW_ENGINE, 0, 1, "a");
	commit (a);
	terminate_others (uri);
	RrecStoreBackend *b = open_store (uri, FALSE);
	step (b);
	put (b, RREC_STORE_ROW_ENGINE, 0, 2, "b");
	commit (b);

	step (a);
	put (a, RREC_STORE_ROW_ENGINE, 0, 3, "a again");
	g_assert_false (ops->commit (a, &error));
	g_test_message ("%s", error->message);
	g_assert_nonnull (strstr (error->message, "held by another engine"));
	g_clear_error (&error);
	ops->rollback (a);
	ops->close (b);

	step (a);
	put (a, RREC_STORE_ROW_ENGINE, 0, 4, "a once more");
	g_assert_false (ops->commit (a, &error));
	g_test_message ("%s", error->message);
	g_assert_nonnull (strstr (error->message, "another engine"));
	ops->rollback (a);
	ops->close (a);
	g_autofree char *rows = rows_of (uri);
	g_assert_cmpstr (rows, ==, "engine 0 v7 o2 b\n");
}

/* The holder's connection is cut, another engine takes the store over and
 * lets it go: the first, back, finds the store no longer as it left it
 * and is fenced. */
static void
pg_backend_fenced_after_takeover (void)
{
	g_autofree char *uri = new_store ();
	RrecStoreBackend *a = open_store (uri, TRUE);
	g_autoptr (GError) error = NULL;

	step (a);
	put (a, RREC_STORE_ROW_ENGINE, 0, 1, "a");
	commit (a);
	terminate_others (uri);
	RrecStoreBackend *b = open_store (uri, FALSE);
	ops->close (b);

	step (a);
	put (a, RREC_STORE_ROW_ENGINE, 0, 3, "a again");
	g_assert_false (ops->commit (a, &error));
	g_test_message ("%s", error->message);
	g_assert_nonnull (strstr (error->message, "took the store over"));
	ops->rollback (a);
	/* the fenced engine does not keep the store from the next one */
	RrecStoreBackend *c = open_store (uri, FALSE);
	ops->close (c);
	ops->close (a);
	g_autofree char *rows = rows_of (uri);
	g_assert_cmpstr (rows, ==, "engine 0 v7 o1 a\n");
}

/* The same cut without a rival: the engine reconnects, keeps the store. */
static void
pg_backend_reconnect_keeps (void)
{
	g_autofree char *uri = new_store ();
	RrecStoreBackend *a = open_store (uri, TRUE);

	step (a);
	put (a, RREC_STORE_ROW_CALL, 8, 1, "call");
	put (a, RREC_STORE_ROW_ENGINE, 0, 1, "a");
	commit (a);
	terminate_others (uri);
	step (a);
	put (a, RREC_STORE_ROW_ENGINE, 0, 2, "a after the cut");
	commit (a);
	ops->close (a);
	g_autofree char *rows = rows_of (uri);
	g_assert_cmpstr (rows, ==, "engine 0 v7 o2 a after the cut\n"
			 "call 8 v7 o1 call\n");
}

/* Not a store: a URI libpq cannot read, a server that is not there. */
static void
pg_backend_unreachable (void)
{
	g_autoptr (GError) error = NULL;
	RrecStoreOpenStatus status = RREC_STORE_OPEN_OK;
	const char *bad = "postgresql://[::1:5432/x";

	g_assert_null (ops->open (bad, RREC_STORE_SYNC_NORMAL, FALSE, &status,
				  &error));
	g_assert_cmpint (status, ==, RREC_STORE_OPEN_UNREACHABLE);
	g_test_message ("%s", error->message);
	g_clear_error (&error);
	const char *gone = "postgresql:///x?host=/nonexistent-rrec-dir&"
		"user=rrec&password=secret";
	g_assert_null (ops->open (gone, RREC_STORE_SYNC_NORMAL, FALSE, &status,
				  &error));
	g_assert_cmpint (status, ==, RREC_STORE_OPEN_UNREACHABLE);
	g_test_message ("%s", error->message);
	g_assert_nonnull (strstr (error->message, "/nonexistent-rrec-dir"));
	g_assert_null (strstr (error->message, "secret"));
}

/* ---- the engine on PostgreSQL ------------------------------------------ */

/* Waits until no session holds the store's lock: PostgreSQL frees it as
 * soon as it notices that the holder's connection is gone, which happens
 * after the holder's death, not with it. */
static void
wait_store_free (const char *uri)
{
	for (guint i = 0; i < 600; i++) {
		g_autofree char *n = sql_value (uri, "SELECT count(*) FROM pg_locks "
						"WHERE locktype = 'advisory' AND "
						"classid = 1920099683 AND objid = 1");
		if (strcmp (n, "0") == 0)
			return;
		g_usleep (100000);
	}
	g_assert_not_reached ();
}

/* A restart on the store goes on exactly where the engine stopped. */
static void
pg_engine_round_trip (Harness *h)
{
	g_autofree char *uri = new_store ();
	g_autoptr (GError) error = NULL;
	gboolean restored = TRUE;

	harness_start (h, NULL);
	harness_open_store (h, uri, &restored, &error);
	g_assert_no_error (error);
	g_assert_false (restored);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	inbound (h, C2, "7003");
	expect (h, STARTED (C2, "001", "7003"), NULL);
	ev_released (h, C2, "7003", 0, NULL);
	expect (h, RELEASE (C2, "001"), NULL);
	advance (h, 1000);
	sip_drop (h, "+1555000");	/* a redial timer is pending */
	expect (h, NULL);

	g_clear_pointer (&h->engine, rrec_engine_free);
	wait_store_free (uri);
	harness_open_store (h, uri, &restored, &error);
	g_assert_no_error (error);
	g_assert_true (restored);
	g_assert_cmpuint (rrec_engine_active_calls (h->engine), ==, 1);
	g_assert_cmpuint (rrec_engine_ports_in_use (h->engine), ==, 1);
	g_assert_cmpstr (rrec_engine_session_state (h->engine, C1), ==,
			 "reestablishing");
	g_assert_false (rrec_engine_has_call (h->engine, C2));
	/* the timer was stored with its due time (R25) */
	advance (h, 5000);
	expect (h, DIAL (C1, "000", "7001"), REC (C1, "start"), NULL);
	ev_released (h, C1, "7001", 0, NULL);
	expect (h, RELEASE (C1, "000"), NULL);
	g_clear_pointer (&h->engine, rrec_engine_free);
}

/* A second engine on a held store is refused at once: the error and the
 * alarm name the store and the other engine; the holder goes on. */
static void
pg_engine_locked (Harness *h)
{
	g_autofree char *uri = new_store ();
	g_autoptr (GError) error = NULL;
	gboolean restored = TRUE;

	harness_start (h, NULL);
	harness_open_store (h, uri, &restored, &error);
	g_assert_no_error (error);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);

	RrecEngine *second = rrec_engine_open (h->config, NULL, NULL, uri,
					       RREC_STORE_SYNC_NORMAL, &restored,
					       &error);
	g_assert_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STORE);
	g_test_message ("%s", error->message);
	g_assert_nonnull (strstr (error->message, uri));
	g_assert_nonnull (strstr (error->message, "another engine"));
	g_assert_false (restored);
	g_assert_true (rrec_engine_alarm_is_raised (second, "state-store"));
	g_assert_cmpuint (rrec_engine_active_calls (second), ==, 0);
	rrec_engine_free (second);

	ev_released (h, C1, "7001", 0, NULL);
	expect (h, RELEASE (C1, "000"), NULL);
	g_assert_false (rrec_engine_alarm_is_raised (h->engine, "state-store"));
	g_clear_pointer (&h->engine, rrec_engine_free);
}

/*
 * The server stops under the engine (issue #13): the step that cannot be
 * stored raises `state-store` and its actions are held back — the host
 * never acts on a step a standby would not find — and so are those of the
 * steps after it; each feed or advance tries again, and once the server
 * is back the held actions go out in order, the alarm is cleared, and the
 * store holds everything.
 */
static void
pg_engine_connection_cut (Harness *h)
{
	g_autofree char *uri = new_store ();
	g_autoptr (GError) error = NULL;
	gboolean restored = TRUE;

	harness_start (h, NULL);
	harness_open_store (h, uri, &restored, &error);
	g_assert_no_error (error);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);

	g_assert_true (rrec_pg_temp_stop_server (server, &error));
	g_assert_no_error (error);
	inbound (h, C2, "7003");
	expect (h, ALARM ("state-store", "true"), NULL);
	g_assert_true (rrec_engine_alarm_is_raised (h->engine, "state-store"));
	advance (h, 100);		/* tried again: still down */
	ev_released (h, C1, "7001", 0, NULL);
	expect (h, NULL);

	g_assert_true (rrec_pg_temp_start_server (server, &error));
	g_assert_no_error (error);
	advance (h, 100);		/* tried again: stored, then acted on */
	expect (h, FN (C2, "7003", "001"), DIAL (C2, "001", "7003"),
		RELEASE (C1, "000"), ALARM ("state-store", "false"),
		REC (C2, "start"), MARK (C2, "ON"), NULL);
	g_assert_false (rrec_engine_alarm_is_raised (h->engine, "state-store"));

	g_clear_pointer (&h->engine, rrec_engine_free);
	wait_store_free (uri);
	harness_open_store (h, uri, &restored, &error);
	g_assert_no_error (error);
	g_assert_true (restored);
	g_assert_false (rrec_engine_has_call (h->engine, C1));
	g_assert_cmpstr (rrec_engine_session_state (h->engine, C2), ==,
			 "recording");
	g_clear_pointer (&h->engine, rrec_engine_free);
}


/* SIGKILL at random moments (between steps, or inside one): the store is
 * free once the server notices, always opens, restores, and the restored
 * engine goes on. */
static void
pg_engine_sigkill (Harness *h)
{
	g_autofree char *uri = new_store ();
	GRand *rand = g_rand_new_with_seed (g_test_rand_int ());

	harness_start (h, NULL);
	for (guint round = 0; round < 12; round++) {
		int fds[2];
		int status;
		char c;

		g_assert_cmpint (pipe (fds), ==, 0);
		pid_t pid = fork ();
		g_assert_cmpint (pid, >=, 0);
		if (pid == 0) {
			close (fds[0]);
			harness_crash_child (h, uri, round, fds[1]);
		}
		close (fds[1]);
		g_assert_cmpint (read (fds[0], &c, 1), ==, 1);
		close (fds[0]);
		g_usleep (g_rand_int_range (rand, 0, 20000));
		kill (pid, SIGKILL);
		g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
		g_assert_true (WIFSIGNALED (status));
		g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);

		g_autoptr (GError) error = NULL;
		gboolean restored = FALSE;

		wait_store_free (uri);
		harness_open_store (h, uri, &restored, &error);
		g_assert_no_error (error);
		g_assert_true (restored);
		g_assert_false (rrec_engine_alarm_is_raised (h->engine,
							     "state-store"));
		g_autoptr (GBytes) saved = rrec_engine_save (h->engine);
		RrecEngine *again = rrec_engine_restore (h->config, NULL, NULL,
							 saved, &error);
		g_assert_no_error (error);
		rrec_engine_free (again);
		g_clear_pointer (&h->engine, rrec_engine_free);
		g_ptr_array_set_size (h->actions, 0);
	}
	g_rand_free (rand);
}

/* `rrec replay --state postgresql://…` on a store another engine holds:
 * refused at once, exit status 2, the store untouched; once the holder
 * is gone the same command runs. */
static void
pg_replay_held_store_refused (void)
{
	g_autofree char *uri = new_store ();
	g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "replay", NULL);
	g_autofree char *out = NULL, *err = NULL;
	g_autoptr (GError) error = NULL;
	g_autofree char *ini = g_build_filename (dir, "moh-true.ini", NULL);
	g_autoptr (RrecConfig) config = rrec_config_new_from_file (ini, &error);
	gboolean restored;
	int status = 0;
	const char *argv[] = {
		g_getenv ("RREC_BIN"), "replay", "--json", "--config",
		"moh-true.ini", "--state", uri, "m1-inbound-moh-true.log", NULL
	};

	g_assert_no_error (error);
	g_assert_nonnull (argv[0]);
	RrecEngine *holder = rrec_engine_open (config, NULL, NULL, uri,
					       RREC_STORE_SYNC_NORMAL, &restored,
					       &error);
	g_assert_no_error (error);
	g_autofree char *before = sql_value (uri, "SELECT encode(bytes, 'hex') "
					     "FROM rrec.engine");

	g_assert_true (g_spawn_sync (dir, (char **) argv, NULL, G_SPAWN_DEFAULT,
				     NULL, NULL, &out, &err, &status, &error));
	g_assert_no_error (error);
	g_test_message ("%s", err);
	g_assert_true (WIFEXITED (status));
	g_assert_cmpint (WEXITSTATUS (status), ==, 2);
	/* nothing replayed: at most the alarm that says why */
	g_assert_null (strstr (out, "\"action\":\"summary\""));
	g_auto (GStrv) out_lines = g_strsplit (out, "\n", -1);
	g_assert_cmpuint (g_strv_length (out_lines), <=, 2);
	g_assert_nonnull (strstr (err, uri));
	g_assert_nonnull (strstr (err, "held by another engine"));
	g_autofree char *after = sql_value (uri, "SELECT encode(bytes, 'hex') "
					    "FROM rrec.engine");
	g_assert_cmpstr (before, ==, after);
	g_assert_false (rrec_engine_alarm_is_raised (holder, "state-store"));

	rrec_engine_free (holder);
	wait_store_free (uri);
	g_clear_pointer (&out, g_free);
	g_clear_pointer (&err, g_free);
	g_assert_true (g_spawn_sync (dir, (char **) argv, NULL, G_SPAWN_DEFAULT,
				     NULL, NULL, &out, &err, &status, &error));
	g_assert_no_error (error);
	g_assert_true (WIFEXITED (status));
	g_assert_cmpint (WEXITSTATUS (status), ==, 0);
	g_assert_nonnull (strstr (out, "\"action\":\"summary\""));
}

/* ---- takeover by a second process ---------------------------------------- */

/* A story long enough to be killed in the middle: 20 agents on mandatory
 * recording, their calls held, retrieved, replaced, one block per 13 ms. */
static void
write_story (const char *dir, char **config, char **log)
{
	g_autoptr (GString) c = g_string_new (
		"[remote-recording]\nserver-application = SIPServer_SfB\n"
		"trunk-group = annc\nuri-pattern = sip:{+1555{DDD}}{@sip.example.com}\n"
		"record-moh = false\n[app:SIPServer_SfB]\n");
	g_autoptr (GString) l = g_string_new (NULL);
	guint64 conn[20];
	gboolean held[20] = { FALSE };
	guint64 next = 0x0071000000000001ULL;
	gint64 t = 9 * 3600000;
	guint32 rng = 4242;

	for (guint i = 0; i < 20; i++)
		g_string_append_printf (c, "[dn:%u]\ntype = extension\n"
					"record = true\n", 7100 + i);
#define PARTY(msg, i) do { \
	g_string_append_printf (l, "%02d:%02d:%02d.%03d distribute_event: " \
		"message %s\n\tAttributeOtherDN\t'+1415555%04u'\n" \
		"\tAttributeThisDN\t'%u'\n\tAttributeConnID\t%016" \
		G_GINT64_MODIFIER "x\n", (int) (t / 3600000), \
		(int) (t / 60000 % 60), (int) (t / 1000 % 60), (int) (t % 1000), \
		msg, i, 7100 + (i), conn[i]); \
	t += 13; } while (0)
	for (guint i = 0; i < 20; i++) {
		conn[i] = next++;
		PARTY ("EventRinging", i);
		PARTY ("EventEstablished", i);
	}
	for (guint k = 0; k < 3000; k++) {
		rng = rng * 1103515245u + 12345u;
		guint i = (rng >> 16) % 20;

		if (k % 40 == 39 && !held[i]) {
			PARTY ("EventReleased", i);
			conn[i] = next++;
			PARTY ("EventRinging", i);
			PARTY ("EventEstablished", i);
		} else {
			PARTY (held[i] ? "EventRetrieved" : "EventHeld", i);
			held[i] = !held[i];
		}
	}
#undef PARTY
	*config = g_build_filename (dir, "story.ini", NULL);
	*log = g_build_filename (dir, "story.log", NULL);
	g_assert_true (g_file_set_contents (*config, c->str, c->len, NULL));
	g_assert_true (g_file_set_contents (*log, l->str, l->len, NULL));
}

/* A summary line without its time accounts (recorded_ms, paused_ms):
 * a resumed replay accounts only for the time it saw itself. */
static char *
without_time_accounts (const char *line)
{
	g_autoptr (GRegex) re = g_regex_new ("\"(recorded|paused)_ms\":[0-9]+,?",
					     0, 0, NULL);

	if (strstr (line, "\"action\":\"summary\"") == NULL)
		return g_strdup (line);
	return g_regex_replace_literal (re, line, -1, 0, "", 0, NULL);
}

static int
run_rrec (const char *const *argv, char **out, char **err)
{
	g_autoptr (GError) error = NULL;
	int status = 0;

	g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL,
				     G_SPAWN_DEFAULT, NULL, NULL, out, err,
				     &status, &error));
	g_assert_no_error (error);
	g_assert_true (WIFEXITED (status));
	return WEXITSTATUS (status);
}

/*
 * Issue #13, the hot standby: the primary (`rrec replay --state URI`) is
 * running (waiting, its output unread); a standby (`… --resume`) is refused at once, exit status 2,
 * naming the store and its holder; the primary is killed with SIGKILL;
 * as soon as the server has noticed, the standby opens the store,
 * restores, reconciles and prints what the uninterrupted replay printed
 * after the stored engine time (reconciliation aside; at that very
 * millisecond, what the primary had not printed yet: a suffix), and the
 * same summary (its time accounts aside: the standby's replay accounts
 * only for what it saw) — no session lost, no action repeated.
 */
static void
pg_takeover (void)
{
	const char *bin = g_getenv ("RREC_BIN");
	g_autofree char *uri = new_store ();
	g_autofree char *dir = g_dir_make_tmp ("rrec-takeover-XXXXXX", NULL);
	g_autofree char *config = NULL, *log = NULL;
	g_autofree char *plain = NULL, *out = NULL, *err = NULL;
	g_autoptr (GError) error = NULL;
	int status;
	GPid pid;

	g_assert_nonnull (bin);
	write_story (dir, &config, &log);
	const char *plain_argv[] = { bin, "replay", "--json", "--config", config,
				     log, NULL };
	const char *primary_argv[] = { bin, "replay", "--json", "--config",
				       config, "--state", uri, log, NULL };
	const char *standby_argv[] = { bin, "replay", "--json", "--config",
				       config, "--state", uri, "--resume", log,
				       NULL };
	g_assert_cmpint (run_rrec (plain_argv, &plain, NULL), ==, 0);
	/* the primary's output goes to a pipe that is read only later: once
	 * the pipe is full the primary waits, so it is still running when
	 * the standby comes, however fast this machine is */
	int primary_out = -1;
	g_assert_true (g_spawn_async_with_pipes (NULL, (char **) primary_argv,
						 NULL, G_SPAWN_DO_NOT_REAP_CHILD |
						 G_SPAWN_STDERR_TO_DEV_NULL,
						 NULL, NULL, &pid, NULL,
						 &primary_out, NULL, &error));
	g_assert_no_error (error);
	/* the primary holds the store and has stored a step */
	for (guint i = 0; i < 600; i++) {
		g_autofree char *n = sql_value (uri, "SELECT count(*) FROM "
						"pg_namespace WHERE nspname = 'rrec'");
		g_autofree char *rows = strcmp (n, "1") == 0 ?
			sql_value (uri, "SELECT count(*) FROM rrec.engine") : NULL;

		if (g_strcmp0 (rows, "1") == 0)
			break;
		g_usleep (10000);
	}

	/* the standby, while the primary runs: refused, nothing touched */
	g_assert_cmpint (run_rrec (standby_argv, &out, &err), ==, 2);
	g_test_message ("standby refused: %s", err);
	g_assert_nonnull (strstr (err, uri));
	g_assert_nonnull (strstr (err, "held by another engine"));
	g_assert_null (strstr (out, "\"action\":\"summary\""));
	g_assert_cmpint (waitpid (pid, &status, WNOHANG), ==, 0);
	g_clear_pointer (&out, g_free);
	g_clear_pointer (&err, g_free);

	/* the primary dies at a random moment: after a random part of its
	 * output (up to about half of it) */
	gssize to_read = g_test_rand_int_range (0, (gint32) strlen (plain) / 2);
	char buf[4096];
	while (to_read > 0) {
		gssize got_n = read (primary_out, buf, MIN ((gssize) sizeof buf,
							    to_read));
		if (got_n <= 0)
			break;
		to_read -= got_n;
	}
	kill (pid, SIGKILL);
	close (primary_out);
	g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
	g_spawn_close_pid (pid);
	g_assert_true (WIFSIGNALED (status));
	wait_store_free (uri);

	g_assert_cmpint (run_rrec (standby_argv, &out, &err), ==, 0);
	/* the time accounts aside: the standby times only what it saw */
	test_assert_resumed (plain, out, "the standby", without_time_accounts);

	g_unlink (config);
	g_unlink (log);
	g_rmdir (dir);
}

int
main (int argc, char **argv)
{
	g_autoptr (GError) error = NULL;
	int status;

	g_test_init (&argc, &argv, NULL);
	/* a write that fails is logged as a warning: not fatal here */
	g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
	server = rrec_pg_temp_start (&error);
	if (server == NULL)
		g_error ("%s", error->message);
	g_test_add_func ("/store-pg/backend/round-trip", pg_backend_round_trip);
	g_test_add_func ("/store-pg/backend/locked-by-another-engine",
			 pg_backend_locked);
	g_test_add_func ("/store-pg/backend/not-ours-and-other-version",
			 pg_backend_not_ours_and_other_version);
	g_test_add_func ("/store-pg/backend/connection-cut",
			 pg_backend_connection_cut);
	g_test_add_func ("/store-pg/backend/fenced", pg_backend_fenced);
	g_test_add_func ("/store-pg/backend/fenced-after-takeover",
			 pg_backend_fenced_after_takeover);
	g_test_add_func ("/store-pg/backend/reconnect-keeps-the-store",
			 pg_backend_reconnect_keeps);
	g_test_add_func ("/store-pg/backend/unreachable",
			 pg_backend_unreachable);
	harness_add_once ("store-pg/round-trip", TRUE,
			  pg_engine_round_trip);
	harness_add_once ("store-pg/locked-by-another-engine", TRUE,
			  pg_engine_locked);
	harness_add_once ("store-pg/sigkill", TRUE, pg_engine_sigkill);
	harness_add_once ("store-pg/connection-cut-holds-the-actions", TRUE,
			  pg_engine_connection_cut);
	g_test_add_func ("/store-pg/replay/held-store-refused",
			 pg_replay_held_store_refused);
	g_test_add_func ("/store-pg/replay/takeover-after-sigkill", pg_takeover);
	status = g_test_run ();
	rrec_pg_temp_free (server);
	return status;
}
