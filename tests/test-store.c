/*
 * test-store.c — the durable state store (issue #7): every engine step in
 * SQLite, a restart that restores it, a damaged or unreadable store that
 * is reported and never crashes the engine, and a process killed with
 * SIGKILL at random moments whose store always opens.
 */
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "engine-harness.h"
#include "test-util.h"

/*
 * The engine's whole state (rrec_engine_save()) with its counters zeroed:
 * counters are statistics, not state (README, "The store"): a restore has
 * them as of the last write of the ENGINE row, which a step that changed
 * its calls alone does not make.  They are found in the bytes as @e
 * reports them (and must be there: this fails if they are not).
 */
static GBytes *
without_counters (RrecEngine *e, GBytes *state, gsize *at,
		  RrecEngineCounters *c)
{
	guint64 v[8];
	guint8 enc[sizeof v];
	gsize len;
	const guint8 *data = g_bytes_get_data (state, &len);
	g_autofree guint8 *copy = g_memdup2 (data, len);

	rrec_engine_get_counters (e, c);
	v[0] = c->messages;
	v[1] = c->malformed;
	v[2] = c->ignored;
	v[3] = c->rejected;
	v[4] = c->calls;
	v[5] = c->sessions;
	v[6] = c->orphans;
	v[7] = c->client_errors;
	for (guint i = 0; i < sizeof enc; i++)
		enc[i] = (guint8) (v[i / 8] >> (8 * (i % 8)));
	*at = len;
	for (gsize i = 0; i + sizeof enc <= len && *at == len; i++)
		if (memcmp (copy + i, enc, sizeof enc) == 0)
			*at = i;
	g_assert_cmpuint (*at, <, len);
	memset (copy + *at, 0, sizeof enc);
	return g_bytes_new (copy, len);
}

/* A restart on the store goes on exactly where the engine stopped. */
static void
store_round_trip (Harness *h)
{
	g_autofree char *path = harness_temp_store ("state.db");
	g_autoptr (GError) error = NULL;
	gboolean restored = TRUE;

	harness_start (h, NULL);
	harness_open_store (h, path, &restored, &error);
	g_assert_no_error (error);
	g_assert_false (restored);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	advance (h, 1000);
	sip_drop (h, "+1555000");	/* a redial timer is pending */
	expect (h, NULL);

	g_autoptr (GBytes) before = rrec_engine_save (h->engine);
	RrecEngineCounters was, is;
	gsize was_at, is_at;
	g_autoptr (GBytes) state_before = without_counters (h->engine, before,
							    &was_at, &was);
	harness_open_store (h, path, &restored, &error);
	g_assert_no_error (error);
	g_assert_true (restored);
	g_autoptr (GBytes) after = rrec_engine_save (h->engine);
	g_autoptr (GBytes) state_after = without_counters (h->engine, after,
							   &is_at, &is);
	g_assert_cmpuint (was_at, ==, is_at);
	g_assert_cmpuint (is.messages, <=, was.messages);
	g_assert_true (g_bytes_equal (state_before, state_after));
	g_assert_cmpstr (rrec_engine_session_state (h->engine, C1), ==,
			 "reestablishing");
	/* the timer was stored with its due time (R25) */
	advance (h, 5000);
	expect (h, DIAL (C1, "000", "7001"), REC (C1, "start"), NULL);
	ev_released (h, C1, "7001", 0, NULL);
	expect (h, RELEASE (C1, "000"), NULL);
	g_clear_pointer (&h->engine, rrec_engine_free);
	harness_remove_store (path);
}

/* A damaged store is reported, moved aside, and the engine starts empty
 * with the alarm raised, on a new store. */
static void
store_corrupt (Harness *h)
{
	g_autofree char *path = harness_temp_store ("state.db");
	g_autofree char *aside = g_strconcat (path, ".corrupt", NULL);
	g_autoptr (GError) error = NULL;
	gboolean restored = TRUE;
	char junk[4096];

	for (guint i = 0; i < sizeof junk; i++)
		junk[i] = (char) (i * 7 + 3);
	memcpy (junk, "SQLite format 3", 16);	/* a header, then damage */
	g_assert_true (g_file_set_contents (path, junk, sizeof junk, NULL));

	harness_start (h, NULL);
	harness_open_store (h, path, &restored, &error);
	g_assert_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STORE);
	g_test_message ("%s", error->message);
	g_assert_nonnull (strstr (error->message, path));
	g_assert_false (restored);
	expect (h, ALARM ("state-store", "true"), NULL);
	g_assert_true (rrec_engine_alarm_is_raised (h->engine, "state-store"));
	g_assert_true (g_file_test (aside, G_FILE_TEST_EXISTS));
	g_assert_cmpuint (rrec_engine_active_calls (h->engine), ==, 0);

	/* the engine works, on a new store: its first write clears the alarm */
	inbound (h, C1, "7001");
	expect (h, ALARM ("state-store", "false"), STARTED (C1, "000", "7001"),
		NULL);
	g_clear_error (&error);
	harness_open_store (h, path, &restored, &error);
	g_assert_no_error (error);
	g_assert_true (restored);
	g_assert_cmpstr (rrec_engine_session_state (h->engine, C1), ==,
			 "recording");
	g_clear_pointer (&h->engine, rrec_engine_free);
	harness_remove_store (path);
}

/* A store that cannot be opened at all: the engine runs without one. */
static void
store_unreadable (Harness *h)
{
	g_autoptr (GError) error = NULL;
	gboolean restored = TRUE;

	harness_start (h, NULL);
	harness_open_store (h, "/nonexistent-rrec-dir/state.db", &restored,
			    &error);
	g_assert_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STORE);
	g_assert_false (restored);
	expect (h, ALARM ("state-store", "true"), NULL);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
}

/* A store another engine holds is locked: reported, never moved aside,
 * and the engine that holds it goes on writing. */
static void
store_locked (Harness *h)
{
	g_autofree char *path = harness_temp_store ("state.db");
	g_autofree char *aside = g_strconcat (path, ".corrupt", NULL);
	g_autoptr (GError) error = NULL;
	gboolean restored = TRUE;

	harness_start (h, NULL);
	harness_open_store (h, path, &restored, &error);
	g_assert_no_error (error);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);

	RrecEngine *second = rrec_engine_open (h->config, NULL, NULL, path,
					       RREC_STORE_SYNC_NORMAL, &restored,
					       &error);
	g_assert_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STORE);
	g_test_message ("%s", error->message);
	g_assert_false (restored);
	g_assert_true (rrec_engine_alarm_is_raised (second, "state-store"));
	g_assert_false (g_file_test (aside, G_FILE_TEST_EXISTS));
	rrec_engine_free (second);

	ev_released (h, C1, "7001", 0, NULL);
	expect (h, RELEASE (C1, "000"), NULL);
	g_assert_false (rrec_engine_alarm_is_raised (h->engine, "state-store"));
	g_clear_pointer (&h->engine, rrec_engine_free);
	harness_remove_store (path);
}

/* A store of another state version (an older rrec wrote it) is reported
 * as such; the engine starts empty. */
