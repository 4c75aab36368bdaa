/*
 * test-replay.c — golden replay tests (behaviour.md §5, §6): every log of
 * tests/replay/ is replayed through the replay module with the simulated
 * SIP Server, and its JSON lines are compared with the reviewed NAME.jsonl.
 *
 * The golden files were written from the specification, not blessed from
 * the engine: where the engine disagrees, the case carries a `bug` note,
 * is reported with g_test_incomplete() and is not compared (yet), so that
 * the suite stays green while the lead fixes the engine.
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "json-check.h"
#include "pgtemp.h"
#include "replay.h"
#include "test-util.h"

/* With --pg (issue #13): the suite's own PostgreSQL server, and the store
 * of the replay being run (a database of its own per case), or NULL. */
static RrecPgTemp *pg_server;
static char *store_uri;

typedef struct {
	const char *name;	/* tests/replay/NAME.log and NAME.jsonl */
	const char *path;	/* the GLib test path */
	const char *config;	/* the configuration, in tests/replay/ */
	RrecReplayFlags flags;	/* besides RREC_REPLAY_JSON */
	int status;		/* the expected exit status (§6) */
	const char *bug;	/* where the engine disagrees with the golden file */
} ReplayCase;

#define MOH_TRUE "moh-true.ini"
#define MOH_FALSE "moh-false.ini"

static const ReplayCase cases[] = {
	/* M1, R1, R19, R21, R26, R28, R29 */
	{ "m1-inbound-moh-true", "/replay/M1/moh-true/inbound-direct", MOH_TRUE },
	{ "m1-inbound-moh-false", "/replay/M1/moh-false/inbound-direct", MOH_FALSE },
	/* M2, R9 (one party left, call goes on: STOP, release, OFF) */
	{ "m2-internal-moh-true", "/replay/M2/moh-true/internal", MOH_TRUE },
	{ "m2-internal-moh-false", "/replay/M2/moh-false/internal", MOH_FALSE },
	/* M3, R1 (routing-point trigger), R13 (owner = the routing point) */
	{ "m3-routed-moh-true", "/replay/M3/moh-true/routed-record-rp", MOH_TRUE },
	{ "m3-routed-moh-false", "/replay/M3/moh-false/routed-record-rp", MOH_FALSE },
	/* M4, R14, R15, R17, R27 (answers at once when no GSIP is needed) */
	{ "m4-hold-moh-true", "/replay/M4/moh-true/hold-and-client-pause", MOH_TRUE },
	{ "m4-hold-moh-false", "/replay/M4/moh-false/hold-and-client-pause", MOH_FALSE },
	/* M5, R8, R9, R11, R16 */
	{ "m5-transfer-moh-true", "/replay/M5/moh-true/two-step-transfer", MOH_TRUE },
	{ "m5-transfer-moh-false", "/replay/M5/moh-false/two-step-transfer", MOH_FALSE, },
	{ "m5-conference-moh-true", "/replay/M5/moh-true/two-step-conference", MOH_TRUE },
	{ "m5-conference-moh-false", "/replay/M5/moh-false/two-step-conference", MOH_FALSE },
	{ "m5-abandoned-moh-true", "/replay/M5/moh-true/abandoned-consultation", MOH_TRUE },
	{ "m5-abandoned-moh-false", "/replay/M5/moh-false/abandoned-consultation", MOH_FALSE },
	/* M6, R8, R16 */
	{ "m6-single-step-moh-true", "/replay/M6/moh-true/single-step-transfer", MOH_TRUE },
	{ "m6-single-step-moh-false", "/replay/M6/moh-false/single-step-transfer", MOH_FALSE },
	/* M7, R12 */
	{ "m7-supervision-moh-true", "/replay/M7/moh-true/supervision", MOH_TRUE },
	{ "m7-supervision-moh-false", "/replay/M7/moh-false/supervision", MOH_FALSE },
	/* M8, R2, R5 */
	{ "m8-outbound-moh-true", "/replay/M8/moh-true/outbound-direct-dial", MOH_TRUE },
	{ "m8-outbound-moh-false", "/replay/M8/moh-false/outbound-direct-dial", MOH_FALSE },
	/* M9, R19, R20, R25, §6 --no-sim (ReferenceIDs 1, 2, 3…) */
	{ "m9-leg-no-sim-moh-true", "/replay/M9/moh-true/recording-leg-no-sim", MOH_TRUE,
	  RREC_REPLAY_NO_SIM },
	{ "m9-leg-no-sim-moh-false", "/replay/M9/moh-false/recording-leg-no-sim", MOH_FALSE,
	  RREC_REPLAY_NO_SIM },
	/* the simulator's faults (§6) */
	{ "r25-leg-dropped-reestablished", "/replay/R25/leg-dropped-reestablished",
	  MOH_FALSE },
	{ "r24-link-down-up", "/replay/R24/link-down-up", MOH_TRUE, },
	{ "r20-orphan-leg", "/replay/R20/orphan-leg", MOH_TRUE },
	{ "r25-redial-after-link-up", "/replay/R25/redial-after-link-up", MOH_TRUE },
	/* R3 veto, R10 STOP then a new trigger, R13 owner */
	{ "r3-veto-and-stop", "/replay/R3/veto-then-client-start-stop", MOH_TRUE, },
	{ "r27-client-errors", "/replay/R27/client-errors", MOH_TRUE, },
	{ "r22-no-free-port", "/replay/R22/no-free-port", "r22-no-free-port.ini", },
	{ "s7-malformed-blocks", "/replay/S7/malformed-blocks", MOH_TRUE,
	  .status = 1 },
	/* issue #11 */
	{ "r20-ringing-orphan", "/replay/R20/ringing-orphan", MOH_TRUE },
	{ "r31-call-deleted", "/replay/R31/call-deleted", MOH_TRUE },
	{ "r32-call-renamed-moh-true", "/replay/R32/moh-true/call-renamed", MOH_TRUE },
	{ "r32-call-renamed-moh-false", "/replay/R32/moh-false/call-renamed", MOH_FALSE },
	{ "r33-failover-moh-true", "/replay/R33/moh-true/failover", MOH_TRUE },
	{ "r33-failover-moh-false", "/replay/R33/moh-false/failover", MOH_FALSE },
	{ "r35-failing-no-sim", "/replay/R35/failing-no-sim", "r35-failing-no-sim.ini",
	  RREC_REPLAY_NO_SIM },
	/* issue #15: consultation calls recorded (R36) */
	{ "r36-transfer-moh-true", "/replay/R36/moh-true/transfer", "r36-moh-true.ini" },
	{ "r36-transfer-moh-false", "/replay/R36/moh-false/transfer", "r36-moh-false.ini" },
	{ "r36-conference-moh-false", "/replay/R36/moh-false/conference", "r36-moh-false.ini" },
	{ "r36-two-consultations", "/replay/R36/two-consultations", "r36-moh-true.ini" },
	{ "r36-merge-dialling-no-sim", "/replay/R36/merge-dialling-no-sim", "r36-moh-true.ini",
	  RREC_REPLAY_NO_SIM },
	/* §7: control characters in user data, escaped in every JSON line */
	{ "s7-control-characters", "/replay/S7/control-characters", MOH_TRUE },
};

static char *
replay_path (const char *file)
{
	return g_test_build_filename (G_TEST_DIST, "replay", file, NULL);
}

static char *
read_file (const char *path)
{
	g_autoptr (GError) error = NULL;
	char *text = NULL;

	g_file_get_contents (path, &text, NULL, &error);
	g_assert_no_error (error);
	return text;
}

/* Replays @log_text through the replay module, restarting the engine
 * before block @restart_block (0: never); returns the exit status.
 * *@blocks, unless NULL, gets the number of blocks read. */
