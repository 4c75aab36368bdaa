/*
 * engine-state.c — the engine's whole state as bytes, and back.
 *
 * Format (little-endian): "RRES", a u32 version, then the engine's fields,
 * the port pool, pending SIP requests (by refid), timers (by due time),
 * and the calls in creation order, each with its parties, triggers,
 * waiters, user data and session.  Everything is written in a fixed order
 * so that one state always gives the same bytes: the explorer (issue 5)
 * hashes states by them.  The posted-event queue is always empty between
 * two calls into the engine, so it is not part of the state.
 */
#include <string.h>

#include "engine-private.h"
#include "rrec-kvpack.h"

#define STATE_MAGIC "RRES"
#define STATE_VERSION 5u	/* 5: the gap ledger */
#define NO_STRING 0xffffffffu

/* ---- writing ------------------------------------------------------------ */

static void
put_u8 (GByteArray *b, guint8 v)
{
	g_byte_array_append (b, &v, 1);
}

static void
put_u32 (GByteArray *b, guint32 v)
{
	guint8 x[4] = { v, v >> 8, v >> 16, v >> 24 };

	g_byte_array_append (b, x, 4);
}

static void
put_u64 (GByteArray *b, guint64 v)
{
	put_u32 (b, (guint32) v);
	put_u32 (b, (guint32) (v >> 32));
}

static void
put_str (GByteArray *b, const char *s)
{
	if (s == NULL) {
		put_u32 (b, NO_STRING);
		return;
	}
	gsize n = strlen (s);
	put_u32 (b, (guint32) n);
	g_byte_array_append (b, (const guint8 *) s, n);
}

