/*
 * engine.c — the engine's life, its clock and timers, the event queue, and
 * the classification of T-Library messages into machine events (behaviour.md
 * §3, M1-M9).  The call, party and link machines are bound here; the
 * session machine in session.c.
 */
#include <string.h>

#include "engine-private.h"
#include "rrec-config-private.h"
#include "rrec-filename.h"
#include "rrec-kvpack.h"

G_DEFINE_QUARK (rrec-engine-error-quark, rrec_engine_error)

/* ---- small helpers ---------------------------------------------------- */

/* A ConnID: 1 to 16 hex digits. */
static gboolean
parse_conn (const char *text, guint64 *out)
{
	guint64 v = 0;
	gsize n = 0;

	if (text == NULL)
		return FALSE;
	for (const char *p = text; *p; p++, n++) {
		if (!g_ascii_isxdigit (*p) || n >= 16)
			return FALSE;
		v = v << 4 | g_ascii_xdigit_value (*p);
	}
	if (n == 0)
		return FALSE;
	*out = v;
	return TRUE;
}

static void
conn_string (guint64 id, char out[17])
{
	g_snprintf (out, 17, "%016" G_GINT64_MODIFIER "x", id);
}

/* A party whose DN the engine stores once is a DN of this T-Server; only
 * the others need a look-up (a DN first seen as an outside number may have
 * shown up as a ThisDN since). */
#define PARTY_IS_LOCAL(e, p) (!(p)->owns_dn || is_local ((e), (p)->dn))

static gboolean
is_local (RrecEngine *e, const char *dn)
{
	return dn && (g_hash_table_contains (e->local_dns, dn) ||
		      rrec_config_lookup_dn (e->config, dn, NULL, NULL));
}

static gboolean
dn_records (RrecEngine *e, const char *dn)
{
	gboolean record = FALSE;

	return rrec_config_lookup_dn (e->config, dn, NULL, &record) && record;
}

static void
replace (char **slot, const char *value)
{
	if (g_strcmp0 (*slot, value) != 0) {
		g_free (*slot);
		*slot = g_strdup (value);
	}
}

/* ---- actions to the host ---------------------------------------------- */

void
rrec_engine_emit (RrecEngine *e, RrecAction *a)
{
	a->time_ms = e->now;
	/* with a store, a step's actions wait until the step is stored */
	if (e->store && rrec_store_hold (e->store, a))
		return;
	rrec_engine_deliver (e, a);
}

void
rrec_engine_deliver (RrecEngine *e, const RrecAction *a)
{
	RrecActionFunc f = NULL;

	switch (a->kind) {
	case RREC_ACTION_DIAL_LEG:
		f = e->cb.dial_leg;
		break;
	case RREC_ACTION_RECORD:
	case RREC_ACTION_LEG_USERDATA:
		f = e->cb.sip_request;
		break;
	case RREC_ACTION_RELEASE_LEG:
		f = e->cb.release_leg;
		break;
	case RREC_ACTION_CLIENT_REPLY:
		f = e->cb.client_reply;
		break;
	case RREC_ACTION_CALL_USERDATA:
		f = e->cb.call_userdata;
		break;
	case RREC_ACTION_ALARM:
		f = e->cb.alarm;
		break;
	case RREC_ACTION_LINK:
		f = e->cb.link;
		break;
	case RREC_ACTION_STATE:
		f = e->cb.trace;
		break;
	case RREC_ACTION_GAP:
		f = e->cb.gap;
		break;
	case RREC_ACTION_RECONCILE:
		f = e->cb.reconcile;
		break;
	case RREC_N_ACTIONS:
		break;
	}
	if (f)
		f (a, e->user_data);
}

/* One reply per client request (R27): EventACK, or EventError with the
 * error's name. */
void
rrec_engine_reply (RrecEngine *e, Call *call, gint64 refid, const char *dn,
		   const char *error)
{
	RrecAction a = {
		.kind = RREC_ACTION_CLIENT_REPLY,
		.rule = "R27",
		.call = call ? call->conn : NULL,
		.refid = refid,
		.dn = dn,
		.event = error ? "EventError" : "EventACK",
		.error = error,
	};

	if (error)
		e->counters.client_errors++;
	rrec_engine_emit (e, &a);
}

static void
emit_call_userdata (RrecEngine *e, Call *call, const char *key,
		    const char *value)
{
	g_autoptr (RrecKvList) data = rrec_kv_list_new ();

	rrec_kv_list_add_string (data, key, value);
	RrecAction a = {
		.kind = RREC_ACTION_CALL_USERDATA,
		.rule = "R28",
		.call = call->conn,
		.data = data,
	};
	rrec_engine_emit (e, &a);
}

/* R21: the keys the engine writes itself (R28, the gap ledger) are never
 * sent to the leg. */
gboolean
rrec_engine_own_key (const char *key)
{
	return strcmp (key, "GSIP_REC_FN") == 0 ||
	       strcmp (key, "GSIP_RECORD") == 0 ||
	       strcmp (key, "GSIP_REC_GAPS") == 0;
}

/* R28: each key is written only when it changes.  The engine keeps what
 * it wrote apart from the call's own user data (it is never sent to the
 * leg, R21) and small: a state, and a hash of the file name. */
void
rrec_engine_mark_call (RrecEngine *e, Call *call, RecState state)
{
	static const char *const words[] = { NULL, "ON", "PAUSED", "OFF" };

	if (call->rec_state == state)
		return;
	call->rec_state = state;
	emit_call_userdata (e, call, "GSIP_RECORD", words[state]);
}

static guint64
fnv1a (const char *s)
{
	guint64 h = 0xcbf29ce484222325ULL;

	for (; *s; s++)
		h = (h ^ (guchar) *s) * 0x100000001b3ULL;
	return h | 1;	/* never 0: 0 is "nothing written" */
}

void
rrec_engine_name_call (RrecEngine *e, Call *call, const char *name)
{
	guint64 h = fnv1a (name);

	if (call->rec_fn_hash == h)
		return;
	call->rec_fn_hash = h;
	emit_call_userdata (e, call, "GSIP_REC_FN", name);
}

/* The call's user data as a list (NULL when it has none). */
RrecKvList *
rrec_engine_call_userdata (Call *call)
{
	gboolean ok;

	if (call->user_data == NULL)
		return NULL;
	return rrec_kv_unpack (call->user_data, call->user_data_len, NULL, &ok);
}

/* ---- waiters ------------------------------------------------------------ */

static void
waiter_free (gpointer p)
{
	Waiter *w = p;

	g_free (w->dn);
	g_free (w);
}

void
rrec_engine_waiter_add (Call *call, gint64 refid, const char *dn, int op)
{
	Waiter *w = g_new (Waiter, 1);

	w->refid = refid;
	w->dn = g_strdup (dn);
	w->op = op;
	g_ptr_array_add (lazy_array (&call->waiters, waiter_free), w);
}

/*
 * Answers every waiter of @op (0: every op) with @error (NULL: EventACK).
 * Waiters are answered in the order they came.
 */
void
rrec_engine_answer (RrecEngine *e, Call *call, int op, const char *error)
{
	for (guint i = 0; i < LEN (call->waiters);) {
		Waiter *w = g_ptr_array_index (call->waiters, i);

		if (op != 0 && w->op != op) {
			i++;
			continue;
		}
		g_ptr_array_steal_index (call->waiters, i);
		rrec_engine_reply (e, call, w->refid, w->dn, error);
		waiter_free (w);
	}
}

/* ---- timers ------------------------------------------------------------- */

