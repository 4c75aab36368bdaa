/*
 * test-cli.c — the `rrec` command line as a user meets it: the built
 * binary is run as a child process (its path comes in $RREC_BIN) and its
 * exit status, standard output and standard error are checked
 * (behaviour.md §2 C1/C2, §6, §7).
 */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "test-util.h"

typedef struct {
	int status;	/* the exit status; -1 when killed by a signal */
	char *out;
	char *err;
} Run;

static void
run_clear (Run *r)
{
	g_free (r->out);
	g_free (r->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Runs `rrec ARG…` (NULL-terminated) and collects what it did. */
static void G_GNUC_NULL_TERMINATED
run_rrec (Run *r, ...)
{
	g_autoptr (GPtrArray) argv = g_ptr_array_new ();
	g_autoptr (GError) error = NULL;
	const char *bin = g_getenv ("RREC_BIN");
	int wait_status = 0;
	va_list args;

	if (bin == NULL)
		g_error ("RREC_BIN is not set: run this test with meson test");
	g_ptr_array_add (argv, (gpointer) bin);
	va_start (args, r);
	for (const char *a = va_arg (args, const char *); a != NULL;
	     a = va_arg (args, const char *))
		g_ptr_array_add (argv, (gpointer) a);
	va_end (args);
	g_ptr_array_add (argv, NULL);

	memset (r, 0, sizeof *r);
	g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT,
		      NULL, NULL, &r->out, &r->err, &wait_status, &error);
	g_assert_no_error (error);
	r->status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
	g_test_message ("exit %d\n--- stdout\n%s--- stderr\n%s", r->status,
			r->out, r->err);
}

static char *
data_path (const char *name)
{
	return g_test_build_filename (G_TEST_DIST, "data", name, NULL);
}

static void
assert_contains (const char *haystack, const char *needle)
{
	if (strstr (haystack, needle) == NULL)
		g_error ("'%s' not found in:\n%s", needle, haystack);
}

static guint
count_lines (const char *text)
{
	guint n = 0;

	for (const char *p = text; *p != '\0'; p++)
		n += *p == '\n';
	return n;
}

/* ---- the top level ---------------------------------------------------- */

static void
test_version (void)
{
	g_auto (Run) r = { 0 };

	run_rrec (&r, "--version", NULL);
	g_assert_cmpint (r.status, ==, 0);
	g_assert_cmpstr (r.out, ==, "rrec 0.1.0\n");
	g_assert_cmpstr (r.err, ==, "");
}

static void
test_help (void)
{
	g_auto (Run) r = { 0 };

	run_rrec (&r, "--help", NULL);
	g_assert_cmpint (r.status, ==, 0);
	g_assert_true (g_str_has_prefix (r.out, "Usage: rrec COMMAND"));
	/* Every command is listed. */
	assert_contains (r.out, "\n  replay ");
	assert_contains (r.out, "\n  parse ");
	assert_contains (r.out, "\n  tables ");
	assert_contains (r.out, "\n  graph ");
	assert_contains (r.out, "\n  check-config ");
}

static void
test_no_command (void)
{
	g_auto (Run) r = { 0 };

	run_rrec (&r, NULL);
	g_assert_cmpint (r.status, ==, 2);
	g_assert_cmpstr (r.out, ==, "");
	g_assert_true (g_str_has_prefix (r.err, "Usage: rrec COMMAND"));
}

static void
test_unknown_command (void)
{
	g_auto (Run) r = { 0 };

	run_rrec (&r, "frobnicate", NULL);
	g_assert_cmpint (r.status, ==, 2);
	g_assert_cmpstr (r.out, ==, "");
	g_assert_true (g_str_has_prefix (r.err,
		"rrec: unknown command 'frobnicate'\n"));
}

/* `rrec COMMAND --help` for each command: DATA is the command's name. */
static void
test_command_help (gconstpointer data)
{
	const char *command = data;
	g_autofree char *usage = g_strdup_printf ("Usage:\n  rrec %s ", command);
	g_auto (Run) r = { 0 };

	run_rrec (&r, command, "--help", NULL);
	g_assert_cmpint (r.status, ==, 0);
	g_assert_true (g_str_has_prefix (r.out, usage));
	assert_contains (r.out, "--help");
	g_assert_cmpstr (r.err, ==, "");
}

static void
test_command_bad_option (void)
{
	g_auto (Run) r = { 0 };

	run_rrec (&r, "check-config", "--no-such-option", NULL);
	g_assert_cmpint (r.status, ==, 2);
	g_assert_cmpstr (r.out, ==, "");
	assert_contains (r.err, "rrec check-config: ");
	assert_contains (r.err, "--no-such-option");
}

/* ---- tables and graph ------------------------------------------------- */

static void
test_tables_session (void)
{
	g_auto (Run) r = { 0 };

	run_rrec (&r, "tables", "session", NULL);
	g_assert_cmpint (r.status, ==, 0);
	g_assert_true (g_str_has_prefix (r.out, "# session: "));
	/* One row per line: at least one per (state, event) pair of idle. */
	assert_contains (r.out, "\nidle START [");
	/* each row that acts names its rules (issue #10) */
	assert_contains (r.out, "\nidle START [link_up & port_free] -> dialing / "
			 "take_port, clear_port_alarm, write_filename, dial_leg, "
			 "arm_setup_timer rule R18, R22, R28\n");
	g_assert_cmpuint (count_lines (r.out), >, 20);
	/* Only the machine asked for. */
	g_assert_null (strstr (r.out, "# call: "));
	g_assert_cmpstr (r.err, ==, "");
}

/* A party's log label names its call: party[<ConnID>/<DN>]. */
static void
test_replay_log_labels (void)
{
	g_auto (Run) r = { 0 };
	g_autofree char *config = g_test_build_filename (G_TEST_DIST, "replay",
							 "moh-true.ini", NULL);
	g_autofree char *log = g_test_build_filename (G_TEST_DIST, "replay",
						      "m1-inbound-moh-true.log", NULL);

	g_setenv ("G_MESSAGES_DEBUG", "rrec", TRUE);
	run_rrec (&r, "replay", "--json", "--config", config, log, NULL);
	g_unsetenv ("G_MESSAGES_DEBUG");
	g_assert_cmpint (r.status, ==, 0);
	assert_contains (r.err, "party[006e02b5b2a9d101/7001]: absent --RINGING--> "
			 "ringing (fsm/party.fsm:");
	assert_contains (r.err, "session[006e02b5b2a9d101]: idle --START--> dialing");
}

static void
test_tables_unknown (void)
{
	g_auto (Run) r = { 0 };

	run_rrec (&r, "tables", "nope", NULL);
	g_assert_cmpint (r.status, ==, 2);
	g_assert_cmpstr (r.out, ==, "");
	g_assert_true (g_str_has_prefix (r.err,
		"rrec: no machine named 'nope' (known:"));
	assert_contains (r.err, " session");
}

static void
test_graph_session (void)
{
	g_auto (Run) r = { 0 };

	run_rrec (&r, "graph", "session", NULL);
	g_assert_cmpint (r.status, ==, 0);
	g_assert_true (g_str_has_prefix (r.out, "// The session machine, compiled "
					 "from fsm/session.fsm.\ndigraph session {\n"));
	g_assert_true (g_str_has_suffix (r.out, "}\n"));
	assert_contains (r.out, " -> ");
}

/* One formatter: `rrec tables` and `rrec graph` print what the build wrote
 * (build/fsm/NAME.transitions and NAME.dot), byte for byte. */
static void
test_same_as_build (void)
{
	static const char *const machines[] = { "call", "party", "session", "link" };

	for (guint i = 0; i < G_N_ELEMENTS (machines); i++) {
		g_auto (Run) t = { 0 };
		g_auto (Run) g = { 0 };
		g_autofree char *lname = g_strconcat (machines[i], ".transitions", NULL);
		g_autofree char *dname = g_strconcat (machines[i], ".dot", NULL);
		g_autofree char *lpath = g_test_build_filename (G_TEST_BUILT, "..", "fsm",
								lname, NULL);
		g_autofree char *dpath = g_test_build_filename (G_TEST_BUILT, "..", "fsm",
								dname, NULL);
		g_autofree char *listing = NULL, *dot = NULL;

		g_assert_true (g_file_get_contents (lpath, &listing, NULL, NULL));
		g_assert_true (g_file_get_contents (dpath, &dot, NULL, NULL));
		run_rrec (&t, "tables", machines[i], NULL);
		run_rrec (&g, "graph", machines[i], NULL);
		g_assert_cmpint (t.status, ==, 0);
		g_assert_cmpint (g.status, ==, 0);
		g_assert_cmpstr (t.out, ==, listing);
		g_assert_cmpstr (g.out, ==, dot);
	}
}

static void
test_graph_bad_format (void)
{
	g_auto (Run) r = { 0 };

	run_rrec (&r, "graph", "--format", "bogus", NULL);
	g_assert_cmpint (r.status, ==, 2);
	g_assert_cmpstr (r.out, ==, "");
	assert_contains (r.err, "'bogus' is not one of dot, svg");
}

/* ---- check-config ----------------------------------------------------- */

static void
test_check_config_good (void)
{
	g_autofree char *path = data_path ("good.ini");
	g_auto (Run) r = { 0 };

	run_rrec (&r, "check-config", path, NULL);
	g_assert_cmpint (r.status, ==, 0);
	g_assert_cmpstr (r.err, ==, "");
	assert_contains (r.out, "server-application:         SIPServer_SfB\n");
	assert_contains (r.out, "  reconnect-attempts:       3\n");
	assert_contains (r.out, "trunk-group:                annc\n");
	assert_contains (r.out, "uri-pattern:                "
			 "sip:{+1555{DDD}}{@sip.example.com}\n");
	assert_contains (r.out, "  ports:                    1000 "
			 "(+1555000 to +1555999)\n");
	assert_contains (r.out, "reestablish-recording-tout: 5 s\n");
	assert_contains (r.out, "recording-setup-tout:       10 s\n");
	/* Empty means the default template (R29). */
	assert_contains (r.out, "recording-filename:         "
			 "$CALLUUID$_$DN$_$ANI$_$DNIS$_$DATE$_$TIME$\n");
	assert_contains (r.out, "record-moh:                 false\n");
	/* R35: one set, one left out (its default) */
	assert_contains (r.out, "recording-failure-alarm:    5 failures in a row\n");
	assert_contains (r.out, "reestablish-max-attempts:   0 (no limit)\n");
	/* R36: left out, false */
	assert_contains (r.out, "record-consult-calls:       false\n");
	assert_contains (r.out, "dns:                        3\n");
	assert_contains (r.out, "  7001                      "
			 "type=extension record=true geo-location=eu-west\n");
	/* `record` left out: false. */
	assert_contains (r.out, "  7002                      "
			 "type=extension record=false\n");
	assert_contains (r.out, "  8000                      "
			 "type=routing-point record=true\n");
}

/* A C1 warning: the file loads, exit 0, one line on stderr naming the
 * file, the line, the group and the key. */
static void
check_c1 (const char *name, const char *expected_err)
{
	g_autofree char *path = data_path (name);
	g_autofree char *err = g_strdup_printf ("%s:%s\n", path, expected_err);
	g_auto (Run) r = { 0 };

	run_rrec (&r, "check-config", path, NULL);
	g_assert_cmpint (r.status, ==, 0);
	g_assert_cmpstr (r.err, ==, err);
	assert_contains (r.out, "trunk-group:                annc\n");
}

static void
test_check_config_c1_unknown_key (void)
{
	check_c1 ("c1-unknown-key.ini",
		  "5: [remote-recording] colour: unknown option, ignored");
}

static void
test_check_config_c1_unknown_group (void)
{
	check_c1 ("c1-unknown-group.ini", "8: [extras]: unknown group, ignored");
}

/* A C2 error: exit 2, nothing on stdout, one line on stderr that starts
 * with FILE:LINE: [GROUP] OPTION: and contains EXPECTED. */
static void
check_c2 (const char *name, const char *where, const char *expected)
{
	g_autofree char *path = data_path (name);
	g_autofree char *prefix = g_strdup_printf ("%s:%s: ", path, where);
	g_auto (Run) r = { 0 };

	run_rrec (&r, "check-config", path, NULL);
	g_assert_cmpint (r.status, ==, 2);
	g_assert_cmpstr (r.out, ==, "");
	g_assert_true (g_str_has_prefix (r.err, prefix));
	assert_contains (r.err, expected);
	g_assert_cmpuint (count_lines (r.err), ==, 1);
}

static void
test_check_config_c2_record_maybe (void)
{
	check_c2 ("c2-record-maybe.ini", "10: [dn:7001] record",
		  "'maybe' is not a boolean (accepted: true, false)");
}

static void
test_check_config_c2_no_trunk_group (void)
{
	check_c2 ("c2-no-trunk-group.ini", "1: [remote-recording] trunk-group",
		  "required option missing");
}

static void
test_check_config_c2_no_app_group (void)
{
	check_c2 ("c2-no-app-group.ini",
		  "2: [remote-recording] server-application",
		  "'SIPServer_SfB' names no [app:SIPServer_SfB] group "
		  "(accepted: OtherServer)");
}

static void
test_check_config_c2_bad_uri_pattern (void)
{
	check_c2 ("c2-bad-uri-pattern.ini", "4: [remote-recording] uri-pattern",
		  "'sip:{+1555{XYZ}}' is not a valid pattern");
}

static void
test_check_config_c2_unknown_var (void)
{
	check_c2 ("c2-unknown-var.ini",
		  "5: [remote-recording] recording-filename", "'$AGENT$'");
}

static void
test_check_config_c2_bad_max_attempts (void)
{
	check_c2 ("c2-bad-max-attempts.ini",
		  "6: [remote-recording] reestablish-max-attempts",
		  "a count from 0 to 1000, 0 = no limit");
}

static void
test_check_config_missing_file (void)
{
	g_autofree char *path = data_path ("no-such-file.ini");
	g_auto (Run) r = { 0 };

	run_rrec (&r, "check-config", path, NULL);
	g_assert_cmpint (r.status, ==, 2);
	g_assert_cmpstr (r.out, ==, "");
	g_assert_true (g_str_has_prefix (r.err, path));
	assert_contains (r.err, "No such file");
}

static void
test_check_config_no_file (void)
{
	g_auto (Run) r = { 0 };

	run_rrec (&r, "check-config", NULL);
	g_assert_cmpint (r.status, ==, 2);
	g_assert_cmpstr (r.out, ==, "");
	assert_contains (r.err, "exactly one FILE");
}

/* ---- parse ------------------------------------------------------------ */

/* Three blocks, the second with a broken quoted string (§7): it is
 * reported as FILE:LINE of its header, the other two are printed. */
static void
test_parse_malformed (void)
{
	g_autofree char *path = data_path ("malformed.log");
	g_autofree char *err = g_strdup_printf ("%s:5: ", path);
	g_auto (GStrv) lines = NULL;
	g_auto (Run) r = { 0 };

	run_rrec (&r, "parse", path, NULL);
	g_assert_cmpint (r.status, ==, 1);
	g_assert_true (g_str_has_prefix (r.err, err));
	assert_contains (r.err, "AttributeThisDN");
	g_assert_cmpuint (count_lines (r.err), ==, 1);

	lines = g_strsplit (r.out, "\n", -1);
	g_assert_cmpuint (g_strv_length (lines), ==, 3);
	g_assert_cmpstr (lines[0], ==,
		"{\"line\":1,\"time\":\"10:00:00.000\",\"message\":\"EventRinging\","
		"\"sender\":\"SIPTS\",\"attributes\":{\"AttributeThisDN\":\"7001\","
		"\"AttributeConnID\":\"006c029a6685d004\"}}");
	g_assert_cmpstr (lines[1], ==,
		"{\"line\":8,\"time\":\"10:00:03.250\",\"message\":"
		"\"RequestPrivateService\",\"sender\":\"Desktop\",\"attributes\":"
		"{\"AttributeThisDN\":\"7001\",\"AttributePrivateMsgID\":3013,"
		"\"AttributeReferenceID\":7,\"AttributeConnID\":\"006c029a6685d004\"}}");
	g_assert_cmpstr (lines[2], ==, "");
}

static void
test_parse_missing_file (void)
{
	g_autofree char *path = data_path ("no-such-file.log");
	g_auto (Run) r = { 0 };

	run_rrec (&r, "parse", path, NULL);
	g_assert_cmpint (r.status, ==, 2);
	g_assert_cmpstr (r.out, ==, "");
	assert_contains (r.err, "No such file");
}


/* ---- the state store from the command line (issues #12, #16) ----------- */

static char *
temp_dir (void)
{
	g_autoptr (GError) error = NULL;
	char *dir = g_dir_make_tmp ("rrec-cli-XXXXXX", &error);

	g_assert_no_error (error);
	return dir;
}

/* §7: --state never destroys what is not an rrec store, and a store that
 * cannot be used is exit 2. */
static void
test_replay_state_refused (void)
{
	g_autofree char *dir = temp_dir ();
	g_autofree char *text = g_build_filename (dir, "notes.txt", NULL);
	g_autofree char *missing = g_build_filename (dir, "no", "state.db", NULL);
	g_autofree char *after = NULL;
	g_auto (Run) r = { 0 };
	g_auto (Run) r2 = { 0 };
	g_auto (Run) r3 = { 0 };

	g_assert_true (g_file_set_contents (text, "keep me\n", -1, NULL));
	run_rrec (&r, "replay", "--example", "--json", "--state", text, NULL);
	g_assert_cmpint (r.status, ==, 2);
	assert_contains (r.err, "not an SQLite database");
	/* nothing replayed, nothing printed: the error is on stderr */
	g_assert_cmpuint (count_lines (r.out), ==, 0);
	assert_contains (r.err, "rrec replay: --state: ");
	g_assert_true (g_file_get_contents (text, &after, NULL, NULL));
	g_assert_cmpstr (after, ==, "keep me\n");

	run_rrec (&r2, "replay", "--example", "--json", "--state", missing, NULL);
	g_assert_cmpint (r2.status, ==, 2);
	run_rrec (&r3, "replay", "--example", "--json", "--state", dir,
		  "--restart-at", "10:00:30.000", NULL);
	g_assert_cmpint (r3.status, ==, 2);
	test_remove_dir (dir);
}

/* A story long enough to be killed in the middle: 40 agents on
 * mandatory recording, calls held, retrieved, given user data, replaced,
 * every block at its own millisecond. */
static void
write_story (const char *dir, char **config, char **log)
{
	g_autoptr (GString) c = g_string_new (
		"[remote-recording]\nserver-application = SIPServer_SfB\n"
		"trunk-group = annc\nuri-pattern = sip:{+1555{DDD}}{@sip.example.com}\n"
		"record-moh = false\n[app:SIPServer_SfB]\n");
	g_autoptr (GString) l = g_string_new (NULL);
	guint64 conn[40];
	gboolean held[40] = { FALSE };
	guint64 next = 0x0070000000000001ULL;
	gint64 t = 9 * 3600000;
	guint32 rng = 12345;

	for (guint i = 0; i < 40; i++)
		g_string_append_printf (c, "[dn:%u]\ntype = extension\n"
					"record = true\n", 7100 + i);
#define STAMP() g_string_append_printf (l, "%02d:%02d:%02d.%03d distribute_event: message ", \
	(int) (t / 3600000), (int) (t / 60000 % 60), (int) (t / 1000 % 60), \
	(int) (t % 1000)), t += 13
#define PARTY(msg, i) do { STAMP (); g_string_append_printf (l, \
	"%s\n\tAttributeOtherDN\t'+1415555%04u'\n\tAttributeThisDN\t'%u'\n" \
	"\tAttributeConnID\t%016" G_GINT64_MODIFIER "x\n", msg, i, 7100 + (i), \
	conn[i]); } while (0)
	for (guint i = 0; i < 40; i++) {
		conn[i] = next++;
		PARTY ("EventRinging", i);
		PARTY ("EventEstablished", i);
	}
	for (guint k = 0; k < 2000; k++) {
		rng = rng * 1103515245u + 12345u;
		guint i = (rng >> 16) % 40;

		if (k % 50 == 49 && !held[i]) {
			PARTY ("EventReleased", i);
			conn[i] = next++;
			PARTY ("EventRinging", i);
			PARTY ("EventEstablished", i);
		} else if (k % 7 == 3) {
			STAMP ();
			g_string_append_printf (l, "EventAttachedDataChanged\n"
				"\tAttributeUserData\t[40] 00 01 00 00..\n"
				"\t\t'CaseID'\t'C-%u'\n\tAttributeThisDN\t'%u'\n"
				"\tAttributeConnID\t%016" G_GINT64_MODIFIER "x\n",
				k, 7100 + i, conn[i]);
		} else {
			PARTY (held[i] ? "EventRetrieved" : "EventHeld", i);
			held[i] = !held[i];
		}
	}
