/*
 * test-pgtemp.c — the suite's own PostgreSQL server (tools/pgtemp.c,
 * issue #13): it starts, serves a new database over its Unix socket only,
 * runs as an unprivileged user when the suite runs as root, stops and
 * starts again, and is stopped and removed when its process ends — also
 * when the process is killed with SIGKILL.
 */
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libpq-fe.h>

#include "pgtemp.h"

static gboolean
can_query (const char *uri, char **text)
{
	PGconn *conn = PQconnectdb (uri);
	gboolean ok = FALSE;

	if (PQstatus (conn) == CONNECTION_OK) {
		PGresult *res = PQexec (conn, "SELECT current_database()");

		ok = PQresultStatus (res) == PGRES_TUPLES_OK;
		if (ok && text)
			*text = g_strdup (PQgetvalue (res, 0, 0));
		PQclear (res);
	} else if (text) {
		*text = g_strdup (PQerrorMessage (conn));
	}
	PQfinish (conn);
	return ok;
}

static void
pgtemp_lifecycle (void)
{
	g_autoptr (GError) error = NULL;
	RrecPgTemp *pg = rrec_pg_temp_start (&error);
	g_autofree char *dir = NULL;
	g_autofree char *data = NULL;
	g_autofree char *uri = NULL;
	g_autofree char *text = NULL;
	GStatBuf st;

	g_assert_no_error (error);
	dir = g_strdup (rrec_pg_temp_socket_dir (pg));
	uri = rrec_pg_temp_new_database (pg, "rrec_test", &error);
	g_assert_no_error (error);
	g_test_message ("%s", uri);
	g_assert_true (g_str_has_prefix (uri, "postgresql://"));
	g_assert_true (can_query (uri, &text));
	g_assert_cmpstr (text, ==, "rrec_test");
	g_clear_pointer (&text, g_free);

	/* a Unix socket in its own directory, and no TCP at all */
	g_autofree char *sock = g_build_filename (dir, ".s.PGSQL.5432", NULL);
	g_assert_cmpint (g_stat (sock, &st), ==, 0);
	g_assert_true (S_ISSOCK (st.st_mode));
	PGconn *conn = PQconnectdb (uri);
	PGresult *res = PQexec (conn, "SHOW listen_addresses");
	g_assert_cmpint (PQresultStatus (res), ==, PGRES_TUPLES_OK);
	g_assert_cmpstr (PQgetvalue (res, 0, 0), ==, "");
	PQclear (res);
	PQfinish (conn);

	/* never root: the cluster belongs to an unprivileged user */
	data = g_build_filename (dir, "data", NULL);
	g_assert_cmpint (g_stat (data, &st), ==, 0);
	g_assert_cmpuint (st.st_uid, !=, 0);
	if (geteuid () != 0)
		g_assert_cmpuint (st.st_uid, ==, geteuid ());

	/* stopped, it refuses connections; started again, the data is there */
	g_assert_true (rrec_pg_temp_stop_server (pg, &error));
	g_assert_no_error (error);
	g_assert_false (can_query (uri, NULL));
	g_assert_true (rrec_pg_temp_start_server (pg, &error));
	g_assert_no_error (error);
	g_assert_true (can_query (uri, NULL));

	rrec_pg_temp_free (pg);
	g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
}

/* Whether process @pid is gone (or a zombie nobody reaps yet). */
static gboolean
process_gone (int pid)
{
	g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
	g_autofree char *text = NULL;
	const char *p;

	if (!g_file_get_contents (path, &text, NULL, NULL))
		return TRUE;
	p = strrchr (text, ')');
	return p && p[1] == ' ' && p[2] == 'Z';
}

/* The process that started the server is killed: the guard stops the
 * server and removes the directory all the same. */
static void
pgtemp_removed_after_sigkill (void)
{
	int fds[2];
	int status;
	char buf[4096] = { 0 };
	gssize n, got = 0;

	g_assert_cmpint (pipe (fds), ==, 0);
	pid_t pid = fork ();
	g_assert_cmpint (pid, >=, 0);
	if (pid == 0) {
		g_autoptr (GError) error = NULL;
		RrecPgTemp *pg = rrec_pg_temp_start (&error);
		g_autofree char *pidfile = NULL;
		g_autofree char *pidtext = NULL;
		g_autofree char *msg = NULL;

		close (fds[0]);
		if (pg == NULL)
			_exit (3);
		pidfile = g_build_filename (rrec_pg_temp_socket_dir (pg), "data",
					    "postmaster.pid", NULL);
		if (!g_file_get_contents (pidfile, &pidtext, NULL, NULL))
			_exit (4);
		msg = g_strdup_printf ("%s\n%d\n", rrec_pg_temp_socket_dir (pg),
				       atoi (pidtext));
		if (write (fds[1], msg, strlen (msg)) != (gssize) strlen (msg))
			_exit (5);
		close (fds[1]);
		for (;;)
			pause ();
	}
	close (fds[1]);
	while ((n = read (fds[0], buf + got, sizeof buf - 1 - got)) > 0)
		got += n;
	close (fds[0]);
	kill (pid, SIGKILL);
	g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
	g_assert_true (WIFSIGNALED (status));

	g_auto (GStrv) lines = g_strsplit (buf, "\n", 3);
	g_assert_cmpuint (g_strv_length (lines), >=, 2);
	const char *dir = lines[0];
	int postmaster = atoi (lines[1]);
	g_autofree char *base = g_path_get_basename (dir);
	g_assert_true (g_str_has_prefix (base, "rrec-pg-"));
	g_assert_cmpint (postmaster, >, 1);

	/* the guard works on its own time: wait for it, within a bound far
	 * beyond its own (three signals, ten seconds each) */
	for (guint i = 0; i < 1200 && g_file_test (dir, G_FILE_TEST_EXISTS); i++)
		g_usleep (100000);
	g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
	g_assert_true (process_gone (postmaster));
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);
	g_test_add_func ("/pgtemp/lifecycle", pgtemp_lifecycle);
	g_test_add_func ("/pgtemp/removed-after-sigkill",
			 pgtemp_removed_after_sigkill);
	return g_test_run ();
}
