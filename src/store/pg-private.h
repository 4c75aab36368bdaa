/*
 * store/pg-private.h — what the two halves of the PostgreSQL backend
 * share: pg.c (the connection, the lock, the schema, open, load, close,
 * moving a damaged store aside) and pg-step.c (a step: its statements in
 * one pipelined round trip, a lost connection, fencing).
 */
#pragma once

#include <libpq-fe.h>

#include "store/backend.h"

/* A row as the engine has it (what a rewrite sends). */
typedef struct {
	guint32 version;
	gint64 order;
	GBytes *bytes;
} Kept;

/* A statement of the step under way. */
typedef struct {
	gboolean put;
	RrecStoreRowKind kind;
	guint64 key;
} Op;

typedef struct {
	RrecStoreBackend parent;
	PGconn *conn;
	char *uri;
	char *name;		/* for messages: the URI without a password */
	RrecStoreSync sync;
	char *token;		/* the `holder` this engine wrote */
	gint64 steps;
	Kept *single[3];	/* the ENGINE and PORTS rows, or NULL */
	GHashTable *calls;	/* guint64* ConnID -> Kept* */
	GArray *ops;		/* Op: the step under way */
	gboolean rewrite;	/* the server may differ from the kept rows
				 * beyond the step under way: write them all */
	gboolean fenced;	/* another engine took the store over */
	int server_pid;		/* the server process of our session */
} Pg;

void pg_kept_free (gpointer p);
/* Sets @error from the connection's (or @res's) message; FALSE. */
gboolean pg_fail (GError **error, Pg *p, const char *what,
		  const PGresult *res);
PGresult *pg_exec (Pg *p, const char *sql);
gboolean pg_exec_ok (Pg *p, const char *sql, const char *what, GError **error);
gboolean pg_connect (Pg *p, GError **error);
/* The session's settings and the lock; *@locked: another engine has it. */
gboolean pg_take_session (Pg *p, gboolean *locked, GError **error);
gboolean pg_prepare (Pg *p, GError **error);
/* This engine's token as the store's holder; *@was gets the one before. */
gboolean pg_write_holder (Pg *p, char **was, GError **error);
/* The row as the engine has it, kept for a rewrite. */
void pg_keep (Pg *p, const RrecStoreRow *row);

/* pg-step.c */
gboolean pg_begin (RrecStoreBackend *b, GError **error);
gboolean pg_put (RrecStoreBackend *b, const RrecStoreRow *row, GError **error);
gboolean pg_remove (RrecStoreBackend *b, RrecStoreRowKind kind, guint64 key,
		    GError **error);
gboolean pg_commit (RrecStoreBackend *b, GError **error);
void pg_rollback (RrecStoreBackend *b);
