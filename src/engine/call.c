/*
 * call.c — the call machine (fsm/call.fsm) and the party machine bound to
 * the engine: the guards that read a call's triggers and parties, the
 * actions that open and stop its session, keep its pause set (R14-R17)
 * and answer its clients (R27); and R30's wait of a call whose start
 * failed, run when the queue is empty (rrec_call_settle).
 */
#include <string.h>

#include "call.h"
#include "rename.h"
#include "rrec-config-private.h"

void
rrec_call_evaluate (RrecEngine *e, Call *call)
{
	rrec_engine_post (e, TARGET_CALL, RREC_CALL_EVENT_EVALUATE, call, -1,
			  NULL, NULL);
}

/* ---- the call machine's guards and actions ------------------------------- */

/* R11: a consultation call is left alone unless record-consult-calls
 * (R36), which makes it a call like any other. */
static gboolean
consult_ignored (const Call *c)
{
	return c->call_type == RREC_CALL_TYPE_CONSULT &&
	       !rrec_config_get_record_consult_calls (c->engine->config);
}

static gboolean
call_consult_recorded (gpointer o, gconstpointer d)
{
	const Call *c = o;

	return c->call_type == RREC_CALL_TYPE_CONSULT &&
	       rrec_config_get_record_consult_calls (c->engine->config);
}

gboolean
rrec_call_recordable (Call *c)
{
	return !consult_ignored (c) &&				/* R11, R36 */
	       rrec_engine_established (c) >= 2 &&		/* R6 */
	       rrec_engine_trigger_holds (c);			/* R1-R5 */
}

static gboolean
call_wants_session (gpointer o, gconstpointer d)
{
	Call *c = o;

	return c->session == NULL && !c->lost &&		/* R7, R25 */
	       rrec_call_recordable (c);
}

static gboolean
call_keeps_session (gpointer o, gconstpointer d)
{
	Call *c = o;

	return (rrec_engine_established (c) >= 2 || c->transfer) &&
	       rrec_engine_trigger_holds (c);
}

static gboolean
call_moh_pauses (gpointer o, gconstpointer d)
{
	return !rrec_config_get_record_moh (((Call *) o)->engine->config);
}

static gboolean
call_gave_up (gpointer o, gconstpointer d)
{
	Call *c = o;

	return c->session != NULL && c->session->gave_up;
}

static gboolean
call_leg_started (gpointer o, gconstpointer d)
{
	Call *c = o;

	return c->session != NULL && rrec_session_leg_is_up (c->session);
}

static gboolean
call_client_paused (gpointer o, gconstpointer d)
{
	return (((Call *) o)->pause & RREC_PAUSE_CLIENT) != 0;
}

/* R13: the owner is the scoped DN of a client start, else of a route, else
 * the first record=true party established, else the routing point.  Its
 * DN-table id: each candidate is one already (no look-up by text). */
static guint32
choose_owner (Call *c)
{
	for (guint kind = SCOPE_CLIENT; kind <= SCOPE_ROUTE; kind++) {
		for (guint i = 0; i < LEN (c->scopes); i++) {
			const Scope *s = &c->scopes->v[i];
			Party *p = rrec_engine_party_by_id (c, s->dn);

			if (s->kind == kind && p && rrec_party_present (p))
				return s->dn;
		}
	}
	const Party *first = NULL;
	for (guint i = 0; i < c->n_parties; i++) {
		const Party *p = &c->parties[i];

		if (rrec_party_established (p) && rrec_engine_party_triggers (c, p) &&
		    (first == NULL || p->est_seq < first->est_seq))
			first = p;
	}
	/* a record=true party that is present but not established (added to
	 * a conference) still owns what it triggered */
	for (guint i = 0; first == NULL && i < c->n_parties; i++) {
		const Party *p = &c->parties[i];

		if (rrec_party_present (p) && rrec_engine_party_triggers (c, p))
			first = p;
	}
	if (first)
		return first->dn;
	if (c->rp_trigger && c->routing_point)
		return c->routing_point;
	if (c->transfer_from)
		return c->transfer_from;
	/* none: the empty DN, entered as any other (a session always has one) */
	return rrec_dn_table_intern (&c->engine->dns, "");
}

