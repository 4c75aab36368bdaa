/*
 * pgtemp.h — a throwaway PostgreSQL server for the tests and `rrec bench`
 * (issue #13): initdb into a new temporary directory, a Unix socket in that
 * directory and no TCP, run as an unprivileged user when the caller is
 * root (PostgreSQL refuses root).  A guard process started with it stops
 * the server and removes the directory when the caller exits — normally,
 * on a failed assertion (abort) or on SIGKILL.
 *
 * The server's binaries are looked up in $RREC_PG_BINDIR, then under
 * /usr/lib/postgresql/VERSION/bin (Debian, the newest version), then on
 * PATH.
 */
#pragma once

#include <glib.h>

typedef struct _RrecPgTemp RrecPgTemp;

/* Creates and starts the server.  NULL with a message naming the step
 * that failed and the server's own words. */
RrecPgTemp *rrec_pg_temp_start (GError **error);
/* Stops the server (if running), removes its directory, waits for both. */
void rrec_pg_temp_free (RrecPgTemp *pg);

/* A new, empty database on the server: its connection URI
 * (`postgresql:///NAME?host=DIR&user=rrec`).  NULL with @error. */
char *rrec_pg_temp_new_database (RrecPgTemp *pg, const char *name,
				 GError **error);
/* The socket directory (the `host` of the URIs). */
const char *rrec_pg_temp_socket_dir (RrecPgTemp *pg);

/* Stops the server (fast shutdown: its clients' connections are cut) and
 * starts it again, for tests of a lost connection. */
gboolean rrec_pg_temp_stop_server (RrecPgTemp *pg, GError **error);
gboolean rrec_pg_temp_start_server (RrecPgTemp *pg, GError **error);