static void
store_other_version (Harness *h)
{
	g_autofree char *path = harness_temp_store ("state.db");
	g_autoptr (GError) error = NULL;
	gboolean restored = TRUE;

	harness_start (h, NULL);
	harness_open_store (h, path, &restored, &error);
	g_assert_no_error (error);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	g_clear_pointer (&h->engine, rrec_engine_free);

	/* the state's version field (after the magic) made unknown */
	sqlite3 *db = NULL;
	g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
	g_assert_cmpint (sqlite3_exec (db, "UPDATE engine SET bytes = "
				       "X'5252455363000000' || substr(bytes, 9)",
				       NULL, NULL, NULL), ==, SQLITE_OK);
	sqlite3_close (db);
	harness_open_store (h, path, &restored, &error);
	g_assert_nonnull (error);
	g_test_message ("%s", error->message);
	g_assert_nonnull (strstr (error->message, "version"));
	g_assert_false (restored);
	expect (h, ALARM ("state-store", "true"), NULL);
	g_clear_pointer (&h->engine, rrec_engine_free);
	harness_remove_store (path);
}


/* SIGKILL at random moments (between writes, or inside one): the store
 * always opens, restores, and the restored engine goes on. */
static void
store_sigkill (Harness *h)
{
	g_autofree char *path = harness_temp_store ("state.db");
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
			harness_crash_child (h, path, round, fds[1]);
		}
		close (fds[1]);
		/* the child has written a few steps; then at a random moment */
		g_assert_cmpint (read (fds[0], &c, 1), ==, 1);
		close (fds[0]);
		g_usleep (g_rand_int_range (rand, 0, 20000));
		kill (pid, SIGKILL);
		g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
		g_assert_true (WIFSIGNALED (status));
		g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);

		g_autoptr (GError) error = NULL;
		gboolean restored = FALSE;

		harness_open_store (h, path, &restored, &error);
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
	harness_remove_store (path);
}


static const char *const c1_parties[] = { "7001", CALLER, NULL };

/* ---- files (behaviour.md §7, issue #16) ------------------------------------ */

static gint64
mtime_and_text (const char *path, char **text)
{
	GStatBuf st;

	g_assert_cmpint (g_stat (path, &st), ==, 0);
	g_assert_true (g_file_get_contents (path, text, NULL, NULL));
	return (gint64) st.st_mtime;
}

/* A file that is not an SQLite database is not an rrec store: refused,
 * left as it was, nothing moved aside; the engine runs without a store. */
static void
store_refuses_text_file (Harness *h)
{
	g_autofree char *path = harness_temp_store ("notes.txt");
	g_autofree char *aside = g_strconcat (path, ".corrupt", NULL);
	g_autofree char *before = NULL, *after = NULL;
	g_autoptr (GError) error = NULL;
	gboolean restored = TRUE;

	g_assert_true (g_file_set_contents (path, "the operator's notes\n", -1,
					    NULL));
	mtime_and_text (path, &before);
	harness_start (h, NULL);
	harness_open_store (h, path, &restored, &error);
	g_assert_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STORE);
	g_test_message ("%s", error->message);
	g_assert_nonnull (strstr (error->message, "not an SQLite database"));
	g_assert_false (rrec_engine_has_store (h->engine));
	expect (h, ALARM ("state-store", "true"), NULL);
	inbound (h, C1, "7001");	/* the engine works without its store */
	expect (h, STARTED (C1, "000", "7001"), NULL);
	g_clear_pointer (&h->engine, rrec_engine_free);
	mtime_and_text (path, &after);
	g_assert_cmpstr (before, ==, after);
	g_assert_false (g_file_test (aside, G_FILE_TEST_EXISTS));
	harness_remove_store (path);
}

/* Another program's SQLite database is refused and never changed: no
 * table added, no WAL, no user_version (R: §7). */
static void
store_refuses_other_database (Harness *h)
{
	g_autofree char *path = harness_temp_store ("other.db");
	g_autofree char *before = NULL, *after = NULL;
	g_autoptr (GError) error = NULL;
	gboolean restored = TRUE;
	sqlite3 *db = NULL;

	g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
	g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE accounts (id, name);"
				       "INSERT INTO accounts VALUES (1, 'x');",
				       NULL, NULL, NULL), ==, SQLITE_OK);
	sqlite3_close (db);
	g_assert_cmpint (g_chmod (path, 0600), ==, 0);
	mtime_and_text (path, &before);
	harness_start (h, NULL);
	for (guint replace = 0; replace < 2; replace++) {
		g_clear_error (&error);
		g_clear_pointer (&h->engine, rrec_engine_free);
		h->engine = rrec_engine_open_full (h->config, NULL, NULL, path,
						   RREC_STORE_SYNC_NORMAL,
						   replace ? RREC_STORE_REPLACE : 0,
						   &restored, &error);
		g_assert_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STORE);
		g_assert_nonnull (strstr (error->message, "without rrec's schema"));
		g_assert_false (rrec_engine_has_store (h->engine));
	}
	g_clear_pointer (&h->engine, rrec_engine_free);
	mtime_and_text (path, &after);
	g_assert_true (memcmp (before, after, 100) == 0);	/* header too */
	g_assert_cmpstr (before + 100, ==, after + 100);
	harness_remove_store (path);
}

static void
write_junk_store (const char *path)
{
	char junk[4096];

	for (guint i = 0; i < sizeof junk; i++)
		junk[i] = (char) (i * 7 + 3);
	memcpy (junk, "SQLite format 3", 16);	/* a header, then damage */
	g_assert_true (g_file_set_contents (path, junk, sizeof junk, NULL));
	g_assert_cmpint (g_chmod (path, 0600), ==, 0);
}

/* A damaged store moved aside never overwrites the evidence of an
 * earlier incident: FILE.corrupt stays, this one is FILE.corrupt.1. */
static void
store_corrupt_never_overwritten (Harness *h)
{
	g_autofree char *path = harness_temp_store ("state.db");
	g_autofree char *aside = g_strconcat (path, ".corrupt", NULL);
	g_autofree char *aside1 = g_strconcat (path, ".corrupt.1", NULL);
	g_autofree char *text = NULL;
	g_autoptr (GError) error = NULL;
	gboolean restored = TRUE;

	g_assert_true (g_file_set_contents (aside, "earlier evidence", -1, NULL));
	write_junk_store (path);
	harness_start (h, NULL);
	harness_open_store (h, path, &restored, &error);
	g_assert_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STORE);
	g_test_message ("%s", error->message);
	g_assert_nonnull (strstr (error->message, aside1));
	g_assert_true (rrec_engine_has_store (h->engine));
	expect (h, ALARM ("state-store", "true"), NULL);
	g_assert_true (g_file_get_contents (aside, &text, NULL, NULL));
	g_assert_cmpstr (text, ==, "earlier evidence");
	g_assert_true (g_file_test (aside1, G_FILE_TEST_EXISTS));
	g_clear_pointer (&h->engine, rrec_engine_free);
	harness_remove_store (path);
}

/* A store that is a symbolic link stays one: used through its target,
 * and a damaged target is moved aside next to the target. */
static void
store_symlink_stays_a_link (Harness *h)
{
	g_autofree char *path = harness_temp_store ("state.db");
	g_autofree char *target = g_strconcat (path, ".target", NULL);
	g_autofree char *target_aside = g_strconcat (target, ".corrupt", NULL);
	g_autofree char *base = g_path_get_basename (target);
	g_autoptr (GError) error = NULL;
	gboolean restored = TRUE;

	write_junk_store (target);
	g_assert_cmpint (symlink (base, path), ==, 0);
	harness_start (h, NULL);
	harness_open_store (h, path, &restored, &error);
	g_assert_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STORE);
	g_assert_true (g_file_test (target_aside, G_FILE_TEST_EXISTS));
	g_assert_true (g_file_test (path, G_FILE_TEST_IS_SYMLINK));
	expect (h, ALARM ("state-store", "true"), NULL);
	inbound (h, C1, "7001");
	expect (h, ALARM ("state-store", "false"), STARTED (C1, "000", "7001"),
		NULL);
	g_clear_pointer (&h->engine, rrec_engine_free);
	g_clear_error (&error);
	harness_open_store (h, path, &restored, &error);
	g_assert_no_error (error);
	g_assert_true (restored);
	g_assert_true (g_file_test (path, G_FILE_TEST_IS_SYMLINK));
	g_clear_pointer (&h->engine, rrec_engine_free);
	g_unlink (path);
	harness_remove_store (path);
}

