/*
 * test-util.c — helpers shared by the test programs.
 */
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "test-util.h"

GString *
test_read_child (int fd, int pid, int *status)
{
	GString *got = g_string_new (NULL);
	char buf[4096];
	ssize_t n;

	while ((n = read (fd, buf, sizeof buf)) > 0)
		g_string_append_len (got, buf, n);
	close (fd);
	g_assert_cmpint (waitpid (pid, status, 0), ==, pid);
	return got;
}

static char *
write_temp (const char *text)
{
	g_autoptr (GError) error = NULL;
	char *path = NULL;
	int fd = g_file_open_tmp ("rrec-test-XXXXXX", &path, &error);

	g_assert_no_error (error);
	close (fd);
	g_assert_true (g_file_set_contents (path, text, -1, NULL));
	return path;
}

void
test_assert_same_text (const char *name_a, const char *a, const char *name_b,
		       const char *b)
{
	if (g_strcmp0 (a, b) == 0)
		return;

	g_autofree char *pa = write_temp (a);
	g_autofree char *pb = write_temp (b);
	g_autofree char *label_a = g_strdup_printf ("--label=%s", name_a);
	g_autofree char *label_b = g_strdup_printf ("--label=%s", name_b);
	const char *argv[] = { "diff", "-u", label_a, label_b, pa, pb, NULL };
	g_autofree char *out = NULL;

	if (test_run (argv, &out, NULL) < 0 || out == NULL || *out == '\0')
		out = g_strdup_printf ("--- %s\n%s\n+++ %s\n%s", name_a, a,
				       name_b, b);
	g_printerr ("%s differs from %s:\n%s", name_b, name_a, out);
	g_test_message ("%s differs from %s:\n%s", name_b, name_a, out);
	g_unlink (pa);
	g_unlink (pb);
	g_test_fail ();
}

int
test_run (const char *const *argv, char **out, char **err)
{
	g_autoptr (GError) error = NULL;
	int status = 0;

	if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL,
			   NULL, out, err, &status, &error))
		return -1;
	if (WIFEXITED (status))
		return WEXITSTATUS (status);
	return 128 + (WIFSIGNALED (status) ? WTERMSIG (status) : 0);
}

char *
test_json_member (const char *line, const char *name)
{
	g_autofree char *key = g_strdup_printf ("\"%s\":\"", name);
	const char *p = strstr (line, key);

	if (p == NULL)
		return NULL;
	p += strlen (key);
	return g_strndup (p, strcspn (p, "\""));
}

void
test_remove_dir (const char *dir)
{
	GDir *d = g_dir_open (dir, 0, NULL);
	const char *name;

	while (d && (name = g_dir_read_name (d))) {
		g_autofree char *path = g_build_filename (dir, name, NULL);

		g_remove (path);
	}
	if (d)
		g_dir_close (d);
	g_rmdir (dir);
}

/* A line after T, edited if asked, appended to @out. */
static void
append_after (GString *out, const char *line, char *(*edit) (const char *line))
{
	g_autofree char *edited = edit ? edit (line) : NULL;

	g_string_append_printf (out, "%s\n", edited ? edited : line);
}

void
test_assert_resumed (const char *plain, const char *resumed,
		     const char *what, char *(*edit) (const char *line))
{
	g_auto (GStrv) want = g_strsplit (plain, "\n", -1);
	g_auto (GStrv) got = g_strsplit (resumed, "\n", -1);
	g_autofree char *first = test_json_member (got[0], "action");
	g_autofree char *t = test_json_member (got[0], "time");
	g_autoptr (GPtrArray) at_t = g_ptr_array_new ();
	g_autoptr (GPtrArray) want_t = g_ptr_array_new ();
	g_autoptr (GString) after = g_string_new (NULL);
	g_autoptr (GString) expected = g_string_new (NULL);

	g_assert_cmpstr (first, ==, "resume");
	g_assert_nonnull (t);
	for (guint i = 1; got[i] && *got[i]; i++) {
		g_autofree char *a = test_json_member (got[i], "action");
		g_autofree char *ti = test_json_member (got[i], "time");

		if (g_strcmp0 (a, "reconcile") == 0)
			continue;
		if (g_strcmp0 (ti, t) == 0 && g_strcmp0 (a, "summary") != 0)
			g_ptr_array_add (at_t, got[i]);
		else
			append_after (after, got[i], edit);
	}
	for (guint i = 0; want[i] && *want[i]; i++) {
		g_autofree char *a = test_json_member (want[i], "action");
		g_autofree char *ti = test_json_member (want[i], "time");

		if (g_strcmp0 (ti, t) == 0 && g_strcmp0 (a, "summary") != 0)
			g_ptr_array_add (want_t, want[i]);
		else if (g_strcmp0 (ti, t) > 0 || g_strcmp0 (a, "summary") == 0)
			append_after (expected, want[i], edit);
	}
	g_autofree char *name = g_strdup_printf ("%s (from %s)", what, t);
	test_assert_same_text ("uninterrupted, after the stored time",
			       expected->str, name, after->str);
	/* at the stored time: what the killed replay had not printed */
	g_assert_cmpuint (at_t->len, <=, want_t->len);
	for (guint i = 0; i < at_t->len; i++)
		g_assert_cmpstr (g_ptr_array_index (at_t, i), ==,
				 g_ptr_array_index (want_t, want_t->len -
						    at_t->len + i));
}
