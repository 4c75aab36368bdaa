/*
 * test-replay-r33.c — a durable replay killed and resumed (issue #12's
 * --resume) gives the uninterrupted replay's output and summary, also
 * when R33's leg queries were owed at the kill.
 *
 * /replay/R33/resume-owed-query/…: killed while its queries are owed (the
 * link-up step that sent them stored, SIP Server's answers not yet
 * heard), then resumed on the same store, it prints after its `resume`
 * line what the uninterrupted replay printed after those queries: a
 * failed-over SIP Server's EventError releases the legs
 * (`server-failover`) and they are dialled again; a SIP Server that kept
 * them answers EventPartyInfo and nothing changes.
 *
 * /replay/resume/every-line/…: killed as it prints each of its lines in
 * turn; the resumed one prints what the uninterrupted one printed after
 * the stored time, and the same summary (recorded and paused time
 * included).
 *
 * The kills are deterministic: the child's output stream dies (SIGKILL)
 * as it is handed the chosen line, which the replay does only once the
 * step that decided it is committed to the store.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "replay.h"
#include "test-util.h"

typedef struct {
	const char *name;	/* the test path's last part */
	const char *log;	/* tests/replay/NAME.log */
	const char *config;	/* tests/replay/NAME */
	gboolean failover;	/* keep the log's failover = 1 */
} Case;

static const Case cases[] = {
	{ "failover-moh-true", "r33-failover-moh-true", "moh-true.ini", TRUE },
	{ "failover-moh-false", "r33-failover-moh-false", "moh-false.ini", TRUE },
	{ "legs-kept-moh-true", "r33-failover-moh-true", "moh-true.ini", FALSE },
	{ "legs-kept-moh-false", "r33-failover-moh-false", "moh-false.ini", FALSE },
};

static char *
replay_file (const char *file)
{
	g_autofree char *path = g_test_build_filename (G_TEST_DIST, "replay",
						       file, NULL);
	g_autoptr (GError) error = NULL;
	char *text = NULL;

	g_file_get_contents (path, &text, NULL, &error);
	g_assert_no_error (error);
	return text;
}

/* The log of @c: without failover, its EventServerConnected brings back
 * the same SIP Server (no Extensions), which still has the legs. */
static char *
case_log (const Case *c)
{
	g_autofree char *file = g_strconcat (c->log, ".log", NULL);
	char *text = replay_file (file);
	const char *extensions =
		"\tAttributeExtensions\t[14] 00 01 00 00..\n\t\t'failover'\t1\n";

	if (c->failover)
		return text;
	g_auto (GStrv) parts = g_strsplit (text, extensions, -1);
	g_assert_cmpuint (g_strv_length (parts), ==, 2);
	g_free (text);
	return g_strjoinv ("", parts);
}

static RrecConfig *
case_config (const Case *c)
{
	g_autofree char *path = g_test_build_filename (G_TEST_DIST, "replay",
						       c->config, NULL);
	g_autoptr (GError) error = NULL;
	RrecConfig *config = rrec_config_new_from_file (path, &error);

	g_assert_no_error (error);
	return config;
}

/* A replay of @log with --json, on the store at @state unless NULL (with
 * --resume when @resume); its output. */
static char *
replay (RrecConfig *config, const char *log, const char *state, gboolean resume)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream (&buf, &len);
	FILE *err = fopen ("/dev/null", "w");
	g_autoptr (GError) error = NULL;

	g_assert_nonnull (out);
	g_assert_nonnull (err);
	RrecReplay *r = rrec_replay_new (config, RREC_REPLAY_JSON, out, err);
	if (state && resume)
		g_assert_true (rrec_replay_resume_state (r, state,
							 RREC_STORE_SYNC_NORMAL,
							 &error));
	else if (state)
		g_assert_true (rrec_replay_set_state (r, state,
						      RREC_STORE_SYNC_NORMAL,
						      &error));
	g_assert_no_error (error);
	rrec_replay_feed (r, "r33.log", log, strlen (log));
	g_assert_cmpint (rrec_replay_finish (r), ==, 0);
	rrec_replay_free (r);
	fclose (out);
	fclose (err);
	return buf;
}