/* The log lines that report a store others can read. */
static guint mode_reports;

static GLogWriterOutput
count_mode_reports (GLogLevelFlags level, const GLogField *fields,
		    gsize n_fields, gpointer data)
{
	for (gsize i = 0; i < n_fields; i++)
		if (strcmp (fields[i].key, "MESSAGE") == 0 &&
		    fields[i].length < 0 &&
		    strstr (fields[i].value, "0600 expected")) {
			mode_reports++;
			return G_LOG_WRITER_HANDLED;
		}
	return g_log_writer_default (level, fields, n_fields, data);
}

static guint
file_mode (const char *path)
{
	GStatBuf st;

	g_assert_cmpint (g_stat (path, &st), ==, 0);
	return st.st_mode & 07777;
}

/* Issue #12: the store and its -wal are private (0600) whatever the
 * umask lets through; a stricter umask is honoured.  An existing store
 * others can read is reported, and left as its owner set it. */
static void
store_private_files (Harness *h)
{
	static const struct { mode_t umask; guint mode; } cases[] = {
		{ 0000, 0600 }, { 0022, 0600 }, { 0077, 0600 },
	};
	harness_start (h, NULL);
	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autofree char *path = harness_temp_store ("state.db");
		g_autofree char *wal = g_strconcat (path, "-wal", NULL);
		g_autoptr (GError) error = NULL;
		gboolean restored;
		mode_t old = umask (cases[i].umask);

		harness_open_store (h, path, &restored, &error);
		umask (old);
		g_assert_no_error (error);
		inbound (h, C1, "7001");
		expect (h, STARTED (C1, "000", "7001"), NULL);
		g_assert_cmpuint (file_mode (path), ==, cases[i].mode);
		g_assert_cmpuint (file_mode (wal), ==, cases[i].mode);
		g_clear_pointer (&h->engine, rrec_engine_free);

		g_assert_cmpint (g_chmod (path, 0644), ==, 0);
		guint before = mode_reports;
		harness_open_store (h, path, &restored, &error);
		g_assert_cmpuint (mode_reports, ==, before + 1);
		g_assert_no_error (error);
		g_assert_true (restored);
		g_assert_cmpuint (file_mode (path), ==, 0644);
		g_clear_pointer (&h->engine, rrec_engine_free);
		harness_remove_store (path);
	}
}

/* A store of schema 1 (rrec before issue #12: the whole state in one
 * row) is not converted: reported with its version, moved aside, a new
 * store started. */
static void
store_schema_1_refused (Harness *h)
{
	g_autofree char *path = harness_temp_store ("state.db");
	g_autofree char *aside = g_strconcat (path, ".corrupt", NULL);
	g_autoptr (GError) error = NULL;
	gboolean restored = TRUE;
	sqlite3 *db = NULL;

	g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
	g_assert_cmpint (sqlite3_exec (db,
		"CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
		"INSERT INTO meta VALUES ('schema_version', '1');"
		"CREATE TABLE engine (id INTEGER PRIMARY KEY CHECK (id = 1),"
		" state_version INTEGER NOT NULL, saved_ms INTEGER NOT NULL,"
		" steps INTEGER NOT NULL, bytes BLOB NOT NULL);"
		"PRAGMA user_version = 1;", NULL, NULL, NULL), ==, SQLITE_OK);
	sqlite3_close (db);
	g_assert_cmpint (g_chmod (path, 0600), ==, 0);
	harness_start (h, NULL);
	harness_open_store (h, path, &restored, &error);
	g_assert_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STORE);
	g_test_message ("%s", error->message);
	g_assert_nonnull (strstr (error->message, "schema version 1"));
	g_assert_false (restored);
	g_assert_true (rrec_engine_has_store (h->engine));
	g_assert_true (g_file_test (aside, G_FILE_TEST_EXISTS));
	expect (h, ALARM ("state-store", "true"), NULL);
	g_clear_pointer (&h->engine, rrec_engine_free);
	harness_remove_store (path);
}

/* RREC_STORE_REPLACE starts empty on an rrec store (a replay from the
 * log's beginning). */
static void
store_replace (Harness *h)
{
	g_autofree char *path = harness_temp_store ("state.db");
	g_autoptr (GError) error = NULL;
	gboolean restored = TRUE;

	harness_start (h, NULL);
	harness_open_store (h, path, &restored, &error);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	g_clear_pointer (&h->engine, rrec_engine_free);
	h->engine = rrec_engine_open_full (h->config, NULL, NULL, path,
					   RREC_STORE_SYNC_NORMAL,
					   RREC_STORE_REPLACE, &restored, &error);
	g_assert_no_error (error);
	g_assert_false (restored);
	g_assert_cmpuint (rrec_engine_active_calls (h->engine), ==, 0);
	g_clear_pointer (&h->engine, rrec_engine_free);
	harness_open_store (h, path, &restored, &error);
	g_assert_no_error (error);
	g_assert_false (restored);
	g_clear_pointer (&h->engine, rrec_engine_free);
	harness_remove_store (path);
}

static gint64
query (const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	gint64 v = -1;

	g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL),
			 ==, SQLITE_OK);
	g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &st, NULL), ==, SQLITE_OK);
	if (sqlite3_step (st) == SQLITE_ROW)
		v = sqlite3_column_int64 (st, 0);
	sqlite3_finalize (st);
	sqlite3_close (db);
	return v;
}

static char *
query_text (const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	char *v = NULL;

	g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL),
			 ==, SQLITE_OK);
	g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &st, NULL), ==, SQLITE_OK);
	if (sqlite3_step (st) == SQLITE_ROW)
		v = g_strdup ((const char *) sqlite3_column_text (st, 0));
	sqlite3_finalize (st);
	sqlite3_close (db);
	g_assert_nonnull (v);
	return v;
}

/* Issue #12: one row per call in progress, none for an ended call; a
 * message that changes nothing (an unknown call's event, whose ThisDN is
 * in no call) costs no write; a hold writes its call's row, not the
 * others'. */