static void
call_open_session (gpointer o, gconstpointer d)
{
	Call *c = o;
	Session *s = rrec_core_mem_take0 (c->engine, sizeof (Session));

	s->call = c;
	s->serial = ++c->next_serial;
	s->state = rrec_session_machine.initial;
	rrec_engine_call_set_dn_id (c, &s->owner, choose_owner (c));
	/* R36: a consultation's recording names the one then running on its
	 * main call */
	if (call_consult_recorded (c, NULL) && c->main_id != 0) {
		Call *main = rrec_engine_call_lookup (c->engine, c->main_id);

		char *parent = main && main->session ?
			rrec_session_rec_id (main->session) : NULL;

		if (parent)
			rrec_session_rare (s)->parent_id = parent;
	}
	c->session = s;
	/* the session reads the set itself when its START is acknowledged */
	c->told_paused = c->pause != 0;
	rrec_engine_post (c->engine, TARGET_SESSION, RREC_SESSION_EVENT_START, c,
			  -1, NULL, NULL);
}

/* R9: the reason names which half of keeps_session failed. */
static void
call_stop_session (gpointer o, gconstpointer d)
{
	Call *c = o;

	rrec_engine_post (c->engine, TARGET_SESSION, RREC_SESSION_EVENT_STOP, c,
			  -1, NULL, !rrec_engine_trigger_holds (c) ? "no-trigger" :
			  "too-few-parties");
}

/* R36: the consultation merged into its main call: its session ends as by
 * a STOP, the leg released with reason consult-merged. */
static void
call_stop_merged (gpointer o, gconstpointer d)
{
	Call *c = o;

	rrec_engine_post (c->engine, TARGET_SESSION, RREC_SESSION_EVENT_MERGED,
			  c, -1, NULL, "consult-merged");
}

/* R36: the consultation's route and client scopes whose DN is now on the
 * main call hold there (a record=true DN is a trigger of every call it is
 * on, R1); the main call decides at once (R6). */
static void
call_hand_triggers (gpointer o, gconstpointer d)
{
	Call *c = o;
	const Posted *p = d;
	Call *main = rrec_engine_call_lookup (c->engine, p->new_id);

	if (main == NULL || main->state == RREC_CALL_STATE_ENDED)
		return;
	for (guint i = 0; i < LEN (c->scopes); i++) {
		const Scope *s = &c->scopes->v[i];
		const Party *party = rrec_engine_party_by_id (main, s->dn);

		if (party && rrec_party_present (party)) {
			rrec_engine_add_scope_id (main, s->dn, s->kind);
			main->lost = FALSE;
		}
	}
	rrec_call_evaluate (c->engine, main);
}

/* R10: a client STOP is answered when SIP Server acknowledges (R27). */
static void
call_stop_for_client (gpointer o, gconstpointer d)
{
	Call *c = o;
	const Posted *p = d;

	rrec_engine_post (c->engine, TARGET_SESSION, RREC_SESSION_EVENT_CLIENT_STOP,
			  c, p->refid, p->dn, "client-stop");
	rrec_engine_waiter_add (c, p->refid, p->dn, RREC_GSIP_RECORD_STOP);
}

/* R10: triggers already there do not come back; new ones may. */
static void
call_clear_triggers (gpointer o, gconstpointer d)
{
	Call *c = o;

	c->rp_trigger = FALSE;
	rrec_engine_scopes_clear (c);
	for (guint i = 0; i < c->n_parties; i++) {
		Party *p = &c->parties[i];
		if (rrec_party_present (p))
			p->spent = TRUE;
	}
	if (c->transfer_from) {
		/* the transferring party left: nothing of it may hold */
		rrec_engine_call_set_dn (c, &c->transfer_from, NULL);
	}
}

static void
call_forget_session (gpointer o, gconstpointer d)
{
	Call *c = o;

	if (c->session && c->session->state == RREC_SESSION_STATE_ENDED) {
		rrec_engine_session_free (c->session);
		c->session = NULL;
	}
	rrec_call_evaluate (c->engine, c);
}

static void
end_session_by (Call *c, guint event, const Posted *p)
{
	/* a reconcile names why: the host no longer has the call */
	if (c->session)
		rrec_engine_post (c->engine, TARGET_SESSION, event, c, -1, NULL,
				  p && p->reason ? p->reason : "call-ended");
	g_ptr_array_add (c->engine->dead, c);
}