#undef PARTY
#undef STAMP
	*config = g_build_filename (dir, "story.ini", NULL);
	*log = g_build_filename (dir, "story.log", NULL);
	g_assert_true (g_file_set_contents (*config, c->str, c->len, NULL));
	g_assert_true (g_file_set_contents (*log, l->str, l->len, NULL));
}

/*
 * Issue #12: a replay killed with SIGKILL at a random moment, then run
 * again with --resume on the same log, prints what the uninterrupted
 * replay printed after the stored engine time — reconciliation lines
 * aside, and at that very millisecond what the killed one had not printed
 * yet (a suffix) — and the same summary.
 */
static void
test_replay_resume_after_sigkill (void)
{
	const char *bin = g_getenv ("RREC_BIN");
	g_autofree char *dir = temp_dir ();
	g_autofree char *config = NULL, *log = NULL;
	g_autofree char *state = NULL;
	g_autofree char *plain = NULL;
	g_autoptr (GError) error = NULL;
	int status;

	g_assert_nonnull (bin);
	write_story (dir, &config, &log);
	state = g_build_filename (dir, "state.db", NULL);
	{
		const char *argv[] = { bin, "replay", "--json", "--config", config,
				       log, NULL };
		g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL,
			      NULL, NULL, &plain, NULL, &status, &error);
		g_assert_no_error (error);
		g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
	}
	g_auto (GStrv) want = g_strsplit (plain, "\n", -1);

	for (guint round = 0; round < 3; round++) {
		const char *kill_argv[] = { bin, "replay", "--json", "--config",
					    config, "--state", state, log, NULL };
		const char *resume_argv[] = { bin, "replay", "--json", "--config",
					      config, "--state", state,
					      "--resume", log, NULL };
		g_autofree char *out = NULL;
		GPid pid;

		int out_fd;
		guint lines_total = g_strv_length (want);
		guint kill_after = g_test_rand_int_range (1, MAX (2, lines_total));
		guint lines_seen = 0;
		char ch;

		/* killed at a random moment: once it has printed a random
		 * number of lines (its speed does not matter) */
		g_spawn_async_with_pipes (NULL, (char **) kill_argv, NULL,
					  G_SPAWN_DO_NOT_REAP_CHILD |
					  G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
					  &pid, NULL, &out_fd, NULL, &error);
		g_assert_no_error (error);
		while (lines_seen < kill_after && read (out_fd, &ch, 1) == 1)
			lines_seen += ch == '\n';
		kill (pid, SIGKILL);
		close (out_fd);
		g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
		g_spawn_close_pid (pid);
		gboolean killed = WIFSIGNALED (status);

		g_spawn_sync (NULL, (char **) resume_argv, NULL,
			      G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
			      &status, &error);
		g_assert_no_error (error);
		g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);

		g_auto (GStrv) got = g_strsplit (out, "\n", -1);
		g_autofree char *first = test_json_member (got[0], "action");
		g_autofree char *t = test_json_member (got[0], "time");
		if (g_strcmp0 (first, "resume") != 0) {
			/* killed before its first step was stored: nothing
			 * to resume, the whole log again */
			g_test_message ("round %u: nothing stored yet", round);
			g_assert_cmpstr (out, ==, plain);
			continue;
		}
		g_test_message ("round %u: %s after %u lines, resumed from %s",
				round, killed ? "killed" : "had finished",
				lines_seen, t);

		g_autofree char *what = g_strdup_printf ("resumed, round %u", round);
		test_assert_resumed (plain, out, what, NULL);
	}
	test_remove_dir (dir);
}