static gint
timer_cmp (gconstpointer a, gconstpointer b, gpointer u)
{
	const TimerKey *x = a, *y = b;

	if (x->due != y->due)
		return x->due < y->due ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

Timer *
rrec_engine_timer_add (RrecEngine *e, TimerKind kind, gint64 due, Call *call,
		       guint32 serial)
{
	Timer *t = g_new0 (Timer, 1);

	t->key.due = due;
	t->key.id = ++e->next_timer_id;
	t->kind = kind;
	t->call_id = call ? call->id : 0;
	t->serial = serial;
	g_tree_insert (e->timers, &t->key, t);
	return t;
}

void
rrec_engine_timer_cancel (RrecEngine *e, Timer **timer)
{
	if (*timer == NULL)
		return;
	g_tree_remove (e->timers, &(*timer)->key);
	g_free (*timer);
	*timer = NULL;
}

/* ---- calls and parties ---------------------------------------------------- */

Call *
rrec_engine_call_lookup (RrecEngine *e, guint64 id)
{
	Call *c = g_hash_table_lookup (e->calls, &id);

	if (c)
		rrec_engine_touch (e, c);	/* the store writes what changed */
	return c;
}

/*
 * Adds a party at the end.  A DN of this T-Server is stored once per
 * engine, whatever the number of calls it is on; an outside number belongs
 * to its party.  Parties live in one small array per call: a call has a
 * handful, and one allocation for them all keeps memory per call small.
 */
Party *
rrec_engine_party_add (RrecEngine *e, Call *call, const char *dn)
{
	char *local = g_hash_table_lookup (e->local_dns, dn);
	Party *p;

	if (call->n_parties == G_MAXUINT8)
		return NULL;
	if (call->n_parties == call->cap_parties) {
		guint cap = MIN (G_MAXUINT8, MAX (2u, call->cap_parties * 2u));
		call->parties = g_renew (Party, call->parties, cap);
		call->cap_parties = cap;
	}
	if (local == NULL && rrec_config_lookup_dn (e->config, dn, NULL, NULL)) {
		local = g_strdup (dn);
		g_hash_table_add (e->local_dns, local);
	}
	p = &call->parties[call->n_parties++];
	memset (p, 0, sizeof *p);
	p->dn = local ? local : g_strdup (dn);
	p->owns_dn = local == NULL;
	p->records = local != NULL && dn_records (e, dn);
	p->state = rrec_party_machine.initial;
	return p;
}

void
rrec_engine_party_remove (Call *call, Party *p)
{
	guint i = p - call->parties;

	if (p->owns_dn)
		g_free (p->dn);
	memmove (p, p + 1, (call->n_parties - i - 1) * sizeof *p);
	call->n_parties--;
}

void
rrec_engine_scope_free (gpointer p)
{
	Scope *s = p;

	g_free (s->dn);
	g_free (s);
}

Call *
rrec_engine_call_new (RrecEngine *e, guint64 id)
{
	Call *c = g_new0 (Call, 1);

	c->engine = e;
	c->id = id;
	conn_string (id, c->conn);
	c->seq = ++e->next_call_seq;
	c->state = rrec_call_machine.initial;
	c->call_type = -1;
	g_hash_table_insert (e->calls, &c->id, c);
	rrec_engine_touch (e, c);
	e->counters.calls++;
	return c;
}

void
rrec_engine_session_free (Session *s)
{
	if (s == NULL)
		return;
	g_free (s->owner);
	g_free (s->leg);
	g_free (s);
}

void
rrec_engine_call_free (Call *c)
{
	rrec_engine_session_free (c->session);
	for (guint i = 0; i < c->n_parties; i++)
		if (c->parties[i].owns_dn)
			g_free (c->parties[i].dn);
	g_free (c->parties);
	if (c->scopes)
		g_ptr_array_unref (c->scopes);
	if (c->vetoes)
		g_ptr_array_unref (c->vetoes);
	if (c->waiters)
		g_ptr_array_unref (c->waiters);
	g_free (c->user_data);
	g_free (c->ani);
	g_free (c->dnis);
	g_free (c->call_uuid);
	g_free (c->originator);
	g_free (c->routing_point);
	g_free (c->transfer_from);
	g_free (c->ledger);
	g_free (c);
}

Party *
rrec_engine_party (Call *call, const char *dn)
{
	for (guint i = 0; dn && i < call->n_parties; i++) {
		Party *p = &call->parties[i];
		if (strcmp (p->dn, dn) == 0)
			return p;
	}
	return NULL;
}

static gboolean
party_present (const Party *p)
{
	return p->state != RREC_PARTY_STATE_ABSENT &&
	       p->state != RREC_PARTY_STATE_GONE;
}

static gboolean
party_established (const Party *p)
{
	return p->state == RREC_PARTY_STATE_ESTABLISHED ||
	       p->state == RREC_PARTY_STATE_HELD;
}

/* R6: established parties, held ones included, supervisors not. */
guint
rrec_engine_established (Call *call)
{
	guint n = 0;

	for (guint i = 0; i < call->n_parties; i++) {
		const Party *p = &call->parties[i];
		if (party_established (p) && !p->supervisor)
			n++;
	}
	return n;
}

static gboolean
vetoed (Call *call, const char *dn)
{
	for (guint i = 0; i < LEN (call->vetoes); i++)
		if (strcmp (g_ptr_array_index (call->vetoes, i), dn) == 0)
			return TRUE;
	return FALSE;
}

/* R1, R2, R3, R10, R12: does this party's own `record` option hold? */
static gboolean
party_triggers (Call *call, const Party *p)
{

	if (p->supervisor || p->spent || !p->records)
		return FALSE;
	if (vetoed (call, p->dn))
		return FALSE;
	/* R2: not for a call the DN dialled directly to the outside */
	if (call->call_type == RREC_CALL_TYPE_OUTBOUND &&
	    g_strcmp0 (call->originator, p->dn) == 0)
		return FALSE;
	return TRUE;
}

static gboolean
dn_is_scoped (Call *call, const char *dn)
{
	for (guint i = 0; i < LEN (call->scopes); i++)
		if (strcmp (((Scope *) g_ptr_array_index (call->scopes, i))->dn, dn) == 0)
			return TRUE;
	return FALSE;
}

/* R8: at least one trigger holds. */
gboolean
rrec_engine_trigger_holds (Call *call)
{
	if (call->rp_trigger)
		return TRUE;
	for (guint i = 0; i < call->n_parties; i++) {
		const Party *p = &call->parties[i];

		if (!party_present (p) || p->supervisor)
			continue;
		if (party_triggers (call, p) || dn_is_scoped (call, p->dn))
			return TRUE;
	}
	/* R8: the trigger of the party that left by a transfer holds until
	 * the transfer is over. */
	if (call->transfer && call->transfer_from) {
		if (dn_is_scoped (call, call->transfer_from))
			return TRUE;
		Party tmp = {
			.dn = call->transfer_from,
			.records = dn_records (call->engine, call->transfer_from),
			.state = RREC_PARTY_STATE_ESTABLISHED,
		};
		if (party_triggers (call, &tmp))
			return TRUE;
	}
	return FALSE;
}

/* ---- posting and running machine events --------------------------------- */

void
rrec_engine_post (RrecEngine *e, Target target, guint event, Call *call,
		  gint64 refid, const char *dn, const char *reason)
{
	Posted p = {
		.target = target,
		.event = event,
		.call_id = call ? call->id : 0,
		.serial = call && call->session ? call->session->serial : 0,
		.refid = refid,
		.dn = g_strdup (dn),
		.reason = reason,
	};

	g_array_append_val (e->posted, p);
}

/* Takes the oldest posted event into *p; FALSE when there is none. */
static gboolean
posted_pop (RrecEngine *e, Posted *p)
{
	if (e->posted_head == e->posted->len) {
		g_array_set_size (e->posted, 0);
		e->posted_head = 0;
		return FALSE;
	}
	*p = g_array_index (e->posted, Posted, e->posted_head++);
	return TRUE;
}

static void
trace (RrecEngine *e, Call *call, const RrecFsmMachine *m, guint from, guint to,
       guint event)
{
	if (e->cb.trace == NULL)
		return;
	RrecAction a = {
		.kind = RREC_ACTION_STATE,
		.call = call ? call->conn : NULL,
		.machine = m->name,
		.from = m->state_names[from],
		.to = m->state_names[to],
		.event = m->event_names[event],
	};
	rrec_engine_emit (e, &a);
}

/* One step of one machine, with the §7 bookkeeping. */
static RrecFsmResult
step (RrecEngine *e, const RrecFsmBinding *b, guint8 *state, guint event,
      gpointer owner, gconstpointer data, Call *call)
{
	guint s = *state;
	guint from = s;
	RrecFsmResult r = rrec_fsm_step (b, &s, event, owner, data, NULL);

	*state = s;
	if (r == RREC_FSM_MOVED && s != from)
		trace (e, call, b->machine, from, s, event);
	else if (r == RREC_FSM_REJECTED || r == RREC_FSM_UNMATCHED)
		e->counters.rejected++;
	return r;
}

extern const RrecFsmBinding rrec_call_binding;
extern const RrecFsmBinding rrec_link_binding;
extern const RrecFsmBinding rrec_party_binding;

static const char *
call_label (gpointer owner)
{
	return ((Call *) owner)->conn;
}

static void
run_posted (RrecEngine *e, Posted *p)
{
	Call *call = NULL;

	if (p->target != TARGET_LINK) {
		call = rrec_engine_call_lookup (e, p->call_id);
		if (call == NULL)
			return;
	}
	switch (p->target) {
	case TARGET_CALL:
		step (e, &rrec_call_binding, &call->state, p->event, call, p, call);
		rrec_gaps_update (e, call);
		break;
	case TARGET_SESSION:
		/* an event for a session that has since been replaced is void */
		if (call->session == NULL || call->session->serial != p->serial)
			return;
		step (e, &rrec_session_binding, &call->session->state, p->event,
		      call->session, p, call);
		rrec_gaps_update (e, call);
		break;
	case TARGET_LINK:
		step (e, &rrec_link_binding, &e->link_state, p->event, e, p, NULL);
		break;
	}
}

static gint
call_seq_cmp (gconstpointer a, gconstpointer b)
{
	const Call *x = *(Call *const *) a, *y = *(Call *const *) b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The calls in creation order, so that loops over them are deterministic. */
static GPtrArray *
calls_in_order (RrecEngine *e, gboolean (*keep) (Call *))
{
	GPtrArray *a = g_ptr_array_new ();
	GHashTableIter it;
	gpointer v;

	g_hash_table_iter_init (&it, e->calls);
	while (g_hash_table_iter_next (&it, NULL, &v))
		if (keep == NULL || keep (v)) {
			rrec_engine_touch (e, v);
			g_ptr_array_add (a, v);
		}
	g_ptr_array_sort (a, call_seq_cmp);
	return a;
}

static void drain (RrecEngine *e);

static gboolean
is_blocked (Call *c)
{
	return c->blocked && c->state != RREC_CALL_STATE_ENDED;
}

/*
 * R30: a call whose start failed gets a session when the link comes back
 * (every such call) or when a port is freed (the oldest that takes it).
 */
static void
retry_blocked (RrecEngine *e, gboolean all)
{
	if (!e->any_blocked)
		return;

	g_autoptr (GPtrArray) calls = calls_in_order (e, is_blocked);

	if (calls->len == 0)
		e->any_blocked = FALSE;

	for (guint i = 0; i < calls->len; i++) {
		Call *c = g_ptr_array_index (calls, i);

		if (!all && c->id == e->just_failed)
			continue;
		c->blocked = FALSE;
		rrec_engine_post (e, TARGET_CALL, RREC_CALL_EVENT_EVALUATE, c,
				  -1, NULL, NULL);
		drain (e);
		if (!all && c->session && c->session->has_port)
			break;
	}
}

void
rrec_engine_drain (RrecEngine *e)
{
	drain (e);
}

GPtrArray *
rrec_engine_calls_in_order (RrecEngine *e)
{
	return calls_in_order (e, NULL);
}

static void
sweep_dead (RrecEngine *e)
{
	for (guint i = 0; i < e->dead->len; i++) {
		Call *c = g_ptr_array_index (e->dead, i);

		rrec_engine_touch (e, c);
		g_hash_table_remove (e->calls, &c->id);
		rrec_engine_call_free (c);
	}
	g_ptr_array_set_size (e->dead, 0);
}

static void
drain (RrecEngine *e)
{
	Posted p;

	if (e->draining)
		return;
	e->draining = TRUE;
	for (;;) {
		while (posted_pop (e, &p)) {
			run_posted (e, &p);
			g_free (p.dn);
			g_free (p.scope);
		}
		if (e->link_back) {
			e->link_back = FALSE;
			e->port_freed = FALSE;
			e->draining = FALSE;
			retry_blocked (e, TRUE);
			e->draining = TRUE;
			continue;
		}
		if (e->port_freed) {
			e->port_freed = FALSE;
			e->draining = FALSE;
			retry_blocked (e, FALSE);
			e->draining = TRUE;
			continue;
		}
		break;
	}
	e->just_failed = 0;
	e->draining = FALSE;
	sweep_dead (e);
}

static void
evaluate (RrecEngine *e, Call *call)
{
	rrec_engine_post (e, TARGET_CALL, RREC_CALL_EVENT_EVALUATE, call, -1,
			  NULL, NULL);
}

/* ---- the call machine's guards and actions ------------------------------- */

static gboolean
call_wants_session (gpointer o, gconstpointer d)
{
	Call *c = o;

	return c->call_type != RREC_CALL_TYPE_CONSULT &&	/* R11 */
	       c->session == NULL && !c->blocked && !c->lost &&	/* R7, R30 */
	       rrec_engine_established (c) >= 2 &&		/* R6 */
	       rrec_engine_trigger_holds (c);			/* R1-R5 */
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
call_client_paused (gpointer o, gconstpointer d)
{
	return (((Call *) o)->pause & RREC_PAUSE_CLIENT) != 0;
}

/* R13: the owner is the scoped DN of a client start, else of a route, else
 * the first record=true party established, else the routing point. */
static char *
choose_owner (Call *c)
{
	for (guint kind = SCOPE_CLIENT; kind <= SCOPE_ROUTE; kind++) {
		for (guint i = 0; i < LEN (c->scopes); i++) {
			Scope *s = g_ptr_array_index (c->scopes, i);
			Party *p = rrec_engine_party (c, s->dn);

			if (s->kind == kind && p && party_present (p))
				return g_strdup (s->dn);
		}
	}
	const Party *first = NULL;
	for (guint i = 0; i < c->n_parties; i++) {
		const Party *p = &c->parties[i];

		if (party_established (p) && party_triggers (c, p) &&
		    (first == NULL || p->est_seq < first->est_seq))
			first = p;
	}
	/* a record=true party that is present but not established (added to
	 * a conference) still owns what it triggered */
	for (guint i = 0; first == NULL && i < c->n_parties; i++) {
		const Party *p = &c->parties[i];

		if (party_present (p) && party_triggers (c, p))
			first = p;
	}
	if (first)
		return g_strdup (first->dn);
	if (c->rp_trigger && c->routing_point)
		return g_strdup (c->routing_point);
	if (c->transfer_from)
		return g_strdup (c->transfer_from);
	return g_strdup ("");
}

static void
call_open_session (gpointer o, gconstpointer d)
{
	Call *c = o;
	Session *s = g_new0 (Session, 1);

	s->call = c;
	s->serial = ++c->next_serial;
	s->state = rrec_session_machine.initial;
	s->owner = choose_owner (c);
	c->session = s;
	/* the session reads the set itself when its START is acknowledged */
	c->told_paused = c->pause != 0;
	rrec_engine_post (c->engine, TARGET_SESSION, RREC_SESSION_EVENT_START, c,
			  -1, NULL, NULL);
}

static void
call_stop_session (gpointer o, gconstpointer d)
{
	Call *c = o;
	const Posted *p = d;

	rrec_engine_post (c->engine, TARGET_SESSION, RREC_SESSION_EVENT_STOP, c,
			  p->refid, p->dn, p->refid >= 0 ? "client-stop" :
			  !rrec_engine_trigger_holds (c) ? "no-trigger" :
			  "too-few-parties");
	/* A client STOP is answered when SIP Server acknowledges (R27). */
	if (p->refid >= 0)
		rrec_engine_waiter_add (c, p->refid, p->dn, RREC_GSIP_RECORD_STOP);
}

/* R10: triggers already there do not come back; new ones may. */
static void
call_clear_triggers (gpointer o, gconstpointer d)
{
	Call *c = o;

	c->rp_trigger = FALSE;
	g_clear_pointer (&c->scopes, g_ptr_array_unref);
	for (guint i = 0; i < c->n_parties; i++) {
		Party *p = &c->parties[i];
		if (party_present (p))
			p->spent = TRUE;
	}
	if (c->transfer_from) {
		/* the transferring party left: nothing of it may hold */
		g_clear_pointer (&c->transfer_from, g_free);
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
	evaluate (c->engine, c);
}

static void
call_end_session (gpointer o, gconstpointer d)
{
	Call *c = o;

	const Posted *p = d;

	/* a reconcile names why: the host no longer has the call */
	if (c->session)
		rrec_engine_post (c->engine, TARGET_SESSION,
				  RREC_SESSION_EVENT_CALL_ENDED, c, -1, NULL,
				  p && p->reason ? p->reason : "call-ended");
	/* R27: nobody will answer these now */
	rrec_engine_answer (c->engine, c, RREC_GSIP_RECORD_START, "setup-failed");
	g_ptr_array_add (c->engine->dead, c);
}

/* R14: the session learns of the change at the call's next EVALUATE. */
static void
pause_set (Call *c, guint add, guint remove, const Posted *p)
{
	guint before = c->pause;

	c->pause = (c->pause | add) & ~remove;
	if ((before == 0) != (c->pause == 0))
		evaluate (c->engine, c);
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

/* R16: the transfer's end lifts 'transfer' and the transferring party's
 * 'hold' — but not the hold of a party that is still held, or the leg
 * would record music on hold (R15; see the README). */
static void
call_end_transfer (gpointer o, gconstpointer d)
{
	Call *c = o;
	gboolean held = FALSE;

	for (guint i = 0; i < c->n_parties; i++)
		held = held || c->parties[i].state == RREC_PARTY_STATE_HELD;
	pause_set (c, 0, RREC_PAUSE_TRANSFER | (held ? 0 : RREC_PAUSE_HOLD), d);
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

static gboolean is_supervisor (Call *call, const char *dn);
static void add_scope (Call *call, const char *dn, ScopeKind kind);

static gboolean
call_consult (gpointer o, gconstpointer d)
{
	return ((Call *) o)->call_type == RREC_CALL_TYPE_CONSULT;
}

static gboolean
call_supervisor_involved (gpointer o, gconstpointer d)
{
	const Posted *p = d;

	return is_supervisor (o, p->dn) || (p->scope && is_supervisor (o, p->scope));
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
	add_scope (o, ((const Posted *) d)->scope, SCOPE_CLIENT);
}

/* R27: answered when the recording has started or the start has failed */
static void
call_wait_start (gpointer o, gconstpointer d)
{
	const Posted *p = d;

	rrec_engine_waiter_add (o, p->refid, p->dn, RREC_GSIP_RECORD_START);
}

static void
call_unblock (gpointer o, gconstpointer d)
{
	Call *c = o;

	c->blocked = FALSE;
	c->lost = FALSE;
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
};

static const RrecFsmActionFunc call_actions[RREC_CALL_N_ACTIONS] = {
	[RREC_CALL_ACTION_OPEN_SESSION] = call_open_session,
	[RREC_CALL_ACTION_STOP_SESSION] = call_stop_session,
	[RREC_CALL_ACTION_CLEAR_TRIGGERS] = call_clear_triggers,
	[RREC_CALL_ACTION_FORGET_SESSION] = call_forget_session,
	[RREC_CALL_ACTION_END_SESSION] = call_end_session,
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
	[RREC_CALL_ACTION_REPLY_NOT_SUPPORTED] = call_reply_not_supported,
	[RREC_CALL_ACTION_REPLY_NOT_ALLOWED] = call_reply_not_allowed,
	[RREC_CALL_ACTION_REPLY_BAD_REQUEST] = call_reply_bad_request,
	[RREC_CALL_ACTION_REPLY_ACK] = call_reply_ack,
	[RREC_CALL_ACTION_REPLY_NOT_RECORDING] = call_reply_not_recording,
};

const RrecFsmBinding rrec_call_binding = {
	&rrec_call_machine, call_guards, call_actions, call_label,
};

/* ---- the party machine: no guards, no actions ------------------------------ */

static const RrecFsmGuardFunc party_guards[1] = { NULL };
static const RrecFsmActionFunc party_actions[1] = { NULL };

static const char *
party_label (gpointer owner)
{
	return ((Party *) owner)->dn;
}

const RrecFsmBinding rrec_party_binding = {
	&rrec_party_machine, party_guards, party_actions, party_label,
};

/* ---- the link machine --------------------------------------------------------- */

static void
link_alarm (RrecEngine *e, gboolean raised)
{
	if (e->alarm_link == raised)
		return;
	e->alarm_link = raised;
	RrecAction a = {
		.kind = RREC_ACTION_ALARM,
		.rule = "R24",
		.name = "server-link-down",
		.raised = raised,
		.text = raised ? "the link to SIP Server is down" :
			"the link to SIP Server is up again",
	};
	rrec_engine_emit (e, &a);
}

static void
link_announce (RrecEngine *e, RrecLinkOp op)
{
	RrecAction a = { .kind = RREC_ACTION_LINK, .rule = "R24", .op = op };

	rrec_engine_emit (e, &a);
}

static gboolean
link_has_attempts (gpointer o, gconstpointer d)
{
	return rrec_config_get_reconnect_attempts (((RrecEngine *) o)->config) > 0;
}

static gboolean
link_last_attempt (gpointer o, gconstpointer d)
{
	RrecEngine *e = o;

	return e->link_attempts + 1 >= rrec_config_get_reconnect_attempts (e->config);
}

static void link_raise_alarm (gpointer o, gconstpointer d) { link_alarm (o, TRUE); }
static void link_clear_alarm (gpointer o, gconstpointer d) { link_alarm (o, FALSE); }
static void link_announce_down (gpointer o, gconstpointer d) { link_announce (o, RREC_LINK_DOWN); }
static void link_announce_up (gpointer o, gconstpointer d) { link_announce (o, RREC_LINK_UP); }
static void link_reset_attempts (gpointer o, gconstpointer d) { ((RrecEngine *) o)->link_attempts = 0; }

static void
link_ask_reconnect (gpointer o, gconstpointer d)
{
	RrecEngine *e = o;

	e->link_attempts++;
	link_announce (e, RREC_LINK_ATTEMPT);
}

static void
link_arm_retry (gpointer o, gconstpointer d)
{
	RrecEngine *e = o;
	gint64 due = e->now +
		(gint64) rrec_config_get_reconnect_timeout (e->config) * 1000;

	e->link_timer = rrec_engine_timer_add (e, TIMER_LINK_RETRY, due, NULL, 0);
}

static void
link_cancel_retry (gpointer o, gconstpointer d)
{
	RrecEngine *e = o;

	rrec_engine_timer_cancel (e, &e->link_timer);
}

static gboolean
has_session (Call *c)
{
	return c->session != NULL && c->state != RREC_CALL_STATE_ENDED;
}

static void
sessions_post (RrecEngine *e, guint event)
{
	g_autoptr (GPtrArray) calls = calls_in_order (e, has_session);

	for (guint i = 0; i < calls->len; i++)
		rrec_engine_post (e, TARGET_SESSION, event,
				  g_ptr_array_index (calls, i), -1, NULL,
				  event == RREC_SESSION_EVENT_LINK_DOWN ? "link-down" :
				  "request-lost-with-link");
}

/* R25: redials that waited for the link go on; R30: failed starts retry. */
static void
link_links_back (gpointer o, gconstpointer d)
{
	RrecEngine *e = o;

	sessions_post (e, RREC_SESSION_EVENT_LINK_UP);
	e->link_back = TRUE;
}

static const RrecFsmGuardFunc link_guards[RREC_LINK_N_GUARDS] = {
	[RREC_LINK_GUARD_HAS_ATTEMPTS] = link_has_attempts,
	[RREC_LINK_GUARD_LAST_ATTEMPT] = link_last_attempt,
};

static const RrecFsmActionFunc link_actions[RREC_LINK_N_ACTIONS] = {
	[RREC_LINK_ACTION_RAISE_ALARM] = link_raise_alarm,
	[RREC_LINK_ACTION_CLEAR_ALARM] = link_clear_alarm,
	[RREC_LINK_ACTION_ANNOUNCE_DOWN] = link_announce_down,
	[RREC_LINK_ACTION_ANNOUNCE_UP] = link_announce_up,
	[RREC_LINK_ACTION_ASK_RECONNECT] = link_ask_reconnect,
	[RREC_LINK_ACTION_ARM_RETRY] = link_arm_retry,
	[RREC_LINK_ACTION_CANCEL_RETRY] = link_cancel_retry,
	[RREC_LINK_ACTION_RESET_ATTEMPTS] = link_reset_attempts,
	[RREC_LINK_ACTION_LINKS_BACK] = link_links_back,
};

static const char *
link_label (gpointer owner)
{
	return "sip";
}

const RrecFsmBinding rrec_link_binding = {
	&rrec_link_machine, link_guards, link_actions, link_label,
};

/* ---- life ------------------------------------------------------------------- */

static guint
u64_hash (gconstpointer v)
{
	guint64 x = *(const guint64 *) v;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (guint) x;
}

static gboolean
u64_equal (gconstpointer a, gconstpointer b)
{
	return *(const guint64 *) a == *(const guint64 *) b;
}

static RrecEngine *
engine_alloc (RrecConfig *config, const RrecHostCallbacks *callbacks,
	      gpointer user_data)
{
	RrecEngine *e = g_new0 (RrecEngine, 1);

	g_assert (rrec_fsm_binding_is_complete (&rrec_call_binding));
	g_assert (rrec_fsm_binding_is_complete (&rrec_session_binding));
	g_assert (rrec_fsm_binding_is_complete (&rrec_link_binding));

	e->config = rrec_config_ref (config);
	if (callbacks)
		e->cb = *callbacks;
	e->user_data = user_data;
	e->pattern = rrec_config_get_uri_pattern_parsed (config);
	e->calls = g_hash_table_new (u64_hash, u64_equal);
	e->by_port = g_hash_table_new (g_direct_hash, g_direct_equal);
	e->by_leg = g_hash_table_new (g_str_hash, g_str_equal);
	e->local_dns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
					      NULL);
	e->requests = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
					     g_free);
	e->timers = g_tree_new_full (timer_cmp, NULL, NULL, NULL);
	e->posted = g_array_sized_new (FALSE, FALSE, sizeof (Posted), 16);
	e->dead = g_ptr_array_new ();
	e->link_state = rrec_link_machine.initial;
	e->next_refid = 1;
	g_strlcpy (e->date, "1970-01-01", sizeof e->date);
	return e;
}

RrecEngine *
rrec_engine_new (RrecConfig *config, const RrecHostCallbacks *callbacks,
		 gpointer user_data)
{
	g_return_val_if_fail (config != NULL, NULL);

	RrecEngine *e = engine_alloc (config, callbacks, user_data);
	guint64 n = rrec_config_get_port_count (config);

	e->pool = rrec_port_pool_new ((guint32) MIN (n, G_MAXUINT32));
	return e;
}

static gboolean
free_timer (gpointer key, gpointer value, gpointer data)
{
	g_free (value);
	return FALSE;
}

void
rrec_engine_free (RrecEngine *e)
{
	GHashTableIter it;
	gpointer v;
	Posted p;

	if (e == NULL)
		return;
	/* Frees without a goodbye: no action reaches the host. */
	g_hash_table_iter_init (&it, e->calls);
	while (g_hash_table_iter_next (&it, NULL, &v))
		rrec_engine_call_free (v);
	g_hash_table_destroy (e->calls);
	g_hash_table_destroy (e->by_port);
	g_hash_table_destroy (e->by_leg);
	g_hash_table_destroy (e->local_dns);
	g_hash_table_destroy (e->requests);
	g_tree_foreach (e->timers, free_timer, NULL);
	g_tree_destroy (e->timers);
	while (posted_pop (e, &p)) {
		g_free (p.dn);
		g_free (p.scope);
	}
	g_array_unref (e->posted);
	g_ptr_array_unref (e->dead);
	rrec_port_pool_free (e->pool);
	rrec_store_close (e->store);	/* nothing more written: no goodbye */
	rrec_config_unref (e->config);
	g_free (e);
}

/* ---- time ---------------------------------------------------------------- */

static gboolean
first_timer (gpointer key, gpointer value, gpointer data)
{
	*(Timer **) data = value;
	return TRUE;
}

static void
fire (RrecEngine *e, Timer *t)
{
	/* ConnID 0 is a call like any other: look it up by kind, not by id */
	Call *call = t->kind == TIMER_LINK_RETRY ? NULL :
		rrec_engine_call_lookup (e, t->call_id);

	switch (t->kind) {
	case TIMER_SETUP:
	case TIMER_REDIAL:
		if (call == NULL || call->session == NULL ||
		    call->session->serial != t->serial)
			return;
		if (t->kind == TIMER_SETUP)
			call->session->setup_timer = NULL;
		else
			call->session->redial_timer = NULL;
		rrec_engine_post (e, TARGET_SESSION, t->kind == TIMER_SETUP ?
				  RREC_SESSION_EVENT_SETUP_TIMEOUT :
				  RREC_SESSION_EVENT_REDIAL_DUE, call, -1, NULL,
				  "setup-timeout");
		break;
	case TIMER_LINK_RETRY:
		e->link_timer = NULL;
		rrec_engine_post (e, TARGET_LINK, RREC_LINK_EVENT_RETRY_DUE, NULL,
				  -1, NULL, NULL);
		break;
	}
	drain (e);
}

static void
store_alarm (RrecEngine *e, gboolean raised, const char *text)
{
	if (e->alarm_store == raised)
		return;
	e->alarm_store = raised;
	RrecAction a = {
		.kind = RREC_ACTION_ALARM,
		.name = "state-store",
		.raised = raised,
		.text = text,
		.time_ms = e->now,
	};
	rrec_engine_deliver (e, &a);	/* about the store: never held */
}

static void
deliver_held (gpointer data, const RrecAction *a)
{
	rrec_engine_deliver (data, a);
}

/*
 * The end of an engine step: the state goes to the store in one
 * transaction before the host hears that the step is done.  A failed
 * write raises `state-store` and the engine goes on; the next good write
 * clears it.  On a local store the step's actions go out anyway
 * (recording matters more than its record); on a store shared with a
 * standby they wait for the next good write (the standby would take over
 * without the step), which the next feed or advance tries.
 */
void
rrec_engine_store_step (RrecEngine *e)
{
	g_autoptr (GError) error = NULL;

	if (e->store == NULL)
		return;
	if (rrec_store_write (e->store, e, &error)) {
		rrec_store_release (e->store, deliver_held, e);
		store_alarm (e, FALSE, "the state store is written again");
	} else {
		/* recording matters more than its record: the actions go
		 * out, the alarm says they are not stored — unless a standby
		 * shares the store (backend.h: shared) */
		if (!e->alarm_store)
			g_warning ("%s", error->message);
		if (!rrec_store_holds_back (e->store))
			rrec_store_release (e->store, deliver_held, e);
		store_alarm (e, TRUE, error->message);
	}
}

void
rrec_engine_advance (RrecEngine *e, gint64 now_ms)
{
	gboolean fired = FALSE;

	for (;;) {
		Timer *t = NULL;

		g_tree_foreach (e->timers, first_timer, &t);
		if (t == NULL || t->key.due > now_ms)
			break;
		g_tree_remove (e->timers, &t->key);
		if (t->key.due > e->now)
			e->now = t->key.due;
		fire (e, t);
		g_free (t);
		fired = TRUE;
	}
	if (now_ms > e->now)
		e->now = now_ms;
	/* the clock alone is not worth a transaction: a restart reads the
	 * time from the host again; but actions held back by a failed write
	 * try again */
	if (fired || (e->store && rrec_store_has_held (e->store)))
		rrec_engine_store_step (e);
}

gint64
rrec_engine_get_time (RrecEngine *e)
{
	return e->now;
}

gint64
rrec_engine_next_due (RrecEngine *e)
{
	Timer *t = NULL;

	g_tree_foreach (e->timers, first_timer, &t);
	return t ? t->key.due : -1;
}

guint
rrec_engine_pending_timers (RrecEngine *e)
{
	return g_tree_nnodes (e->timers);
}

void
rrec_engine_set_date (RrecEngine *e, const char *date)
{
	if (date && strlen (date) == 10)
		g_strlcpy (e->date, date, sizeof e->date);
}

/* ---- classification --------------------------------------------------------- */

/* Feeds a party event; returns whether the party moved. */
static gboolean
party_event (RrecEngine *e, Call *call, const char *dn, guint event)
{
	Party *p = rrec_engine_party (call, dn);
	gboolean created = FALSE;

	if (dn == NULL || *dn == '\0')
		return FALSE;
	if (p == NULL) {
		p = rrec_engine_party_add (e, call, dn);
		if (p == NULL)
			return FALSE;	/* 255 parties on one call: §7 */
		created = TRUE;
	}

	gboolean was_est = party_established (p);
	RrecFsmResult r = step (e, &rrec_party_binding, &p->state, event, p,
				NULL, call);

	if (!was_est && party_established (p) && p->est_seq == 0)
		p->est_seq = ++call->next_est_seq;
	if (p->state == RREC_PARTY_STATE_GONE ||
	    (created && p->state == RREC_PARTY_STATE_ABSENT))
		rrec_engine_party_remove (call, p);
	return r == RREC_FSM_MOVED;
}

static gboolean
any_local_present (RrecEngine *e, Call *call)
{
	for (guint i = 0; i < call->n_parties; i++) {
		const Party *p = &call->parties[i];
		if (party_present (p) && PARTY_IS_LOCAL (e, p))
			return TRUE;
	}
	return FALSE;
}

/* R8: the transfer is over once a DN of this T-Server other than the
 * transferring party is established on the call. */
static void
check_transfer_done (RrecEngine *e, Call *call)
{
	if (!call->transfer)
		return;
	for (guint i = 0; i < call->n_parties; i++) {
		const Party *p = &call->parties[i];

		if (party_established (p) && PARTY_IS_LOCAL (e, p) &&
		    g_strcmp0 (p->dn, call->transfer_from) != 0) {
			call->transfer = FALSE;
			g_clear_pointer (&call->transfer_from, g_free);
			rrec_engine_post (e, TARGET_CALL,
					  RREC_CALL_EVENT_TRANSFER_DONE, call, -1,
					  NULL, NULL);
			return;
		}
	}
}

/* A reconcile: DN is no longer on the call as the host has it (R26 when
 * no DN of this T-Server is left). */
void
rrec_engine_party_gone (RrecEngine *e, Call *call, const char *dn)
{
	party_event (e, call, dn, RREC_PARTY_EVENT_RELEASED);
	if (!any_local_present (e, call))
		rrec_engine_post (e, TARGET_CALL, RREC_CALL_EVENT_CALL_END, call,
				  -1, NULL, "call-gone");
	check_transfer_done (e, call);
	evaluate (e, call);
	drain (e);
}

static gboolean feed_sip (RrecEngine *e, const RrecMessage *m, GError **error);

/* The link as the host has it at a reconcile (R23, R24). */
void
rrec_engine_link_as (RrecEngine *e, gboolean up)
{
	RrecMessage m;

	rrec_message_init (&m, RREC_SIDE_SIP, up ? RREC_MSG_EVENT_SERVER_CONNECTED :
			   RREC_MSG_EVENT_SERVER_DISCONNECTED);
	feed_sip (e, &m, NULL);
}

static void
end_call (RrecEngine *e, Call *call)
{
	rrec_engine_post (e, TARGET_CALL, RREC_CALL_EVENT_CALL_END, call, -1,
			  NULL, NULL);
}

/* R21: the keys that are new or changed, without the engine's own (R28). */
static RrecKvList *
userdata_delta (const RrecKvList *old, const RrecKvList *now)
{
	RrecKvList *delta = rrec_kv_list_new ();

	for (guint i = 0; i < rrec_kv_list_length (now); i++) {
		const char *key = rrec_kv_list_key (now, i);

		if (rrec_engine_own_key (key))
			continue;
		gint j = old ? rrec_kv_list_find (old, key) : -1;
		if (j < 0 || !rrec_kv_list_value_equal (now, i, old, j))
			rrec_kv_list_append_pair (delta, now, i);
	}
	return delta;
}


static void
update_userdata (RrecEngine *e, Call *call, const RrecKvList *ud)
{
	g_autoptr (RrecKvList) old = rrec_engine_call_userdata (call);
	g_autoptr (RrecKvList) delta = userdata_delta (old, ud);

	g_free (call->user_data);
	call->user_data = rrec_kv_pack (ud, &call->user_data_len);

	if (rrec_kv_list_length (delta) == 0 || call->session == NULL ||
	    !rrec_session_leg_is_up (call->session))
		return;
	RrecAction a = {
		.kind = RREC_ACTION_LEG_USERDATA,
		.rule = "R21",
		.call = call->conn,
		.data = delta,
	};
	g_autofree char *port = rrec_session_port_string (call->session);
	a.port = port;
	a.refid = rrec_session_request (e, call->session, 0);
	rrec_engine_emit (e, &a);
}

static void
note_attributes (RrecEngine *e, Call *call, const RrecMessage *m)
{
	if (call->call_type < 0 && m->call_type != RREC_ABSENT &&
	    m->call_type >= 0 && m->call_type < 100)
		call->call_type = (gint8) m->call_type;
	if (m->ani && !call->ani)
		call->ani = g_strdup (m->ani);
	if (m->dnis && !call->dnis)
		call->dnis = g_strdup (m->dnis);
	if (m->call_uuid && !call->call_uuid)
		call->call_uuid = g_strdup (m->call_uuid);
	if (m->user_data)
		update_userdata (e, call, m->user_data);
}

static gboolean
malformed (GError **error, const RrecMessage *m, const char *what)
{
	const char *name = rrec_message_type_name (m->type);

	g_set_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_MALFORMED,
		     "%s: %s", name ? name : "message", what);
	return FALSE;
}

static void
ignored (RrecEngine *e, const RrecMessage *m, const char *why)
{
	const char *name = rrec_message_type_name (m->type);

	e->counters.ignored++;
	if (!rrec_fsm_log_wanted ())
		return;
	g_info ("ignored %s (ConnID %s, ThisDN %s): %s", name ? name : "message",
		m->conn_id ? m->conn_id : "-", m->this_dn ? m->this_dn : "-",
		why);
}

static void
mark_supervisor (Call *call, const char *dn)
{
	Party *p = rrec_engine_party (call, dn);

	if (p)
		p->supervisor = TRUE;	/* M7: stays one for R12 */
}

static gboolean
feed_skype (RrecEngine *e, const RrecMessage *m, GError **error)
{
	guint64 id, prev_id;
	Call *call;

	if (!parse_conn (m->conn_id, &id))
		return malformed (error, m, m->conn_id ?
				  "AttributeConnID is not a ConnID" :
				  "AttributeConnID is missing");
	if (m->this_dn && *m->this_dn &&
	    !g_hash_table_contains (e->local_dns, m->this_dn))
		g_hash_table_add (e->local_dns, g_strdup (m->this_dn));

	call = rrec_engine_call_lookup (e, id);
	switch (m->type) {
	case RREC_MSG_EVENT_RINGING:
	case RREC_MSG_EVENT_DIALING:
	case RREC_MSG_EVENT_ESTABLISHED:
	case RREC_MSG_EVENT_ROUTE_REQUEST:
		if (call == NULL)
			call = rrec_engine_call_new (e, id);
		break;
	default:
		if (call == NULL) {
			ignored (e, m, "a call the engine has never seen");
			return TRUE;
		}
		break;
	}
	if (call->state == RREC_CALL_STATE_ENDED) {
		ignored (e, m, "the call has ended");
		return TRUE;
	}
	note_attributes (e, call, m);

	switch (m->type) {
	case RREC_MSG_EVENT_ROUTE_REQUEST:
		/* R3: the caller is the route's source */
		if (!call->originator && m->other_dn)
			call->originator = g_strdup (m->other_dn);
		/* R1: routed through a record=true routing point */
		if (m->this_dn && dn_records (e, m->this_dn)) {
			call->rp_trigger = TRUE;
			replace (&call->routing_point, m->this_dn);
		}
		break;
	case RREC_MSG_EVENT_DIALING:
		if (!call->originator)
			call->originator = g_strdup (m->this_dn);
		party_event (e, call, m->this_dn, RREC_PARTY_EVENT_DIALING);
		break;
	case RREC_MSG_EVENT_RINGING:
		if (!call->originator && m->other_dn)
			call->originator = g_strdup (m->other_dn);
		party_event (e, call, m->this_dn, RREC_PARTY_EVENT_RINGING);
		break;
	case RREC_MSG_EVENT_ESTABLISHED:
		party_event (e, call, m->this_dn, RREC_PARTY_EVENT_ESTABLISHED);
		/* M1: the other side is established too */
		party_event (e, call, m->other_dn, RREC_PARTY_EVENT_ESTABLISHED);
		break;
	case RREC_MSG_EVENT_HELD:
		if (party_event (e, call, m->this_dn, RREC_PARTY_EVENT_HELD))
			rrec_engine_post (e, TARGET_CALL, RREC_CALL_EVENT_HELD,
					  call, -1, NULL, NULL);
		break;
	case RREC_MSG_EVENT_RETRIEVED:
		if (party_event (e, call, m->this_dn, RREC_PARTY_EVENT_RETRIEVED)) {
			/* R8: a retrieve abandons the transfer */
			call->transfer = FALSE;
			g_clear_pointer (&call->transfer_from, g_free);
			rrec_engine_post (e, TARGET_CALL, RREC_CALL_EVENT_RETRIEVED,
					  call, -1, NULL, NULL);
		}
		break;
	case RREC_MSG_EVENT_RELEASED:
	case RREC_MSG_EVENT_ABANDONED: {
		gboolean transferred = m->type == RREC_MSG_EVENT_RELEASED &&
			m->call_state == RREC_CALL_STATE_TRANSFERRED;
		gboolean moved = party_event (e, call, m->this_dn,
					      RREC_PARTY_EVENT_RELEASED);

		if (moved && transferred && !call->transfer) {
			call->transfer = TRUE;
			replace (&call->transfer_from, m->this_dn);
			rrec_engine_post (e, TARGET_CALL,
					  RREC_CALL_EVENT_TRANSFER_STARTED, call,
					  -1, NULL, NULL);
			check_transfer_done (e, call);
		}
		/* R26, M6: a transfer to a DN of this T-Server goes on */
		if (transferred && is_local (e, m->third_party_dn))
			break;
		if (!any_local_present (e, call))
			end_call (e, call);
		break;
	}
	case RREC_MSG_EVENT_PARTY_CHANGED:
		if (m->this_dn_role == RREC_DN_ROLE_OBSERVER)
			mark_supervisor (call, m->this_dn);
		party_event (e, call, m->this_dn, RREC_PARTY_EVENT_CHANGED_IN);
		if (parse_conn (m->previous_conn_id, &prev_id) && prev_id != id) {
			Call *prev = rrec_engine_call_lookup (e, prev_id);

			if (prev && prev->state != RREC_CALL_STATE_ENDED) {
				party_event (e, prev, m->this_dn,
					     RREC_PARTY_EVENT_MOVED_OUT);
				if (!any_local_present (e, prev))
					end_call (e, prev);
				else
					evaluate (e, prev);
			}
		}
		break;
	case RREC_MSG_EVENT_PARTY_ADDED:
		party_event (e, call, m->third_party_dn, RREC_PARTY_EVENT_ADDED);
		if (m->third_party_dn_role == RREC_DN_ROLE_OBSERVER)
			mark_supervisor (call, m->third_party_dn);
		break;
	case RREC_MSG_EVENT_PARTY_DELETED:
		party_event (e, call, m->third_party_dn, RREC_PARTY_EVENT_RELEASED);
		break;
	default:
		break;
	}
	if (m->this_dn_role == RREC_DN_ROLE_OBSERVER)
		mark_supervisor (call, m->this_dn);
	check_transfer_done (e, call);
	evaluate (e, call);
	drain (e);
	return TRUE;
}

/* ---- client requests ---------------------------------------------------------- */

/* A trigger is a DN and a kind: asking twice adds nothing (memory per call
 * must not grow with the number of requests). */
static void
add_scope (Call *call, const char *dn, ScopeKind kind)
{
	for (guint i = 0; i < LEN (call->scopes); i++) {
		const Scope *s = g_ptr_array_index (call->scopes, i);
		if (s->kind == kind && strcmp (s->dn, dn) == 0)
			return;
	}
	Scope *s = g_new0 (Scope, 1);
	s->dn = g_strdup (dn);
	s->kind = kind;
	g_ptr_array_add (lazy_array (&call->scopes, rrec_engine_scope_free), s);
}

static void
add_veto (Call *call, const char *dn)
{
	if (!vetoed (call, dn))
		g_ptr_array_add (lazy_array (&call->vetoes, g_free), g_strdup (dn));
}

static void
route_call (RrecEngine *e, const RrecMessage *m, Call *call)
{
	const char *record = rrec_kv_list_lookup_string (m->extensions, "record");

	if (record == NULL)
		return;
	if (strcmp (record, "destination") == 0 && m->other_dn) {
		add_scope (call, m->other_dn, SCOPE_ROUTE);
		call->lost = FALSE;
	} else if (strcmp (record, "source") == 0 && call->originator) {
		add_scope (call, call->originator, SCOPE_ROUTE);
		call->lost = FALSE;
	} else if ((strcmp (record, "disabled") == 0 ||
		    strcmp (record, "disable_destination") == 0) && m->other_dn) {
		add_veto (call, m->other_dn);
	} else if (strcmp (record, "disable_source") == 0 && call->originator) {
		add_veto (call, call->originator);
	} else {
		ignored (e, m, "unknown value of the Extensions key 'record'");
	}
}

/* R4: the DN a `record` value names, or NULL. */
static const char *
start_scope (Call *call, const RrecMessage *m, const char *record)
{
	if (record == NULL || strcmp (record, "source") == 0)
		return m->this_dn;
	if (strcmp (record, "destination") != 0)
		return NULL;
	if (m->other_dn && *m->other_dn)
		return m->other_dn;
	/* the party ThisDN is connected with */
	for (guint i = 0; i < call->n_parties; i++) {
		const Party *p = &call->parties[i];
		if (party_established (p) && g_strcmp0 (p->dn, m->this_dn) != 0 &&
		    !p->supervisor)
			return p->dn;
	}
	return NULL;
}

static gboolean
is_supervisor (Call *call, const char *dn)
{
	Party *p = rrec_engine_party (call, dn);

	return p && p->supervisor;
}

static void
private_service (RrecEngine *e, const RrecMessage *m)
{
	const char *record = rrec_kv_list_lookup_string (m->extensions, "record");
	gint64 id = m->private_msg_id;
	gboolean valid_record = record &&
		(strcmp (record, "source") == 0 || strcmp (record, "destination") == 0);
	guint64 conn;
	Call *call;

	/* R4, R5: which request is it? */
	if (id == RREC_ABSENT && valid_record)
		id = RREC_GSIP_RECORD_START;
	if (id < RREC_GSIP_RECORD_START || id > RREC_GSIP_RECORD_RESUME ||
	    (record && !valid_record) || !parse_conn (m->conn_id, &conn)) {
		char c[17];
		gboolean known = parse_conn (m->conn_id, &conn);

		if (known)
			conn_string (conn, c);
		RrecAction a = {
			.kind = RREC_ACTION_CLIENT_REPLY, .rule = "R27",
			.call = known ? c : NULL, .refid = m->reference_id,
			.dn = m->this_dn, .event = "EventError",
			.error = "bad-request",
		};
		e->counters.client_errors++;
		rrec_engine_emit (e, &a);
		return;
	}
	call = rrec_engine_call_lookup (e, conn);
	if (call == NULL || call->state == RREC_CALL_STATE_ENDED) {
		char c[17];
		conn_string (conn, c);
		RrecAction a = {
			.kind = RREC_ACTION_CLIENT_REPLY, .rule = "R27",
			.call = c, .refid = m->reference_id, .dn = m->this_dn,
			.event = "EventError", .error = "no-such-call",
		};
		e->counters.client_errors++;
		rrec_engine_emit (e, &a);
		return;
	}

	if (id != RREC_GSIP_RECORD_START) {
		guint ev = id == RREC_GSIP_RECORD_STOP ? RREC_CALL_EVENT_CLIENT_STOP :
			   id == RREC_GSIP_RECORD_PAUSE ? RREC_CALL_EVENT_CLIENT_PAUSE :
			   RREC_CALL_EVENT_CLIENT_RESUME;
		rrec_engine_post (e, TARGET_CALL, ev, call, m->reference_id,
				  m->this_dn, NULL);
		drain (e);
		return;
	}

	/* R27: the call's table checks a START, in the rule's order */
	rrec_engine_post (e, TARGET_CALL, RREC_CALL_EVENT_CLIENT_START, call,
			  m->reference_id, m->this_dn, NULL);
	Posted *last = &g_array_index (e->posted, Posted, e->posted->len - 1);
	last->scope = g_strdup (start_scope (call, m, record));
	evaluate (e, call);
	drain (e);
}

static gboolean
feed_client (RrecEngine *e, const RrecMessage *m, GError **error)
{
	guint64 id;
	Call *call;

	switch (m->type) {
	case RREC_MSG_REQUEST_PRIVATE_SERVICE:
		if (m->reference_id == RREC_ABSENT)
			return malformed (error, m, "AttributeReferenceID is "
					  "missing: the request cannot be answered");
		private_service (e, m);
		return TRUE;
	case RREC_MSG_REQUEST_ROUTE_CALL:
		if (!parse_conn (m->conn_id, &id))
			return malformed (error, m, "AttributeConnID is missing "
					  "or not a ConnID");
		call = rrec_engine_call_lookup (e, id);
		if (call == NULL || call->state == RREC_CALL_STATE_ENDED) {
			ignored (e, m, "a call the engine has never seen");
			return TRUE;
		}
		route_call (e, m, call);
		evaluate (e, call);
		drain (e);
		return TRUE;
	default:
		ignored (e, m, "not a request the engine serves");
		return TRUE;
	}
}

/* ---- the SIP Server side ------------------------------------------------------- */

static Session *
session_for_port (RrecEngine *e, const char *dnis)
{
	gint64 port = dnis ? rrec_uri_pattern_match (e->pattern, dnis) : -1;

	if (port < 0)
		return NULL;
	Session *s = g_hash_table_lookup (e->by_port,
					  GUINT_TO_POINTER ((guint) port + 1));
	if (s)
		rrec_engine_touch (e, s->call);
	return s;
}

/* R20: a leg nobody waits for is released at once. */
static void
orphan (RrecEngine *e, const RrecMessage *m)
{
	RrecAction a = {
		.kind = RREC_ACTION_RELEASE_LEG,
		.rule = "R20",
		.leg = m->conn_id,
		.port = m->dnis,
		.reason = "orphan",
	};

	e->counters.orphans++;
	rrec_engine_emit (e, &a);
}

static gboolean
feed_sip (RrecEngine *e, const RrecMessage *m, GError **error)
{
	Session *s;

	switch (m->type) {
	case RREC_MSG_EVENT_SERVER_DISCONNECTED:
		if (e->link_state == RREC_LINK_STATE_UP) {
			/* what SIP Server still owed is lost with the link */
			g_hash_table_remove_all (e->requests);
			sessions_post (e, RREC_SESSION_EVENT_LINK_DOWN);
		}
		rrec_engine_post (e, TARGET_LINK, RREC_LINK_EVENT_DOWN, NULL, -1,
				  NULL, NULL);
		drain (e);
		return TRUE;
	case RREC_MSG_EVENT_SERVER_CONNECTED:
		rrec_engine_post (e, TARGET_LINK, RREC_LINK_EVENT_UP, NULL, -1,
				  NULL, NULL);
		drain (e);
		return TRUE;
	default:
		break;
	}

	if (m->type == RREC_MSG_EVENT_RELEASED && !m->conn_id && !m->dnis)
		return malformed (error, m, "a SIP-side EventReleased needs "
				  "AttributeConnID or AttributeDNIS");
	if ((m->type == RREC_MSG_EVENT_ACK || m->type == RREC_MSG_EVENT_ERROR) &&
	    m->reference_id == RREC_ABSENT)
		return malformed (error, m, "AttributeReferenceID is missing");
	if (m->type == RREC_MSG_EVENT_ESTABLISHED && !m->dnis)
		return malformed (error, m, "a recording leg needs AttributeDNIS");
	if (m->conn_id && *m->conn_id) {
		guint64 dummy;
		if (!parse_conn (m->conn_id, &dummy))
			return malformed (error, m, "AttributeConnID is not a ConnID");
	}
	/* §6: nothing comes from SIP Server while the link is down */
	if (e->link_state != RREC_LINK_STATE_UP) {
		ignored (e, m, "the link to SIP Server is down");
		return TRUE;
	}

	switch (m->type) {
	case RREC_MSG_EVENT_RINGING:
		return TRUE;	/* the leg is up only at EventEstablished (M9) */
	case RREC_MSG_EVENT_ESTABLISHED:
		s = session_for_port (e, m->dnis);
		if (s && s->state == RREC_SESSION_STATE_DIALING) {
			if (m->conn_id) {
				g_free (s->leg);
				s->leg = g_ascii_strdown (m->conn_id, -1);
				g_hash_table_insert (e->by_leg, s->leg, s);
			}
			rrec_engine_post (e, TARGET_SESSION,
					  RREC_SESSION_EVENT_LEG_UP, s->call, -1,
					  NULL, NULL);
			drain (e);
		} else if (s && s->leg && m->conn_id &&
			   g_ascii_strcasecmp (s->leg, m->conn_id) == 0) {
			ignored (e, m, "the leg is already up");
		} else {
			orphan (e, m);
		}
		return TRUE;
	case RREC_MSG_EVENT_RELEASED: {
		g_autofree char *leg = m->conn_id ? g_ascii_strdown (m->conn_id, -1) : NULL;
		s = leg ? g_hash_table_lookup (e->by_leg, leg) : NULL;
		if (s)
			rrec_engine_touch (e, s->call);
		if (s == NULL && m->dnis)
			s = session_for_port (e, m->dnis);
		if (s == NULL || !s->dialled) {
			ignored (e, m, "no leg of that ConnID or DNIS");
			return TRUE;
		}
		rrec_engine_post (e, TARGET_SESSION, RREC_SESSION_EVENT_LEG_DROPPED,
				  s->call, -1, NULL, "dropped");
		drain (e);
		return TRUE;
	}
	case RREC_MSG_EVENT_ACK:
	case RREC_MSG_EVENT_ERROR: {
		Request *r = g_hash_table_lookup (e->requests, &m->reference_id);
		Call *call;

		if (r == NULL) {
			ignored (e, m, "no request of that ReferenceID");
			return TRUE;
		}
		call = rrec_engine_call_lookup (e, r->call_id);
		int op = r->op;
		guint32 serial = r->serial;
		g_hash_table_remove (e->requests, &m->reference_id);
		if (op == 0 || call == NULL || call->session == NULL ||
		    call->session->serial != serial)
			return TRUE;	/* user data, or a session since gone */
		guint ev = m->type == RREC_MSG_EVENT_ERROR ? RREC_SESSION_EVENT_REFUSED :
			   op == RREC_GSIP_RECORD_START ? RREC_SESSION_EVENT_ACK_START :
			   op == RREC_GSIP_RECORD_PAUSE ? RREC_SESSION_EVENT_ACK_PAUSE :
			   op == RREC_GSIP_RECORD_RESUME ? RREC_SESSION_EVENT_ACK_RESUME :
			   RREC_SESSION_EVENT_ACK_STOP;
		rrec_engine_post (e, TARGET_SESSION, ev, call, -1, NULL, "refused");
		drain (e);
		return TRUE;
	}
	default:
		ignored (e, m, "not a SIP-side event the engine follows");
		return TRUE;
	}
}

/* Nesting of a key-value list: the saved state keeps at most 32 levels. */
static guint
kv_depth (const RrecKvList *l)
{
	guint depth = 0;

	for (guint i = 0; i < rrec_kv_list_length (l); i++)
		if (rrec_kv_list_kind (l, i) == RREC_KV_LIST)
			depth = MAX (depth, kv_depth (rrec_kv_list_sublist (l, i)));
	return depth + 1;
}

#define MAX_KV_DEPTH 32

gboolean
rrec_engine_feed (RrecEngine *e, const RrecMessage *m, GError **error)
{
	gboolean ok;

	g_return_val_if_fail (e != NULL && m != NULL, FALSE);
	e->counters.messages++;
	if ((m->user_data && kv_depth (m->user_data) > MAX_KV_DEPTH) ||
	    (m->extensions && kv_depth (m->extensions) > MAX_KV_DEPTH)) {
		e->counters.malformed++;
		return malformed (error, m, "a key-value list nested more than "
				  "32 deep");
	}
	switch (m->side) {
	case RREC_SIDE_SKYPE:
		ok = feed_skype (e, m, error);
		break;
	case RREC_SIDE_CLIENT:
		ok = feed_client (e, m, error);
		break;
	case RREC_SIDE_SIP:
		ok = feed_sip (e, m, error);
		break;
	default:
		ok = malformed (error, m, "unknown side");
		break;
	}
	if (!ok)
		e->counters.malformed++;
	rrec_engine_store_step (e);
	return ok;
}

RrecEngine *
rrec_engine_open (RrecConfig *config, const RrecHostCallbacks *callbacks,
		  gpointer user_data, const char *path, RrecStoreSync sync,
		  gboolean *restored, GError **error)
{
	return rrec_engine_open_full (config, callbacks, user_data, path, sync,
				      0, restored, error);
}

gboolean
rrec_engine_has_store (RrecEngine *e)
{
	return e->store != NULL;
}

RrecEngine *
rrec_engine_open_full (RrecConfig *config, const RrecHostCallbacks *callbacks,
		       gpointer user_data, const char *path, RrecStoreSync sync,
		       RrecStoreFlags flags, gboolean *restored, GError **error)
{
	g_autoptr (GError) local = NULL;
	RrecEngine *e = NULL;
	RrecStore *store;
	RrecStoreOpenStatus status = RREC_STORE_OPEN_OK;
	gboolean damaged = FALSE;

	g_return_val_if_fail (config != NULL && path != NULL, NULL);
	if (restored)
		*restored = FALSE;
	store = rrec_store_open (path, sync, (flags & RREC_STORE_REPLACE) != 0,
				 &status, &local);
	if (store) {
		gboolean got = FALSE;

		e = rrec_engine_new (config, callbacks, user_data);
		if (!rrec_store_restore (store, e, &got, &damaged, &local)) {
			/* a state this engine cannot read: unusable here */
			g_clear_pointer (&e, rrec_engine_free);
			g_clear_pointer (&store, rrec_store_close);
			status = damaged ? RREC_STORE_OPEN_DAMAGED :
				RREC_STORE_OPEN_UNREACHABLE;
		} else if (!got) {
			g_clear_pointer (&e, rrec_engine_free);
		} else if (restored) {
			*restored = TRUE;
		}
	}
	damaged = status == RREC_STORE_OPEN_DAMAGED;
	if (store == NULL && damaged) {
		/* keep the damaged store for a post-mortem, start afresh; a
		 * store locked by another engine, or not an rrec store, is
		 * never touched */
		g_autoptr (GError) again = NULL;
		RrecStoreOpenStatus still;

		g_autofree char *aside = NULL;

		if (rrec_store_move_aside (path, &aside, &again)) {
			char *text = g_strdup_printf ("%s (moved to %s)",
						      local->message, aside);
			g_free (local->message);
			local->message = text;
			store = rrec_store_open (path, sync, TRUE, &still,
						 &again);
		}
		if (again)
			g_warning ("%s", again->message);
	}
	if (e == NULL)
		e = rrec_engine_new (config, callbacks, user_data);
	e->store = store;
	if (local) {
		g_autofree char *text = g_strdup_printf (
			"%s; starting empty%s", local->message,
			store ? "" : ", without a store");
		store_alarm (e, TRUE, text);
		g_propagate_error (error, g_steal_pointer (&local));
	}
	return e;
}

/* ---- queries --------------------------------------------------------------------- */

static Call *
lookup_text (RrecEngine *e, const char *conn_id)
{
	guint64 id;

	return parse_conn (conn_id, &id) ? rrec_engine_call_lookup (e, id) : NULL;
}

const char *
rrec_engine_session_state (RrecEngine *e, const char *conn_id)
{
	Call *c = lookup_text (e, conn_id);

	if (c == NULL || c->session == NULL)
		return NULL;
	return rrec_session_machine.state_names[c->session->state];
}

guint
rrec_engine_pause_reasons (RrecEngine *e, const char *conn_id)
{
	Call *c = lookup_text (e, conn_id);

	return c ? c->pause : 0;
}

char *
rrec_engine_session_port (RrecEngine *e, const char *conn_id)
{
	Call *c = lookup_text (e, conn_id);

	if (c == NULL || c->session == NULL || !c->session->has_port)
		return NULL;
	return rrec_session_port_string (c->session);
}

gboolean
rrec_engine_has_call (RrecEngine *e, const char *conn_id)
{
	return lookup_text (e, conn_id) != NULL;
}

guint
rrec_engine_active_calls (RrecEngine *e)
{
	return g_hash_table_size (e->calls);
}

guint
rrec_engine_ports_in_use (RrecEngine *e)
{
	return rrec_port_pool_get_n_in_use (e->pool);
}

gboolean
rrec_engine_link_is_up (RrecEngine *e)
{
	return e->link_state == RREC_LINK_STATE_UP;
}

gboolean
rrec_engine_alarm_is_raised (RrecEngine *e, const char *name)
{
	if (g_strcmp0 (name, "no-free-port") == 0)
		return e->alarm_no_port;
	if (g_strcmp0 (name, "server-link-down") == 0)
		return e->alarm_link;
	if (g_strcmp0 (name, "state-store") == 0)
		return e->alarm_store;
	return FALSE;
}

void
rrec_engine_get_counters (RrecEngine *e, RrecEngineCounters *counters)
{
	*counters = e->counters;
}

/* ---- saving ------------------------------------------------------------------------ */

GBytes *
rrec_engine_save (RrecEngine *e)
{
	return rrec_engine_state_save (e);
}

RrecEngine *
rrec_engine_restore (RrecConfig *config, const RrecHostCallbacks *callbacks,
		     gpointer user_data, GBytes *state, GError **error)
{
	RrecEngine *e = engine_alloc (config, callbacks, user_data);

	if (!rrec_engine_state_load (e, state, error)) {
		if (e->pool == NULL)
			e->pool = rrec_port_pool_new (1);
		rrec_engine_free (e);
		return NULL;
	}
	return e;
}
