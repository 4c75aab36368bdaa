/*
 * test-compiler.c — the table compiler refuses every kind of unsound table
 * with "file:line: message", compiles a good one into the expected listing,
 * and writes the same bytes every time.
 *
 * Each table in tests/fsm-bad/ starts with a line
 *   # expect: tests/fsm-bad/NAME.fsm:LINE: message
 * naming the one refusal it exists to provoke.
 */
#include <string.h>

#include <glib/gstdio.h>

#include "test-util.h"

static const char *
fsmc (void)
{
	const char *path = g_getenv ("RREC_FSMC");

	g_assert_nonnull (path);
	return path;
}

/* Runs the compiler on @path; all four outputs go to @outdir. */
static int
compile (const char *source_name, const char *path, const char *outdir,
	 char **err)
{
	g_autofree char *h = g_build_filename (outdir, "out-fsm.h", NULL);
	g_autofree char *c = g_build_filename (outdir, "out-fsm.c", NULL);
	g_autofree char *d = g_build_filename (outdir, "out.dot", NULL);
	g_autofree char *l = g_build_filename (outdir, "out.transitions", NULL);
	const char *argv[] = {
		fsmc (), "--source-name", source_name, "-H", h, "-c", c,
		"-d", d, "-l", l, path, NULL,
	};

	return test_run (argv, NULL, err);
}

static char *
make_tmpdir (void)
{
	g_autoptr (GError) error = NULL;
	char *dir = g_dir_make_tmp ("rrec-fsmc-XXXXXX", &error);

	g_assert_no_error (error);
	return dir;
}

static void
rm_tmpdir (const char *dir)
{
	const char *names[] = {
		"out-fsm.h", "out-fsm.c", "out.dot", "out.transitions",
		"session.fsm", NULL,
	};

	for (guint i = 0; names[i]; i++) {
		g_autofree char *p = g_build_filename (dir, names[i], NULL);
		g_unlink (p);
	}
	g_rmdir (dir);
}

static gboolean
has_line (const char *text, const char *line)
{
	g_auto (GStrv) lines = g_strsplit (text ? text : "", "\n", -1);

	for (guint i = 0; lines[i]; i++)
		if (strcmp (lines[i], line) == 0)
			return TRUE;
	return FALSE;
}

static void
test_refusal (gconstpointer data)
{
	const char *file = data;
	g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fsm-bad",
						       file, NULL);
	g_autofree char *source = g_strconcat ("tests/fsm-bad/", file, NULL);
	g_autofree char *text = NULL;
	g_autofree char *err = NULL;
	g_autofree char *dir = make_tmpdir ();

	g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
	g_assert_true (g_str_has_prefix (text, "# expect: "));
	g_autofree char *expect = g_strndup (text + 10,
					     strcspn (text + 10, "\n"));

	g_assert_cmpint (compile (source, path, dir, &err), ==, 1);
	if (!has_line (err, expect))
		g_error ("%s: expected the line\n  %s\nin the compiler's "
			 "messages:\n%s", file, expect, err);
	/* a refused table writes nothing */
	g_autofree char *l = g_build_filename (dir, "out.transitions", NULL);
	g_assert_false (g_file_test (l, G_FILE_TEST_EXISTS));
	rm_tmpdir (dir);
}

/* The toy table's listing, compiled by meson, is the checked-in one. */
static void
test_toy_listing (void)
{
	g_autofree char *built = g_test_build_filename (G_TEST_BUILT,
							"toy.transitions", NULL);
	g_autofree char *golden = g_test_build_filename (G_TEST_DIST, "golden",
							 "toy.transitions", NULL);
	g_autofree char *a = NULL, *b = NULL;

	g_assert_true (g_file_get_contents (golden, &a, NULL, NULL));
	g_assert_true (g_file_get_contents (built, &b, NULL, NULL));
	test_assert_same_text (golden, a, built, b);
}

static char *
slurp (const char *dir, const char *name)
{
	g_autofree char *p = g_build_filename (dir, name, NULL);
	char *text = NULL;

	g_assert_true (g_file_get_contents (p, &text, NULL, NULL));
	return text;
}