static gint
str_cmp (gconstpointer a, gconstpointer b)
{
	return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static gint
request_cmp (gconstpointer a, gconstpointer b)
{
	const Request *x = *(Request *const *) a, *y = *(Request *const *) b;

	return x->refid < y->refid ? -1 : x->refid > y->refid;
}

static gint
call_cmp (gconstpointer a, gconstpointer b)
{
	const Call *x = *(Call *const *) a, *y = *(Call *const *) b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static gboolean
collect_timer (gpointer key, gpointer value, gpointer data)
{
	g_ptr_array_add (data, value);
	return FALSE;
}

static void
put_call (GByteArray *b, const Call *c, gboolean with_local)
{
	put_u64 (b, c->id);
	put_u64 (b, c->seq);
	put_u8 (b, c->state);
	put_u8 (b, (guint8) c->call_type);
	put_u8 (b, c->pause);
	put_u8 (b, c->transfer);
	put_u8 (b, c->rp_trigger);
	put_u8 (b, c->blocked);
	put_u8 (b, c->lost);
	put_u8 (b, c->told_paused);
	put_u8 (b, c->rec_state);
	put_u64 (b, c->rec_fn_hash);
	put_str (b, c->ani);
	put_str (b, c->dnis);
	put_str (b, c->call_uuid);
	put_str (b, c->originator);
	put_str (b, c->routing_point);
	put_str (b, c->transfer_from);
	put_u32 (b, c->next_serial);
	put_u64 (b, c->next_est_seq);

	put_u32 (b, c->n_parties);
	for (guint i = 0; i < c->n_parties; i++) {
		const Party *p = &c->parties[i];
		put_str (b, p->dn);
		put_u8 (b, p->state);
		put_u8 (b, p->supervisor);
		put_u8 (b, p->spent);
		put_u64 (b, p->est_seq);
		if (with_local)
			put_u8 (b, !p->owns_dn);
	}
	put_u32 (b, LEN (c->scopes));
	for (guint i = 0; i < LEN (c->scopes); i++) {
		const Scope *s = g_ptr_array_index (c->scopes, i);
		put_str (b, s->dn);
		put_u8 (b, s->kind);
	}
	put_u32 (b, LEN (c->vetoes));
	for (guint i = 0; i < LEN (c->vetoes); i++)
		put_str (b, g_ptr_array_index (c->vetoes, i));
	put_u32 (b, LEN (c->waiters));
	for (guint i = 0; i < LEN (c->waiters); i++) {
		const Waiter *w = g_ptr_array_index (c->waiters, i);
		put_u64 (b, (guint64) w->refid);
		put_str (b, w->dn);
		put_u32 (b, (guint32) w->op);
	}
	put_u32 (b, c->user_data_len);
	g_byte_array_append (b, c->user_data, c->user_data_len);

	put_u8 (b, c->gap_cause);
	put_u8 (b, c->fail_cause);
	put_u8 (b, c->gaps_dirty);
	put_u8 (b, c->restarting);
	put_u64 (b, (guint64) rrec_gaps_open_start (c));
	put_u32 (b, rrec_gaps_count (c));
	for (guint i = 0; i < rrec_gaps_count (c); i++) {
		put_u64 (b, (guint64) c->ledger->gaps[i].start);
		put_u64 (b, (guint64) c->ledger->gaps[i].end);
		put_u8 (b, c->ledger->gaps[i].cause);
	}

	const Session *s = c->session;
	put_u8 (b, s != NULL);
	if (s) {
		put_u32 (b, s->serial);
		put_u8 (b, s->state);
		put_u8 (b, s->has_port);
		put_u8 (b, s->started);
		put_u8 (b, s->dialled);
		put_u32 (b, s->port);
		put_str (b, s->owner);
		put_str (b, s->leg);
		put_u64 (b, s->setup_timer ? s->setup_timer->key.id : 0);
		put_u64 (b, s->redial_timer ? s->redial_timer->key.id : 0);
	}
}

guint32
rrec_engine_state_version (void)
{
	return STATE_VERSION;
}

GBytes *
rrec_engine_state_save (RrecEngine *e)
{
	GByteArray *b = g_byte_array_new ();
	GHashTableIter it;
	gpointer k, v;

	g_byte_array_append (b, (const guint8 *) STATE_MAGIC, 4);
	put_u32 (b, STATE_VERSION);
	put_u64 (b, (guint64) e->now);
	put_str (b, e->date);
	put_u64 (b, (guint64) e->next_refid);
	put_u64 (b, e->next_timer_id);
	put_u64 (b, e->next_call_seq);
	put_u8 (b, e->link_state);
	put_u32 (b, e->link_attempts);
	put_u64 (b, e->link_timer ? e->link_timer->key.id : 0);
	put_u8 (b, e->alarm_no_port);
	put_u8 (b, e->alarm_link);
	put_u64 (b, e->counters.messages);
	put_u64 (b, e->counters.malformed);
	put_u64 (b, e->counters.ignored);
	put_u64 (b, e->counters.rejected);
	put_u64 (b, e->counters.calls);
	put_u64 (b, e->counters.sessions);
	put_u64 (b, e->counters.orphans);
	put_u64 (b, e->counters.client_errors);

	g_autoptr (GPtrArray) dns = g_ptr_array_new ();
	g_hash_table_iter_init (&it, e->local_dns);
	while (g_hash_table_iter_next (&it, &k, NULL))
		g_ptr_array_add (dns, k);
	g_ptr_array_sort (dns, str_cmp);
	put_u32 (b, dns->len);
	for (guint i = 0; i < dns->len; i++)
		put_str (b, g_ptr_array_index (dns, i));

	GByteArray *pool = g_byte_array_new ();
	rrec_port_pool_serialize (e->pool, pool);
	put_u32 (b, pool->len);
	g_byte_array_append (b, pool->data, pool->len);
	g_byte_array_unref (pool);

	g_autoptr (GPtrArray) reqs = g_ptr_array_new ();
	g_hash_table_iter_init (&it, e->requests);
	while (g_hash_table_iter_next (&it, NULL, &v))
		g_ptr_array_add (reqs, v);
	g_ptr_array_sort (reqs, request_cmp);
	put_u32 (b, reqs->len);
	for (guint i = 0; i < reqs->len; i++) {
		const Request *r = g_ptr_array_index (reqs, i);
		put_u64 (b, (guint64) r->refid);
		put_u64 (b, r->call_id);
		put_u32 (b, r->serial);
		put_u32 (b, (guint32) r->op);
	}

	g_autoptr (GPtrArray) timers = g_ptr_array_new ();
	g_tree_foreach (e->timers, collect_timer, timers);
	put_u32 (b, timers->len);
	for (guint i = 0; i < timers->len; i++) {
		const Timer *t = g_ptr_array_index (timers, i);
		put_u64 (b, (guint64) t->key.due);
		put_u64 (b, t->key.id);
		put_u8 (b, t->kind);
		put_u64 (b, t->call_id);
		put_u32 (b, t->serial);
	}

	g_autoptr (GPtrArray) calls = g_ptr_array_new ();
	g_hash_table_iter_init (&it, e->calls);
	while (g_hash_table_iter_next (&it, NULL, &v))
		g_ptr_array_add (calls, v);
	g_ptr_array_sort (calls, call_cmp);
	put_u32 (b, calls->len);
	for (guint i = 0; i < calls->len; i++)
		put_call (b, g_ptr_array_index (calls, i), FALSE);

	return g_byte_array_free_to_bytes (b);
}

/* ---- reading -------------------------------------------------------------- */

typedef struct {
	const guint8 *p;
	const guint8 *end;
	gboolean bad;
} Reader;

static gboolean
need (Reader *r, gsize n)
{
	if (r->bad || (gsize) (r->end - r->p) < n) {
		r->bad = TRUE;
		return FALSE;
	}
	return TRUE;
}

static guint8
get_u8 (Reader *r)
{
	return need (r, 1) ? *r->p++ : 0;
}

static guint32
get_u32 (Reader *r)
{
	if (!need (r, 4))
		return 0;
	guint32 v = r->p[0] | r->p[1] << 8 | r->p[2] << 16 | (guint32) r->p[3] << 24;
	r->p += 4;
	return v;
}

static guint64
get_u64 (Reader *r)
{
	guint64 lo = get_u32 (r);

	return lo | (guint64) get_u32 (r) << 32;
}

static char *
get_str (Reader *r)
{
	guint32 n = get_u32 (r);

	if (n == NO_STRING || !need (r, n))
		return NULL;
	if (memchr (r->p, '\0', n)) {
		r->bad = TRUE;
		return NULL;
	}
	char *s = g_strndup ((const char *) r->p, n);
	r->p += n;
	return s;
}

/* A count of items that each take at least @min bytes: never more than the
 * bytes left, so a corrupt count cannot make us allocate the world. */
static guint32
get_count (Reader *r, gsize min)
{
	guint32 n = get_u32 (r);

	if (!r->bad && (gsize) n * min > (gsize) (r->end - r->p))
		r->bad = TRUE;
	return r->bad ? 0 : n;
}

/*
 * A saved timer id back to its timer: 0 is none.  The timer must be of the
 * kind, call and session that name it, and each timer has one owner: an
 * unknown, mismatched or twice-claimed id is damage.
 */
static Timer *
get_timer (Reader *r, GHashTable *by_id, TimerKind kind, guint64 call_id,
	   guint32 serial)
{
	guint64 id = get_u64 (r);
	Timer *t;

	if (id == 0 || r->bad)
		return NULL;
	t = g_hash_table_lookup (by_id, &id);
	if (t == NULL || t->kind != kind || t->call_id != call_id ||
	    t->serial != serial) {
		r->bad = TRUE;
		return NULL;
	}
	g_hash_table_remove (by_id, &id);
	return t;
}

static gboolean
get_call (Reader *r, RrecEngine *e, GHashTable *by_id, gboolean row)
{
	guint64 id = get_u64 (r);

	if (r->bad || rrec_engine_call_lookup (e, id)) {
		r->bad = TRUE;
		return FALSE;
	}
	/* rrec_engine_call_new counts and numbers it again */
	e->counters.calls--;
	e->next_call_seq--;
	Call *c = rrec_engine_call_new (e, id);
	c->seq = get_u64 (r);
	c->state = get_u8 (r);
	c->call_type = (gint8) get_u8 (r);
	c->pause = get_u8 (r);
	c->transfer = get_u8 (r);
	c->rp_trigger = get_u8 (r);
	c->blocked = get_u8 (r);
	if (c->blocked)
		e->any_blocked = TRUE;	/* R30 must see it after a restore */
	c->lost = get_u8 (r);
	c->told_paused = get_u8 (r);
	c->rec_state = get_u8 (r);
	c->rec_fn_hash = get_u64 (r);
	if (c->rec_state > REC_OFF)
		r->bad = TRUE;
	c->ani = get_str (r);
	c->dnis = get_str (r);
	c->call_uuid = get_str (r);
	c->originator = get_str (r);
	c->routing_point = get_str (r);
	c->transfer_from = get_str (r);
	c->next_serial = get_u32 (r);
	c->next_est_seq = get_u64 (r);
	if (c->state >= RREC_CALL_N_STATES)
		r->bad = TRUE;

	for (guint32 n = get_count (r, 15); n > 0 && !r->bad; n--) {
		g_autofree char *dn = get_str (r);
		if (dn == NULL) {
			r->bad = TRUE;
			break;
		}
		guint8 state = get_u8 (r);
		guint8 supervisor = get_u8 (r);
		guint8 spent = get_u8 (r);
		guint64 est_seq = get_u64 (r);
		guint8 local = row ? get_u8 (r) : 0;
		/* a store row says which DNs are local: the DNs of no call
		 * are not stored (store.c) */
		if (local > 1)
			r->bad = TRUE;
		if (local == 1 && !r->bad &&
		    !g_hash_table_contains (e->local_dns, dn))
			g_hash_table_add (e->local_dns, g_strdup (dn));
		Party *p = rrec_engine_party_add (e, c, dn);
		if (p == NULL) {
			r->bad = TRUE;
			break;
		}
		p->state = state;
		p->supervisor = supervisor;
		p->spent = spent;
		p->est_seq = est_seq;
		if (p->state >= RREC_PARTY_N_STATES)
			r->bad = TRUE;
	}
	for (guint32 n = get_count (r, 5); n > 0 && !r->bad; n--) {
		Scope *s = g_new0 (Scope, 1);
		s->dn = get_str (r);
		s->kind = get_u8 (r);
		g_ptr_array_add (lazy_array (&c->scopes, rrec_engine_scope_free), s);
		if (s->dn == NULL || s->kind > SCOPE_ROUTE)
			r->bad = TRUE;
	}
	for (guint32 n = get_count (r, 4); n > 0 && !r->bad; n--) {
		char *dn = get_str (r);
		if (dn == NULL)
			r->bad = TRUE;
		else
			g_ptr_array_add (lazy_array (&c->vetoes, g_free), dn);
	}
	for (guint32 n = get_count (r, 16); n > 0 && !r->bad; n--) {
		gint64 refid = (gint64) get_u64 (r);
		g_autofree char *dn = get_str (r);
		int op = (int) get_u32 (r);
		rrec_engine_waiter_add (c, refid, dn, op);
	}
	guint32 ud_len = get_u32 (r);
	if (ud_len > 0 && need (r, ud_len)) {
		gsize used = 0;
		gboolean ok = FALSE;
		g_autoptr (RrecKvList) check = rrec_kv_unpack (r->p, ud_len, &used, &ok);
		if (!ok || check == NULL || used != ud_len)
			r->bad = TRUE;
		else {
			c->user_data = g_memdup2 (r->p, ud_len);
			c->user_data_len = ud_len;
		}
		r->p += ud_len;
	}

	guint8 gap_cause = get_u8 (r);
	c->fail_cause = get_u8 (r);
	guint8 gaps_dirty = get_u8 (r);
	c->restarting = get_u8 (r) != 0;
	gint64 gap_start = (gint64) get_u64 (r);
	if (gap_cause >= GAP_N_CAUSES || c->fail_cause >= GAP_N_CAUSES)
		r->bad = TRUE;
	else
		rrec_gaps_open (c, gap_cause, gap_start);
	guint32 n_gaps = get_count (r, 17);
	if (n_gaps > GAP_LEDGER_MAX)
		r->bad = TRUE;
	for (guint32 n = n_gaps; n > 0 && !r->bad; n--) {
		gint64 start = (gint64) get_u64 (r);
		gint64 end = (gint64) get_u64 (r);
		guint8 cause = get_u8 (r);
		if (cause == GAP_NONE || cause >= GAP_N_CAUSES || end < start)
			r->bad = TRUE;
		else
			rrec_gaps_add (e, c, start, end, cause);
	}
	c->gaps_dirty = gaps_dirty;

	if (get_u8 (r)) {
		Session *s = g_new0 (Session, 1);
		s->call = c;
		c->session = s;
		s->serial = get_u32 (r);
		s->state = get_u8 (r);
		s->has_port = get_u8 (r);
		s->started = get_u8 (r);
		s->dialled = get_u8 (r);
		s->port = get_u32 (r);
		s->owner = get_str (r);
		s->leg = get_str (r);
		s->setup_timer = get_timer (r, by_id, TIMER_SETUP, c->id, s->serial);
		s->redial_timer = get_timer (r, by_id, TIMER_REDIAL, c->id, s->serial);
		/* an ended session never outlives the step that ended it */
		if (s->state >= RREC_SESSION_N_STATES ||
		    s->state == RREC_SESSION_STATE_ENDED || s->owner == NULL)
			r->bad = TRUE;
		if (!r->bad && s->has_port) {
			/* rows: the pool is built from the sessions after */
			if ((!row && !rrec_port_pool_is_in_use (e->pool, s->port)) ||
			    g_hash_table_contains (e->by_port,
						   GUINT_TO_POINTER (s->port + 1)))
				r->bad = TRUE;
			else
				g_hash_table_insert (e->by_port,
						     GUINT_TO_POINTER (s->port + 1), s);
		}
		if (!r->bad && s->leg)
			g_hash_table_insert (e->by_leg, s->leg, s);
	}
	if (c->state == RREC_CALL_STATE_ENDED)
		r->bad = TRUE;	/* ended calls never outlive a step */
	return !r->bad;
}

static gboolean
request_is_live (gpointer key, gpointer value, gpointer data)
{
	const Request *q = value;
	RrecEngine *e = data;
	Call *c = rrec_engine_call_lookup (e, q->call_id);

	return c && c->session && c->session->serial == q->serial;
}

/* What the parts say of each other must agree: every timer and request
 * belongs to a live session, and the ports in use are the sessions'. */
static void
check_consistency (Reader *r, RrecEngine *e, GHashTable *unclaimed)
{
	GHashTableIter it;
	gpointer v;
	guint held = 0;

	if (g_hash_table_size (unclaimed) > 0)
		r->bad = TRUE;
	g_hash_table_iter_init (&it, e->requests);
	while (!r->bad && g_hash_table_iter_next (&it, NULL, &v))
		if (!request_is_live (NULL, v, e))
			r->bad = TRUE;
	g_hash_table_iter_init (&it, e->calls);
	while (g_hash_table_iter_next (&it, NULL, &v)) {
		const Call *c = v;
		if (c->session && c->session->has_port)
			held++;
	}
	if (held != rrec_port_pool_get_n_in_use (e->pool) ||
	    rrec_port_pool_get_size (e->pool) !=
	    MIN (rrec_config_get_port_count (e->config), G_MAXUINT32))
		r->bad = TRUE;
}

gboolean
rrec_engine_state_load (RrecEngine *e, GBytes *bytes, GError **error)
{
	gsize len = 0;
	const guint8 *data = g_bytes_get_data (bytes, &len);
	Reader r = { data, data + len, FALSE };
	g_autoptr (GError) pool_error = NULL;

	if (len < 8 || memcmp (data, STATE_MAGIC, 4) != 0) {
		g_set_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STATE,
			     "not a saved engine state");
		return FALSE;
	}
	r.p += 4;
	guint32 version = get_u32 (&r);
	if (version != STATE_VERSION) {
		g_set_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STATE,
			     "saved engine state of version %u; this engine "
			     "reads version %u", version, STATE_VERSION);
		return FALSE;
	}

	e->now = (gint64) get_u64 (&r);
	g_autofree char *date = get_str (&r);
	if (date && strlen (date) == 10)
		g_strlcpy (e->date, date, sizeof e->date);
	else
		r.bad = TRUE;
	e->next_refid = (gint64) get_u64 (&r);
	e->next_timer_id = get_u64 (&r);
	e->next_call_seq = get_u64 (&r);
	e->link_state = get_u8 (&r);
	e->link_attempts = get_u32 (&r);
	guint64 link_timer = get_u64 (&r);
	e->alarm_no_port = get_u8 (&r);
	e->alarm_link = get_u8 (&r);
	e->counters.messages = get_u64 (&r);
	e->counters.malformed = get_u64 (&r);
	e->counters.ignored = get_u64 (&r);
	e->counters.rejected = get_u64 (&r);
	e->counters.calls = get_u64 (&r);
	e->counters.sessions = get_u64 (&r);
	e->counters.orphans = get_u64 (&r);
	e->counters.client_errors = get_u64 (&r);
	if (e->link_state >= RREC_LINK_N_STATES)
		r.bad = TRUE;

	for (guint32 n = get_count (&r, 4); n > 0 && !r.bad; n--) {
		char *dn = get_str (&r);
		if (dn)
			g_hash_table_add (e->local_dns, dn);
		else
			r.bad = TRUE;
	}

	guint32 pool_len = get_u32 (&r);
	if (!r.bad && need (&r, pool_len)) {
		gsize used = 0;
		e->pool = rrec_port_pool_deserialize (r.p, pool_len, &used,
						      &pool_error);
		if (e->pool == NULL || used != pool_len)
			r.bad = TRUE;
		r.p += pool_len;
	}

	for (guint32 n = get_count (&r, 24); n > 0 && !r.bad; n--) {
		Request *q = g_new (Request, 1);
		q->refid = (gint64) get_u64 (&r);
		q->call_id = get_u64 (&r);
		q->serial = get_u32 (&r);
		q->op = (int) get_u32 (&r);
		/* numbers are never reused: each is below the next to give */
		if (r.bad || q->refid <= 0 || q->refid >= e->next_refid ||
		    g_hash_table_contains (e->requests, &q->refid)) {
			g_free (q);
			r.bad = TRUE;
			break;
		}
		g_hash_table_insert (e->requests, &q->refid, q);
	}
	for (guint32 n = get_count (&r, 29); n > 0 && !r.bad; n--) {
		Timer *t = g_new0 (Timer, 1);
		t->key.due = (gint64) get_u64 (&r);
		t->key.id = get_u64 (&r);
		t->kind = get_u8 (&r);
		t->call_id = get_u64 (&r);
		t->serial = get_u32 (&r);
		if (t->kind > TIMER_LINK_RETRY || t->key.id == 0 ||
		    t->key.id > e->next_timer_id ||
		    g_tree_lookup (e->timers, &t->key)) {
			g_free (t);
			r.bad = TRUE;
		} else {
			g_tree_insert (e->timers, &t->key, t);
		}
	}
	g_autoptr (GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
	g_autoptr (GPtrArray) all = g_ptr_array_new ();
	g_tree_foreach (e->timers, collect_timer, all);
	for (guint i = 0; i < all->len; i++) {
		Timer *t = g_ptr_array_index (all, i);
		g_hash_table_insert (by_id, &t->key.id, t);
	}
	if (link_timer) {
		e->link_timer = g_hash_table_lookup (by_id, &link_timer);
		if (e->link_timer == NULL || e->link_timer->kind != TIMER_LINK_RETRY)
			r.bad = TRUE;
		g_hash_table_remove (by_id, &link_timer);
	}
	for (guint32 n = get_count (&r, 60); n > 0 && !r.bad; n--)
		get_call (&r, e, by_id, FALSE);
	if (!r.bad)
		check_consistency (&r, e, by_id);

	if (!r.bad && r.p != r.end)
		r.bad = TRUE;
	if (r.bad) {
		g_set_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STATE,
			     "the saved engine state is damaged or truncated%s%s",
			     pool_error ? ": " : "",
			     pool_error ? pool_error->message : "");
		return FALSE;
	}
	return TRUE;
}

