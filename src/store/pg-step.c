/*
 * store/pg-step.c — one engine step on the PostgreSQL store (pg.c says
 * what the store is): the step's rows, sent in one round trip in libpq's
 * pipeline mode and run as one implicit transaction; a lost connection
 * reconnected once, at once, with every row written again; an engine
 * fenced once another took the store over.
 */
#include <stdlib.h>
#include <string.h>

#include "store/pg-private.h"

gboolean
pg_begin (RrecStoreBackend *b, GError **error)
{
	g_array_set_size (((Pg *) b)->ops, 0);
	return TRUE;
}

gboolean
pg_put (RrecStoreBackend *b, const RrecStoreRow *row, GError **error)
{
	Pg *p = (Pg *) b;
	Op op = { TRUE, row->kind, row->kind != RREC_STORE_ROW_CALL ? 0 :
		  row->key };

	pg_keep (p, row);
	g_array_append_val (p->ops, op);
	return TRUE;
}

gboolean
pg_remove (RrecStoreBackend *b, RrecStoreRowKind kind, guint64 key,
	   GError **error)
{
	Pg *p = (Pg *) b;
	Op op = { FALSE, kind, kind != RREC_STORE_ROW_CALL ? 0 : key };

	if (kind != RREC_STORE_ROW_CALL)
		g_clear_pointer (&p->single[kind], pg_kept_free);
	else
		g_hash_table_remove (p->calls, &key);
	g_array_append_val (p->ops, op);
	return TRUE;
}

/* Queues the statement that writes row (@kind, @key) as kept, or removes
 * it when it is not kept. */
static gboolean
send_row (Pg *p, RrecStoreRowKind kind, guint64 key)
{
	Kept *k = kind != RREC_STORE_ROW_CALL ? p->single[kind] :
		g_hash_table_lookup (p->calls, &key);
	char a[24], v[16], o[24];
	const char *values[4];
	int lengths[4] = { 0 };
	const int formats[4] = { 0, 0, 0, 1 };
	gsize len;

	if (k == NULL) {
		if (kind != RREC_STORE_ROW_CALL)
			return PQsendQueryPrepared (p->conn, kind ==
						    RREC_STORE_ROW_ENGINE ?
						    "rrec_del_engine" :
						    "rrec_del_ports", 0, NULL,
						    NULL, NULL, 0);
		g_snprintf (a, sizeof a, "%" G_GINT64_FORMAT, (gint64) key);
		values[0] = a;
		return PQsendQueryPrepared (p->conn, "rrec_del_call", 1, values,
					    NULL, NULL, 0);
	}
	g_snprintf (v, sizeof v, "%" G_GUINT32_FORMAT, k->version);
	g_snprintf (o, sizeof o, "%" G_GINT64_FORMAT, k->order);
	values[3] = g_bytes_get_data (k->bytes, &len);
	lengths[3] = (int) len;
	if (kind == RREC_STORE_ROW_PORTS) {
		const int pf[2] = { 0, 1 };
		const int pl[2] = { 0, (int) len };

		values[0] = v;
		values[1] = values[3];
		return PQsendQueryPrepared (p->conn, "rrec_put_ports", 2, values,
					    pl, pf, 0);
	}
	if (kind == RREC_STORE_ROW_ENGINE) {
		g_snprintf (a, sizeof a, "%" G_GINT64_FORMAT, p->steps + 1);
		values[0] = v;
		values[1] = o;
		values[2] = a;
	} else {
		g_snprintf (a, sizeof a, "%" G_GINT64_FORMAT, (gint64) key);
		values[0] = a;
		values[1] = v;
		values[2] = o;
	}
	return PQsendQueryPrepared (p->conn, kind == RREC_STORE_ROW_ENGINE ?
				    "rrec_put_engine" : "rrec_put_call", 4,
				    values, lengths, formats, 0);
}

/* Reads the pipeline's results up to its Sync.  FALSE with the first
 * error (the implicit transaction was rolled back then). */
static gboolean
read_results (Pg *p, GError **error)
{
	gboolean ok = TRUE;
	guint idle = 0;

	for (;;) {
		PGresult *res = PQgetResult (p->conn);

		if (res == NULL) {
			/* NULL ends each statement's results; a run of them
			 * means the connection has nothing more to give */
			if (PQstatus (p->conn) != CONNECTION_OK || ++idle > 2) {
				if (ok)
					pg_fail (error, p, "writing the state", NULL);
				return FALSE;
			}
			continue;
		}
		idle = 0;
		switch (PQresultStatus (res)) {
		case PGRES_PIPELINE_SYNC:
			PQclear (res);
			return ok;
		case PGRES_COMMAND_OK:
		case PGRES_TUPLES_OK:
		case PGRES_PIPELINE_ABORTED:
			break;
		case PGRES_EMPTY_QUERY:
		case PGRES_COPY_OUT:
		case PGRES_COPY_IN:
		case PGRES_BAD_RESPONSE:
		case PGRES_NONFATAL_ERROR:
		case PGRES_FATAL_ERROR:
		case PGRES_COPY_BOTH:
		case PGRES_SINGLE_TUPLE:
		default:
			if (ok)
				pg_fail (error, p, "writing the state", res);
			ok = FALSE;
			break;
		}
		PQclear (res);
	}
}

/* The step in one round trip: the step's rows, or (@all) every row as
 * kept after removing what the server has. */
