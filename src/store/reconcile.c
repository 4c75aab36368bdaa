/*
 * reconcile.c — after a restart, the restored state meets what is alive
 * now (engine.h, rrec_engine_reconcile): the host's calls and SIP Server's
 * legs.  Any later reconcile is an audit (R31): the same comparison, but
 * the clients' requests are live and nothing restarted.  Every decision is an action with a reason.  What a decision does
 * to a call or a session goes through the tables like any other event: a
 * call that is gone ends (call.fsm CALL_END, R26; at an audit CALL_DELETED,
 * R31), a leg that is gone is
 * LEG_GONE for its session (session.fsm), the link follows LINK_DOWN and
 * LINK_UP; this file only compares the two views.
 */
#include <string.h>

#include "engine-private.h"

static void
tell (RrecEngine *e, Call *c, const char *port, const char *leg,
      const char *reason, const char *rule)
{
	RrecAction a = {
		.kind = RREC_ACTION_RECONCILE,
		.rule = rule,
		.call = c ? c->conn : NULL,
		.port = port,
		.leg = leg,
		.reason = reason,
	};

	rrec_engine_emit (e, &a);
}

/* R27: exactly one reply each; the client's connection was to the old
 * process, and the engine cannot tell what became of its request. */
static void
answer_pending (RrecEngine *e, Call *c)
{
	while (LEN (c->waiters) > 0) {
		Waiter *w = rrec_core_ptrs_steal (c->waiters, 0);
		RrecAction a = {
			.kind = RREC_ACTION_CLIENT_REPLY,
			.rule = "R27",
			.call = c->conn,
			.refid = w->refid,
			.dn = w->dn,
			.event = "EventError",
			.error = "setup-failed",
			.reason = "pending-at-restart",
		};

		e->counters.client_errors++;
		rrec_engine_emit (e, &a);
		/* the engine's blocks (rrec_engine_waiter_add()): back to it */
		rrec_core_str_give (e, w->dn);
		rrec_core_mem_give_size (e, w, sizeof *w);
	}
}

static gboolean
listed (const char *const *parties, const char *dn)
{
	for (; *parties; parties++)
		if (strcmp (*parties, dn) == 0)
			return TRUE;
	return FALSE;
}

/* Parties present in the stored state that the host no longer lists have
 * left while the engine was away. */
static void
reconcile_parties (RrecEngine *e, Call *c, const char *const *parties)
{
	g_autoptr (GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);

	for (guint i = 0; i < c->n_parties; i++) {
		const Party *p = &c->parties[i];

		if (p->state != RREC_PARTY_STATE_ABSENT &&
		    p->state != RREC_PARTY_STATE_GONE &&
		    !listed (parties, rrec_party_dn (c, p)))
			g_ptr_array_add (gone, g_strdup (rrec_party_dn (c, p)));
	}
	guint64 id = c->id;

	/* each step may end the call and free it: look it up again */
	for (guint i = 0; i < gone->len; i++) {
		c = rrec_engine_call_lookup (e, id);
		if (c == NULL || c->state == RREC_CALL_STATE_ENDED)
			break;
		rrec_engine_party_gone (e, c, g_ptr_array_index (gone, i));
	}
}