static void
store_rows_follow_the_calls (Harness *h)
{
	g_autofree char *path = harness_temp_store ("state.db");
	g_autoptr (GError) error = NULL;
	gboolean restored;
	char conn[17];

	harness_start (h, NULL);
	harness_open_store (h, path, &restored, &error);
	g_assert_no_error (error);
	for (guint i = 1; i <= 30; i++) {
		g_snprintf (conn, sizeof conn, "%016x", 0x100 + i);
		inbound (h, conn, (i % 2) ? "7001" : "7002");
	}
	g_snprintf (conn, sizeof conn, "%016x", 0x100 + 30);
	ev_released (h, conn, "7002", 0, NULL);
	g_ptr_array_set_size (h->actions, 0);
	g_clear_pointer (&h->engine, rrec_engine_free);
	g_assert_cmpint (query (path, "SELECT count(*) FROM calls"), ==, 29);
	gint64 steps = query (path, "SELECT steps FROM engine");

	harness_open_store (h, path, &restored, &error);
	g_assert_true (restored);
	ev_released (h, "00000000000009ff", "7777", 0, NULL);	/* unknown */
	advance (h, 1000);					/* no timer */
	g_clear_pointer (&h->engine, rrec_engine_free);
	g_assert_cmpint (query (path, "SELECT steps FROM engine"), ==, steps);
	/* the DN of no call is nowhere in the store */
	g_assert_cmpint (query (path, "SELECT count(*) FROM calls WHERE "
				"instr(bytes, CAST('7777' AS BLOB)) > 0"), ==, 0);
	g_assert_cmpint (query (path, "SELECT count(*) FROM engine WHERE "
				"instr(bytes, CAST('7777' AS BLOB)) > 0"), ==, 0);

	g_autofree char *c1 = query_text (path, "SELECT hex(bytes) FROM calls "
					  "WHERE id = 257");
	g_autofree char *c3 = query_text (path, "SELECT hex(bytes) FROM calls "
					  "WHERE id = 259");
	harness_open_store (h, path, &restored, &error);
	g_snprintf (conn, sizeof conn, "%016x", 0x100 + 1);
	ev_held (h, conn, "7001");
	g_ptr_array_set_size (h->actions, 0);
	g_clear_pointer (&h->engine, rrec_engine_free);
	/* the held call's row was written; another call's was not */
	g_autofree char *c1_after = query_text (path, "SELECT hex(bytes) FROM "
						"calls WHERE id = 257");
	g_autofree char *c3_after = query_text (path, "SELECT hex(bytes) FROM "
						"calls WHERE id = 259");
	g_assert_cmpstr (c1, !=, c1_after);
	g_assert_cmpstr (c3, ==, c3_after);
	g_assert_cmpint (query (path, "SELECT count(*) FROM calls"), ==, 29);
	harness_remove_store (path);
}


/*
 * A step that changes many calls (SIP Server back after a failover that
 * lost every leg: a query for each, R33) writes each of their rows, once:
 * past a few calls, store.c tells a call marked already by a set rather
 * than a look along its list.  Each row is read back as written.
 */
static void
store_step_touching_many_calls (Harness *h)
{
	g_autofree char *path = harness_temp_store ("state.db");
	g_autoptr (GError) error = NULL;
	g_autofree char *sql = NULL;
	gboolean restored;
	char conn[17];
	const guint n = 20;
	char *before[20];

	harness_start (h, NULL);
	harness_open_store (h, path, &restored, &error);
	g_assert_no_error (error);
	for (guint i = 0; i < n; i++) {
		g_snprintf (conn, sizeof conn, "%016x", 0x100 + i);
		inbound (h, conn, (i % 2) ? "7001" : "7003");
	}
	g_ptr_array_set_size (h->actions, 0);
	g_clear_pointer (&h->engine, rrec_engine_free);
	for (guint i = 0; i < n; i++) {
		g_free (sql);
		sql = g_strdup_printf ("SELECT hex(bytes) FROM calls WHERE id = %u",
				       0x100 + i);
		before[i] = query_text (path, sql);
	}
	harness_open_store (h, path, &restored, &error);
	g_assert_true (restored);
	sip_server_disconnected (h);
	h->failover = TRUE;
	h->healthy_sip = FALSE;	/* the queries stay unanswered */
	sip_server_connected (h);
	g_assert_cmpuint (harness_count_actions (h, "query-leg *"), ==, n);
	g_assert_cmpuint (requests_in_flight (h), ==, n);
	g_ptr_array_set_size (h->actions, 0);
	g_autofree char *state = g_strdup (rrec_engine_session_state (h->engine,
								    "0000000000000100"));
	g_clear_pointer (&h->engine, rrec_engine_free);
	g_assert_cmpint (query (path, "SELECT count(*) FROM calls"), ==, n);
	for (guint i = 0; i < n; i++) {
		g_free (sql);
		sql = g_strdup_printf ("SELECT hex(bytes) FROM calls WHERE id = %u",
				       0x100 + i);
		g_autofree char *after = query_text (path, sql);
		g_assert_cmpstr (before[i], !=, after);
		g_free (before[i]);
	}
	harness_open_store (h, path, &restored, &error);
	g_assert_no_error (error);
	g_assert_true (restored);
	for (guint i = 0; i < n; i++) {
		g_snprintf (conn, sizeof conn, "%016x", 0x100 + i);
		g_assert_cmpstr (rrec_engine_session_state (h->engine, conn), ==,
				 state);
	}
	g_assert_cmpuint (requests_in_flight (h), ==, n);
	g_clear_pointer (&h->engine, rrec_engine_free);
	harness_remove_store (path);
}

/*
 * Issue #14: a step whose only change outside its call is a new request
 * number (a hold that sends SIP Server a PAUSE) writes its call's row and
 * not the ENGINE row; the number goes with the call's row, and a restore
 * goes on numbering where the engine stopped: the next request has the
 * number it has without the restart (none used twice).
 */
static void
store_numbering_in_call_rows (Harness *h)
{
	g_autofree char *path = harness_temp_store ("state.db");
	g_autoptr (GError) error = NULL;
	gboolean restored = FALSE;
	RrecMessage m;
	guint n = 0;

	harness_start (h, NULL);
	harness_open_store (h, path, &restored, &error);
	g_assert_no_error (error);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	g_clear_pointer (&h->engine, rrec_engine_free);
	gint64 steps = query (path, "SELECT steps FROM engine");
	g_autofree char *row = query_text (path, "SELECT hex(bytes) FROM calls "
					   "WHERE id = 1");

	harness_open_store (h, path, &restored, &error);
	g_assert_true (restored);
	/* the hold alone (its answer after): the PAUSE's number */
	m = skype_msg (RREC_MSG_EVENT_HELD, C1, "7001");
	g_assert_true (rrec_engine_feed (h->engine, &m, NULL));
	g_autofree gint64 *paused = rrec_engine_list_requests (h->engine, &n);
	g_assert_cmpuint (n, ==, 1);
	harness_feed_answers (h);
	g_ptr_array_set_size (h->actions, 0);
	g_clear_pointer (&h->engine, rrec_engine_free);
	g_assert_cmpint (query (path, "SELECT steps FROM engine"), ==, steps);
	g_autofree char *row_after = query_text (path, "SELECT hex(bytes) FROM "
						 "calls WHERE id = 1");
	g_assert_cmpstr (row, !=, row_after);

	harness_open_store (h, path, &restored, &error);
	g_assert_true (restored);
	m = skype_msg (RREC_MSG_EVENT_RETRIEVED, C1, "7001");
	g_assert_true (rrec_engine_feed (h->engine, &m, NULL));
	g_autofree gint64 *resumed = rrec_engine_list_requests (h->engine, &n);
	g_assert_cmpuint (n, ==, 1);
	g_assert_cmpint (resumed[0], ==, paused[0] + 1);
	harness_feed_answers (h);
	g_ptr_array_set_size (h->actions, 0);
	g_clear_pointer (&h->engine, rrec_engine_free);
	harness_remove_store (path);
}

static void
exec_sql (const char *path, const char *sql)
{
	sqlite3 *db = NULL;

	g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
	g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
	sqlite3_close (db);
}