static int
replay_full (RrecConfig *config, RrecReplayFlags flags, const char *name,
	     const char *log_text, guint64 restart_block, guint64 *blocks,
	     char **out, char **err)
{
	char *out_buf = NULL, *err_buf = NULL;
	size_t out_len = 0, err_len = 0;
	FILE *out_f = open_memstream (&out_buf, &out_len);
	FILE *err_f = open_memstream (&err_buf, &err_len);

	g_assert_nonnull (out_f);
	g_assert_nonnull (err_f);

	RrecReplay *r = rrec_replay_new (config, RREC_REPLAY_JSON | flags,
					 out_f, err_f);
	if (store_uri) {
		g_autoptr (GError) error = NULL;

		g_assert_true (rrec_replay_set_state (r, store_uri,
						      RREC_STORE_SYNC_NORMAL,
						      &error));
		g_assert_no_error (error);
	}
	if (restart_block > 0)
		g_assert_true (rrec_replay_restart_before_block (r, restart_block));
	rrec_replay_feed (r, name, log_text, strlen (log_text));
	int status = rrec_replay_finish (r);
	if (blocks)
		*blocks = rrec_replay_get_blocks (r);
	if (restart_block > 0)
		g_assert_cmpuint (rrec_replay_get_restarts (r), ==, 1);
	rrec_replay_free (r);

	fclose (out_f);
	fclose (err_f);
	*out = g_strdup (out_buf);
	*err = g_strdup (err_buf);
	free (out_buf);
	free (err_buf);
	return status;
}

static int
replay (RrecConfig *config, RrecReplayFlags flags, const char *name,
	const char *log_text, char **out, char **err)
{
	return replay_full (config, flags, name, log_text, 0, NULL, out, err);
}

/* §5: one JSON object per line (§7: RFC 8259, every control character
 * escaped), each with "time" (hh:mm:ss.mmm) and "action", the summary
 * last. */
static void
check_json_lines (const char *what, const char *text)
{
	g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
	guint n = g_strv_length (lines);

	g_assert_cmpuint (n, >=, 2);
	g_assert_cmpstr (lines[n - 1], ==, "");	/* ends with a newline */
	for (guint i = 0; i + 1 < n; i++) {
		g_autoptr (JsonParser) p = json_check_line (what, i + 1, lines[i]);
		JsonNode *root = json_parser_get_root (p);
		g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
		JsonObject *o = json_node_get_object (root);
		const char *t = json_object_get_string_member_with_default (o, "time", NULL);
		const char *a = json_object_get_string_member_with_default (o, "action", NULL);

		if (t == NULL || a == NULL)
			g_error ("%s:%u: no \"time\" or no \"action\"", what, i + 1);
		g_assert_true (g_regex_match_simple ("^[0-9]{2}:[0-5][0-9]:[0-5][0-9]\\.[0-9]{3}$",
						     t, 0, 0));
		g_assert_cmpint (strcmp (a, "summary") == 0, ==, i + 2 == n);
		/* §5: a call is 16 lower-case hex digits, a port a string */
		if (json_object_has_member (o, "call"))
			g_assert_true (g_regex_match_simple ("^[0-9a-f]{16}$",
							     json_object_get_string_member (o, "call"),
							     0, 0));
	}
}

/* NAME.stderr, when present, holds one `FILE:LINE:` prefix per expected
 * diagnostic (§7); without it, nothing may be reported. */
static void
check_stderr (const ReplayCase *c, const char *err)
{
	g_autofree char *file = g_strdup_printf ("%s.stderr", c->name);
	g_autofree char *path = replay_path (file);

	if (!g_file_test (path, G_FILE_TEST_EXISTS)) {
		g_assert_cmpstr (err, ==, "");
		return;
	}
	g_autofree char *want_text = read_file (path);
	g_auto (GStrv) want = g_strsplit (want_text, "\n", -1);
	g_auto (GStrv) got = g_strsplit (err, "\n", -1);

	g_assert_cmpuint (g_strv_length (got), ==, g_strv_length (want));
	for (guint i = 0; want[i]; i++)
		if (!g_str_has_prefix (got[i], want[i]))
			g_error ("%s: diagnostic %u is \"%s\", expected \"%s…\"",
				 c->name, i + 1, got[i], want[i]);
}

static void
test_case (gconstpointer data)
{
	const ReplayCase *c = data;
	g_autofree char *log_name = g_strdup_printf ("%s.log", c->name);
	g_autofree char *json_name = g_strdup_printf ("%s.jsonl", c->name);
	g_autofree char *log_path = replay_path (log_name);
	g_autofree char *json_path = replay_path (json_name);
	g_autofree char *config_path = replay_path (c->config);
	g_autofree char *log_text = read_file (log_path);
	g_autofree char *want = read_file (json_path);
	g_autofree char *out = NULL, *err = NULL;
	g_autoptr (GError) error = NULL;
	g_autoptr (RrecConfig) config = rrec_config_new_from_file (config_path, &error);

	g_assert_no_error (error);
	g_assert_cmpstr (rrec_config_get_warnings (config)[0], ==, NULL);	/* C1 */
	/* the golden file itself is well formed, whatever the engine does */
	check_json_lines (json_name, want);

	int status = replay (config, c->flags, log_name, log_text, &out, &err);

	if (c->bug) {
		g_test_incomplete (c->bug);
		return;
	}
	check_json_lines ("output", out);
	test_assert_same_text (json_name, want, "rrec replay --json", out);
	g_assert_cmpint (status, ==, c->status);
	check_stderr (c, err);

	/* issue #14: the lines handed over in batches (`rrec replay` off a
	 * terminal), the same bytes */
	g_autofree char *batched = NULL, *batched_err = NULL;
	int batched_status = replay (config, c->flags | RREC_REPLAY_BUFFERED,
				     log_name, log_text, &batched, &batched_err);
	test_assert_same_text (json_name, want, "rrec replay --json, batched",
			       batched);
	g_assert_cmpstr (batched_err, ==, err);
	g_assert_cmpint (batched_status, ==, status);
}

static JsonObject *
parse_line (JsonParser *p, const char *line)
{
	g_assert_true (json_parser_load_from_data (p, line, -1, NULL));
	return json_node_get_object (json_parser_get_root (p));
}

static const char *
member (JsonObject *o, const char *name)
{
	return json_object_get_string_member_with_default (o, name, "");
}

/*
 * The documented reconciliation actions of a restart (README, "Restart"):
 * the `restart` line itself, `reconcile` lines, legs released as
 * `orphan-at-restart`, and client requests answered `pending-at-restart`
 * (whose later answer in the uninterrupted run is thereby superseded).
 */
static gboolean
is_reconciliation (JsonObject *o, GHashTable *superseded)
{
	const char *a = member (o, "action");
	const char *reason = member (o, "reason");

	if (strcmp (a, "restart") == 0 || strcmp (a, "reconcile") == 0)
		return TRUE;
	if (strcmp (a, "release-leg") == 0 &&
	    strcmp (reason, "orphan-at-restart") == 0)
		return TRUE;
	if (strcmp (a, "client-reply") == 0 &&
	    strcmp (reason, "pending-at-restart") == 0) {
		g_hash_table_add (superseded, GINT_TO_POINTER (
			(gint) json_object_get_int_member (o, "refid")));
		return TRUE;
	}
	return FALSE;
}

/*
 * Issue #7: for every block boundary of the case as the restart point, the
 * actions with a restart equal those of the uninterrupted replay, apart
 * from the documented reconciliation actions.
 */
