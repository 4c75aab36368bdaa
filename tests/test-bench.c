/*
 * test-bench.c — `rrec bench --json --quick` runs every part of the
 * benchmark on tiny sizes: every measurement must appear, once, with a
 * number, and every baseline it names must be measured in the same run.
 * Each of issue #14's targets comes with its verdict.  No timing is
 * checked: the numbers of a quick run (under ASan even) mean nothing, the
 * code paths do.
 */
#include <string.h>
#include <sys/wait.h>

#include <glib.h>
#include <json-glib/json-glib.h>

static const char *const names[] = {
	"dispatch.session",
	"dispatch.session.switch",
	"dispatch.session.ragel",
	"dispatch.session.rules",
	"engine.events_per_s.1k",
	"engine.events_per_s.10k",
	"engine.events_per_s.100k",
	"engine.events_per_s.1k.no_lookahead",
	"engine.events_per_s.10k.no_lookahead",
	"engine.events_per_s.100k.no_lookahead",
	"engine.bytes_per_call.100k",
	"engine.bytes_per_session.100k",
	"reader.mb_per_s",
	"reader.wc_l.mb_per_s",
	"replay.mb_per_s",
	"store.step_us.20",
	"store.step_us.2000",
	"store.durable_vs_plain.20",
	"store.durable_vs_plain.2000",
	"store.pg.step_us.20",
	"store.pg.step_us.2000",
	"store.pg.durable_vs_plain.20",
	"store.pg.durable_vs_plain.2000",
	"store.pg.takeover_ms.20",
	"store.pg.takeover_ms.2000",
	NULL,
};

static const char *const targeted_names[] = {
	"dispatch.session",
	"engine.events_per_s.100k",
	"engine.bytes_per_call.100k",
	"engine.bytes_per_session.100k",
	"reader.mb_per_s",
	"replay.mb_per_s",
};

static const char *const based_names[] = {
	"dispatch.session",
	"dispatch.session.ragel",
	"dispatch.session.rules",
	"engine.events_per_s.10k",
	"engine.events_per_s.100k",
	"engine.events_per_s.10k.no_lookahead",
	"engine.events_per_s.100k.no_lookahead",
	"reader.mb_per_s",
	"replay.mb_per_s",
	"store.step_us.2000",
	"store.pg.step_us.2000",
};

static gboolean
is_number (JsonObject *o, const char *member)
{
	JsonNode *n = json_object_get_member (o, member);

	if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
		return FALSE;
	GType t = json_node_get_value_type (n);
	return t == G_TYPE_DOUBLE || t == G_TYPE_INT64;
}

/* Runs `rrec ARGS…` (the rrec of RREC_BIN), checks it exited with
 * @status and returns its stderr; its stdout in *@out when @out is given,
 * thrown away otherwise. */
static char *
run_rrec (const char *const *args, int status, char **out)
{
	const char *bin = g_getenv ("RREC_BIN");
	g_autoptr (GPtrArray) argv = g_ptr_array_new ();
	g_autoptr (GError) error = NULL;
	char *err = NULL;
	int wait_status = 0;

	if (bin == NULL)
		g_error ("RREC_BIN is not set: run this test with meson test");
	g_ptr_array_add (argv, (gpointer) bin);
	for (guint i = 0; args[i]; i++)
		g_ptr_array_add (argv, (gpointer) args[i]);
	g_ptr_array_add (argv, NULL);
	g_spawn_sync (NULL, (char **) argv->pdata, NULL,
		      out ? G_SPAWN_DEFAULT : G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
		      NULL, out, &err, &wait_status, &error);
	g_assert_no_error (error);
	g_test_message ("--- stdout\n%s--- stderr\n%s", out ? *out : "", err);
	g_assert_true (WIFEXITED (wait_status));
	g_assert_cmpint (WEXITSTATUS (wait_status), ==, status);
	return err;
}