/* ---- tools/gen-log.py ------------------------------------------------ */

/* What the generator writes must read without a single skipped block, and
 * its configuration must load without a warning: the benchmark log is only
 * worth something if the reader takes all of it. */
static void
test_gen_log_parses (void)
{
	g_autofree char *python = g_find_program_in_path ("python3");
	g_autofree char *script = g_test_build_filename (G_TEST_DIST, "..",
							 "tools", "gen-log.py",
							 NULL);
	g_autofree char *log_text = NULL;
	g_autofree char *dir = NULL;
	g_autofree char *log = NULL;
	g_autoptr (GError) error = NULL;
	g_auto (GStrv) lines = NULL;
	int wait_status = 0;
	g_auto (Run) r = { 0 };

	if (python == NULL) {
		g_test_skip ("python3 is not installed");
		return;
	}
	const char *argv[] = { python, script, "--size", "300K", "--seed", "3",
			       "--crlf", "0.1", NULL };
	g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
		      &log_text, NULL, &wait_status, &error);
	g_assert_no_error (error);
	g_assert_true (WIFEXITED (wait_status) && WEXITSTATUS (wait_status) == 0);
	g_assert_cmpuint (strlen (log_text), >=, 300 * 1024);
	g_assert_nonnull (strstr (log_text, "\r\n"));

	dir = g_dir_make_tmp ("rrec-cli-XXXXXX", &error);
	g_assert_no_error (error);
	log = g_build_filename (dir, "gen.log", NULL);
	g_file_set_contents (log, log_text, -1, &error);
	g_assert_no_error (error);

	run_rrec (&r, "parse", log, NULL);
	g_remove (log);
	g_rmdir (dir);
	g_assert_cmpint (r.status, ==, 0);
	g_assert_cmpstr (r.err, ==, "");
	lines = g_strsplit (r.out, "\n", -1);
	/* ~310 bytes per block. */
	g_assert_cmpuint (g_strv_length (lines), >, 600);
	assert_contains (r.out, "\"message\":\"RequestPrivateService\"");
	assert_contains (r.out, "\"message\":\"EventAttachedDataChanged\"");
	assert_contains (r.out, "\"message\":\"EventPartyChanged\"");
}