static void
test_restart (gconstpointer data)
{
	const ReplayCase *c = data;
	g_autofree char *log_name = g_strdup_printf ("%s.log", c->name);
	g_autofree char *log_path = replay_path (log_name);
	g_autofree char *config_path = replay_path (c->config);
	g_autofree char *log_text = read_file (log_path);
	g_autofree char *plain = NULL, *plain_err = NULL;
	g_autoptr (GError) error = NULL;
	g_autoptr (RrecConfig) config = rrec_config_new_from_file (config_path, &error);
	guint64 blocks = 0;
	guint reconciled = 0;

	g_assert_no_error (error);
	replay_full (config, c->flags, log_name, log_text, 0, &blocks,
		     &plain, &plain_err);
	g_auto (GStrv) want = g_strsplit (plain, "\n", -1);
	g_assert_cmpuint (blocks, >, 0);

	for (guint64 k = 1; k <= blocks; k++) {
		g_autofree char *out = NULL, *err = NULL;
		g_autoptr (GHashTable) superseded = g_hash_table_new (NULL, NULL);
		g_autoptr (GString) got = g_string_new (NULL);
		g_autoptr (GString) expected = g_string_new (NULL);

		int status = replay_full (config, c->flags, log_name, log_text, k,
					  NULL, &out, &err);
		g_assert_cmpint (status, ==, c->status);
		check_json_lines ("restarted", out);

		g_auto (GStrv) lines = g_strsplit (out, "\n", -1);
		for (guint i = 0; lines[i] && *lines[i]; i++) {
			g_autoptr (JsonParser) p = json_parser_new ();
			JsonObject *o = parse_line (p, lines[i]);

			if (is_reconciliation (o, superseded))
				reconciled++;
			else if (strcmp (member (o, "action"), "summary") != 0 ||
				 g_hash_table_size (superseded) == 0)
				g_string_append_printf (got, "%s\n", lines[i]);
		}
		for (guint i = 0; want[i] && *want[i]; i++) {
			g_autoptr (JsonParser) p = json_parser_new ();
			JsonObject *o = parse_line (p, want[i]);
			const char *a = member (o, "action");

			/* a summary counts the superseded replies' errors */
			if (strcmp (a, "summary") == 0 &&
			    g_hash_table_size (superseded) > 0)
				continue;
			if (strcmp (a, "client-reply") == 0 &&
			    g_hash_table_contains (superseded, GINT_TO_POINTER (
				    (gint) json_object_get_int_member (o, "refid"))))
				continue;
			g_string_append_printf (expected, "%s\n", want[i]);
		}
		g_autofree char *label = g_strdup_printf (
			"restarted before block %" G_GUINT64_FORMAT, k);
		test_assert_same_text ("uninterrupted", expected->str, label,
				       got->str);
	}
	g_test_message ("%" G_GUINT64_FORMAT " restart points, %u "
			"reconciliation actions", blocks, reconciled);
}

/* Every log in tests/replay/ is a case of the table, and every case has
 * its files: a new log cannot be forgotten. */
static void
test_all_listed (void)
{
	g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "replay", NULL);
	g_autoptr (GError) error = NULL;
	g_autoptr (GDir) dir = g_dir_open (dir_path, 0, &error);
	const char *f;
	guint logs = 0;

	g_assert_no_error (error);
	while ((f = g_dir_read_name (dir)) != NULL) {
		gboolean listed = FALSE;

		if (!g_str_has_suffix (f, ".log"))
			continue;
		logs++;
		for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
			listed = listed || (strlen (cases[i].name) + 4 == strlen (f) &&
					    strncmp (cases[i].name, f, strlen (f) - 4) == 0);
		if (!listed)
			g_error ("tests/replay/%s is in no case of test-replay.c", f);
	}
	g_assert_cmpuint (logs, ==, G_N_ELEMENTS (cases));
	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autofree char *j = g_strdup_printf ("%s.jsonl", cases[i].name);
		g_autofree char *jp = replay_path (j);
		g_autofree char *cp = replay_path (cases[i].config);

		g_assert_true (g_file_test (jp, G_FILE_TEST_EXISTS));
		g_assert_true (g_file_test (cp, G_FILE_TEST_EXISTS));
	}
}

/* The golden files are what the command line prints: `rrec replay --json
 * --config CONFIG [--no-sim] NAME.log` in tests/replay/ (§6). */
static void
test_cli (gconstpointer data)
{
	const ReplayCase *c = data;
	const char *rrec = g_getenv ("RREC_BIN");
	g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "replay", NULL);
	g_autofree char *log_name = g_strdup_printf ("%s.log", c->name);
	g_autofree char *out = NULL, *err = NULL, *cli_out = NULL, *cli_err = NULL;
	g_autoptr (GError) error = NULL;
	int wait_status = 0;

	if (rrec == NULL) {
		g_test_skip ("RREC_BIN is not set");
		return;
	}
	const char *argv[] = {
		rrec, "replay", "--json", "--config", c->config, log_name,
		c->flags & RREC_REPLAY_NO_SIM ? "--no-sim" : NULL, NULL
	};
	g_assert_true (g_spawn_sync (dir, (char **) argv, NULL, G_SPAWN_DEFAULT,
				     NULL, NULL, &cli_out, &cli_err,
				     &wait_status, &error));
	g_assert_no_error (error);

	g_autofree char *config_path = replay_path (c->config);
	g_autofree char *log_path = replay_path (log_name);
	g_autofree char *log_text = read_file (log_path);
	g_autoptr (RrecConfig) config = rrec_config_new_from_file (config_path, &error);
	g_assert_no_error (error);
	int status = replay (config, c->flags, log_name, log_text, &out, &err);

	test_assert_same_text ("in-process replay", out, "rrec replay --json", cli_out);
	test_assert_same_text ("in-process diagnostics", err, "rrec replay stderr", cli_err);
	g_assert_true (WIFEXITED (wait_status));
	g_assert_cmpint (WEXITSTATUS (wait_status), ==, status);
}

/* `rrec replay --state FILE --restart-at T`: a `restart` line followed by
 * its reconciliation, the store left in FILE; a bad time is a usage
 * error (exit 2). */
static void
test_cli_restart (void)
{
	const char *rrec = g_getenv ("RREC_BIN");
	g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "replay", NULL);
	g_autofree char *tmp = g_dir_make_tmp ("rrec-cli-XXXXXX", NULL);
	g_autofree char *state = g_build_filename (tmp, "state.db", NULL);
	g_autofree char *out = NULL, *err = NULL;
	g_autoptr (GError) error = NULL;
	int wait_status = 0;

	if (rrec == NULL) {
		g_test_skip ("RREC_BIN is not set");
		return;
	}
	const char *argv[] = {
		rrec, "replay", "--json", "--config", "moh-false.ini",
		"--state", state, "--restart-at", "10:00:30",
		"--restart-at", "10:01:05.000", "r25-leg-dropped-reestablished.log",
		NULL
	};
	g_assert_true (g_spawn_sync (dir, (char **) argv, NULL, G_SPAWN_DEFAULT,
				     NULL, NULL, &out, &err, &wait_status, &error));
	g_assert_no_error (error);
	g_assert_true (WIFEXITED (wait_status));
	g_assert_cmpint (WEXITSTATUS (wait_status), ==, 0);
	check_json_lines ("--restart-at", out);
	g_assert_nonnull (strstr (out, "{\"time\":\"10:00:30.000\",\"action\":\"restart\""));
	g_assert_nonnull (strstr (out, "{\"time\":\"10:01:05.000\",\"action\":\"restart\""));
	g_assert_nonnull (strstr (out, "\"reason\":\"reattached\""));
	g_assert_true (g_file_test (state, G_FILE_TEST_EXISTS));

	/* §7: a time that is not a time of day is a usage error */
	static const char *const bad_times[] = {
		"10:61:00", "25:00:00", "99:59:59.999", "-1:00:00", " 1:00:00",
	};
	for (guint i = 0; i < G_N_ELEMENTS (bad_times); i++) {
		const char *bad[] = {
			rrec, "replay", "--json", "--config", "moh-false.ini",
			"--restart-at", bad_times[i], "r25-leg-dropped-reestablished.log",
			NULL
		};
		g_clear_pointer (&out, g_free);
		g_clear_pointer (&err, g_free);
		g_assert_true (g_spawn_sync (dir, (char **) bad, NULL, G_SPAWN_DEFAULT,
					     NULL, NULL, &out, &err, &wait_status, &error));
		g_assert_cmpint (WEXITSTATUS (wait_status), ==, 2);
		g_assert_cmpstr (out, ==, "");
		g_assert_nonnull (strstr (err, "--restart-at"));
		g_assert_nonnull (strstr (err, "not a time of day"));
	}

	for (const char *ext = ""; ext; ext = *ext ? NULL : "-wal") {
		g_autofree char *f = g_strconcat (state, ext, NULL);
		g_unlink (f);
	}
	g_autofree char *shm = g_strconcat (state, "-shm", NULL);
	g_unlink (shm);
	g_rmdir (tmp);
}