/*
 * A store written before the numbering went into the CALL rows (state
 * version 10: a CALL row ends with the clock alone; the ENGINE row, then
 * written at every commit that changed the numbering, holds it) is read
 * as it is, never moved aside: the state restored is the state stored.
 * The rows the next steps write are of the current version, and the
 * store, holding both, opens again.
 */
static void
store_reads_version_10_rows (Harness *h)
{
	g_autofree char *path = harness_temp_store ("state.db");
	g_autofree char *aside = g_strconcat (path, ".corrupt", NULL);
	g_autoptr (GError) error = NULL;
	gboolean restored = FALSE;
	RrecEngineCounters was, is;
	gsize was_at, is_at;

	harness_start (h, NULL);
	harness_open_store (h, path, &restored, &error);
	g_assert_no_error (error);
	inbound (h, C1, "7001");
	inbound (h, C2, "7002");
	ev_held (h, C1, "7001");
	/* the ENGINE row written, its numbering that of the last commit,
	 * as version 10 always had it */
	sip_server_disconnected (h);
	g_ptr_array_set_size (h->actions, 0);
	g_autoptr (GBytes) before = rrec_engine_save (h->engine);
	g_autoptr (GBytes) state_before = without_counters (h->engine, before,
							    &was_at, &was);
	g_clear_pointer (&h->engine, rrec_engine_free);
	exec_sql (path,
		  "UPDATE calls SET state_version = 10, bytes = CAST("
		  " substr (bytes, 1, length (bytes) - 32) ||"
		  " substr (bytes, length (bytes) - 7) AS BLOB);"
		  "UPDATE engine SET state_version = 10, bytes = CAST("
		  " substr (bytes, 1, 4) || X'0A000000' || substr (bytes, 9)"
		  " AS BLOB);");
	g_assert_cmpint (query (path, "SELECT count(*) FROM calls WHERE "
				"state_version = 10"), ==, 2);

	harness_open_store (h, path, &restored, &error);
	g_assert_no_error (error);
	g_assert_true (restored);
	g_assert_false (g_file_test (aside, G_FILE_TEST_EXISTS));
	g_autoptr (GBytes) after = rrec_engine_save (h->engine);
	g_autoptr (GBytes) state_after = without_counters (h->engine, after,
							   &is_at, &is);
	g_assert_cmpuint (was_at, ==, is_at);
	g_assert_true (g_bytes_equal (state_before, state_after));
	sip_server_connected (h);
	ev_retrieved (h, C1, "7001");
	g_ptr_array_set_size (h->actions, 0);
	g_clear_pointer (&h->engine, rrec_engine_free);
	g_assert_cmpint (query (path, "SELECT state_version FROM calls WHERE "
				"id = 1"), ==, 11);
	g_assert_cmpint (query (path, "SELECT state_version FROM engine"), ==,
			 11);

	harness_open_store (h, path, &restored, &error);
	g_assert_no_error (error);
	g_assert_true (restored);
	g_clear_pointer (&h->engine, rrec_engine_free);
	harness_remove_store (path);
}

/*
 * R32 with a store: a renamed call is keyed by its new ConnID.  The step
 * of the rename removes the old ConnID's row and writes the new one, and a
 * restore finds the call, its session and port under the new ConnID only.
 */
static void
store_r32_rename_moves_the_row (Harness *h)
{
	g_autofree char *path = harness_temp_store ("state.db");
	g_autoptr (GError) error = NULL;
	gboolean restored = FALSE;

	harness_start (h, NULL);
	harness_open_store (h, path, &restored, &error);
	g_assert_no_error (error);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	/* the store is locked by its engine: looked at between two */
	g_clear_pointer (&h->engine, rrec_engine_free);
	g_assert_cmpint (query (path, "SELECT count(*) FROM calls WHERE id = 1"),
			 ==, 1);
	harness_open_store (h, path, &restored, &error);
	g_assert_no_error (error);
	ev_party_changed (h, C2, "7003", C1, "7001");
	expect (h, "call-renamed call=" C2 " from=" C1, NULL);
	g_clear_pointer (&h->engine, rrec_engine_free);
	g_assert_cmpint (query (path, "SELECT count(*) FROM calls WHERE id = 1"),
			 ==, 0);
	g_assert_cmpint (query (path, "SELECT count(*) FROM calls WHERE id = 2"),
			 ==, 1);
	g_assert_cmpint (query (path, "SELECT count(*) FROM calls"), ==, 1);

	/* a new process: the call goes on as C2, recording on its port */
	harness_open_store (h, path, &restored, &error);
	g_assert_no_error (error);
	g_assert_true (restored);
	g_assert_false (rrec_engine_has_call (h->engine, C1));
	assert_state (h, C2, "recording");
	ports_in_use (h, 1);
	ev_released (h, C2, "7001", 0, NULL);
	ev_released (h, C2, "7003", 0, NULL);
	expect (h, RELEASE (C2, "000"), NULL);
	ports_in_use (h, 0);
	g_clear_pointer (&h->engine, rrec_engine_free);
	g_assert_cmpint (query (path, "SELECT count(*) FROM calls"), ==, 0);
	harness_remove_store (path);
}

/* ---- a crash between the commit and the actions (issue #12) ---------------- */

/* What SIP Server sees: a line per action sent to it, "dial PORT",
 * "release PORT", "start|pause|resume|stop PORT"; and at a crash, "up
 * PORT LEG" per leg it has (up, or on its way up). */
typedef struct {
	int fd;			/* the child's pipe, or -1 */
	guint crash_at;		/* the action (1-based, traces aside) that
				 * never reaches the host: the process dies */
	guint seen;
	GPtrArray *sip;		/* the parent's lines */
	GHashTable *dialled;	/* the child's: port -> leg */
	guint dials;		/* the child's: legs dialled so far */
} CrashHost;

static CrashHost crash_host;

static char *
sip_line (const RrecAction *a)
{
	if (a->kind == RREC_ACTION_DIAL_LEG)
		return g_strdup_printf ("dial %s", a->port);
	if (a->kind == RREC_ACTION_RELEASE_LEG)
		return g_strdup_printf ("release %s", a->port);
	if (a->kind == RREC_ACTION_RECORD)
		return g_strdup_printf ("%s %s", rrec_gsip_op_name (a->op),
					a->port);
	return NULL;
}

static void
crash_hook (Harness *h, const RrecAction *a)
{
	CrashHost *c = &crash_host;

	if (a->kind == RREC_ACTION_STATE)
		return;
	if (c->fd < 0) {
		char *line = sip_line (a);
		if (line)
			g_ptr_array_add (c->sip, line);
		return;
	}
	if (++c->seen == c->crash_at) {
		GHashTableIter it;
		gpointer k, v;
		GString *out = g_string_new (NULL);

		g_hash_table_iter_init (&it, c->dialled);
		while (g_hash_table_iter_next (&it, &k, &v))
			g_string_append_printf (out, "up %s %s\n",
						(char *) k, (char *) v);
		if (write (c->fd, out->str, out->len) != (ssize_t) out->len)
			_exit (3);
		kill (getpid (), SIGKILL);
	}
	/* the legs SIP Server has: dialled (up, or on their way up: the
	 * harness names them as it answers) and not released */
	if (a->kind == RREC_ACTION_DIAL_LEG)
		g_hash_table_replace (c->dialled, g_strdup (a->port),
				      g_strdup_printf ("01%014x", ++c->dials));
	else if (a->kind == RREC_ACTION_RELEASE_LEG && a->port)
		g_hash_table_remove (c->dialled, a->port);
	g_autofree char *line = sip_line (a);
	if (line) {
		g_autofree char *nl = g_strconcat (line, "\n", NULL);
		if (write (c->fd, nl, strlen (nl)) != (ssize_t) strlen (nl))
			_exit (3);
	}
}