static void
test_gen_log_config (void)
{
	g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "tools",
						       "gen-log.ini", NULL);
	g_auto (Run) r = { 0 };

	run_rrec (&r, "check-config", path, NULL);
	g_assert_cmpint (r.status, ==, 0);
	g_assert_cmpstr (r.err, ==, "");
	assert_contains (r.out, "dns:                        128\n");
	assert_contains (r.out, "  7005                      "
			 "type=extension record=true\n");
}

/* No control character but the line end reaches the terminal. */
static void
assert_no_controls (const char *text)
{
	for (const char *c = text; *c; c++)
		if ((guchar) *c < 0x20 && *c != '\n')
			g_error ("control character 0x%02x in \"%s\"", (guchar) *c, text);
}

/* §7: check-config shows a value as written (GKeyFile's `\n` and `\t`
 * escapes are not applied), refuses control characters and bytes that are
 * not UTF-8 without printing them, and skips a UTF-8 byte-order mark. */
static void
test_check_config_not_text (void)
{
	static const struct { const char *text; int status; const char *shows; } cases[] = {
		{ "\xef\xbb\xbf[remote-recording]\nserver-application = SIP\n"
		  "trunk-group = an\\nnc\\t\\r\nuri-pattern = sip:{+1555{DDD}}\n[app:SIP]\n",
		  0, "trunk-group:                an\\nnc\\t\\r\n" },
		{ "[remote-recording]\nserver-application = SIP\x1b]0;x\x07\n", 2,
		  "rrec.ini:2: a control character (0x1b) at column 25" },
		{ "[remote-recording]\n[dn:\xff\xfe]\n", 2,
		  "rrec.ini:2: byte 0xff at column 5 is not UTF-8" },
	};
	g_autofree char *dir = g_dir_make_tmp ("rrec-cli-XXXXXX", NULL);
	g_autofree char *path = g_build_filename (dir, "rrec.ini", NULL);

	for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
		g_auto (Run) r = { 0 };

		g_assert_true (g_file_set_contents (path, cases[i].text, -1, NULL));
		run_rrec (&r, "check-config", path, NULL);
		g_assert_cmpint (r.status, ==, cases[i].status);
		assert_no_controls (r.out);
		assert_no_controls (r.err);
		assert_contains (cases[i].status == 0 ? r.out : r.err, cases[i].shows);
	}
	g_unlink (path);
	g_rmdir (dir);
}