/* ---- the child killed as its first leg query is printed ------------------- */

static GString *seen;
static guint kill_line;		/* 0: at the first query-leg line */
static guint lines_seen;

static ssize_t
dying_write (void *cookie, const char *data, size_t len)
{
	g_string_append_len (seen, data, len);
	for (size_t i = 0; i < len; i++)
		lines_seen += data[i] == '\n';
	if (kill_line ? lines_seen >= kill_line :
	    strstr (seen->str, "\"action\":\"query-leg\"") != NULL) {
		/* what the host saw is written, then the process dies */
		g_assert_cmpint (write (GPOINTER_TO_INT (cookie), seen->str,
					seen->len), ==, (gssize) seen->len);
		raise (SIGKILL);
	}
	return (ssize_t) len;
}

/* Runs the durable replay in a child that dies as it prints its @line-th
 * line (0: its first query-leg line); returns what it printed up to it. */
static GString *
replay_killed (RrecConfig *config, const char *log, const char *state,
	       guint line)
{
	int fds[2];
	int status;

	g_assert_cmpint (pipe (fds), ==, 0);
	pid_t pid = fork ();
	g_assert_cmpint (pid, >=, 0);
	if (pid == 0) {
		cookie_io_functions_t io = { .write = dying_write };
		FILE *out, *err = fopen ("/dev/null", "w");
		g_autoptr (GError) error = NULL;

		close (fds[0]);
		seen = g_string_new (NULL);
		kill_line = line;
		lines_seen = 0;
		out = fopencookie (GINT_TO_POINTER (fds[1]), "w", io);
		if (out == NULL || err == NULL)
			_exit (5);
		setvbuf (out, NULL, _IONBF, 0);
		RrecReplay *r = rrec_replay_new (config, RREC_REPLAY_JSON, out,
						 err);
		if (!rrec_replay_set_state (r, state, RREC_STORE_SYNC_NORMAL,
					    &error))
			_exit (6);
		rrec_replay_feed (r, "r33.log", log, strlen (log));
		rrec_replay_finish (r);
		_exit (4);	/* never queried a leg */
	}
	close (fds[1]);
	GString *got = test_read_child (fds[0], pid, &status);
	g_assert_true (WIFSIGNALED (status));
	g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);
	return got;
}

/* R33 after --resume: the answers owed to the killed replay's queries are
 * those the uninterrupted replay got. */
static void
test_resume_owed_query (gconstpointer data)
{
	const Case *c = data;
	g_autoptr (RrecConfig) config = case_config (c);
	g_autofree char *log = case_log (c);
	g_autofree char *dir = g_dir_make_tmp ("rrec-r33-XXXXXX", NULL);
	g_autofree char *state = g_build_filename (dir, "state.db", NULL);
	g_autofree char *plain = replay (config, log, NULL, FALSE);

	g_autoptr (GString) killed = replay_killed (config, log, state, 0);
	g_autofree char *resumed = replay (config, log, state, TRUE);

	/* the uninterrupted replay after its queries (all of that step's) */
	g_auto (GStrv) want = g_strsplit (plain, "\n", -1);
	guint after_queries = 0;
	for (guint i = 0; want[i]; i++)
		if (strstr (want[i], "\"action\":\"query-leg\""))
			after_queries = i + 1;
	g_assert_cmpuint (after_queries, >, 0);
	g_autofree char *expected = g_strjoinv ("\n", want + after_queries);

	/* the killed one printed the uninterrupted lines up to its first
	 * query */
	g_assert_true (g_str_has_prefix (plain, killed->str));

	/* the resumed one: its `resume` line at the queries' time, the
	 * reconciliation (documented, left out), then the rest */
	g_auto (GStrv) got = g_strsplit (resumed, "\n", -1);
	g_autofree char *first = test_json_member (got[0], "action");
	g_autofree char *t = test_json_member (got[0], "time");
	g_assert_cmpstr (first, ==, "resume");
	g_assert_cmpstr (t, ==, "15:00:45.000");
	g_autoptr (GString) rest = g_string_new (NULL);
	for (guint i = 1; got[i]; i++) {
		g_autofree char *a = test_json_member (got[i], "action");

		if (g_strcmp0 (a, "reconcile") == 0)
			continue;
		g_string_append (rest, got[i]);
		if (got[i + 1])
			g_string_append_c (rest, '\n');
	}
	test_assert_same_text ("uninterrupted, after the queries", expected,
			       "resumed", rest->str);
	test_remove_dir (dir);
}

