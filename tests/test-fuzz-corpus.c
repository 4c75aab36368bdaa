/*
 * test-fuzz-corpus.c — every committed input of the libFuzzer targets,
 * replayed through the same target code in a normal test run.
 *
 * tests/fuzz/corpus/TARGET/ holds the seeds (logs, tables, event
 * sequences); tests/fuzz/regress/TARGET/ holds each finding once reduced.
 * A target aborts on a broken promise (fuzz.h), which fails this test.
 *
 * Each input runs in a child process.  A finding whose file name ends in
 * `.xfail` is an engine bug reported but not yet fixed: its child must
 * still fail, and once the bug is fixed this test says so, so that the
 * file is renamed and guards the fix from then on.
 */
#include <string.h>

#include <glib.h>

#include "fuzz/fuzz.h"

int fuzz_entry_reader (const uint8_t *data, size_t size);
int fuzz_entry_fsmc (const uint8_t *data, size_t size);
int fuzz_entry_events (const uint8_t *data, size_t size);

typedef int (*Entry) (const uint8_t *data, size_t size);

static const struct {
	const char *name;
	Entry entry;
} targets[] = {
	{ "reader", fuzz_entry_reader },
	{ "fsmc", fuzz_entry_fsmc },
	{ "events", fuzz_entry_events },
};

typedef struct {
	Entry entry;
	char *path;
} Case;

static gint
name_cmp (gconstpointer a, gconstpointer b)
{
	return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static void
run_case (gconstpointer data)
{
	const Case *c = data;
	g_autofree char *bytes = NULL;
	gsize len;
	g_autoptr (GError) error = NULL;

	if (g_test_subprocess ()) {
		g_file_get_contents (c->path, &bytes, &len, &error);
		g_assert_no_error (error);
		g_assert_cmpint (c->entry ((const uint8_t *) bytes, len), ==, 0);
		return;
	}
	gboolean xfail = g_str_has_suffix (c->path, ".xfail");

	/* a finding's report shows why it fails; a known bug's stays quiet */
	g_test_trap_subprocess (NULL, 0, xfail ? G_TEST_SUBPROCESS_DEFAULT :
				G_TEST_SUBPROCESS_INHERIT_STDERR);
	if (xfail) {
		if (g_test_trap_has_passed ()) {
			g_test_message ("%s passes now: the bug is fixed; rename "
					"the file without .xfail", c->path);
			g_test_fail ();
		} else {
			g_test_message ("known engine bug, still there: %s", c->path);
		}
		return;
	}
	g_test_trap_assert_passed ();
}

int
main (int argc, char **argv)
{
	g_autoptr (GPtrArray) cases = g_ptr_array_new ();

	g_test_init (&argc, &argv, NULL);
	/* the event target checks restores faithfully here (fuzz-events.c) */
	g_setenv ("RREC_FUZZ_STRICT", "1", TRUE);
	for (guint t = 0; t < G_N_ELEMENTS (targets); t++) {
		const char *kinds[] = { "corpus", "regress" };

		for (guint k = 0; k < G_N_ELEMENTS (kinds); k++) {
			g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "fuzz",
								      kinds[k], targets[t].name, NULL);
			g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
			g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
			const char *name;

			while (d && (name = g_dir_read_name (d)) != NULL)
				if (name[0] != '.')
					g_ptr_array_add (names, g_strdup (name));
			g_ptr_array_sort (names, name_cmp);
			for (guint i = 0; i < names->len; i++) {
				Case *c = g_new0 (Case, 1);
				const char *n = g_ptr_array_index (names, i);
				c->entry = targets[t].entry;
				c->path = g_build_filename (dir, n, NULL);
				g_autofree char *path = g_strdup_printf ("/fuzz-%s/%s/%s",
									 kinds[k], targets[t].name, n);
				g_test_add_data_func (path, c, run_case);
				g_ptr_array_add (cases, c);
			}
		}
	}
	int status = g_test_run ();
	for (guint i = 0; i < cases->len; i++) {
		Case *c = g_ptr_array_index (cases, i);
		g_free (c->path);
		g_free (c);
	}
	return status;
}