int
main (int argc, char **argv)
{
	static const char *const commands[] = {
		"replay", "parse", "tables", "graph", "check-config",
	};

	g_test_init (&argc, &argv, NULL);

	g_test_add_func ("/cli/version", test_version);
	g_test_add_func ("/cli/help", test_help);
	g_test_add_func ("/cli/no-command", test_no_command);
	g_test_add_func ("/cli/unknown-command", test_unknown_command);
	for (guint i = 0; i < G_N_ELEMENTS (commands); i++) {
		g_autofree char *name = g_strdup_printf ("/cli/help/%s",
							 commands[i]);

		g_test_add_data_func (name, commands[i], test_command_help);
	}
	g_test_add_func ("/cli/bad-option", test_command_bad_option);
	g_test_add_func ("/cli/tables/session", test_tables_session);
	g_test_add_func ("/cli/tables/unknown", test_tables_unknown);
	g_test_add_func ("/cli/replay/log-labels", test_replay_log_labels);
	g_test_add_func ("/cli/graph/session", test_graph_session);
	g_test_add_func ("/cli/graph/bad-format", test_graph_bad_format);
	g_test_add_func ("/cli/tables-graph/same-as-build", test_same_as_build);
	g_test_add_func ("/cli/check-config/good", test_check_config_good);
	g_test_add_func ("/cli/check-config/not-text", test_check_config_not_text);
	g_test_add_func ("/cli/check-config/C1/unknown-key",
			 test_check_config_c1_unknown_key);
	g_test_add_func ("/cli/check-config/C1/unknown-group",
			 test_check_config_c1_unknown_group);
	g_test_add_func ("/cli/check-config/C2/record-maybe",
			 test_check_config_c2_record_maybe);
	g_test_add_func ("/cli/check-config/C2/no-trunk-group",
			 test_check_config_c2_no_trunk_group);
	g_test_add_func ("/cli/check-config/C2/no-app-group",
			 test_check_config_c2_no_app_group);
	g_test_add_func ("/cli/check-config/C2/bad-uri-pattern",
			 test_check_config_c2_bad_uri_pattern);
	g_test_add_func ("/cli/check-config/C2/unknown-var",
			 test_check_config_c2_unknown_var);
	g_test_add_func ("/cli/check-config/C2/R35-bad-max-attempts",
			 test_check_config_c2_bad_max_attempts);
	g_test_add_func ("/cli/check-config/missing-file",
			 test_check_config_missing_file);
	g_test_add_func ("/cli/check-config/no-file", test_check_config_no_file);
	g_test_add_func ("/cli/parse/malformed", test_parse_malformed);
	g_test_add_func ("/cli/parse/missing-file", test_parse_missing_file);

	g_test_add_func ("/cli/gen-log/parses", test_gen_log_parses);
	g_test_add_func ("/cli/replay/state-refused", test_replay_state_refused);
	g_test_add_func ("/cli/replay/resume-after-sigkill",
			 test_replay_resume_after_sigkill);
	g_test_add_func ("/cli/gen-log/config", test_gen_log_config);

	return g_test_run ();
}
