/*
 * rename.c — a call that goes on under another ConnID (behaviour.md R32):
 * EventPartyChanged(ConnID=N, PreviousConnID=O) with O a call the engine
 * follows and N one it does not.  The call table decides (call.fsm,
 * RENAMED); this file moves what refers to the old ConnID.
 */
#include <string.h>

#include "rename.h"

typedef struct {
	guint64 from, to;
} Move;

/* The call machine's `rename` action: the call, its session, port, leg,
 * file name, recording state, gaps, waiting clients, timers and pending
 * requests to SIP Server all move to the new ConnID; no GSIP request. */
void
rrec_call_rename (gpointer o, gconstpointer d)
{
	Call *c = o;
	const Posted *p = d;
	RrecEngine *e = c->engine;
	Move mv = { c->id, p->new_id };
	char from[sizeof c->conn];

	memcpy (from, c->conn, sizeof from);
	/* R34: the recording id keeps the ConnID it was given with */
	if (c->call_uuid == NULL)
		rrec_session_pin_rec_id (c->session);
	rrec_id_map_remove (&e->calls, mv.from);
	c->id = mv.to;
	rrec_conn_string (c->id, c->conn);
	rrec_id_map_insert (&e->calls, c->id, c);
	/* the store: the old ConnID's row goes (touched by the look-up that
	 * found the call), the new one is written */
	rrec_engine_touch (e, c);
	/* a call's timers and requests in flight are its session's (a
	 * session's end cancels and drops its own; the link's retry is no
	 * call's): moved from there, not found among all the engine's */
	if (c->session) {
		Session *s = c->session;
		Timer *timers[] = { s->setup_timer, s->redial_timer, s->query_timer };

		for (guint i = 0; i < G_N_ELEMENTS (timers); i++)
			if (timers[i])
				timers[i]->call_id = mv.to;
		for (Request *r = s->requests; r; r = r->next) {
			e->request_visits++;
			r->call_id = mv.to;
		}
	}
	for (guint i = e->posted_head; i < e->posted_len; i++) {
		Posted *q = &e->posted[i];

		if (q->target != TARGET_LINK && q->call_id == mv.from)
			q->call_id = mv.to;
	}
	/* R32: no consultation any more (R11) */
	if (c->call_type == RREC_CALL_TYPE_CONSULT)
		c->call_type = RREC_CALL_TYPE_INTERNAL;

	RrecAction a = {
		.kind = RREC_ACTION_CALL_RENAMED,
		.call = c->conn,
		.from = from,
	};
	rrec_engine_emit (e, &a);
}

/*
 * R32: the call O the event names as PreviousConnID, under its new ConnID
 * @new_id, or NULL when this is no rename (O unknown or ended, or O = N).
 */
Call *
rrec_engine_rename_call (RrecEngine *e, const RrecMessage *m, guint64 new_id)
{
	guint64 old_id;
	Call *c;

	if (!rrec_conn_parse (m->previous_conn_id, &old_id) || old_id == new_id)
		return NULL;
	c = rrec_engine_call_lookup (e, old_id);
	if (c == NULL || c->state == RREC_CALL_STATE_ENDED)
		return NULL;

	rrec_engine_post (e, TARGET_CALL, RREC_CALL_EVENT_RENAMED, c, -1, NULL,
			  NULL);
	e->posted[e->posted_len - 1].new_id = new_id;
	rrec_engine_drain (e);
	return rrec_engine_call_lookup (e, new_id);
}