/* R26: the session ends with the call. */
static void
call_end_session (gpointer o, gconstpointer d)
{
	end_session_by (o, RREC_SESSION_EVENT_CALL_ENDED, d);
}

/* R31: the same, for a call EventCallDeleted ended: the session's rows
 * name R31. */
static void
call_delete_session (gpointer o, gconstpointer d)
{
	end_session_by (o, RREC_SESSION_EVENT_CALL_DELETED, d);
}

/* R27: nobody will answer a START still waiting now */
static void
call_fail_start (gpointer o, gconstpointer d)
{
	Call *c = o;

	rrec_engine_answer (c->engine, c, RREC_GSIP_RECORD_START, "setup-failed");
}

/* R14: the session learns of the change at the call's next EVALUATE. */
static void
pause_set (Call *c, guint add, guint remove, const Posted *p)
{
	guint before = c->pause;

	c->pause = (c->pause | add) & ~remove;
	if ((before == 0) != (c->pause == 0))
		rrec_call_evaluate (c->engine, c);
}

/* R14: PAUSE when the set became non-empty, RESUME when it emptied. */
static void
call_sync_pause (gpointer o, gconstpointer d)
{
	Call *c = o;
	gboolean paused = c->pause != 0;

	if (c->session == NULL || paused == c->told_paused)
		return;
	c->told_paused = paused;
	rrec_engine_post (c->engine, TARGET_SESSION,
			  paused ? RREC_SESSION_EVENT_PAUSE :
			  RREC_SESSION_EVENT_RESUME, c, -1, NULL, NULL);
}

static void
call_pause_hold (gpointer o, gconstpointer d)
{
	pause_set (o, RREC_PAUSE_HOLD, 0, d);
}

static void
call_end_hold (gpointer o, gconstpointer d)
{
	/* R16: a retrieve also abandons a transfer */
	pause_set (o, 0, RREC_PAUSE_HOLD | RREC_PAUSE_TRANSFER, d);
}

static void
call_pause_transfer (gpointer o, gconstpointer d)
{
	pause_set (o, RREC_PAUSE_TRANSFER, 0, d);
}

/* R16: the transfer's end lifts both 'transfer' and 'hold', whoever is
 * still held (R15: the first retrieve resumes; the completion counts as
 * one). */
static void
call_end_transfer (gpointer o, gconstpointer d)
{
	pause_set (o, 0, RREC_PAUSE_TRANSFER | RREC_PAUSE_HOLD, d);
}

/* R27, R14: the pause set changes for the next leg; no request now */
static void
call_add_client_pause (gpointer o, gconstpointer d)
{
	pause_set (o, RREC_PAUSE_CLIENT, 0, d);
}

static void
call_drop_client_pause (gpointer o, gconstpointer d)
{
	pause_set (o, 0, RREC_PAUSE_CLIENT, d);
}

/* R17, R27: answered once SIP Server acknowledges, or at once when the
 * leg's state does not change. */
static void
call_pause_client (gpointer o, gconstpointer d)
{
	Call *c = o;
	const Posted *p = d;
	gboolean was_empty = c->pause == 0;

	pause_set (c, RREC_PAUSE_CLIENT, 0, p);
	if (was_empty)
		rrec_engine_waiter_add (c, p->refid, p->dn, RREC_GSIP_RECORD_PAUSE);
	else
		rrec_engine_reply (c->engine, c, p->refid, p->dn, NULL);
}

static void
call_resume_client (gpointer o, gconstpointer d)
{
	Call *c = o;
	const Posted *p = d;

	pause_set (c, 0, RREC_PAUSE_CLIENT, p);
	if (c->pause == 0)
		rrec_engine_waiter_add (c, p->refid, p->dn, RREC_GSIP_RECORD_RESUME);
	else
		rrec_engine_reply (c->engine, c, p->refid, p->dn, NULL);
}

static void
call_reply_ack (gpointer o, gconstpointer d)
{
	const Posted *p = d;

	rrec_engine_reply (((Call *) o)->engine, o, p->refid, p->dn, NULL);
}

static void
call_reply_not_recording (gpointer o, gconstpointer d)
{
	const Posted *p = d;

	rrec_engine_reply (((Call *) o)->engine, o, p->refid, p->dn,
			   "not-recording");
}

/* ---- a client START (R4, R5, R7, R11, R12, R27, R30) ---- */