/* The calls' story: a recorded call held and retrieved (record-moh false:
 * PAUSE and RESUME), the clock moving on. */
static void
crash_script (Harness *h)
{
	inbound (h, C1, "7001");
	advance (h, 1000);
	ev_held (h, C1, "7001");
	advance (h, 1000);
	ev_retrieved (h, C1, "7001");
	advance (h, 1000);
	ev_held (h, C1, "7001");
	advance (h, 1000);
}

/* SIP Server's side of the story: no action twice (a second leg on a
 * port, a START to a started leg, a PAUSE to a paused one), and at the
 * end one leg, started, paused exactly when the call is held. */
static void
check_sip (GPtrArray *lines, gboolean held, guint crash_at)
{
	g_autoptr (GHashTable) legs = g_hash_table_new_full (g_str_hash,
							     g_str_equal,
							     g_free, NULL);
	enum { UP = 1, STARTED_ = 2, PAUSED_ = 3 };

	for (guint i = 0; i < lines->len; i++) {
		g_auto (GStrv) w = g_strsplit (g_ptr_array_index (lines, i), " ", 3);
		int st = GPOINTER_TO_INT (g_hash_table_lookup (legs, w[1]));

		if (g_test_verbose ())
			g_test_message ("crash at %u: %s", crash_at,
					(char *) g_ptr_array_index (lines, i));
		if (strcmp (w[0], "up") == 0)
			g_hash_table_insert (legs, g_strdup (w[1]),
					     GINT_TO_POINTER (st ? st : UP));
		else if (strcmp (w[0], "dial") == 0) {
			g_assert_cmpint (st, ==, 0);	/* never two legs */
			g_hash_table_insert (legs, g_strdup (w[1]),
					     GINT_TO_POINTER (UP));
		} else if (strcmp (w[0], "release") == 0) {
			g_hash_table_remove (legs, w[1]);
		} else if (strcmp (w[0], "start") == 0) {
			g_assert_cmpint (st, ==, UP);	/* START once per leg */
			g_hash_table_insert (legs, g_strdup (w[1]),
					     GINT_TO_POINTER (STARTED_));
		} else if (strcmp (w[0], "pause") == 0) {
			g_assert_cmpint (st, ==, STARTED_);
			g_hash_table_insert (legs, g_strdup (w[1]),
					     GINT_TO_POINTER (PAUSED_));
		} else if (strcmp (w[0], "resume") == 0) {
			g_assert_cmpint (st, ==, PAUSED_);
			g_hash_table_insert (legs, g_strdup (w[1]),
					     GINT_TO_POINTER (STARTED_));
		}
	}
	g_assert_cmpuint (g_hash_table_size (legs), ==, 1);
	GList *v = g_hash_table_get_values (legs);
	g_assert_cmpint (GPOINTER_TO_INT (v->data), ==, held ? PAUSED_ : STARTED_);
	g_list_free (v);
}

/*
 * Issue #12: with a store, a step's actions reach the host after the step
 * is committed.  The process is killed at every action of the story in
 * turn — after its step was stored, before the host got it (and the rest
 * of the step's).  A new process restores the store and reconciles with
 * what SIP Server has (a new link: answers_lost); whatever the moment,
 * SIP Server ends with the call's one leg recording (paused while held),
 * and got no action twice: nothing lost, nothing repeated.
 */
/* harness_start() again, the previous configuration dropped, with a SIP
 * Server that has no leg and numbers them from 01…01 again. */
static void
fresh_harness (Harness *h)
{
	g_clear_pointer (&h->engine, rrec_engine_free);
	g_clear_pointer (&h->config, rrec_config_unref);
	rrec_sip_sim_free (h->sim);
	h->sim = rrec_sip_sim_new (TRUNK_GROUP, 0x0100000000000000ULL, TRUE);
	harness_start (h, NULL);
}

static void
store_crash_between_commit_and_actions (Harness *h)
{
	CrashHost *c = &crash_host;
	guint total;

	/* the story uninterrupted, to count its actions */
	fresh_harness (h);
	c->fd = -1;
	c->sip = g_ptr_array_new_with_free_func (g_free);
	h->action_hook = crash_hook;
	crash_script (h);
	check_sip (c->sip, TRUE, 0);
	g_ptr_array_set_size (h->actions, 0);
	g_clear_pointer (&h->engine, rrec_engine_free);
	h->action_hook = NULL;
	total = 0;
	{
		/* every action but traces: count them by a dry run */
		g_autofree char *path = harness_temp_store ("state.db");
		g_autoptr (GError) error = NULL;
		gboolean restored;

		fresh_harness (h);
		harness_open_store (h, path, &restored, &error);
		g_assert_no_error (error);
		crash_script (h);
		total = h->actions->len;
		g_ptr_array_set_size (h->actions, 0);
		g_clear_pointer (&h->engine, rrec_engine_free);
		harness_remove_store (path);
	}
	g_assert_cmpuint (total, >=, 10);

	for (guint k = 1; k <= total; k++) {
		g_autofree char *path = harness_temp_store ("state.db");
		int fds[2];
		int status;

		g_assert_cmpint (pipe (fds), ==, 0);
		pid_t pid = fork ();
		g_assert_cmpint (pid, >=, 0);
		if (pid == 0) {
			g_autoptr (GError) error = NULL;
			gboolean restored;

			close (fds[0]);
			c->fd = fds[1];
			c->crash_at = k;
			c->seen = 0;
			c->dials = 0;
			c->dialled = g_hash_table_new_full (g_str_hash,
							    g_str_equal,
							    g_free, g_free);
			fresh_harness (h);
			h->action_hook = crash_hook;
			harness_open_store (h, path, &restored, &error);
			crash_script (h);
			_exit (4);	/* never reached the crash */
		}
		close (fds[1]);
		g_autoptr (GString) got = test_read_child (fds[0], pid, &status);
		g_assert_true (WIFSIGNALED (status));

		/* what SIP Server got and has */
		g_ptr_array_set_size (c->sip, 0);
		g_auto (GStrv) lines = g_strsplit (got->str, "\n", -1);
		g_autoptr (GPtrArray) live = g_ptr_array_new ();
		for (guint i = 0; lines[i] && *lines[i]; i++) {
			g_ptr_array_add (c->sip, g_strdup (lines[i]));
			if (g_str_has_prefix (lines[i], "up "))
				g_ptr_array_add (live, lines[i]);
		}
		g_autofree RrecLiveLeg *legs = g_new0 (RrecLiveLeg, live->len + 1);
		for (guint i = 0; i < live->len; i++) {
			char **w = g_strsplit (g_ptr_array_index (live, i), " ", 3);
			legs[i].port = g_intern_string (w[1]);
			legs[i].leg = g_intern_string (w[2]);
			g_strfreev (w);
		}

		/* the new process */
		g_autoptr (GError) error = NULL;
		gboolean restored = FALSE;
		c->fd = -1;
		fresh_harness (h);
		h->action_hook = crash_hook;
		harness_open_store (h, path, &restored, &error);
		g_assert_no_error (error);
		g_assert_true (restored);
		h->now = rrec_engine_get_time (h->engine) + 1000;
		const RrecLiveCall calls[] = { { C1, c1_parties } };
		RrecLiveView view = {
			.calls = calls, .n_calls = 1,
			.legs = legs, .n_legs = live->len,
			.link_up = TRUE, .answers_lost = TRUE,
		};
		gboolean held = (rrec_engine_pause_reasons (h->engine, C1) &
				 RREC_PAUSE_HOLD) != 0;
		/* the new process's SIP Server has those legs, and numbers
		 * new ones apart from them */
		rrec_sip_sim_number_legs_after (h->sim, 100);
		for (guint i = 0; i < live->len; i++) {
			RrecMessage m;

			rrec_message_init (&m, RREC_SIDE_SIP,
					   RREC_MSG_EVENT_ESTABLISHED);
			m.conn_id = legs[i].leg;
			m.dnis = legs[i].port;
			rrec_sip_sim_saw (h->sim, &m);
		}
		rrec_engine_reconcile (h->engine, h->now, &view);
		harness_feed_answers (h);
		for (guint t = 0; t < 10; t++)
			advance (h, 5000);	/* every timer there is */
		check_sip (c->sip, held, k);
		g_ptr_array_set_size (h->actions, 0);
		g_clear_pointer (&h->engine, rrec_engine_free);
		h->action_hook = NULL;
		harness_remove_store (path);
	}
	g_test_message ("%u crash points", total);
	g_ptr_array_unref (c->sip);
}