static void
test_deterministic (void)
{
	g_autofree char *session = g_test_build_filename (G_TEST_DIST, "..",
							  "fsm", "session.fsm",
							  NULL);
	g_autofree char *d1 = make_tmpdir ();
	g_autofree char *d2 = make_tmpdir ();
	const char *outs[] = {
		"out-fsm.h", "out-fsm.c", "out.dot", "out.transitions", NULL,
	};

	g_assert_cmpint (compile ("fsm/session.fsm", session, d1, NULL), ==, 0);
	g_assert_cmpint (compile ("fsm/session.fsm", session, d2, NULL), ==, 0);
	for (guint i = 0; outs[i]; i++) {
		g_autofree char *a = slurp (d1, outs[i]);
		g_autofree char *b = slurp (d2, outs[i]);

		g_assert_cmpuint (strlen (a), >, 0);
		g_assert_cmpstr (a, ==, b);
	}
	rm_tmpdir (d1);
	rm_tmpdir (d2);
}

static gboolean
is_row (const char *line)
{
	static const char *const decl[] = {
		"machine", "initial", "final", "trap", "states", "events",
		"guards", "actions", NULL,
	};
	const char *p = line;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0' || *p == '#')
		return FALSE;
	for (guint i = 0; decl[i]; i++) {
		gsize n = strlen (decl[i]);
		if (strncmp (p, decl[i], n) == 0 && (p[n] == ' ' || p[n] == '\t'))
			return FALSE;
	}
	return TRUE;
}

/*
 * fsm/session.fsm is total without leaning on a catch-all: deleting any one
 * of its rows leaves a (state, event) pair uncovered, and the compiler names
 * it.
 */
static void
test_session_every_row_needed (void)
{
	g_autofree char *session = g_test_build_filename (G_TEST_DIST, "..",
							  "fsm", "session.fsm",
							  NULL);
	g_autofree char *text = NULL;
	g_autofree char *dir = make_tmpdir ();
	g_autofree char *copy = g_build_filename (dir, "session.fsm", NULL);
	guint rows = 0;

	g_assert_true (g_file_get_contents (session, &text, NULL, NULL));
	g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
	for (guint i = 0; lines[i]; i++) {
		if (!is_row (lines[i]))
			continue;

		GString *cut = g_string_new (NULL);
		for (guint j = 0; lines[j]; j++)
			if (j != i)
				g_string_append_printf (cut, "%s\n", lines[j]);
			else
				g_string_append (cut, "# (row removed)\n");
		g_assert_true (g_file_set_contents (copy, cut->str, -1, NULL));
		g_string_free (cut, TRUE);

		g_autofree char *err = NULL;
		g_assert_cmpint (compile ("fsm/session.fsm", copy, dir, &err), ==, 1);
		if (!g_str_has_prefix (err, "fsm/session.fsm:") ||
		    strstr (err, ": no row covers state '") == NULL)
			g_error ("removing line %u (%s) gave:\n%s", i + 1,
				 lines[i], err);
		rows++;
	}
	g_assert_cmpuint (rows, >, 20);
	g_test_message ("removed each of %u rows in turn", rows);
	rm_tmpdir (dir);
}

static void
test_usage (void)
{
	const char *none[] = { fsmc (), NULL };
	const char *missing[] = { fsmc (), "/nonexistent/table.fsm", NULL };
	g_autofree char *e1 = NULL, *e2 = NULL;

	g_assert_cmpint (test_run (none, NULL, &e1), ==, 2);
	g_assert_cmpint (test_run (missing, NULL, &e2), ==, 2);
	g_assert_nonnull (strstr (e2, "/nonexistent/table.fsm"));
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
	return strcmp (*(const char *const *) a, *(const char *const *) b);
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);

	g_autofree char *bad = g_test_build_filename (G_TEST_DIST, "fsm-bad", NULL);
	g_autoptr (GDir) dir = g_dir_open (bad, 0, NULL);
	g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
	const char *name;

	g_assert_nonnull (dir);
	while ((name = g_dir_read_name (dir)) != NULL)
		if (g_str_has_suffix (name, ".fsm"))
			g_ptr_array_add (files, g_strdup (name));
	g_ptr_array_sort (files, compare_names);
	g_assert_cmpuint (files->len, >=, 15);
	for (guint i = 0; i < files->len; i++) {
		const char *f = g_ptr_array_index (files, i);
		g_autofree char *stem = g_strndup (f, strlen (f) - 4);
		g_autofree char *path = g_strdup_printf ("/compiler/refuses/%s", stem);

		g_test_add_data_func (path, f, test_refusal);
	}
	g_test_add_func ("/compiler/toy-listing", test_toy_listing);
	g_test_add_func ("/compiler/deterministic", test_deterministic);
	g_test_add_func ("/compiler/session/every-row-needed",
			 test_session_every_row_needed);
	g_test_add_func ("/compiler/usage", test_usage);
	return g_test_run ();
}