static gboolean
call_consult (gpointer o, gconstpointer d)
{
	return consult_ignored (o);
}

static gboolean
call_supervisor_involved (gpointer o, gconstpointer d)
{
	const Posted *p = d;

	return rrec_engine_is_supervisor (o, p->dn) || (p->scope && rrec_engine_is_supervisor (o, p->scope));
}

static gboolean
call_scope_known (gpointer o, gconstpointer d)
{
	return ((const Posted *) d)->scope != NULL;
}

static gboolean
call_session_started (gpointer o, gconstpointer d)
{
	Call *c = o;

	return c->session != NULL && c->session->started;
}

static void
call_add_client_scope (gpointer o, gconstpointer d)
{
	Call *c = o;

	rrec_engine_add_scope (c, ((const Posted *) d)->scope, SCOPE_CLIENT);
	/* R7, R30: answered EventACK at once when the live session has
	 * started (not one that is stopping: the next session answers) */
	if (c->state == RREC_CALL_STATE_RECORDING && c->session &&
	    c->session->started)
		rrec_engine_ack_client_scopes (c);
}

/* R27: answered when the recording has started or the start has failed */
static void
call_wait_start (gpointer o, gconstpointer d)
{
	const Posted *p = d;

	rrec_engine_waiter_add (o, p->refid, p->dn, RREC_GSIP_RECORD_START);
}

/* R8: the transferring party's trigger holds until the transfer is over. */
static void
call_begin_transfer (gpointer o, gconstpointer d)
{
	Call *c = o;
	const Posted *p = d;

	c->transfer = TRUE;
	/* the party that moved: the id the classifier's look-up found (the
	 * party that released is no longer among the call's parties); by
	 * text only for a poster that did not give one */
	if (p->dn_id)
		rrec_engine_call_set_dn_id (c, &c->transfer_from, p->dn_id);
	else
		rrec_engine_call_set_dn (c, &c->transfer_from, p->dn);
}

/* R8: completed, or abandoned by a retrieve. */
static void
call_forget_transfer (gpointer o, gconstpointer d)
{
	Call *c = o;

	c->transfer = FALSE;
	rrec_engine_call_set_dn (c, &c->transfer_from, NULL);
}

/* A new trigger: a recording lost for good may start again (R25). */
static void
call_unblock (gpointer o, gconstpointer d)
{
	((Call *) o)->lost = FALSE;
}

/* ---- R30: the calls waiting for the link or a port -------------------------- */

/*
 * The calls in the call table's `waiting` state, oldest (lowest seq) first:
 * a balanced tree keyed by the call's own seq (the key is &Call.seq: the
 * call is found from its key, no node of ours).  A call joins, leaves and
 * is found in O(log n); a freed port is offered from the oldest on without
 * a list of every waiting call (offer()).  Each waiting call costs one
 * GTreeNode: 40 bytes from GLib's slices (48 with malloc's header where
 * GLib >= 2.76 takes slices from malloc), where the array of pointers
 * before took 8 to 16; the engine, a WaitQueue and a GTree once.  The
 * Call is not grown.
 * The value of a call's node is the stamp of its joining (WaitQueue.joins):
 * an offer passes over the calls that joined after it began, as it passed
 * over those not in its list before.
 *
 * RrecEngine.waiting (core.h) is the queue, made at the first wait and
 * freed with the engine (rrec_call_waiting_free()).  Keys are ordered by
 * seq, then by the call's
 * address (seqs are given once and saved with the call: only a corrupt
 * saved state could repeat one, and both calls would still wait).  A
 * rename (R32) keeps the Call, so its key.
 */
typedef struct {
	guint64 seq;
	gconstpointer key;	/* the &Call.seq it stands for */
} WaitPlace;

struct _RrecWaitQueue {
	GTree *calls;		/* &Call.seq -> GSIZE_TO_POINTER (stamp) */
	gsize joins;		/* stamps given so far */
	WaitPlace after;	/* a search key for a place, not a call's
				 * (the call may be gone): offer_port() */
	guint64 visits;		/* keys compared and entries read: for the
				 * tests (rrec_call_waiting_visits()) */
};
typedef struct _RrecWaitQueue WaitQueue;

static Call *
call_of_key (gconstpointer key)
{
	return (Call *) ((const char *) key - G_STRUCT_OFFSET (Call, seq));
}