/* The built-in example tells the whole story of `rrec replay` (§6). */
static void
test_example (void)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (RrecConfig) config =
		rrec_config_new_from_data (rrec_example_config,
					   strlen (rrec_example_config),
					   "<built-in example config>", &error);
	g_autofree char *out = NULL, *err = NULL;

	g_assert_no_error (error);
	int status = replay (config, 0, "<built-in example>", rrec_example_log,
			     &out, &err);
	g_assert_cmpint (status, ==, 0);
	g_assert_cmpstr (err, ==, "");
	check_json_lines ("example", out);

	g_auto (GStrv) lines = g_strsplit (out, "\n", -1);
	guint dials = 0, hold_pauses = 0, replies = 0, ended = 0;

	for (guint i = 0; lines[i] && *lines[i]; i++) {
		g_autoptr (JsonParser) p = json_parser_new ();

		g_assert_true (json_parser_load_from_data (p, lines[i], -1, NULL));
		JsonObject *o = json_node_get_object (json_parser_get_root (p));
		const char *a = json_object_get_string_member (o, "action");
		const char *op = json_object_get_string_member_with_default (o, "op", "");
		const char *why = json_object_get_string_member_with_default (o, "reasons", "");
		const char *reason = json_object_get_string_member_with_default (o, "reason", "");

		if (strcmp (a, "dial-leg") == 0)
			dials++;
		else if (strcmp (a, "record") == 0 && strcmp (op, "pause") == 0 &&
			 strcmp (why, "hold") == 0)
			hold_pauses++;		/* R15 */
		else if (strcmp (a, "client-reply") == 0)
			replies++;		/* R27 */
		else if (strcmp (a, "release-leg") == 0 &&
			 strcmp (reason, "call-ended") == 0)
			ended++;		/* R26 */
	}
	g_assert_cmpuint (dials, >=, 2);	/* R25: the re-dial */
	g_assert_cmpuint (hold_pauses, >=, 1);
	g_assert_cmpuint (replies, >=, 1);
	g_assert_cmpuint (ended, ==, 1);
}

/* §7: a store that cannot be opened (a directory, a path in no folder) is
 * exit 2 for rrec replay, nothing replayed — also with --restart-at,
 * whose restart would otherwise lose every call. */
static void
test_cli_state_unusable (void)
{
	const char *rrec = g_getenv ("RREC_BIN");
	g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "replay", NULL);
	g_autofree char *tmp = g_dir_make_tmp ("rrec-state-XXXXXX", NULL);
	g_autofree char *nowhere = g_build_filename (tmp, "no", "such", "state.db", NULL);
	const char *stores[] = { tmp, nowhere };

	if (rrec == NULL) {
		g_test_skip ("RREC_BIN is not set");
		return;
	}
	/* the folder without, the path in no folder with --restart-at */
	for (guint i = 0; i < G_N_ELEMENTS (stores); i++) {
		g_autofree char *out = NULL, *err = NULL;
		g_autoptr (GError) error = NULL;
		int wait_status = 0;
		const char *argv[] = {
			rrec, "replay", "--json", "--config", "moh-false.ini",
			"--state", stores[i], "r25-leg-dropped-reestablished.log",
			i == 1 ? "--restart-at" : NULL, "10:00:30", NULL
		};

		g_assert_true (g_spawn_sync (dir, (char **) argv, NULL,
					     G_SPAWN_DEFAULT, NULL, NULL, &out,
					     &err, &wait_status, &error));
		g_assert_true (WIFEXITED (wait_status));
		g_assert_cmpint (WEXITSTATUS (wait_status), ==, 2);
		g_assert_cmpstr (out, ==, "");
		g_assert_true (g_str_has_prefix (err, "rrec replay: --state: "));
	}
	g_assert_true (g_file_test (tmp, G_FILE_TEST_IS_DIR));
	g_rmdir (tmp);
}

/* Replays LOG_TEXT with the built-in example's configuration. */
static int
replay_with_example_config (const char *name, const char *log_text,
			    char **out, char **err)
{
	g_autoptr (GError) error = NULL;
	g_autoptr (RrecConfig) config =
		rrec_config_new_from_data (rrec_example_config,
					   strlen (rrec_example_config),
					   "<built-in example config>", &error);

	g_assert_no_error (error);
	return replay (config, 0, name, log_text, out, err);
}

/* An EventRinging for 7001 whose user data is DEPTH lists deep. */
static char *
nested_log (guint depth)
{
	GString *s = g_string_new ("10:00:00.000 distribute_event: message EventRinging\n"
				   "\tAttributeUserData\t[40] 00 01 00 00..\n");

	for (guint d = 1; d <= depth; d++) {
		for (guint t = 0; t <= d; t++)
			g_string_append_c (s, '\t');
		if (d < depth)
			g_string_append_printf (s, "'k%u'(list)\n", d);
		else
			g_string_append (s, "'leaf'\t'x'\n");
	}
	g_string_append (s, "\tAttributeThisDN\t'7001'\n"
			 "\tAttributeConnID\t006e02b5b2a9d001\n");
	return g_string_free (s, FALSE);
}

/* §7: user data 31 lists deep is read and replayed, 33 deep is a malformed
 * block; both in time linear in the input (the engine measured the depth
 * twice per level: 31 levels took 18 s). */
static void
test_nested_user_data (void)
{
	for (guint depth = 31; depth <= 33; depth += 2) {
		g_autofree char *log = nested_log (depth);
		g_autofree char *out = NULL, *err = NULL;
		int status = replay_with_example_config ("nested.log", log, &out, &err);

		check_json_lines ("nested", out);
		if (depth == 31) {
			g_assert_cmpint (status, ==, 0);
			g_assert_cmpstr (err, ==, "");
			g_assert_nonnull (strstr (out, "\"calls\":1,"));
		} else {
			g_assert_cmpint (status, ==, 1);
			g_assert_true (g_str_has_prefix (err, "nested.log:1: "));
			g_assert_nonnull (strstr (err, "deeper than 32"));
		}
	}
}

/* §7: the human timeline shows the control characters of log values
 * escaped (ESC, BEL, CR, U+001F, DEL, C1's CSI), never raw. */