/* ---- the store's rows (store.c, schema 2) --------------------------------
 *
 * The same encodings as above, split per object so that a step writes only
 * what it changed (store/backend.h names the rows):
 *
 *   ENGINE  "RRES", u32 STATE_VERSION, then the fields that are state —
 *           date, next_refid, next_timer_id, next_call_seq, link_state,
 *           link_attempts, the link timer (u64 id, and when not 0 its u64
 *           due time), alarm_no_port, alarm_link — and last the fields
 *           that only go along with a write (ENGINE_VOLATILE): the clock
 *           and the eight counters (statistics, not state).  A step that
 *           changed nothing but those writes nothing.
 *   PORTS   rrec_port_pool_serialize_free(): the order of reuse.  The
 *           ports in use are those of the stored sessions.
 *   CALL    u32 n, then n timers of the call (u64 due, u64 id, u8 kind,
 *           u64 call id, u32 serial); u32 n, then n pending SIP requests
 *           (u64 refid, u64 call id, u32 serial, u32 op); then the call
 *           as in the whole state, each party followed by a u8: 1 when
 *           its DN is local (seen as ThisDN or configured), the only way
 *           the DNs the engine knows are stored; last the engine clock at
 *           the write (u64, rrec_engine_state_put_row_clock()).
 */