/* ---- killed at every line -------------------------------------------------- */

/* Golden replays without client requests (a request pending at the kill is
 * answered `pending-at-restart`, a documented difference): holds with
 * record-moh = false, transfers, a conference, a consultation recorded
 * (R36), dropped legs, the link lost, a failover. */
static const Case every_line[] = {
	{ "m5-transfer-moh-false", "m5-transfer-moh-false", "moh-false.ini", TRUE },
	{ "m6-single-step-moh-false", "m6-single-step-moh-false", "moh-false.ini", TRUE },
	{ "r25-leg-dropped-reestablished", "r25-leg-dropped-reestablished", "moh-false.ini", TRUE },
	{ "r33-failover-moh-false", "r33-failover-moh-false", "moh-false.ini", TRUE },
	{ "r33-failover-moh-true", "r33-failover-moh-true", "moh-true.ini", TRUE },
	{ "m5-conference-moh-false", "m5-conference-moh-false", "moh-false.ini", TRUE },
	{ "r36-transfer-moh-false", "r36-transfer-moh-false", "r36-moh-false.ini", TRUE },
	{ "r25-redial-after-link-up", "r25-redial-after-link-up", "moh-true.ini", TRUE },
};

/* Issue #12, R33: a durable replay killed as it prints each of its lines
 * in turn, then resumed, prints after its `resume` line what the
 * uninterrupted replay printed after the stored time (reconciliation
 * lines aside; at that millisecond what the killed one had not printed
 * yet, a suffix) — and the same summary: recorded and paused time,
 * counts and ports as if it had never stopped. */
static void
test_resume_every_line (gconstpointer data)
{
	const Case *c = data;
	g_autoptr (RrecConfig) config = case_config (c);
	g_autofree char *log = case_log (c);
	g_autofree char *dir = g_dir_make_tmp ("rrec-resume-XXXXXX", NULL);
	g_autofree char *state = g_build_filename (dir, "state.db", NULL);
	g_autofree char *plain = replay (config, log, NULL, FALSE);
	g_auto (GStrv) want = g_strsplit (plain, "\n", -1);
	guint n = g_strv_length (want) - 1;	/* the last is empty */

	g_assert_cmpstr (want[n], ==, "");
	for (guint k = 1; k < n; k++) {	/* not the summary */
		g_autoptr (GString) killed = replay_killed (config, log, state, k);
		g_autofree char *resumed = replay (config, log, state, TRUE);
		g_autofree char *what = g_strdup_printf ("resumed after line %u", k);

		g_assert_true (g_str_has_prefix (plain, killed->str));
		test_assert_resumed (plain, resumed, what, NULL);
	}
	test_remove_dir (dir);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	for (guint i = 0; i < G_N_ELEMENTS (every_line); i++) {
		g_autofree char *path = g_strconcat ("/replay/resume/every-line/",
						     every_line[i].name, NULL);

		g_test_add_data_func (path, &every_line[i], test_resume_every_line);
	}
	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autofree char *path = g_strconcat ("/replay/R33/resume-owed-query/",
						     cases[i].name, NULL);

		g_test_add_data_func (path, &cases[i], test_resume_owed_query);
	}
	return g_test_run ();
}
