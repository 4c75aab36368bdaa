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
