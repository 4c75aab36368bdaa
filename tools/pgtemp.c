/*
 * pgtemp.c — a throwaway PostgreSQL server (see pgtemp.h).
 *
 * Layout of the temporary directory DIR (mode 0700, owned by the user the
 * server runs as):
 *
 *   DIR/data/          the cluster (initdb), its postgresql.conf extended
 *                      with: no TCP, the socket in DIR, small memory
 *   DIR/.s.PGSQL.5432  the socket (the port only names it: no TCP)
 *   DIR/server.log     the server's log, quoted when it fails to start
 *
 * The guard is `/bin/sh` in a session of its own (a Ctrl-C or a test
 * runner's kill of the process group does not reach it), reading a pipe
 * whose only writer is this process: end of file means this process is
 * gone, however it ended.  It then stops the postmaster named in
 * postmaster.pid (fast shutdown, then immediate, then SIGKILL) and removes
 * DIR.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libpq-fe.h>

#include "pgtemp.h"

#define PG_TEMP_ERROR (pg_temp_error_quark ())
GQuark pg_temp_error_quark (void);
G_DEFINE_QUARK (rrec-pg-temp-error-quark, pg_temp_error)

struct _RrecPgTemp {
	char *bindir;
	char *dir;		/* the temporary directory */
	char *data;		/* DIR/data */
	char *log;		/* DIR/server.log */
	gboolean drop;		/* run the server as uid/gid (we are root) */
	uid_t uid;
	gid_t gid;
	GPid guard;
	int guard_fd;		/* the guard's standard input: -1 once closed */
	gboolean running;
};

static const char guard_script[] =
	"trap '' INT TERM HUP QUIT\n"
	"cat > /dev/null\n"
	"pidfile=\"$1/postmaster.pid\"\n"
	"if [ -f \"$pidfile\" ]; then\n"
	"  pid=$(head -n 1 \"$pidfile\")\n"
	"  for sig in INT QUIT KILL; do\n"
	"    kill -$sig \"$pid\" 2> /dev/null || break\n"
	"    i=0\n"
	"    while kill -0 \"$pid\" 2> /dev/null && [ $i -lt 100 ]; do\n"
	"      sleep 0.1; i=$((i + 1))\n"
	"    done\n"
	"    kill -0 \"$pid\" 2> /dev/null || break\n"
	"  done\n"
	"fi\n"
	"rm -rf \"$2\"\n";

/* The newest server under Debian's /usr/lib/postgresql/VERSION/bin. */
static char *
find_bindir (void)
{
	const char *env = g_getenv ("RREC_PG_BINDIR");
	g_autoptr (GDir) d = NULL;
	char *best = NULL;
	guint64 best_version = 0;
	const char *name;

	if (env && *env)
		return g_strdup (env);
	d = g_dir_open ("/usr/lib/postgresql", 0, NULL);
	while (d && (name = g_dir_read_name (d)) != NULL) {
		char *end = NULL;
		guint64 v = g_ascii_strtoull (name, &end, 10);
		g_autofree char *bin = g_build_filename ("/usr/lib/postgresql",
							 name, "bin", NULL);
		g_autofree char *initdb = g_build_filename (bin, "initdb", NULL);

		if (end == name || g_access (initdb, X_OK) != 0 ||
		    (best && v <= best_version))
			continue;
		g_free (best);
		best = g_steal_pointer (&bin);
		best_version = v;
	}
	if (best == NULL) {
		g_autofree char *initdb = g_find_program_in_path ("initdb");
		if (initdb)
			best = g_path_get_dirname (initdb);
	}
	return best;
}

static void
child_drop (gpointer data)
{
	RrecPgTemp *pg = data;

	if (pg->drop && (setgroups (0, NULL) != 0 || setgid (pg->gid) != 0 ||
			 setuid (pg->uid) != 0))
		_exit (126);
}

static void
child_guard (gpointer data)
{
	setsid ();
}

/* Runs BINDIR/@prog with @args (NULL-terminated) as the server's user,
 * in the temporary directory (the caller's may be closed to that user). */
