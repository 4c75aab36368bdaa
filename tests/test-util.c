/*
 * test-util.c — helpers shared by the test programs.
 */
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