static WaitPlace
place_of (WaitQueue *q, gconstpointer key)
{
	if (key == &q->after)
		return q->after;
	return (WaitPlace) { *(const guint64 *) key, key };
}

static gint
seq_key_cmp (gconstpointer a, gconstpointer b, gpointer data)
{
	WaitQueue *q = data;
	WaitPlace x = place_of (q, a), y = place_of (q, b);

	q->visits++;
	if (x.seq != y.seq)
		return x.seq < y.seq ? -1 : 1;
	return (guintptr) x.key < (guintptr) y.key ? -1 :
		(guintptr) x.key > (guintptr) y.key;
}

void
rrec_call_waiting_free (RrecEngine *e)
{
	WaitQueue *q = e->waiting;

	if (q == NULL)
		return;
	g_tree_destroy (q->calls);
	g_free (q);
	e->waiting = NULL;
}

/* The engine's queue; NULL when none was made and @make is FALSE. */
static WaitQueue *
queue_of (RrecEngine *e, gboolean make)
{
	WaitQueue *q;

	if (e->waiting || !make)
		return e->waiting;
	q = g_new0 (WaitQueue, 1);
	q->calls = g_tree_new_full (seq_key_cmp, q, NULL, NULL);
	e->waiting = q;
	return q;
}

guint64
rrec_call_waiting_visits (RrecEngine *e)
{
	WaitQueue *q = queue_of (e, FALSE);

	return q ? q->visits : 0;
}

static void
queue_join (WaitQueue *q, Call *c)
{
	if (g_tree_lookup_node (q->calls, &c->seq))
		return;		/* already waiting: it keeps its place */
	g_tree_insert (q->calls, &c->seq, GSIZE_TO_POINTER (q->joins++));
}

/* The call enters `waiting` (or fails again there): it joins the calls
 * waiting, oldest first, and is marked as failed in this drain. */
static void
call_start_waiting (gpointer o, gconstpointer d)
{
	Call *c = o;
	RrecEngine *e = c->engine;

	c->failed_gen = e->drain_gen;
	queue_join (queue_of (e, TRUE), c);
}

static void
call_stop_waiting (gpointer o, gconstpointer d)
{
	Call *c = o;
	WaitQueue *q = queue_of (c->engine, FALSE);

	if (q)
		g_tree_remove (q->calls, &c->seq);
}

void
rrec_call_rebuild_waiting (RrecEngine *e)
{
	WaitQueue *q = queue_of (e, FALSE);
	gpointer v;

	if (q) {	/* (g_tree_remove_all() needs GLib 2.70) */
		g_tree_destroy (q->calls);
		q->calls = g_tree_new_full (seq_key_cmp, q, NULL, NULL);
	}
	for (guint ci = 0; rrec_id_map_next (&e->calls, &ci, NULL, &v);)
		if (((Call *) v)->state == RREC_CALL_STATE_WAITING)
			queue_join (queue_of (e, TRUE), v);
}

/*
 * R30: the link back goes to every waiting call, oldest first, each
 * drained before the next hears it: the calls waiting when it came, in a
 * list (a call gone since is passed over).  Every one of them hears an
 * event: the list costs no more than the events.
 */
static void
offer_link (RrecEngine *e, WaitQueue *q)
{
	g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint64));

	for (GTreeNode *n = g_tree_node_first (q->calls); n;
	     n = g_tree_node_next (n)) {
		q->visits++;
		g_array_append_val (ids, call_of_key (g_tree_node_key (n))->id);
	}
	for (guint i = 0; i < ids->len; i++) {
		Call *c = rrec_engine_call_lookup (e, g_array_index (ids, guint64, i));

		if (c == NULL)
			continue;
		rrec_engine_post (e, TARGET_CALL, RREC_CALL_EVENT_LINK_BACK, c,
				  -1, NULL, NULL);
		rrec_engine_drain (e);
	}
}

/*
 * R30: a freed port goes to one waiting call at a time, oldest first,
 * each drained before the next is asked, until one takes it.  Offered:
 * the calls that were waiting when the offer began and whose start did
 * not fail in the drain then running (the port its own session freed is
 * not the one it waits for).  No list is made: after each call the next
 * is the first waiting call of a later seq that qualifies (the drain may
 * have changed the calls waiting; one that joined since is passed over by
 * its stamp).  The calls read before the one offered are those whose
 * start failed in this drain: work this drain did.
 */