/* ---- reconcile ---------------------------------------------------------- */

/* The harness's engine, recording C1 on 7001 (+1555000) and C2 on 7003
 * (+1555001), saved to a store, dropped, and opened again on it. */
static char *
crash_with_two_calls (Harness *h, const HarnessOptions *o)
{
	char *path = harness_temp_store ("state.db");
	g_autoptr (GError) error = NULL;
	gboolean restored = FALSE;

	harness_start (h, o);
	harness_open_store (h, path, &restored, &error);
	g_assert_no_error (error);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	inbound (h, C2, "7003");
	expect (h, STARTED (C2, "001", "7003"), NULL);
	advance (h, 1000);
	harness_open_store (h, path, &restored, &error);
	g_assert_no_error (error);
	g_assert_true (restored);
	return path;
}


/* A live leg on the same port: no new leg, no START; a call the host no
 * longer has ends (R26), its leg released with reason call-gone. */
static void
reconcile_reattach_and_call_gone (Harness *h)
{
	g_autofree char *path = crash_with_two_calls (h, NULL);
	const RrecLiveCall calls[] = { { C1, c1_parties } };
	const RrecLiveLeg legs[] = {
		{ "+1555000", rrec_sip_sim_leg_at (h->sim, "+1555000") },
		{ "+1555001", rrec_sip_sim_leg_at (h->sim, "+1555001") },
	};
	const RrecLiveView view = { calls, 1, legs, 2, TRUE };

	h->now = 4000;
	rrec_engine_reconcile (h->engine, h->now, &view);
	expect (h, "reconcile call=" C1 " port=+1555000 reason=reattached",
		"release-leg call=" C2 " port=+1555001 reason=call-gone", NULL);
	g_assert_cmpstr (rrec_engine_session_state (h->engine, C1), ==,
			 "recording");
	g_assert_false (rrec_engine_has_call (h->engine, C2));
	g_assert_cmpuint (rrec_engine_ports_in_use (h->engine), ==, 1);
	/* the engine goes on with the leg it found */
	ev_released (h, C1, "7001", 0, NULL);
	expect (h, RELEASE (C1, "000"), NULL);
	g_clear_pointer (&h->engine, rrec_engine_free);
	harness_remove_store (path);
}

/* A leg SIP Server no longer has is dialled again at once on the same
 * port (R18, R25); the time since the crash is a `restart` gap. */
static void
reconcile_leg_gone (Harness *h)
{
	HarnessOptions o = { .gaps = TRUE };
	g_autofree char *path = crash_with_two_calls (h, &o);
	const RrecLiveCall calls[] = { { C1, NULL }, { C2, NULL } };
	const RrecLiveLeg legs[] = {
		{ "+1555001", rrec_sip_sim_leg_at (h->sim, "+1555001") },
	};
	const RrecLiveView view = { calls, 2, legs, 1, TRUE };

	rrec_sip_sim_lose_leg (h->sim, "+1555000");
	h->now = 4000;
	rrec_engine_reconcile (h->engine, h->now, &view);
	harness_feed_answers (h);
	expect (h, "reconcile call=" C1 " port=+1555000 reason=leg-gone-redial",
		DIAL (C1, "000", "7001"),
		"reconcile call=" C2 " port=+1555001 reason=reattached",
		REC (C1, "start"), GAP (C1, 0, 4000, "restart"), NULL);
	/* the gap runs from the last step the store holds (the clock moving
	 * alone is not written), the last moment the leg is known to have
	 * recorded: it may over-state, never under-state */
	g_assert_cmpstr (rrec_engine_session_state (h->engine, C1), ==,
			 "recording");
	g_clear_pointer (&h->engine, rrec_engine_free);
	harness_remove_store (path);
}

/* R27: a client request waiting at the crash gets EventError setup-failed;
 * a leg no session owns is released; a party the host no longer lists
 * has left (here the last DN of this T-Server: the call ends). */
static void
reconcile_pending_orphan_party (Harness *h)
{
	g_autofree char *path = harness_temp_store ("state.db");
	g_autoptr (GError) error = NULL;
	gboolean restored = FALSE;
	static const char *const only_caller[] = { CALLER, NULL };

	harness_start (h, NULL);
	harness_open_store (h, path, &restored, &error);
	g_assert_no_error (error);
	ev_ringing (h, C1, "7002", CALLER, RREC_CALL_TYPE_INBOUND);
	req_private (h, 401, C1, "7002", START, NULL, NULL);	/* R6: waits */
	inbound (h, C2, "7001");
	expect (h, STARTED (C2, "000", "7001"), NULL);
	harness_open_store (h, path, &restored, &error);
	g_assert_no_error (error);

	const RrecLiveCall calls[] = { { C1, NULL }, { C2, only_caller } };
	const RrecLiveLeg legs[] = {
		{ "+1555000", rrec_sip_sim_leg_at (h->sim, "+1555000") },
		{ "+1555009", "00000000000000ee" },
	};
	const RrecLiveView view = { calls, 2, legs, 2, TRUE };

	rrec_engine_reconcile (h->engine, h->now, &view);
	expect (h, ERR ("401", "7002", C1, "setup-failed")
		" reason=pending-at-restart",
		RELEASE (C2, "000"),
		"release-leg port=+1555009 reason=orphan-at-restart", NULL);
	g_assert_false (rrec_engine_has_call (h->engine, C2));
	g_clear_pointer (&h->engine, rrec_engine_free);
	harness_remove_store (path);
}

/* The link down as the host has it (R23, R24): a leg found gone waits for
 * the link instead of being dialled. */
static void
reconcile_link_down (Harness *h)
{
	g_autofree char *path = crash_with_two_calls (h, NULL);
	const RrecLiveCall calls[] = { { C1, NULL }, { C2, NULL } };
	const RrecLiveView view = { calls, 2, NULL, 0, FALSE };

	h->link_up = FALSE;
	rrec_engine_reconcile (h->engine, h->now, &view);
	expect (h, ALARM ("server-link-down", "true"), LINK ("down"),
		"reconcile call=" C1 " port=+1555000 reason=leg-gone-redial",
		"reconcile call=" C2 " port=+1555001 reason=leg-gone-redial",
		NULL);
	g_assert_cmpstr (rrec_engine_session_state (h->engine, C1), ==,
			 "link_wait");
	sip_server_connected (h);
	expect (h, ALARM ("server-link-down", "false"), LINK ("up"),
		DIAL (C1, "000", "7001"), DIAL (C2, "001", "7003"),
		REC (C1, "start"), REC (C2, "start"), NULL);
	g_clear_pointer (&h->engine, rrec_engine_free);
	harness_remove_store (path);
}