static gboolean
run (RrecPgTemp *pg, const char *what, const char *const *args, GError **error)
{
	g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
	g_autofree char *out = NULL;
	g_autofree char *err = NULL;
	g_autoptr (GError) local = NULL;
	int status = 0;

	g_ptr_array_add (argv, g_build_filename (pg->bindir, args[0], NULL));
	for (guint i = 1; args[i]; i++)
		g_ptr_array_add (argv, g_strdup (args[i]));
	g_ptr_array_add (argv, NULL);
	if (!g_spawn_sync (pg->dir, (char **) argv->pdata, NULL,
			   G_SPAWN_STDIN_FROM_DEV_NULL, child_drop, pg, &out,
			   &err, &status, &local) ||
	    !g_spawn_check_wait_status (status, &local)) {
		g_set_error (error, PG_TEMP_ERROR, 1,
			     "temporary PostgreSQL server in %s: %s: %s\n%s%s",
			     pg->dir, what, local->message, out ? out : "",
			     err ? err : "");
		return FALSE;
	}
	return TRUE;
}

static void
add_log (RrecPgTemp *pg, GError **error)
{
	g_autofree char *text = NULL;

	if (error && *error &&
	    g_file_get_contents (pg->log, &text, NULL, NULL)) {
		char *m = g_strdup_printf ("%s\nserver log:\n%s",
					   (*error)->message, text);
		g_free ((*error)->message);
		(*error)->message = m;
	}
}

gboolean
rrec_pg_temp_start_server (RrecPgTemp *pg, GError **error)
{
	const char *const args[] = {
		"pg_ctl", "start", "-D", pg->data, "-l", pg->log, "-w",
		"-t", "300", "-s", NULL,
	};

	if (pg->running)
		return TRUE;
	if (!run (pg, "pg_ctl start", args, error)) {
		add_log (pg, error);
		return FALSE;
	}
	pg->running = TRUE;
	return TRUE;
}

gboolean
rrec_pg_temp_stop_server (RrecPgTemp *pg, GError **error)
{
	const char *const args[] = {
		"pg_ctl", "stop", "-D", pg->data, "-m", "fast", "-w",
		"-t", "300", "-s", NULL,
	};

	if (!pg->running)
		return TRUE;
	if (!run (pg, "pg_ctl stop", args, error))
		return FALSE;
	pg->running = FALSE;
	return TRUE;
}

/* The settings a test server needs, after initdb's. */
static gboolean
configure (RrecPgTemp *pg, GError **error)
{
	g_autofree char *conf = g_build_filename (pg->data, "postgresql.conf",
						  NULL);
	FILE *f = fopen (conf, "a");

	if (f == NULL) {
		int err = errno;
		g_set_error (error, PG_TEMP_ERROR, 1, "%s: %s", conf,
			     g_strerror (err));
		return FALSE;
	}
	fprintf (f, "\n# rrec's temporary test server (tools/pgtemp.c)\n"
		 "listen_addresses = ''\n"
		 "unix_socket_directories = '%s'\n"
		 "shared_buffers = 16MB\n"
		 "max_connections = 30\n"
		 "max_wal_size = 256MB\n"
		 "logging_collector = off\n", pg->dir);
	return fclose (f) == 0;
}

static gboolean
start_guard (RrecPgTemp *pg, GError **error)
{
	const char *argv[] = {
		"/bin/sh", "-c", guard_script, "rrec-pg-guard", pg->data,
		pg->dir, NULL,
	};

	return g_spawn_async_with_pipes (NULL, (char **) argv, NULL,
					 G_SPAWN_DO_NOT_REAP_CHILD |
					 G_SPAWN_STDOUT_TO_DEV_NULL |
					 G_SPAWN_STDERR_TO_DEV_NULL,
					 child_guard, NULL, &pg->guard,
					 &pg->guard_fd, NULL, NULL, error);
}