static void
offer_port (RrecEngine *e, WaitQueue *q)
{
	guint32 gen = e->drain_gen;
	gsize began = q->joins;
	WaitPlace after = { 0, NULL };
	gboolean first = TRUE;

	for (;;) {
		GTreeNode *n;
		Call *c = NULL;

		if (first) {
			n = g_tree_node_first (q->calls);
		} else {
			/* set now: an offer run within the drain set it too */
			q->after = after;
			n = g_tree_upper_bound (q->calls, &q->after);
		}

		for (; n; n = g_tree_node_next (n)) {
			Call *w = call_of_key (g_tree_node_key (n));
			gsize stamp = GPOINTER_TO_SIZE (g_tree_node_value (n));

			q->visits++;
			/* joined after the offer began (stamps wrap) */
			if (stamp - began < q->joins - began)
				continue;
			if (w->failed_gen != gen) {
				c = w;
				break;
			}
		}
		if (c == NULL)
			return;
		first = FALSE;
		after = (WaitPlace) { c->seq, &c->seq };
		rrec_engine_touch (e, c);	/* as its look-up did */
		rrec_engine_post (e, TARGET_CALL, RREC_CALL_EVENT_PORT_FREED, c,
				  -1, NULL, NULL);
		rrec_engine_drain (e);
		if (c->session && c->session->has_port)
			break;
	}
}

/*
 * Offers @event (LINK_BACK or PORT_FREED) to the waiting calls, oldest
 * first.  Which call a port goes to is a choice among calls, which no row
 * of one call can see: it is made here.
 */
static void
offer (RrecEngine *e, guint event)
{
	WaitQueue *q = queue_of (e, FALSE);

	if (q == NULL || g_tree_nnodes (q->calls) == 0)
		return;		/* nobody waits */
	if (event == RREC_CALL_EVENT_PORT_FREED)
		offer_port (e, q);
	else
		offer_link (e, q);
}

static void
reply_error (gpointer o, gconstpointer d, const char *error)
{
	const Posted *p = d;

	rrec_engine_reply (((Call *) o)->engine, o, p->refid, p->dn, error);
}

static void call_reply_not_supported (gpointer o, gconstpointer d) { reply_error (o, d, "not-supported"); }
static void call_reply_not_allowed (gpointer o, gconstpointer d) { reply_error (o, d, "not-allowed"); }
static void call_reply_bad_request (gpointer o, gconstpointer d) { reply_error (o, d, "bad-request"); }

static const RrecFsmGuardFunc call_guards[RREC_CALL_N_GUARDS] = {
	[RREC_CALL_GUARD_CONSULT] = call_consult,
	[RREC_CALL_GUARD_SUPERVISOR_INVOLVED] = call_supervisor_involved,
	[RREC_CALL_GUARD_SCOPE_KNOWN] = call_scope_known,
	[RREC_CALL_GUARD_SESSION_STARTED] = call_session_started,
	[RREC_CALL_GUARD_WANTS_SESSION] = call_wants_session,
	[RREC_CALL_GUARD_KEEPS_SESSION] = call_keeps_session,
	[RREC_CALL_GUARD_MOH_PAUSES] = call_moh_pauses,
	[RREC_CALL_GUARD_CLIENT_PAUSED] = call_client_paused,
	[RREC_CALL_GUARD_LEG_STARTED] = call_leg_started,
	[RREC_CALL_GUARD_GAVE_UP] = call_gave_up,
	[RREC_CALL_GUARD_CONSULT_RECORDED] = call_consult_recorded,
};