/* The session's leg against SIP Server's legs (R18: the same port). */
static void
reconcile_leg (RrecEngine *e, Call *c, GHashTable *legs, GHashTable *used,
	       gint64 crash, gboolean answers_lost, gboolean audit)
{
	Session *s = c->session;

	if (s == NULL || !s->has_port)
		return;

	gpointer key = GUINT_TO_POINTER (s->port + 1);
	const RrecLiveLeg *live = g_hash_table_lookup (legs, key);
	g_autofree char *port = rrec_session_port_string (s);

	char leg[17];

	if (live && s->leg_kind != LEG_NONE && live->leg &&
	    !rrec_session_leg_is (s, live->leg))
		live = NULL;	/* another leg on the port: not ours */

	if (!audit && answers_lost && live &&
	    s->state == RREC_SESSION_STATE_STARTING) {
		/* the START may never have left the old process (its
		 * actions reach the host only after the step is stored), and
		 * its answer would go to the old link: the leg is released
		 * and set up anew, the interval a `restart` gap */
		RrecAction a = {
			.kind = RREC_ACTION_RELEASE_LEG,
			.rule = "R25",
			.call = c->conn,
			.leg = live->leg,
			.port = live->port,
			.reason = "in-flight-at-restart",
		};
		g_hash_table_add (used, key);
		rrec_engine_emit (e, &a);
		live = NULL;
	}
	if (rrec_session_leg_is_up (s)) {
		if (live) {
			/* SIP Server still records: no new leg, no START */
			g_hash_table_add (used, key);
			if (!audit)
				tell (e, c, port, rrec_session_leg (s, leg),
				      "reattached", "R18");
			/* what was in flight went to the old link: as after
			 * a link loss, the table decides (R14, R23) */
			if (answers_lost &&
			    (s->state == RREC_SESSION_STATE_PAUSING ||
			     s->state == RREC_SESSION_STATE_RESUMING)) {
				rrec_engine_post (e, TARGET_SESSION,
						  RREC_SESSION_EVENT_LINK_UP, c,
						  -1, NULL, "in-flight-at-restart");
				rrec_engine_drain (e);
			}
			return;
		}
		tell (e, c, port, rrec_session_leg (s, leg), "leg-gone-redial",
		      "R25");
		if (!audit)
			rrec_gaps_restart (e, c, crash);
		rrec_engine_post (e, TARGET_SESSION, RREC_SESSION_EVENT_LEG_GONE,
				  c, -1, NULL, NULL);
		rrec_engine_drain (e);
	} else if (s->state == RREC_SESSION_STATE_DIALING && live) {
		/* the leg came up while the engine was away: as if it had
		 * come up now (R19) */
		g_hash_table_add (used, key);
		tell (e, c, port, live->leg, "reattached", "R19");
		rrec_session_set_leg (s, live->leg);
		rrec_engine_post (e, TARGET_SESSION, RREC_SESSION_EVENT_LEG_UP,
				  c, -1, NULL, NULL);
		rrec_engine_drain (e);
	} else if (s->state == RREC_SESSION_STATE_DIALING && answers_lost &&
		   !audit) {
		/* no leg, and a new link: the dial may never have been sent
		 * (session.fsm: dialing LEG_GONE) */
		tell (e, c, port, NULL, "dial-again", "R18");
		rrec_engine_post (e, TARGET_SESSION, RREC_SESSION_EVENT_LEG_GONE,
				  c, -1, NULL, NULL);
		rrec_engine_drain (e);
	}
}