/* Bytes at the end of the ENGINE row that are not compared. */
#define ENGINE_VOLATILE (8u + 8u * 8u)

gsize
rrec_engine_state_put_engine_row (RrecEngine *e, GByteArray *b)
{
	gsize stable;

	g_byte_array_append (b, (const guint8 *) STATE_MAGIC, 4);
	put_u32 (b, STATE_VERSION);
	put_str (b, e->date);
	put_u64 (b, (guint64) e->next_refid);
	put_u64 (b, e->next_timer_id);
	put_u64 (b, e->next_call_seq);
	put_u8 (b, e->link_state);
	put_u32 (b, e->link_attempts);
	put_u64 (b, e->link_timer ? e->link_timer->key.id : 0);
	if (e->link_timer)
		put_u64 (b, (guint64) e->link_timer->key.due);
	put_u8 (b, e->alarm_no_port);
	put_u8 (b, e->alarm_link);
	stable = b->len;
	put_u64 (b, (guint64) e->now);
	put_u64 (b, e->counters.messages);
	put_u64 (b, e->counters.malformed);
	put_u64 (b, e->counters.ignored);
	put_u64 (b, e->counters.rejected);
	put_u64 (b, e->counters.calls);
	put_u64 (b, e->counters.sessions);
	put_u64 (b, e->counters.orphans);
	put_u64 (b, e->counters.client_errors);
	g_assert (b->len - stable == ENGINE_VOLATILE);
	return stable;
}