static const RrecFsmActionFunc call_actions[RREC_CALL_N_ACTIONS] = {
	[RREC_CALL_ACTION_OPEN_SESSION] = call_open_session,
	[RREC_CALL_ACTION_STOP_SESSION] = call_stop_session,
	[RREC_CALL_ACTION_STOP_FOR_CLIENT] = call_stop_for_client,
	[RREC_CALL_ACTION_CLEAR_TRIGGERS] = call_clear_triggers,
	[RREC_CALL_ACTION_FORGET_SESSION] = call_forget_session,
	[RREC_CALL_ACTION_END_SESSION] = call_end_session,
	[RREC_CALL_ACTION_DELETE_SESSION] = call_delete_session,
	[RREC_CALL_ACTION_FAIL_START] = call_fail_start,
	[RREC_CALL_ACTION_PAUSE_HOLD] = call_pause_hold,
	[RREC_CALL_ACTION_END_HOLD] = call_end_hold,
	[RREC_CALL_ACTION_PAUSE_TRANSFER] = call_pause_transfer,
	[RREC_CALL_ACTION_END_TRANSFER] = call_end_transfer,
	[RREC_CALL_ACTION_PAUSE_CLIENT] = call_pause_client,
	[RREC_CALL_ACTION_RESUME_CLIENT] = call_resume_client,
	[RREC_CALL_ACTION_SYNC_PAUSE] = call_sync_pause,
	[RREC_CALL_ACTION_ADD_CLIENT_SCOPE] = call_add_client_scope,
	[RREC_CALL_ACTION_WAIT_START] = call_wait_start,
	[RREC_CALL_ACTION_UNBLOCK] = call_unblock,
	[RREC_CALL_ACTION_START_WAITING] = call_start_waiting,
	[RREC_CALL_ACTION_BEGIN_TRANSFER] = call_begin_transfer,
	[RREC_CALL_ACTION_FORGET_TRANSFER] = call_forget_transfer,
	[RREC_CALL_ACTION_STOP_WAITING] = call_stop_waiting,
	[RREC_CALL_ACTION_REPLY_NOT_SUPPORTED] = call_reply_not_supported,
	[RREC_CALL_ACTION_REPLY_NOT_ALLOWED] = call_reply_not_allowed,
	[RREC_CALL_ACTION_REPLY_BAD_REQUEST] = call_reply_bad_request,
	[RREC_CALL_ACTION_REPLY_ACK] = call_reply_ack,
	[RREC_CALL_ACTION_REPLY_NOT_RECORDING] = call_reply_not_recording,
	[RREC_CALL_ACTION_ADD_CLIENT_PAUSE] = call_add_client_pause,
	[RREC_CALL_ACTION_DROP_CLIENT_PAUSE] = call_drop_client_pause,
	[RREC_CALL_ACTION_RENAME] = rrec_call_rename,
	[RREC_CALL_ACTION_STOP_MERGED] = call_stop_merged,
	[RREC_CALL_ACTION_HAND_TRIGGERS] = call_hand_triggers,
};

static const char *
call_label (gpointer owner)
{
	return ((Call *) owner)->conn;
}

static void
call_rule (gpointer owner, const char *rule)
{
	((Call *) owner)->engine->rule = rule;
}

const RrecFsmBinding rrec_call_binding = {
	&rrec_call_machine, call_guards, call_actions, call_label, call_rule,
};

/* ---- the party machine: no guards, no actions ------------------------------ */

static const RrecFsmGuardFunc party_guards[1] = { NULL };
static const RrecFsmActionFunc party_actions[1] = { NULL };

/* "0060…d101/7001": the call and the DN, for log lines */
static const char *
party_label (gpointer owner)
{
	PartyRef *ref = owner;

	g_snprintf (ref->label, sizeof ref->label, "%s/%s", ref->call->conn,
		    rrec_party_dn (ref->call, ref->party));
	return ref->label;
}

const RrecFsmBinding rrec_party_binding = {
	&rrec_party_machine, party_guards, party_actions, party_label,
};

/* ---- the end of the queue --------------------------------------------------- */

/* R30: once the queue is empty, the link back is offered to every waiting
 * call, else a freed port to the oldest (offer()). */
gboolean
rrec_call_settle (RrecEngine *e)
{
	gboolean came_back = FALSE, freed = FALSE;
	Posted p;

	while (rrec_core_take_later (e, &p)) {
		if (p.event == RREC_CALL_EVENT_LINK_BACK)
			came_back = TRUE;
		else
			freed = TRUE;
	}
	if (!came_back && !freed)
		return FALSE;
	e->draining = FALSE;
	offer (e, came_back ? RREC_CALL_EVENT_LINK_BACK : RREC_CALL_EVENT_PORT_FREED);
	e->draining = TRUE;
	return TRUE;
}

void
rrec_call_finish (RrecEngine *e)
{
	rrec_engine_sweep_dead (e);
}