static gboolean
send_step (Pg *p, gboolean all, GError **error)
{
	gboolean sent = PQenterPipelineMode (p->conn);
	gboolean ok;

	if (all) {
		GHashTableIter it;
		gpointer key;

		sent = sent && PQsendQueryParams (p->conn, "DELETE FROM "
						  "rrec.calls", 0, NULL, NULL,
						  NULL, NULL, 0);
		sent = sent && send_row (p, RREC_STORE_ROW_ENGINE, 0);
		sent = sent && send_row (p, RREC_STORE_ROW_PORTS, 0);
		g_hash_table_iter_init (&it, p->calls);
		while (sent && g_hash_table_iter_next (&it, &key, NULL))
			sent = send_row (p, RREC_STORE_ROW_CALL,
					 *(guint64 *) key);
	} else {
		for (guint i = 0; sent && i < p->ops->len; i++) {
			const Op *op = &g_array_index (p->ops, Op, i);

			sent = send_row (p, op->kind, op->key);
		}
	}
	sent = sent && PQpipelineSync (p->conn);
	if (!sent) {
		pg_fail (error, p, "writing the state", NULL);
		PQexitPipelineMode (p->conn);
		return FALSE;
	}
	ok = read_results (p, error);
	if (!PQexitPipelineMode (p->conn) && ok)
		ok = pg_fail (error, p, "writing the state", NULL);
	return ok;
}

/* The server process holding the store's lock, or 0. */
static int
holder_pid (Pg *p)
{
	PGresult *res = pg_exec (p, "SELECT pid FROM pg_locks WHERE locktype = "
			      "'advisory' AND classid = 1920099683 AND objid = 1 "
			      "AND granted AND database = (SELECT oid FROM "
			      "pg_database WHERE datname = current_database())");
	int pid = 0;

	if (PQresultStatus (res) == PGRES_TUPLES_OK && PQntuples (res) > 0)
		pid = atoi (PQgetvalue (res, 0, 0));
	PQclear (res);
	return pid;
}

/* A new connection after one was lost: the lock again, and the store
 * still ours (no other engine wrote since), or this engine is fenced. */
static gboolean
reconnect (Pg *p, GError **error)
{
	g_autofree char *was = NULL;
	gboolean locked = FALSE;
	int old_pid = p->server_pid;
	gboolean ok;

	if (!pg_connect (p, error))
		return FALSE;
	ok = pg_take_session (p, &locked, error);
	if (!ok && locked && old_pid != 0 && holder_pid (p) == old_pid) {
		/* the server has not noticed yet that our old session is
		 * gone (a network cut): that session is ours to end */
		g_autofree char *sql = g_strdup_printf (
			"SELECT pg_terminate_backend(%d, 10000)", old_pid);

		PQclear (pg_exec (p, sql));
		g_clear_error (error);
		ok = pg_take_session (p, &locked, error);
	}
	if (!ok) {
		if (locked) {
			p->fenced = TRUE;
			g_clear_error (error);
			g_set_error (error, RREC_ENGINE_ERROR,
				     RREC_ENGINE_ERROR_STORE, "state store %s: "
				     "held by another engine since this engine's "
				     "connection was lost: this engine writes "
				     "nothing more", p->name);
		}
		return FALSE;
	}
	if (!pg_exec_ok (p, "BEGIN", "starting", error))
		return FALSE;
	if (!pg_write_holder (p, &was, error) ||
	    !pg_exec_ok (p, "COMMIT", "reconnecting", error)) {
		PQclear (pg_exec (p, "ROLLBACK"));
		return FALSE;
	}
	if (g_strcmp0 (was, p->token) != 0) {
		/* not ours any more: let the store go for the next standby */
		PQclear (pg_exec (p, "SELECT pg_advisory_unlock(1920099683, 1)"));
		p->fenced = TRUE;
		g_set_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STORE,
			     "state store %s: another engine took the store "
			     "over while this engine's connection was lost: "
			     "this engine writes nothing more", p->name);
		return FALSE;
	}
	return pg_prepare (p, error);
}

gboolean
pg_commit (RrecStoreBackend *b, GError **error)
{
	Pg *p = (Pg *) b;
	g_autoptr (GError) first = NULL;
	gboolean ok;

	if (p->fenced) {
		g_set_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STORE,
			     "state store %s: another engine holds the store "
			     "now: this engine writes nothing more", p->name);
		return FALSE;
	}
	if (p->ops->len == 0 && !p->rewrite)
		return TRUE;
	if (PQstatus (p->conn) == CONNECTION_OK &&
	    send_step (p, p->rewrite, &first)) {
		ok = TRUE;
	} else if (PQstatus (p->conn) == CONNECTION_OK) {
		/* the server refused the step: its rows are as before */
		p->rewrite = TRUE;
		g_propagate_error (error, g_steal_pointer (&first));
		return FALSE;
	} else {
		/* the connection is gone (now or before): once more, on a new
		 * one, with every row (the server may lack earlier steps) */
		g_autoptr (GError) again = NULL;

		ok = reconnect (p, &again) && send_step (p, TRUE, &again);
		if (!ok) {
			p->rewrite = TRUE;
			g_propagate_error (error, g_steal_pointer (&again));
			return FALSE;
		}
	}
	for (guint i = 0; i < p->ops->len; i++)
		if (g_array_index (p->ops, Op, i).kind == RREC_STORE_ROW_ENGINE &&
		    g_array_index (p->ops, Op, i).put)
			p->steps++;
	p->rewrite = FALSE;
	g_array_set_size (p->ops, 0);
	return ok;
}

void
pg_rollback (RrecStoreBackend *b)
{
	Pg *p = (Pg *) b;

	/* the kept rows are the engine's: they go with the next step */
	p->rewrite = TRUE;
	g_array_set_size (p->ops, 0);
}
