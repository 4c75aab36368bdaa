/*
 * test-util.h — small helpers shared by the test programs.
 */
#pragma once

#include <glib.h>

/* Fails the test with a unified diff when the two texts differ. */
void test_assert_same_text (const char *name_a, const char *a,
			    const char *name_b, const char *b);

/* Runs @argv, returning its exit status and its stderr. */
int test_run (const char *const *argv, char **out, char **err);

/* Everything a forked child writes to @fd until it closes it (then @fd is
 * closed), and the child's wait status once it is gone. */
GString *test_read_child (int fd, int pid, int *status);

/* The text of the string member @name of a one-line JSON object (NULL if
 * it has none); enough for rrec's own --json lines. */
char *test_json_member (const char *line, const char *name);

/* Removes @dir and the files in it (what cannot be removed stays). */
void test_remove_dir (const char *dir);

/*
 * Issue #12: a resumed replay's --json lines (@resumed, its first line the
 * `resume` at time T) against the uninterrupted replay's (@plain): after
 * it, reconciliation lines aside, the lines after T and the summary are
 * @plain's; its lines at T are the last of @plain's at T (what the killed
 * replay had not printed yet).  @edit, if not NULL, is applied to the
 * lines after T on both sides before they are compared.  @what names the
 * resumed run in a failure.
 */
void test_assert_resumed (const char *plain, const char *resumed,
			  const char *what, char *(*edit) (const char *line));