static void
test_timeline_controls (void)
{
	g_autofree char *log_path = replay_path ("s7-control-characters.log");
	g_autofree char *config_path = replay_path (MOH_TRUE);
	g_autofree char *log_text = read_file (log_path);
	g_autoptr (GError) error = NULL;
	g_autoptr (RrecConfig) config = rrec_config_new_from_file (config_path, &error);
	char *out_buf = NULL, *err_buf = NULL;
	size_t out_len = 0, err_len = 0;
	FILE *out_f = open_memstream (&out_buf, &out_len);
	FILE *err_f = open_memstream (&err_buf, &err_len);

	g_assert_no_error (error);
	RrecReplay *r = rrec_replay_new (config, 0, out_f, err_f);
	rrec_replay_feed (r, "ctl\x1b.log", log_text, strlen (log_text));
	g_assert_cmpint (rrec_replay_finish (r), ==, 0);
	rrec_replay_free (r);
	fclose (out_f);
	fclose (err_f);
	for (const char *c = out_buf; *c; c++)
		if (((guchar) *c < 0x20 && *c != '\n') || *c == 0x7f ||
		    ((guchar) c[0] == 0xc2 && (guchar) c[1] >= 0x80 && (guchar) c[1] <= 0x9f))
			g_error ("raw control character 0x%02x in the timeline at byte %u",
				 (guchar) *c, (guint) (c - out_buf));
	g_assert_nonnull (strstr (out_buf, "'Esc':'\\x1b[2J\\x1b]0;owned\\x07'"));
	g_assert_nonnull (strstr (out_buf, "'Cr':'over\\rwrite'"));
	g_assert_nonnull (strstr (out_buf, "\\u009bz'"));
	g_assert_cmpstr (err_buf, ==, "");
	free (out_buf);
	free (err_buf);
}

/* ---- the log clock across midnight (§6) --------------------------------- */

#define DAY_MS (24 * 3600 * (gint64) 1000)

/* TEXT with every time stamp at the start of a line moved SHIFT_MS on
 * (ISO stamps with their date; the others modulo a day), and every ConnID
 * ending in "d00" renamed to end in ID (its last digit kept); ISO stamps
 * lose their date when DROP_ISO. */
static char *
shift_log (const char *text, gint64 shift_ms, char id, gboolean drop_iso)
{
	g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
	GString *out = g_string_new (NULL);

	for (guint i = 0; lines[i]; i++) {
		char *l = lines[i];
		int y = 0, mo = 0, d = 0, h, mi, se, ms, n = 0;
		const char *p = l;

		if (g_ascii_isdigit (l[0]) && l[4] == '-') {
			g_assert_cmpint (sscanf (l, "%4d-%2d-%2dT", &y, &mo, &d), ==, 3);
			p = l + 11;
			if (drop_iso)
				l = (char *) p, y = 0;
		} else if (l[0] == '@')
			p = l + 1;
		if (sscanf (p, "%2d:%2d:%2d.%3d%n", &h, &mi, &se, &ms, &n) == 4 &&
		    n == 12) {
			gint64 t = ((h * 60 + mi) * 60 + se) * (gint64) 1000 + ms + shift_ms;

			g_string_append_len (out, l, p - l);
			if (y) {
				g_autoptr (GDateTime) day = g_date_time_new_utc (y, mo, d, 0, 0, 0);
				g_autoptr (GDateTime) at = g_date_time_add_days (day, (gint) (t / DAY_MS));
				g_string_truncate (out, out->len - (p - l));
				g_string_append_printf (out, "%04d-%02d-%02dT",
							g_date_time_get_year (at),
							g_date_time_get_month (at),
							g_date_time_get_day_of_month (at));
			}
			t %= DAY_MS;
			g_string_append_printf (out, "%02d:%02d:%02d.%03d",
						(int) (t / 3600000), (int) (t / 60000 % 60),
						(int) (t / 1000 % 60), (int) (t % 1000));
			p += n;
		} else
			p = l;
		g_string_append (out, p);
		if (lines[i + 1])
			g_string_append_c (out, '\n');
	}
	char *result = g_string_free (out, FALSE);
	for (char *c = strstr (result, "006e02b5b2a9d00"); c; c = strstr (c + 16, "006e02b5b2a9d00"))
		c[13] = id;
	return result;
}

/* Every `hh:mm:ss.mmm` of TEXT moved SHIFT_MS back (modulo a day), and
 * every R29 `YYYY-MM-DD_hh-mm-ss` with its date. */
static char *
shift_back (const char *text, gint64 shift_ms)
{
	GString *out = g_string_new (NULL);
	const char *p = text;
	int y, mo, d, h, mi, se, ms, n;

	while (*p) {
		n = 0;
		if (g_ascii_isdigit (*p) &&
		    sscanf (p, "%4d-%2d-%2d_%2d-%2d-%2d%n", &y, &mo, &d, &h, &mi, &se, &n) == 6 &&
		    n == 19) {
			g_autoptr (GDateTime) at = g_date_time_new_utc (y, mo, d, h, mi, se);
			g_autoptr (GDateTime) back = g_date_time_add_seconds (at, -shift_ms / 1000.0);
			g_autofree char *f = g_date_time_format (back, "%Y-%m-%d_%H-%M-%S");

			g_string_append (out, f);
			p += n;
		} else if (g_ascii_isdigit (*p) &&
			   sscanf (p, "%2d:%2d:%2d.%3d%n", &h, &mi, &se, &ms, &n) == 4 &&
			   n == 12) {
			gint64 t = ((h * 60 + mi) * 60 + se) * (gint64) 1000 + ms - shift_ms;

			t = (t % DAY_MS + DAY_MS) % DAY_MS;
			g_string_append_printf (out, "%02d:%02d:%02d.%03d",
						(int) (t / 3600000), (int) (t / 60000 % 60),
						(int) (t / 1000 % 60), (int) (t % 1000));
			p += n;
		} else
			g_string_append_c (out, *p++);
	}
	return g_string_free (out, FALSE);
}

/* §6, R29: the example shifted to start at noon, at 23:58:30 (the re-dial,
 * the transfer and the release after midnight) and at 23:59:58 (the
 * session starts on the next day: R29's date advances) replays as the
 * original does, times aside. */
static void
test_midnight (void)
{
	static const gint64 starts[] = {
		12 * 3600000, (23 * 60 + 58) * 60000 + 30000, (23 * 60 + 59) * 60000 + 58000,
	};
	g_autofree char *want = NULL, *err0 = NULL;

	g_assert_cmpint (replay_with_example_config ("example.log", rrec_example_log,
						     &want, &err0), ==, 0);
	for (guint i = 0; i < G_N_ELEMENTS (starts); i++) {
		gint64 shift = starts[i] - 10 * 3600000;
		g_autofree char *log = shift_log (rrec_example_log, shift, '0', FALSE);
		g_autofree char *out = NULL, *err = NULL;
		int status = replay_with_example_config ("shifted.log", log, &out, &err);

		check_json_lines ("shifted", out);
		g_assert_cmpstr (err, ==, "");
		g_assert_cmpint (status, ==, 0);
		g_autofree char *back = shift_back (out, shift);
		test_assert_same_text ("the example", want, "the example shifted", back);
	}
	/* the session of the last one starts on the next day */
	g_autofree char *log = shift_log (rrec_example_log, starts[2] - 10 * 3600000,
					  '0', FALSE);
	g_autofree char *out = NULL, *err = NULL;
	replay_with_example_config ("shifted.log", log, &out, &err);
	g_assert_nonnull (strstr (out, "_2026-11-27_00-00-01\""));
}

/* §6, R29: three days in one log, each with the example starting at
 * 23:58:30: the first day's date from its ISO stamps, the second's ISO
 * stamps naming the next date, the third without a date (the clock alone
 * crosses midnight).  Every timer fires, every session is recorded whole,
 * and each session's file name carries its own date. */