void
rrec_engine_state_put_ports_row (RrecEngine *e, GByteArray *b)
{
	rrec_port_pool_serialize_free (e->pool, b);
}

static void
put_timer (GByteArray *b, const Timer *t)
{
	put_u64 (b, (guint64) t->key.due);
	put_u64 (b, t->key.id);
	put_u8 (b, t->kind);
	put_u64 (b, t->call_id);
	put_u32 (b, t->serial);
}

/* @requests: the call's pending requests (Request*), by refid. */
void
rrec_engine_state_put_call_row (const Call *c, GPtrArray *requests,
				GByteArray *b)
{
	const Session *s = c->session;
	guint n = s ? (s->setup_timer != NULL) + (s->redial_timer != NULL) : 0;

	put_u32 (b, n);
	if (s && s->setup_timer)
		put_timer (b, s->setup_timer);
	if (s && s->redial_timer)
		put_timer (b, s->redial_timer);
	put_u32 (b, LEN (requests));
	for (guint i = 0; i < LEN (requests); i++) {
		const Request *q = g_ptr_array_index (requests, i);
		put_u64 (b, (guint64) q->refid);
		put_u64 (b, q->call_id);
		put_u32 (b, q->serial);
		put_u32 (b, (guint32) q->op);
	}
	put_call (b, c, TRUE);
}