/* R14, R23: a PAUSE in flight at the crash, and the host's link to SIP
 * Server is new (answers_lost): its answer will not come, so the leg is set
 * up again as after a link loss. */
static void
reconcile_pause_in_flight (Harness *h)
{
	g_autofree char *path = harness_temp_store ("state.db");
	g_autoptr (GError) error = NULL;
	gboolean restored = FALSE;

	harness_start (h, NULL);
	harness_open_store (h, path, &restored, &error);
	g_assert_no_error (error);
	inbound (h, C1, "7001");
	expect (h, STARTED (C1, "000", "7001"), NULL);
	h->healthy_sip = FALSE;
	ev_held (h, C1, "7001");
	expect (h, REC (C1, "pause"), NULL);
	harness_open_store (h, path, &restored, &error);
	g_assert_no_error (error);
	g_assert_cmpstr (rrec_engine_session_state (h->engine, C1), ==, "pausing");

	const RrecLiveCall calls[] = { { C1, NULL } };
	const RrecLiveLeg legs[] = {
		{ "+1555000", rrec_sip_sim_leg_at (h->sim, "+1555000") },
	};
	const RrecLiveView view = { calls, 1, legs, 1, TRUE, TRUE };

	h->healthy_sip = TRUE;
	rrec_engine_reconcile (h->engine, h->now, &view);
	expect (h, "reconcile call=" C1 " port=+1555000 reason=reattached",
		"release-leg call=" C1 " port=+1555000 reason=in-flight-at-restart",
		NULL);
	g_assert_cmpstr (rrec_engine_session_state (h->engine, C1), ==,
			 "reestablishing");
	advance (h, 5000);	/* R25: redialled, paused again (R14) */
	expect (h, DIAL (C1, "000", "7001"), REC (C1, "start"),
		REC (C1, "pause"), MARK (C1, "PAUSED"), NULL);
	g_clear_pointer (&h->engine, rrec_engine_free);
	harness_remove_store (path);
}

/* As many calls as the harness has ports, each with a PAUSE owed. */
#define MANY_CALLS 1000

/* A step's rows carry the requests in flight of the calls it changed:
 * read from those calls' sessions, not found among every request in
 * flight (which made each stored step cost the requests of all the
 * calls); a restart links them to their sessions again (R27: a call that
 * ends then reads its own). */
static void
store_step_reads_own_requests (Harness *h)
{
	g_autofree char *path = harness_temp_store ("state.db");
	g_autoptr (GError) error = NULL;
	gboolean restored = TRUE;
	char conn[17];
	guint64 before;

	harness_start (h, NULL);
	harness_open_store (h, path, &restored, &error);
	g_assert_no_error (error);
	for (guint i = 0; i < MANY_CALLS; i++) {
		g_snprintf (conn, sizeof conn, "%016x", 0x1000 + i);
		inbound (h, conn, "7001");
	}
	h->healthy_sip = FALSE;
	for (guint i = 0; i < MANY_CALLS; i++) {
		g_snprintf (conn, sizeof conn, "%016x", 0x1000 + i);
		ev_held (h, conn, "7001");
	}
	g_assert_cmpuint (harness_count_actions (h, "record call=* op=pause*"),
			  ==, MANY_CALLS);
	g_assert_cmpuint (requests_in_flight (h), ==, MANY_CALLS);
	/* a step that changes one call: its row, its one request */
	before = request_visits (h);
	ev_retrieved (h, C1, "7001");	/* no call of the engine's */
	g_assert_cmpuint (request_visits (h) - before, ==, 0);
	g_snprintf (conn, sizeof conn, "%016x", 0x1000);
	ev_retrieved (h, conn, "7001");
	expect (h, NULL);	/* the PAUSE's answer decides (R14) */
	g_assert_cmpuint (request_visits (h) - before, ==, 1);

	harness_open_store (h, path, &restored, &error);
	g_assert_no_error (error);
	g_assert_true (restored);
	g_assert_cmpuint (requests_in_flight (h), ==, MANY_CALLS);
	before = request_visits (h);
	g_snprintf (conn, sizeof conn, "%016x", 0x1000 + MANY_CALLS - 1);
	ev_released (h, conn, "7001", 0, NULL);
	expect (h, RELEASE ("00000000000013e7", "999"), NULL);
	/* the session's end drops its PAUSE, the step writes no request */
	g_assert_cmpuint (request_visits (h) - before, ==, 1);
	g_assert_cmpuint (requests_in_flight (h), ==, MANY_CALLS - 1);
	g_clear_pointer (&h->engine, rrec_engine_free);
	harness_remove_store (path);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_log_set_writer_func (count_mode_reports, NULL, NULL);
	harness_add_once ("store/round-trip", TRUE, store_round_trip);
	harness_add_once ("store/corrupt", TRUE, store_corrupt);
	harness_add_once ("store/unreadable", TRUE, store_unreadable);
	harness_add_once ("store/locked-by-another-engine", TRUE, store_locked);
	harness_add_once ("store/other-state-version", TRUE, store_other_version);
	harness_add_once ("store/sigkill", TRUE, store_sigkill);
	harness_add_once ("store/refuses-text-file", TRUE, store_refuses_text_file);
	harness_add_once ("store/refuses-other-database", TRUE,
			  store_refuses_other_database);
	harness_add_once ("store/corrupt-never-overwritten", TRUE,
			  store_corrupt_never_overwritten);
	harness_add_once ("store/symlink-stays-a-link", TRUE,
			  store_symlink_stays_a_link);
	harness_add_once ("store/private-files", TRUE, store_private_files);
	harness_add_once ("store/schema-1-refused", TRUE, store_schema_1_refused);
	harness_add_once ("store/replace", TRUE, store_replace);
	harness_add_once ("store/step-touching-many-calls", TRUE,
			  store_step_touching_many_calls);
	harness_add_once ("store/rows-follow-the-calls", TRUE,
			  store_rows_follow_the_calls);
	harness_add_once ("store/numbering-in-call-rows", FALSE,
			  store_numbering_in_call_rows);
	harness_add_once ("store/reads-version-10-rows", FALSE,
			  store_reads_version_10_rows);
	harness_add_once ("store/r32-rename-moves-the-row", TRUE,
			  store_r32_rename_moves_the_row);
	harness_add_once ("store/crash-between-commit-and-actions", FALSE,
			  store_crash_between_commit_and_actions);
	harness_add_once ("reconcile/reattach-and-call-gone", TRUE,
			  reconcile_reattach_and_call_gone);
	harness_add_once ("reconcile/leg-gone-redial", TRUE, reconcile_leg_gone);
	harness_add_once ("reconcile/pending-orphan-party", TRUE,
			  reconcile_pending_orphan_party);
	harness_add_once ("reconcile/link-down", TRUE, reconcile_link_down);
	harness_add_once ("store/step-reads-own-requests", FALSE,
			  store_step_reads_own_requests);
	harness_add_once ("reconcile/pause-in-flight", FALSE,
			  reconcile_pause_in_flight);
	return g_test_run ();
}