void
rrec_engine_reconcile (RrecEngine *e, gint64 now_ms, const RrecLiveView *view)
{
	g_return_if_fail (e != NULL && view != NULL);

	gint64 crash = e->now;	/* the last step the store kept */
	gboolean audit = !e->restored;	/* R31: not after a restart */
	g_autoptr (GHashTable) calls = g_hash_table_new_full (g_str_hash,
							      g_str_equal,
							      g_free, NULL);
	g_autoptr (GHashTable) legs = g_hash_table_new (g_direct_hash, g_direct_equal);
	g_autoptr (GHashTable) used = g_hash_table_new (g_direct_hash, g_direct_equal);
	g_autoptr (GPtrArray) order = rrec_engine_calls_in_order (e);

	if (now_ms > e->now)
		e->now = now_ms;
	for (guint i = 0; i < view->n_calls; i++) {
		if (view->calls[i].conn_id)
			g_hash_table_insert (calls,
					     g_ascii_strdown (view->calls[i].conn_id, -1),
					     (gpointer) &view->calls[i]);
	}
	for (guint i = 0; i < view->n_legs; i++) {
		gint64 port = view->legs[i].port ?
			rrec_uri_pattern_match (e->pattern, view->legs[i].port) : -1;

		if (port >= 0)
			g_hash_table_insert (legs, GUINT_TO_POINTER ((guint) port + 1),
					     (gpointer) &view->legs[i]);
	}

	/* A live leg on the port of a session that dialled one is the
	 * session's: reattached, or released with its call; any other is an
	 * orphan (below). */
	for (guint i = 0; i < order->len; i++) {
		Session *s = ((Call *) g_ptr_array_index (order, i))->session;
		gpointer key = s ? GUINT_TO_POINTER (s->port + 1) : NULL;
		const RrecLiveLeg *l = key ? g_hash_table_lookup (legs, key) : NULL;

		if (l && s->has_port && s->dialled &&
		    (s->leg_kind == LEG_NONE || l->leg == NULL ||
		     rrec_session_leg_is (s, l->leg)))
			g_hash_table_add (used, key);
	}
	/* an audit's clients are this process's own: they wait on */
	for (guint i = 0; !audit && i < order->len; i++)
		answer_pending (e, g_ptr_array_index (order, i));
	/* Calls end and are freed as the engine drains: keep their ids. */
	g_autoptr (GArray) ids = g_array_sized_new (FALSE, FALSE, sizeof (guint64),
						    order->len);
	for (guint i = 0; i < order->len; i++)
		g_array_append_val (ids, ((Call *) g_ptr_array_index (order, i))->id);
	g_ptr_array_set_size (order, 0);

	/* down first, so that a leg found gone waits for the link */
	if (!view->calls_only && !view->link_up &&
	    e->link_state == RREC_LINK_STATE_UP)
		rrec_engine_link_as (e, FALSE);

	for (guint i = 0; i < ids->len; i++) {
		Call *c = rrec_engine_call_lookup (e, g_array_index (ids, guint64, i));

		if (c == NULL || c->state == RREC_CALL_STATE_ENDED)
			continue;
		const RrecLiveCall *live = g_hash_table_lookup (calls, c->conn);

		if (live == NULL) {
			/* an audit's is R31's (call.fsm CALL_DELETED), a
			 * restart's R26's */
			rrec_engine_post (e, TARGET_CALL, audit ?
					  RREC_CALL_EVENT_CALL_DELETED :
					  RREC_CALL_EVENT_CALL_END,
					  c, -1, NULL, "call-gone");
			rrec_engine_drain (e);
			continue;
		}
		if (live->parties)
			reconcile_parties (e, c, live->parties);
		c = rrec_engine_call_lookup (e, g_array_index (ids, guint64, i));
		if (c && c->state != RREC_CALL_STATE_ENDED && !view->calls_only)
			reconcile_leg (e, c, legs, used, crash,
				       view->answers_lost, audit);
	}

	/* SIP Server's legs that no session owns (R20) */
	for (guint i = 0; !view->calls_only && i < view->n_legs; i++) {
		const RrecLiveLeg *l = &view->legs[i];
		gint64 port = l->port ? rrec_uri_pattern_match (e->pattern, l->port) : -1;

		if (port >= 0 &&
		    g_hash_table_contains (used, GUINT_TO_POINTER ((guint) port + 1)))
			continue;
		RrecAction a = {
			.kind = RREC_ACTION_RELEASE_LEG,
			.rule = "R20",
			.leg = l->leg,
			.port = l->port,
			.reason = audit ? "orphan" : "orphan-at-restart",
		};
		if (audit)
			e->counters.orphans++;
		rrec_engine_emit (e, &a);
	}

	if (!view->calls_only && view->link_up &&
	    e->link_state != RREC_LINK_STATE_UP)
		rrec_engine_link_as (e, TRUE);
	e->restored = FALSE;
	rrec_engine_store_step_now (e);
}

char **
rrec_engine_list_calls (RrecEngine *e)
{
	g_autoptr (GPtrArray) order = rrec_engine_calls_in_order (e);
	GPtrArray *out = g_ptr_array_new ();

	for (guint i = 0; i < order->len; i++) {
		Call *c = g_ptr_array_index (order, i);
		if (c->state != RREC_CALL_STATE_ENDED)
			g_ptr_array_add (out, g_strdup (c->conn));
	}
	g_ptr_array_add (out, NULL);
	return (char **) g_ptr_array_free (out, FALSE);
}

char *
rrec_engine_session_leg (RrecEngine *e, const char *conn_id)
{
	guint64 id;

	if (conn_id == NULL || strlen (conn_id) != 16 ||
	    !g_ascii_string_to_unsigned (conn_id, 16, 0, G_MAXUINT64, &id, NULL))
		return NULL;
	Call *c = rrec_id_map_lookup (&e->calls, id);
	char leg[17];

	return c && c->session ? g_strdup (rrec_session_leg (c->session, leg)) :
		NULL;
}

static gint
i64_cmp (gconstpointer a, gconstpointer b)
{
	gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

	return x < y ? -1 : x > y;
}

gint64 *
rrec_engine_list_requests (RrecEngine *e, guint *n)
{
	GArray *a = g_array_new (FALSE, FALSE, sizeof (gint64));
	GHashTableIter it;
	gpointer v;

	g_hash_table_iter_init (&it, e->requests);
	while (g_hash_table_iter_next (&it, NULL, &v))
		g_array_append_val (a, ((Request *) v)->refid);
	g_array_sort (a, i64_cmp);
	*n = a->len;
	return (gint64 *) g_array_free (a, FALSE);
}