void
rrec_engine_state_put_row_clock (RrecEngine *e, GByteArray *b)
{
	put_u64 (b, (guint64) e->now);
}

gint
rrec_engine_state_request_cmp (gconstpointer a, gconstpointer b)
{
	return request_cmp (a, b);
}

static gboolean
row_error (GError **error, const char *what, guint64 key)
{
	g_set_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STATE,
		     "the stored %s %016" G_GINT64_MODIFIER "x is damaged or "
		     "truncated", what, key);
	return FALSE;
}

static gboolean
version_error (GError **error, guint32 version)
{
	g_set_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STATE,
		     "saved engine state of version %u; this engine reads "
		     "version %u", version, STATE_VERSION);
	return FALSE;
}

static Timer *
get_timer_entry (Reader *r, RrecEngine *e)
{
	Timer *t = g_new0 (Timer, 1);

	t->key.due = (gint64) get_u64 (r);
	t->key.id = get_u64 (r);
	t->kind = get_u8 (r);
	t->call_id = get_u64 (r);
	t->serial = get_u32 (r);
	if (r->bad || t->kind > TIMER_LINK_RETRY || t->key.id == 0 ||
	    t->key.id > e->next_timer_id || g_tree_lookup (e->timers, &t->key)) {
		g_free (t);
		r->bad = TRUE;
		return NULL;
	}
	g_tree_insert (e->timers, &t->key, t);
	return t;
}