static void
test_quick_json (void)
{
	static const char *const args[] = { "bench", "--json", "--quick",
					     "--quiet", NULL };
	g_autofree char *out = NULL, *err = NULL;
	g_autoptr (GError) error = NULL;
	g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal,
							     g_free, NULL);
	g_autoptr (GPtrArray) baselines = g_ptr_array_new_with_free_func (g_free);
	g_autoptr (GHashTable) targeted = g_hash_table_new_full (g_str_hash, g_str_equal,
								 g_free, NULL);
	g_autoptr (GHashTable) based = g_hash_table_new_full (g_str_hash, g_str_equal,
							      g_free, NULL);

	err = run_rrec (args, 0, &out);
	g_auto (GStrv) lines = g_strsplit (out, "\n", -1);
	for (guint i = 0; lines[i]; i++) {
		g_autoptr (JsonParser) p = json_parser_new ();
		JsonObject *o;

		if (*lines[i] == '\0')
			continue;
		json_parser_load_from_data (p, lines[i], -1, &error);
		g_assert_no_error (error);
		g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (p)));
		o = json_node_get_object (json_parser_get_root (p));

		const char *name = json_object_get_string_member_with_default (o, "name", NULL);
		g_assert_nonnull (name);
		g_assert_false (g_hash_table_contains (seen, name));
		g_hash_table_add (seen, g_strdup (name));
		if (!is_number (o, "value"))
			g_error ("%s: no numeric value in %s", name, lines[i]);
		g_assert_nonnull (json_object_get_string_member_with_default (o, "unit", NULL));
		if (json_object_has_member (o, "targets")) {
			JsonArray *ts = json_object_get_array_member (o, "targets");

			g_assert_nonnull (ts);
			g_assert_cmpuint (json_array_get_length (ts), >, 0);
			for (guint k = 0; k < json_array_get_length (ts); k++) {
				JsonObject *t = json_array_get_object_element (ts, k);
				JsonNode *met = json_object_get_member (t, "met");

				g_assert_nonnull (json_object_get_string_member_with_default (t, "target", NULL));
				g_assert_true (met && JSON_NODE_HOLDS_VALUE (met) &&
					       json_node_get_value_type (met) == G_TYPE_BOOLEAN);
			}
			g_hash_table_add (targeted, g_strdup (name));
		}
		if (json_object_has_member (o, "baseline")) {
			if (!is_number (o, "ratio"))
				g_error ("%s: a baseline without a numeric ratio", name);
			g_ptr_array_add (baselines, g_strdup (json_object_get_string_member (o, "baseline")));
			g_hash_table_add (based, g_strdup (name));
		}
	}
	for (guint i = 0; names[i]; i++)
		if (!g_hash_table_contains (seen, names[i]))
			g_error ("'%s' is missing from:\n%s", names[i], out);
	/* allocations per event: all three sizes, or none (AddressSanitizer
	 * owns malloc: not counted there) */
	gboolean allocs = g_hash_table_contains (seen, "engine.allocs_per_event.1k");
	g_assert_cmpint (g_hash_table_contains (seen, "engine.allocs_per_event.10k"), ==, allocs);
	g_assert_cmpint (g_hash_table_contains (seen, "engine.allocs_per_event.100k"), ==, allocs);
	for (guint i = 0; i < baselines->len; i++)
		g_assert_true (g_hash_table_contains (seen, g_ptr_array_index (baselines, i)));
	/* a figure compared with something is compared in the same run */
	for (guint i = 0; i < G_N_ELEMENTS (based_names); i++)
		if (!g_hash_table_contains (based, based_names[i]))
			g_error ("'%s' shows no baseline", based_names[i]);
	/* the figures issue #14 sets a target for carry it */
	for (guint i = 0; i < G_N_ELEMENTS (targeted_names); i++)
		if (!g_hash_table_contains (targeted, targeted_names[i]))
			g_error ("'%s' shows no target", targeted_names[i]);
	/* cache misses: all four dispatch variants, or none (no counters) */
	gboolean misses = g_hash_table_contains (seen, "dispatch.session.misses_per_event");
	g_assert_cmpint (g_hash_table_contains (seen, "dispatch.session.switch.misses_per_event"),
			 ==, misses);
	g_assert_cmpint (g_hash_table_contains (seen, "dispatch.session.ragel.misses_per_event"),
			 ==, misses);
	g_assert_cmpint (g_hash_table_contains (seen, "dispatch.session.rules.misses_per_event"),
			 ==, misses);
	/* and the engine's at all three sizes likewise */
	g_assert_cmpint (g_hash_table_contains (seen, "engine.misses_per_event.1k"), ==, misses);
	g_assert_cmpint (g_hash_table_contains (seen, "engine.misses_per_event.10k"), ==, misses);
	g_assert_cmpint (g_hash_table_contains (seen, "engine.misses_per_event.100k"), ==, misses);
}

static void
test_bad_usage (void)
{
	static const char *const args[] = { "bench", "--only", "nothing", NULL };
	g_autofree char *err = run_rrec (args, 2, NULL);

	g_assert_nonnull (strstr (err, "no part named 'nothing'"));
}

/* --markdown: the table doc/performance.md takes, with the verdicts and
 * the build; not with --json. */
static void
test_markdown (void)
{
	static const char *const args[] = { "bench", "--markdown", "--quick",
					     "--quiet", "--only", "dispatch", NULL };
	static const char *const both[] = { "bench", "--markdown", "--json", NULL };
	g_autofree char *out = NULL, *err = NULL;

	err = run_rrec (args, 0, &out);
	g_assert_true (g_str_has_prefix (out, "| measurement | value | unit | "
					 "vs baseline (same run) | target (issue #14) |\n"
					 "|---|---:|---|---|---|\n"));
	g_assert_nonnull (strstr (out, "\n| dispatch.session | "));
	g_assert_nonnull (strstr (out, " ns/event | "));
	g_assert_true (strstr (out, "<= 1.15x switch: met |") != NULL ||
		       strstr (out, "<= 1.15x switch: **missed** |") != NULL);
	g_assert_nonnull (strstr (out, "\n| dispatch.session.switch | "));
	/* the build the figures come from, after the table */
	g_assert_nonnull (strstr (out, "|\n\nBuild: "));
	g_assert_nonnull (strstr (out, "), LTO o"));

	g_clear_pointer (&err, g_free);
	err = run_rrec (both, 2, NULL);
	g_assert_nonnull (strstr (err, "exclude each other"));
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/bench/quick-json", test_quick_json);
	g_test_add_func ("/bench/bad-usage", test_bad_usage);
	g_test_add_func ("/bench/markdown", test_markdown);
	return g_test_run ();
}