static void
test_several_days (void)
{
	gint64 shift = (13 * 60 + 58) * 60000 + 30000;
	g_autofree char *day1 = shift_log (rrec_example_log, shift, '1', FALSE);
	g_autofree char *day2_text = shift_log (rrec_example_log, shift + DAY_MS, '2', FALSE);
	g_autofree char *day3 = shift_log (rrec_example_log, shift, '3', TRUE);
	/* the port pool hands out the next port each day: SIP Server drops
	 * that day's leg */
	strstr (day2_text, "'+1555000'")[8] = '1';
	strstr (day3, "'+1555000'")[8] = '2';
	g_autofree char *log = g_strconcat (day1, "\n", day2_text, "\n", day3, NULL);
	g_autofree char *out = NULL, *err = NULL;
	int status = replay_with_example_config ("days.log", log, &out, &err);

	check_json_lines ("days", out);
	g_assert_cmpstr (err, ==, "");
	g_assert_cmpint (status, ==, 0);
	g_assert_nonnull (strstr (out, "_2026-11-26_23-58-33\""));
	g_assert_nonnull (strstr (out, "_2026-11-27_23-58-33\""));
	g_assert_nonnull (strstr (out, "_2026-11-28_23-58-33\""));
	g_assert_nonnull (strstr (out, "\"recorded_ms\":365940,\"paused_ms\":150060,"));
	g_assert_nonnull (strstr (out, "\"pending_timers\":0,"));
	guint dials = 0;
	for (const char *p = strstr (out, "\"dial-leg\""); p; p = strstr (p + 1, "\"dial-leg\""))
		dials++;
	g_assert_cmpuint (dials, ==, 6);	/* R25: each day's re-dial */
}

/* §6: --restart-at names a time of day: in a log that starts at 23:58:30,
 * 00:00:10 is after midnight — after the 23:59:40 block and after the
 * re-dial at 00:00:05, not before the log's first block. */
static void
test_restart_after_midnight (void)
{
	gint64 shift = (13 * 60 + 58) * 60000 + 30000;
	g_autofree char *log = shift_log (rrec_example_log, shift, '0', FALSE);
	g_autoptr (GError) error = NULL;
	g_autoptr (RrecConfig) config =
		rrec_config_new_from_data (rrec_example_config,
					   strlen (rrec_example_config),
					   "<built-in example config>", &error);
	char *out_buf = NULL, *err_buf = NULL;
	size_t out_len = 0, err_len = 0;
	FILE *out_f = open_memstream (&out_buf, &out_len);
	FILE *err_f = open_memstream (&err_buf, &err_len);

	g_assert_no_error (error);
	RrecReplay *r = rrec_replay_new (config, RREC_REPLAY_JSON, out_f, err_f);
	g_assert_true (rrec_replay_add_restart (r, 10000));	/* 00:00:10 */
	rrec_replay_feed (r, "shifted.log", log, strlen (log));
	g_assert_cmpint (rrec_replay_finish (r), ==, 0);
	g_assert_cmpuint (rrec_replay_get_restarts (r), ==, 1);
	rrec_replay_free (r);
	fclose (out_f);
	fclose (err_f);
	check_json_lines ("restarted", out_buf);
	const char *restart = strstr (out_buf, "{\"time\":\"00:00:10.000\",\"action\":\"restart\"");
	const char *before = strstr (out_buf, "\"refid\":7,");	/* the 23:59:40 block */
	const char *redial = strstr (out_buf, "{\"time\":\"00:00:05.000\",\"action\":\"dial-leg\"");
	g_assert_nonnull (restart);
	g_assert_nonnull (before);
	g_assert_nonnull (redial);
	g_assert_true (before < redial && redial < restart);
	g_assert_cmpstr (err_buf, ==, "");
	free (out_buf);
	free (err_buf);
}

/* §6: a time that goes back by less than 12 hours is reported, the block
 * replayed at the previous time, and the exit status is 1. */
static void
test_clock_back (void)
{
	g_autofree char *log = shift_log (rrec_example_log, 0, '0', FALSE);
	char *at = strstr (log, "\n10:00:35.000 distribute_event: message EventRetrieved");

	g_assert_nonnull (at);
	memcpy (at + 1, "09:00:35.000", 12);
	g_autofree char *out = NULL, *err = NULL;
	int status = replay_with_example_config ("back.log", log, &out, &err);

	check_json_lines ("back", out);
	g_assert_cmpint (status, ==, 1);
	g_assert_cmpstr (err, ==, "back.log:37: clock goes back from 10:00:20.000 "
			 "to 09:00:35.000\n");
	/* the retrieve resumes at the time of the hold */
	g_assert_nonnull (strstr (out, "{\"time\":\"10:00:20.000\",\"action\":\"record\","
				  "\"call\":\"006e02b5b2a9d001\",\"op\":\"resume\""));
}

/* R17, issue #14: a recorded call paused by its client 30 times, the pauses
 * of 1…30 s in a shuffled order.  The human summary counts all 30 gaps,
 * lists the 20 longest in ledger order and says that 10 are not listed;
 * RREC_REPLAY_ALL_GAPS (--gaps) lists all 30; --json has every gap. */
#define SUMMARY_GAPS 30

static char *
many_gaps_log (gint64 *lengths)
{
	GString *log = g_string_new (
		"10:00:00.000 distribute_event: message EventRinging\n"
		"\tAttributeCallType\t2\n"
		"\tAttributeANI\t'+14155550100'\n"
		"\tAttributeDNIS\t'7001'\n"
		"\tAttributeOtherDN\t'+14155550100'\n"
		"\tAttributeThisDN\t'7001'\n"
		"\tAttributeConnID\t006e02b5b2a9d401\n"
		"10:00:01.000 distribute_event: message EventEstablished\n"
		"\tAttributeOtherDN\t'+14155550100'\n"
		"\tAttributeThisDN\t'7001'\n"
		"\tAttributeConnID\t006e02b5b2a9d401\n");
	gint64 t = 10 * 3600000 + 10000;

	for (guint i = 0; i < SUMMARY_GAPS; i++) {
		lengths[i] = ((i * 7) % SUMMARY_GAPS + 1) * 1000;
		for (guint k = 0; k < 2; k++) {
			gint64 at = t + (k ? lengths[i] : 0);
			g_string_append_printf (log,
				"%02d:%02d:%02d.%03d request from 2345(WDE_7001) "
				"message RequestPrivateService\n"
				"\tAttributePrivateMsgID\t%d\n"
				"\tAttributeReferenceID\t%u\n"
				"\tAttributeThisDN\t'7001'\n"
				"\tAttributeConnID\t006e02b5b2a9d401\n",
				(int) (at / 3600000), (int) (at / 60000 % 60),
				(int) (at / 1000 % 60), (int) (at % 1000),
				k ? 3016 : 3015, 100 + 2 * i + k);
		}
		t += lengths[i] + 5000;
	}
	g_string_append_printf (log,
		"%02d:%02d:%02d.000 distribute_event: message EventReleased\n"
		"\tAttributeThisDN\t'7001'\n"
		"\tAttributeConnID\t006e02b5b2a9d401\n",
		(int) (t / 3600000), (int) (t / 60000 % 60), (int) (t / 1000 % 60));
	return g_string_free (log, FALSE);
}

static char *
replay_text (RrecConfig *config, RrecReplayFlags flags, const char *log_text)
{
	char *out_buf = NULL;
	size_t out_len = 0;
	FILE *out_f = open_memstream (&out_buf, &out_len);
	FILE *err_f = fopen ("/dev/null", "w");

	g_assert_nonnull (out_f);
	g_assert_nonnull (err_f);
	RrecReplay *r = rrec_replay_new (config, flags, out_f, err_f);
	rrec_replay_feed (r, "<many gaps>", log_text, strlen (log_text));
	g_assert_cmpint (rrec_replay_finish (r), ==, 0);
	rrec_replay_free (r);
	fclose (out_f);
	fclose (err_f);
	return out_buf;
}