/* Loading rows: the ENGINE row first, then PORTS, then the calls in their
 * order; rrec_engine_state_load_done() checks the whole. */
struct _RrecStateLoad {
	RrecEngine *e;
	gboolean engine;
	GByteArray *ports;
};

RrecStateLoad *
rrec_engine_state_load_new (RrecEngine *e)
{
	RrecStateLoad *l = g_new0 (RrecStateLoad, 1);

	l->e = e;
	return l;
}

gboolean
rrec_engine_state_load_is_empty (RrecStateLoad *l)
{
	return !l->engine;
}

void
rrec_engine_state_load_free (RrecStateLoad *l)
{
	if (l->ports)
		g_byte_array_unref (l->ports);
	g_free (l);
}

static gboolean
load_engine_row (RrecStateLoad *l, Reader *r, GError **error)
{
	RrecEngine *e = l->e;

	if ((gsize) (r->end - r->p) < 8 || memcmp (r->p, STATE_MAGIC, 4) != 0)
		return row_error (error, "engine", 0);
	r->p += 4;
	guint32 version = get_u32 (r);
	if (version != STATE_VERSION)
		return version_error (error, version);
	g_autofree char *date = get_str (r);
	if (date && strlen (date) == 10)
		g_strlcpy (e->date, date, sizeof e->date);
	else
		r->bad = TRUE;
	e->next_refid = (gint64) get_u64 (r);
	e->next_timer_id = get_u64 (r);
	e->next_call_seq = get_u64 (r);
	e->link_state = get_u8 (r);
	e->link_attempts = get_u32 (r);
	guint64 link_timer = get_u64 (r);
	if (link_timer && !r->bad) {
		Timer *t = g_new0 (Timer, 1);
		t->key.id = link_timer;
		t->key.due = (gint64) get_u64 (r);
		t->kind = TIMER_LINK_RETRY;
		if (r->bad || link_timer > e->next_timer_id) {
			g_free (t);
			r->bad = TRUE;
		} else {
			g_tree_insert (e->timers, &t->key, t);
			e->link_timer = t;
		}
	}
	e->alarm_no_port = get_u8 (r);
	e->alarm_link = get_u8 (r);
	e->now = (gint64) get_u64 (r);
	e->counters.messages = get_u64 (r);
	e->counters.malformed = get_u64 (r);
	e->counters.ignored = get_u64 (r);
	e->counters.rejected = get_u64 (r);
	e->counters.calls = get_u64 (r);
	e->counters.sessions = get_u64 (r);
	e->counters.orphans = get_u64 (r);
	e->counters.client_errors = get_u64 (r);
	if (e->link_state >= RREC_LINK_N_STATES || r->p != r->end)
		r->bad = TRUE;
	if (r->bad)
		return row_error (error, "engine", 0);
	l->engine = TRUE;
	return TRUE;
}