RrecPgTemp *
rrec_pg_temp_start (GError **error)
{
	RrecPgTemp *pg = g_new0 (RrecPgTemp, 1);
	const char *initdb[] = {
		"initdb", "-D", NULL, "-U", "rrec", "-A", "trust", "-E", "UTF8",
		"--locale=C", "--no-sync", NULL,
	};

	pg->guard_fd = -1;
	pg->bindir = find_bindir ();
	if (pg->bindir == NULL) {
		g_set_error (error, PG_TEMP_ERROR, 1, "no PostgreSQL server: "
			     "no initdb in $RREC_PG_BINDIR, /usr/lib/postgresql/"
			     "*/bin or on PATH (tools/dev deps installs it)");
		g_free (pg);
		return NULL;
	}
	pg->dir = g_dir_make_tmp ("rrec-pg-XXXXXX", error);
	if (pg->dir == NULL) {
		g_free (pg->bindir);
		g_free (pg);
		return NULL;
	}
	pg->data = g_build_filename (pg->dir, "data", NULL);
	pg->log = g_build_filename (pg->dir, "server.log", NULL);
	/* from here on the guard removes the directory, whatever happens */
	if (!start_guard (pg, error)) {
		g_rmdir (pg->dir);
		pg->dir[0] = '\0';
		rrec_pg_temp_free (pg);
		return NULL;
	}
	if (geteuid () == 0) {
		/* PostgreSQL will not run as root: Debian's package makes the
		 * user postgres; any system has nobody */
		struct passwd *pw = getpwnam ("postgres");

		if (pw == NULL)
			pw = getpwnam ("nobody");
		if (pw == NULL) {
			g_set_error (error, PG_TEMP_ERROR, 1, "running as root "
				     "and no user postgres or nobody to run "
				     "the server as");
			rrec_pg_temp_free (pg);
			return NULL;
		}
		pg->drop = TRUE;
		pg->uid = pw->pw_uid;
		pg->gid = pw->pw_gid;
		if (chown (pg->dir, pg->uid, pg->gid) != 0) {
			int err = errno;
			g_set_error (error, PG_TEMP_ERROR, 1, "chown %s: %s",
				     pg->dir, g_strerror (err));
			rrec_pg_temp_free (pg);
			return NULL;
		}
	}
	initdb[2] = pg->data;
	if (!run (pg, "initdb", initdb, error) || !configure (pg, error) ||
	    !rrec_pg_temp_start_server (pg, error)) {
		rrec_pg_temp_free (pg);
		return NULL;
	}
	return pg;
}

void
rrec_pg_temp_free (RrecPgTemp *pg)
{
	int status;

	if (pg == NULL)
		return;
	if (pg->guard_fd >= 0) {
		/* the guard stops the server and removes the directory */
		close (pg->guard_fd);
		while (waitpid (pg->guard, &status, 0) < 0 && errno == EINTR)
			;
		g_spawn_close_pid (pg->guard);
	}
	g_free (pg->bindir);
	g_free (pg->dir);
	g_free (pg->data);
	g_free (pg->log);
	g_free (pg);
}

const char *
rrec_pg_temp_socket_dir (RrecPgTemp *pg)
{
	return pg->dir;
}

char *
rrec_pg_temp_new_database (RrecPgTemp *pg, const char *name, GError **error)
{
	const char *const keys[] = { "host", "dbname", "user", NULL };
	const char *const values[] = { pg->dir, "postgres", "rrec", NULL };
	PGconn *conn = PQconnectdbParams (keys, values, 0);
	char *uri = NULL;

	if (PQstatus (conn) == CONNECTION_OK) {
		char *id = PQescapeIdentifier (conn, name, strlen (name));
		g_autofree char *sql = g_strdup_printf ("CREATE DATABASE %s", id);
		PGresult *res = PQexec (conn, sql);

		if (PQresultStatus (res) == PGRES_COMMAND_OK) {
			g_autofree char *host = g_uri_escape_string (pg->dir, "/",
								     FALSE);
			g_autofree char *db = g_uri_escape_string (name, NULL,
								   FALSE);
			uri = g_strdup_printf ("postgresql:///%s?host=%s&user=rrec",
					       db, host);
		}
		PQclear (res);
		PQfreemem (id);
	}
	if (uri == NULL)
		g_set_error (error, PG_TEMP_ERROR, 1, "temporary PostgreSQL "
			     "server in %s: creating database %s: %s", pg->dir,
			     name, PQerrorMessage (conn));
	PQfinish (conn);
	return uri;
}