/* The gap lines of the summary (4 spaces, the ConnID), their lengths in
 * order into @listed; the "not listed" line's count into @unlisted (-1:
 * none). */
static guint
summary_gaps (const char *out, gint64 *listed, gint64 *unlisted, guint64 *total)
{
	const char *summary = strstr (out, "\nSummary at ");
	g_assert_nonnull (summary);
	g_auto (GStrv) lines = g_strsplit (summary, "\n", -1);
	guint n = 0;

	*unlisted = -1;
	*total = G_MAXUINT64;
	for (guint i = 0; lines[i]; i++) {
		unsigned h1, m1, s1, f1, h2, m2, s2, f2;
		guint64 count;

		if (sscanf (lines[i], "  gaps %" G_GUINT64_FORMAT, &count) == 1)
			*total = count;
		else if (g_str_has_prefix (lines[i], "    006e02b5b2a9d401  ")) {
			g_assert_cmpint (sscanf (lines[i] + 22,
						 "%u:%u:%u.%u - %u:%u:%u.%u",
						 &h1, &m1, &s1, &f1, &h2, &m2, &s2, &f2),
					 ==, 8);
			g_assert_cmpuint (n, <, SUMMARY_GAPS);
			listed[n++] = ((gint64) (h2 * 3600 + m2 * 60 + s2) * 1000 + f2) -
				      ((gint64) (h1 * 3600 + m1 * 60 + s1) * 1000 + f1);
		} else if (g_str_has_prefix (lines[i], "    (")) {
			g_assert_cmpint (sscanf (lines[i], "    (%" G_GINT64_FORMAT
						 " shorter gaps not listed: --gaps "
						 "lists them all)", unlisted), ==, 1);
		}
	}
	return n;
}

static void
test_summary_gaps (void)
{
	g_autoptr (GError) error = NULL;
	g_autofree char *config_path = replay_path (MOH_TRUE);
	g_autoptr (RrecConfig) config = rrec_config_new_from_file (config_path, &error);
	gint64 lengths[SUMMARY_GAPS], listed[SUMMARY_GAPS], unlisted;
	guint64 total;

	g_assert_no_error (error);
	g_autofree char *log = many_gaps_log (lengths);

	/* the default: the 20 longest (11…30 s), in the ledger's order */
	g_autofree char *text = replay_text (config, 0, log);
	guint n = summary_gaps (text, listed, &unlisted, &total);
	g_assert_cmpuint (total, ==, SUMMARY_GAPS);
	g_assert_cmpuint (n, ==, RREC_REPLAY_GAPS_SHOWN);
	g_assert_cmpint (unlisted, ==, SUMMARY_GAPS - RREC_REPLAY_GAPS_SHOWN);
	guint k = 0;
	for (guint i = 0; i < SUMMARY_GAPS; i++)
		if (lengths[i] > (SUMMARY_GAPS - RREC_REPLAY_GAPS_SHOWN) * 1000) {
			g_assert_cmpuint (k, <, n);
			g_assert_cmpint (listed[k++], ==, lengths[i]);
		}
	g_assert_cmpuint (k, ==, n);

	/* --gaps: every one, in the ledger's order, nothing left out */
	g_autofree char *all = replay_text (config, RREC_REPLAY_ALL_GAPS, log);
	n = summary_gaps (all, listed, &unlisted, &total);
	g_assert_cmpuint (total, ==, SUMMARY_GAPS);
	g_assert_cmpuint (n, ==, SUMMARY_GAPS);
	g_assert_cmpint (unlisted, ==, -1);
	for (guint i = 0; i < SUMMARY_GAPS; i++)
		g_assert_cmpint (listed[i], ==, lengths[i]);

	/* --json: one gap action per gap, as before */
	g_autofree char *json = replay_text (config, RREC_REPLAY_JSON, log);
	guint json_gaps = 0;
	for (const char *p = json; (p = strstr (p, "\"action\":\"gap\"")); p++)
		json_gaps++;
	g_assert_cmpuint (json_gaps, ==, SUMMARY_GAPS);
}

/* The case's store on the PostgreSQL server: a new database. */
static void
use_pg_store (const ReplayCase *c, const char *what)
{
	g_autoptr (GError) error = NULL;
	g_autofree char *db = g_strdup_printf ("%s_%s", what, c->name);

	g_strdelimit (db, "-", '_');
	g_free (store_uri);
	store_uri = rrec_pg_temp_new_database (pg_server, db, &error);
	g_assert_no_error (error);
}

/* Issue #13: with the store on PostgreSQL the replay acts as without a
 * store, in-process and through `rrec replay --state postgresql://…`. */
static void
test_pg_same (gconstpointer data)
{
	const ReplayCase *c = data;
	g_autofree char *log_name = g_strdup_printf ("%s.log", c->name);
	g_autofree char *log_path = replay_path (log_name);
	g_autofree char *config_path = replay_path (c->config);
	g_autofree char *log_text = read_file (log_path);
	g_autofree char *plain = NULL, *plain_err = NULL;
	g_autofree char *out = NULL, *err = NULL;
	g_autofree char *cli_out = NULL, *cli_err = NULL;
	g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "replay", NULL);
	g_autoptr (GError) error = NULL;
	g_autoptr (RrecConfig) config = rrec_config_new_from_file (config_path, &error);
	int wait_status = 0;

	g_assert_no_error (error);
	g_clear_pointer (&store_uri, g_free);
	int want = replay (config, c->flags, log_name, log_text, &plain,
			   &plain_err);
	use_pg_store (c, "same");
	int status = replay (config, c->flags, log_name, log_text, &out, &err);
	g_assert_cmpint (status, ==, want);
	test_assert_same_text ("without a store", plain, "store on PostgreSQL",
			       out);
	test_assert_same_text ("without a store (stderr)", plain_err,
			       "store on PostgreSQL (stderr)", err);

	const char *argv[] = {
		g_getenv ("RREC_BIN"), "replay", "--json", "--config", c->config,
		"--state", store_uri, log_name,
		c->flags & RREC_REPLAY_NO_SIM ? "--no-sim" : NULL, NULL
	};
	g_assert_nonnull (argv[0]);
	g_assert_true (g_spawn_sync (dir, (char **) argv, NULL, G_SPAWN_DEFAULT,
				     NULL, NULL, &cli_out, &cli_err,
				     &wait_status, &error));
	g_assert_no_error (error);
	test_assert_same_text ("without a store", plain,
			       "rrec replay --state postgresql://…", cli_out);
	g_assert_true (WIFEXITED (wait_status));
	g_assert_cmpint (WEXITSTATUS (wait_status), ==, want);
	g_clear_pointer (&store_uri, g_free);
}

/* The log's text in three parts at line boundaries before blocks (a line
 * that does not start with a blank), the middle one about a third. */
static void
split_in_three (const char *text, char **parts)
{
	g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
	guint n = g_strv_length (lines);
	guint cut[2] = { n / 3, 2 * n / 3 };
	GString *part = g_string_new (NULL);
	guint k = 0;

	for (guint i = 0; i < n; i++) {
		if (k < 2 && i >= cut[k] && lines[i][0] != '\t' &&
		    lines[i][0] != ' ') {
			parts[k++] = g_string_free (part, FALSE);
			part = g_string_new (NULL);
		}
		g_string_append (part, lines[i]);
		if (i + 1 < n)
			g_string_append_c (part, '\n');
	}
	while (k < 2)
		parts[k++] = g_strdup ("");
	parts[2] = g_string_free (part, FALSE);
}

/* JSON lines without the `state-store` alarm's; *@raised and *@cleared
 * count them. */