static gboolean
load_call_row (RrecStateLoad *l, Reader *r, guint64 key, GError **error)
{
	RrecEngine *e = l->e;
	g_autoptr (GHashTable) by_id = g_hash_table_new (g_int64_hash,
							 g_int64_equal);

	for (guint32 n = get_count (r, 29); n > 0 && !r->bad; n--) {
		Timer *t = get_timer_entry (r, e);
		if (t && (t->call_id != key || t->kind == TIMER_LINK_RETRY))
			r->bad = TRUE;
		else if (t)
			g_hash_table_insert (by_id, &t->key.id, t);
	}
	for (guint32 n = get_count (r, 24); n > 0 && !r->bad; n--) {
		Request *q = g_new (Request, 1);
		q->refid = (gint64) get_u64 (r);
		q->call_id = get_u64 (r);
		q->serial = get_u32 (r);
		q->op = (int) get_u32 (r);
		if (r->bad || q->refid <= 0 || q->refid >= e->next_refid ||
		    q->call_id != key ||
		    g_hash_table_contains (e->requests, &q->refid)) {
			g_free (q);
			r->bad = TRUE;
			break;
		}
		g_hash_table_insert (e->requests, &q->refid, q);
	}
	if (!r->bad) {
		const guint8 *at = r->p;
		if (get_u64 (r) != key)
			r->bad = TRUE;
		r->p = at;
	}
	if (!r->bad)
		get_call (r, e, by_id, TRUE);
	if (g_hash_table_size (by_id) > 0 || r->p != r->end)
		r->bad = TRUE;
	return r->bad ? row_error (error, "call", key) : TRUE;
}

gboolean
rrec_engine_state_load_row (RrecStateLoad *l, const RrecStoreRow *row,
			    GError **error)
{
	Reader r = { row->bytes, row->bytes + row->len, FALSE };

	if (row->version != STATE_VERSION)
		return version_error (error, row->version);
	switch (row->kind) {
	case RREC_STORE_ROW_ENGINE:
		return load_engine_row (l, &r, error);
	case RREC_STORE_ROW_CALL:
		if (!l->engine || row->len < 8)
			return row_error (error, "call", row->key);
		r.end -= 8;
		Reader clock = { r.end, r.end + 8, FALSE };
		gint64 t = (gint64) get_u64 (&clock);
		if (t > l->e->now)
			l->e->now = t;
		return load_call_row (l, &r, row->key, error);
	case RREC_STORE_ROW_PORTS:
		if (!l->engine || l->ports)
			return row_error (error, "port pool", 0);
		l->ports = g_byte_array_new ();
		g_byte_array_append (l->ports, row->bytes, row->len);
		return TRUE;
	}
	return row_error (error, "row", row->key);
}

static gint
u32_cmp (gconstpointer a, gconstpointer b)
{
	guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;

	return x < y ? -1 : x > y;
}

/* The pool from its row and the sessions' ports, then the checks of a
 * whole state. */
gboolean
rrec_engine_state_load_done (RrecStateLoad *l, GError **error)
{
	RrecEngine *e = l->e;
	g_autoptr (GArray) ports = g_array_new (FALSE, FALSE, sizeof (guint32));
	g_autoptr (GError) pool_error = NULL;
	GHashTableIter it;
	gpointer v;
	Reader r = { NULL, NULL, FALSE };

	if (!l->engine)
		return row_error (error, "engine", 0);
	if (l->ports == NULL) {
		/* no port ever taken: a new pool */
		e->pool = rrec_port_pool_new ((guint32) MIN (
			rrec_config_get_port_count (e->config), G_MAXUINT32));
		l->ports = g_byte_array_new ();
		rrec_port_pool_serialize_free (e->pool, l->ports);
		g_clear_pointer (&e->pool, rrec_port_pool_free);
	}
	g_hash_table_iter_init (&it, e->calls);
	while (g_hash_table_iter_next (&it, NULL, &v)) {
		const Call *c = v;
		if (c->session && c->session->has_port)
			g_array_append_val (ports, c->session->port);
	}
	g_array_sort (ports, u32_cmp);
	put_u32 (l->ports, ports->len);
	for (guint i = 0; i < ports->len; i++)
		put_u32 (l->ports, g_array_index (ports, guint32, i));
	gsize used = 0;
	e->pool = rrec_port_pool_deserialize (l->ports->data, l->ports->len,
					      &used, &pool_error);
	if (e->pool == NULL || used != l->ports->len) {
		g_set_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STATE,
			     "the stored port pool does not agree with the "
			     "stored calls%s%s", pool_error ? ": " : "",
			     pool_error ? pool_error->message : "");
		return FALSE;
	}
	g_autoptr (GHashTable) none = g_hash_table_new (g_int64_hash,
							g_int64_equal);
	check_consistency (&r, e, none);
	if (r.bad) {
		g_set_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STATE,
			     "the stored state does not hold together (a timer, "
			     "request or port without its session)");
		return FALSE;
	}
	return TRUE;
}