static char *
without_store_alarms (const char *text, guint *raised, guint *cleared)
{
	g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
	GString *s = g_string_new (NULL);

	for (guint i = 0; lines[i] && *lines[i]; i++) {
		g_autoptr (JsonParser) p = json_parser_new ();
		JsonObject *o = parse_line (p, lines[i]);

		if (strcmp (member (o, "action"), "alarm") == 0 &&
		    g_strcmp0 (json_object_get_string_member_with_default (
				       o, "name", ""), "state-store") == 0) {
			if (json_object_get_boolean_member (o, "raised"))
				(*raised)++;
			else
				(*cleared)++;
			continue;
		}
		g_string_append_printf (s, "%s\n", lines[i]);
	}
	return g_string_free (s, FALSE);
}

/*
 * Issue #13: the server stops for the middle third of the replay and
 * starts again.  The first step that cannot be stored raises
 * `state-store`; up to it the replay acts as one without a cut;
 * meanwhile the engine holds its actions back (the simulator, as host,
 * acts on nothing unstored: test-store-pg checks the order exactly); the
 * first step after the server is back stores everything, delivers the
 * held actions and clears the alarm; the replay ends as it would, and
 * its store restores.
 */
static void
test_pg_connection_cut (gconstpointer data)
{
	const ReplayCase *c = data;
	g_autofree char *log_name = g_strdup_printf ("%s.log", c->name);
	g_autofree char *log_path = replay_path (log_name);
	g_autofree char *config_path = replay_path (c->config);
	g_autofree char *log_text = read_file (log_path);
	g_autofree char *plain = NULL, *plain_err = NULL;
	g_autoptr (GError) error = NULL;
	g_autoptr (RrecConfig) config = rrec_config_new_from_file (config_path, &error);
	char *parts[3];
	char *out_buf = NULL, *err_buf = NULL;
	size_t out_len = 0, err_len = 0;
	guint raised = 0, cleared = 0;

	g_assert_no_error (error);
	g_clear_pointer (&store_uri, g_free);
	int want = replay (config, c->flags, log_name, log_text, &plain,
			   &plain_err);
	split_in_three (log_text, parts);
	use_pg_store (c, "cut");

	FILE *out_f = open_memstream (&out_buf, &out_len);
	FILE *err_f = open_memstream (&err_buf, &err_len);
	RrecReplay *r = rrec_replay_new (config, RREC_REPLAY_JSON | c->flags,
					 out_f, err_f);
	g_assert_true (rrec_replay_set_state (r, store_uri,
					      RREC_STORE_SYNC_NORMAL, &error));
	g_assert_no_error (error);
	rrec_replay_feed (r, log_name, parts[0], strlen (parts[0]));
	g_assert_true (rrec_pg_temp_stop_server (pg_server, &error));
	g_assert_no_error (error);
	rrec_replay_feed (r, log_name, parts[1], strlen (parts[1]));
	g_assert_true (rrec_pg_temp_start_server (pg_server, &error));
	g_assert_no_error (error);
	rrec_replay_feed (r, log_name, parts[2], strlen (parts[2]));
	rrec_replay_end_file (r);
	int status = rrec_replay_finish (r);
	rrec_replay_free (r);
	fclose (out_f);
	fclose (err_f);
	for (guint i = 0; i < 3; i++)
		g_free (parts[i]);
	g_assert_cmpint (status, ==, want);
	check_json_lines ("cut", out_buf);

	/* up to the alarm, the lines of the replay without a cut */
	const char *alarm = strstr (out_buf, "\"name\":\"state-store\"");
	g_assert_nonnull (alarm);
	while (alarm > out_buf && alarm[-1] != '\n')
		alarm--;
	g_autofree char *before = g_strndup (out_buf, alarm - out_buf);
	g_assert_true (g_str_has_prefix (plain, before));
	g_autofree char *rest = without_store_alarms (out_buf, &raised, &cleared);
	g_test_message ("%zu of %zu bytes as without a cut; state-store raised "
			"%u, cleared %u", strlen (before), strlen (plain), raised,
			cleared);
	/* raised at the first step that could not be stored; cleared once
	 * a step finds the store holding the state (written again, or a
	 * step that changed nothing since the last write) */
	g_assert_cmpuint (raised, >=, 1);
	g_assert_cmpuint (cleared, ==, raised);
	free (out_buf);
	free (err_buf);

	/* the store restores */
	gboolean restored = FALSE;
	RrecEngine *e = rrec_engine_open (config, NULL, NULL, store_uri,
					  RREC_STORE_SYNC_NORMAL, &restored,
					  &error);
	g_assert_no_error (error);
	g_assert_true (restored);
	rrec_engine_free (e);
	g_clear_pointer (&store_uri, g_free);
}

/* Issue #13: restart equivalence at every block boundary with the store
 * on PostgreSQL. */
static void
test_pg_restart (gconstpointer data)
{
	use_pg_store (data, "restart");
	test_restart (data);
	g_clear_pointer (&store_uri, g_free);
}

int
main (int argc, char **argv)
{
	gboolean pg = argc > 1 && strcmp (argv[1], "--pg") == 0;

	if (pg) {
		/* ours, not g_test_init's */
		argv[1] = argv[0];
		argv++;
		argc--;
	}
	g_test_init (&argc, &argv, NULL);
	if (pg) {
		g_autoptr (GError) error = NULL;
		int status;

		/* a write that fails is logged as a warning: not fatal here */
		g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
		pg_server = rrec_pg_temp_start (&error);
		if (pg_server == NULL)
			g_error ("%s", error->message);
		for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
			g_autofree char *same = g_strdup_printf (
				"/replay/pg/same/%s", cases[i].name);
			g_autofree char *rs = g_strdup_printf (
				"/replay/pg/restart/%s", cases[i].name);

			g_test_add_data_func (same, &cases[i], test_pg_same);
			g_test_add_data_func (rs, &cases[i], test_pg_restart);
			if (strcmp (cases[i].name, "m4-hold-moh-false") == 0 ||
			    strcmp (cases[i].name, "r25-leg-dropped-reestablished") == 0 ||
			    strcmp (cases[i].name, "m5-transfer-moh-true") == 0) {
				g_autofree char *cut = g_strdup_printf (
					"/replay/pg/connection-cut/%s",
					cases[i].name);
				g_test_add_data_func (cut, &cases[i],
						      test_pg_connection_cut);
			}
		}
		status = g_test_run ();
		rrec_pg_temp_free (pg_server);
		return status;
	}

	g_test_add_func ("/replay/cases/all-listed", test_all_listed);
	g_test_add_func ("/replay/example/built-in", test_example);
	g_test_add_func ("/replay/cli/restart-at", test_cli_restart);
	g_test_add_func ("/replay/summary/R17-longest-gaps", test_summary_gaps);
	g_test_add_func ("/replay/cli/state-unusable", test_cli_state_unusable);
	g_test_add_func ("/replay/S7/nested-user-data", test_nested_user_data);
	g_test_add_func ("/replay/S7/timeline-control-characters", test_timeline_controls);
	g_test_add_func ("/replay/S6/midnight/example-shifted", test_midnight);
	g_test_add_func ("/replay/S6/midnight/several-days", test_several_days);
	g_test_add_func ("/replay/S6/clock-goes-back", test_clock_back);
	g_test_add_func ("/replay/S6/midnight/restart-at", test_restart_after_midnight);
	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_autofree char *cli = g_strdup_printf ("/replay/cli/%s", cases[i].name);

		g_test_add_data_func (cases[i].path, &cases[i], test_case);
		g_test_add_data_func (cli, &cases[i], test_cli);
		g_autofree char *rs = g_strdup_printf ("/replay/restart/%s", cases[i].name);
		g_test_add_data_func (rs, &cases[i], test_restart);
	}
	return g_test_run ();
}
