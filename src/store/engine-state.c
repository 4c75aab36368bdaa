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
#include "engine-state-private.h"

/* ---- writing ------------------------------------------------------------ */

void
state_buf_grow (StateBuf *b, gsize n)
{
	gsize cap = MAX (b->cap, 256);

	while (cap - b->len < n)
		cap *= 2;
	b->data = g_realloc (b->data, cap);
	b->cap = cap;
}

void
state_buf_clear (StateBuf *b)
{
	g_free (b->data);
	*b = (StateBuf) { 0 };
}

GBytes *
state_buf_steal (StateBuf *b)
{
	GBytes *bytes = g_bytes_new_take (b->data, b->len);

	*b = (StateBuf) { 0 };
	return bytes;
}

static gint
str_cmp (gconstpointer a, gconstpointer b)
{
	return strcmp (*(const char *const *) a, *(const char *const *) b);
}

gint
state_request_cmp (gconstpointer a, gconstpointer b)
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

/* rrec_session_rec_id()'s text (model.c), written without making it: a
 * store commit encodes it for every call it writes.  The same text or
 * not, a restore keeps the stored one (rrec_session_restore_rec_id()). */
static void
put_rec_id (StateBuf *b, const Session *s)
{
	const Call *c = s->call;
	char digits[10];
	guint nd = 0;

	if ((s->rare && s->rare->rec_id) || s->rec_no == 0) {
		state_put_str (b, s->rare ? s->rare->rec_id : NULL);
		return;
	}
	const char *base = c->call_uuid ? c->call_uuid : c->conn;
	gsize n = strlen (base);
	for (guint32 v = s->rec_no; v > 0; v /= 10)
		digits[nd++] = (char) ('0' + v % 10);
	state_put_u32 (b, (guint32) (n + 1 + nd));
	state_put_raw (b, base, n);
	state_put_u8 (b, '-');
	while (nd > 0)
		state_put_u8 (b, (guint8) digits[--nd]);
}

void
state_put_call (StateBuf *b, const Call *c, gboolean with_local)
{
	state_put_u64 (b, c->id);
	state_put_u64 (b, c->seq);
	state_put_u8 (b, c->state);
	state_put_u8 (b, (guint8) c->call_type);
	state_put_u8 (b, c->pause);
	state_put_u8 (b, c->transfer);
	state_put_u8 (b, c->rp_trigger);
	state_put_u8 (b, c->state == RREC_CALL_STATE_WAITING);	/* R30 */
	state_put_u8 (b, c->lost);
	state_put_u8 (b, c->told_paused);
	state_put_u8 (b, c->rec_state);
	state_put_u64 (b, c->rec_fn_hash);
	state_put_u64 (b, c->main_id);	/* R36 */
	state_put_str (b, CALL_DN (c, ani));
	state_put_str (b, CALL_DN (c, dnis));
	state_put_str (b, c->call_uuid);
	state_put_str (b, CALL_DN (c, originator));
	state_put_str (b, CALL_DN (c, routing_point));
	state_put_str (b, CALL_DN (c, transfer_from));
	state_put_u32 (b, c->next_serial);
	state_put_u32 (b, c->n_recordings);
	state_put_u64 (b, c->next_est_seq);

	state_put_u32 (b, c->n_parties);
	for (guint i = 0; i < c->n_parties; i++) {
		const Party *p = &c->parties[i];
		state_put_str (b, rrec_party_dn (c, p));
		state_put_u8 (b, p->state);
		state_put_u8 (b, p->supervisor);
		state_put_u8 (b, p->spent);
		state_put_u64 (b, p->est_seq);
		state_put_str (b, rrec_party_peer (c, p));
		if (with_local)
			state_put_u8 (b, p->local_at_add);
	}
	state_put_u32 (b, LEN (c->scopes));
	for (guint i = 0; i < LEN (c->scopes); i++) {
		const Scope *s = &c->scopes->v[i];
		/* the DN's text, as before scopes held ids */
		state_put_str (b, rrec_dn_table_name (&c->engine->dns, s->dn));
		state_put_u8 (b, s->kind);
		state_put_u8 (b, s->acked);
	}
	state_put_u32 (b, LEN (c->vetoes));
	for (guint i = 0; i < LEN (c->vetoes); i++)
		state_put_str (b, rrec_dn_table_name (&c->engine->dns,
						      c->vetoes->v[i]));
	state_put_u32 (b, LEN (c->waiters));
	for (guint i = 0; i < LEN (c->waiters); i++) {
		const Waiter *w = g_ptr_array_index (c->waiters, i);
		state_put_u64 (b, (guint64) w->refid);
		state_put_str (b, w->dn);
		state_put_u32 (b, (guint32) w->op);
	}
	state_put_u32 (b, c->user_data_len);
	state_put_raw (b, c->user_data, c->user_data_len);

	state_put_u8 (b, c->gap_cause);
	state_put_u8 (b, c->fail_cause);
	state_put_u8 (b, c->gaps_dirty);
	state_put_u8 (b, c->restarting);
	state_put_u8 (b, c->failing_over);
	state_put_u64 (b, (guint64) rrec_gaps_open_start (c));
	const guint n_gaps = rrec_gaps_count (c);
	state_put_u32 (b, n_gaps);
	if (with_local && n_gaps > 0) {
		/* a store row (version 11): each gap's start as a difference
		 * from the one before, and its length — 5 to 8 bytes a gap
		 * rather than 17, so that a call held many times still fits
		 * on one page.  Room for the longest made once, the varints
		 * written in place (a store commit encodes a ledger of up to
		 * 64 gaps for each call it writes). */
		const gsize most = (gsize) n_gaps * STATE_GAP_MAX;
		guint8 *p = state_room (b, most), *const at = p;
		gint64 prev = 0;

		for (guint i = 0; i < n_gaps; i++) {
			const Gap *g = &c->ledger->gaps[i];

			p = state_svarint_at (p, g->start - prev);
			p = state_svarint_at (p, g->end - g->start);
			*p++ = g->cause;
			prev = g->start;
		}
		b->len -= most - (gsize) (p - at);
	}
	for (guint i = 0; !with_local && i < n_gaps; i++) {
		state_put_u64 (b, (guint64) c->ledger->gaps[i].start);
		state_put_u64 (b, (guint64) c->ledger->gaps[i].end);
		state_put_u8 (b, c->ledger->gaps[i].cause);
	}

	const Session *s = c->session;
	state_put_u8 (b, s != NULL);
	if (s) {
		state_put_u32 (b, s->serial);
		state_put_u8 (b, s->state);
		state_put_u8 (b, s->has_port);
		state_put_u8 (b, s->started);
		state_put_u8 (b, s->dialled);
		state_put_u32 (b, s->port);
		state_put_str (b, SESSION_OWNER (s));
		char leg[17];

		/* the saved state keeps the texts (the format of before) */
		state_put_str (b, rrec_session_leg (s, leg));
		put_rec_id (b, s);
		state_put_str (b, s->file_name);
		state_put_str (b, rrec_session_parent_id (s));	/* R36 */
		state_put_u32 (b, s->redials);
		state_put_u64 (b, s->setup_timer ? s->setup_timer->key.id : 0);
		state_put_u64 (b, s->redial_timer ? s->redial_timer->key.id : 0);
		state_put_u64 (b, s->query_timer ? s->query_timer->key.id : 0);
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
	StateBuf buf = { 0 }, *b = &buf;
	GHashTableIter it;
	gpointer k, v;

	state_put_raw (b, STATE_MAGIC, 4);
	state_put_u32 (b, STATE_VERSION);
	state_put_u64 (b, (guint64) e->now);
	state_put_str (b, e->date);
	state_put_u64 (b, (guint64) e->next_refid);
	state_put_u64 (b, e->next_timer_id);
	state_put_u64 (b, e->next_call_seq);
	state_put_u8 (b, e->link_state);
	state_put_u32 (b, e->link_attempts);
	state_put_u64 (b, e->link_timer ? e->link_timer->key.id : 0);
	state_put_u8 (b, e->alarm_no_port);
	state_put_u8 (b, e->alarm_link);
	state_put_u8 (b, e->alarm_failing);
	state_put_u32 (b, e->failures);
	state_put_u64 (b, (guint64) e->link_down_at);
	state_put_u64 (b, e->counters.messages);
	state_put_u64 (b, e->counters.malformed);
	state_put_u64 (b, e->counters.ignored);
	state_put_u64 (b, e->counters.rejected);
	state_put_u64 (b, e->counters.calls);
	state_put_u64 (b, e->counters.sessions);
	state_put_u64 (b, e->counters.orphans);
	state_put_u64 (b, e->counters.client_errors);

	g_autoptr (GPtrArray) dns = g_ptr_array_new ();
	for (guint32 i = 1; i < e->dns.n; i++)
		if (e->dns.v[i].name && e->dns.v[i].seen)
			g_ptr_array_add (dns, e->dns.v[i].name);
	g_ptr_array_sort (dns, str_cmp);
	state_put_u32 (b, dns->len);
	for (guint i = 0; i < dns->len; i++)
		state_put_str (b, g_ptr_array_index (dns, i));

	/* R20: the legs released as orphans, sorted */
	g_autoptr (GPtrArray) orphans = g_ptr_array_new ();
	g_hash_table_iter_init (&it, e->orphaned);
	while (g_hash_table_iter_next (&it, &k, NULL))
		g_ptr_array_add (orphans, k);
	g_ptr_array_sort (orphans, str_cmp);
	state_put_u32 (b, orphans->len);
	for (guint i = 0; i < orphans->len; i++)
		state_put_str (b, g_ptr_array_index (orphans, i));

	GByteArray *pool = g_byte_array_new ();
	rrec_port_pool_serialize (e->pool, pool);
	state_put_u32 (b, pool->len);
	state_put_raw (b, pool->data, pool->len);
	g_byte_array_unref (pool);

	g_autoptr (GPtrArray) reqs = g_ptr_array_new ();
	g_hash_table_iter_init (&it, e->requests);
	while (g_hash_table_iter_next (&it, NULL, &v))
		g_ptr_array_add (reqs, v);
	g_ptr_array_sort (reqs, state_request_cmp);
	state_put_u32 (b, reqs->len);
	for (guint i = 0; i < reqs->len; i++) {
		const Request *r = g_ptr_array_index (reqs, i);
		state_put_u64 (b, (guint64) r->refid);
		state_put_u64 (b, r->call_id);
		state_put_u32 (b, r->serial);
		state_put_u32 (b, (guint32) r->op);
	}

	g_autoptr (GPtrArray) timers = g_ptr_array_new ();
	rrec_core_timers_foreach (e, collect_timer, timers);
	state_put_u32 (b, timers->len);
	for (guint i = 0; i < timers->len; i++) {
		const Timer *t = g_ptr_array_index (timers, i);
		state_put_u64 (b, (guint64) t->key.due);
		state_put_u64 (b, t->key.id);
		state_put_u8 (b, t->kind);
		state_put_u64 (b, t->call_id);
		state_put_u32 (b, t->serial);
	}

	g_autoptr (GPtrArray) calls = g_ptr_array_new ();
	for (guint i = 0; rrec_id_map_next (&e->calls, &i, NULL, &v);)
		g_ptr_array_add (calls, v);
	g_ptr_array_sort (calls, call_cmp);
	state_put_u32 (b, calls->len);
	for (guint i = 0; i < calls->len; i++)
		state_put_call (b, g_ptr_array_index (calls, i), FALSE);

	return state_buf_steal (b);
}

/* ---- reading -------------------------------------------------------------- */

gboolean
state_need (StateReader *r, gsize n)
{
	if (r->bad || (gsize) (r->end - r->p) < n) {
		r->bad = TRUE;
		return FALSE;
	}
	return TRUE;
}

guint8
state_get_u8 (StateReader *r)
{
	return state_need (r, 1) ? *r->p++ : 0;
}

guint32
state_get_u32 (StateReader *r)
{
	if (!state_need (r, 4))
		return 0;
	guint32 v = r->p[0] | r->p[1] << 8 | r->p[2] << 16 | (guint32) r->p[3] << 24;
	r->p += 4;
	return v;
}

guint64
state_get_u64 (StateReader *r)
{
	guint64 lo = state_get_u32 (r);

	return lo | (guint64) state_get_u32 (r) << 32;
}

gint64
state_get_svarint (StateReader *r)
{
	guint64 v = 0;

	for (guint shift = 0; !r->bad; shift += 7) {
		if (shift > 63 || !state_need (r, 1)) {
			r->bad = TRUE;
			break;
		}
		guint8 byte = *r->p++;
		v |= (guint64) (byte & 0x7f) << shift;
		if (!(byte & 0x80))
			break;
	}
	return r->bad ? 0 : (gint64) (v >> 1) ^ -(gint64) (v & 1);
}

char *
state_get_str (StateReader *r)
{
	guint32 n = state_get_u32 (r);

	if (n == STATE_NO_STRING || !state_need (r, n))
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
guint32
state_get_count (StateReader *r, gsize min)
{
	guint32 n = state_get_u32 (r);

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
get_timer (StateReader *r, GHashTable *by_id, TimerKind kind, guint64 call_id,
	   guint32 serial)
{
	guint64 id = state_get_u64 (r);
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

/* A DN field of a call (Call.ani …): a string in the state. */
static void
get_dn (StateReader *r, Call *c, guint32 *field)
{
	g_autofree char *dn = state_get_str (r);

	rrec_engine_call_set_dn (c, field, dn);
}

gboolean
state_get_call (StateReader *r, RrecEngine *e, GHashTable *by_id, gboolean row)
{
	guint64 id = state_get_u64 (r);

	if (r->bad || rrec_engine_call_lookup (e, id)) {
		r->bad = TRUE;
		return FALSE;
	}
	/* rrec_engine_call_new counts and numbers it again */
	e->counters.calls--;
	e->next_call_seq--;
	Call *c = rrec_engine_call_new (e, id);
	c->seq = state_get_u64 (r);
	c->state = state_get_u8 (r);
	c->call_type = (gint8) state_get_u8 (r);
	c->pause = state_get_u8 (r);
	c->transfer = state_get_u8 (r);
	c->rp_trigger = state_get_u8 (r);
	/* R30: waiting is the call's state; an older state said it here */
	if (state_get_u8 (r) && c->state == RREC_CALL_STATE_IDLE)
		c->state = RREC_CALL_STATE_WAITING;
	c->lost = state_get_u8 (r);
	c->told_paused = state_get_u8 (r);
	c->rec_state = state_get_u8 (r);
	c->rec_fn_hash = state_get_u64 (r);
	c->main_id = state_get_u64 (r);	/* R36 */
	if (c->rec_state > REC_OFF)
		r->bad = TRUE;
	get_dn (r, c, &c->ani);
	get_dn (r, c, &c->dnis);
	c->call_uuid = state_get_str (r);
	c->call_uuid_len = c->call_uuid ? (guint32) strlen (c->call_uuid) : 0;
	get_dn (r, c, &c->originator);
	get_dn (r, c, &c->routing_point);
	get_dn (r, c, &c->transfer_from);
	c->next_serial = state_get_u32 (r);
	c->n_recordings = state_get_u32 (r);
	guint64 next_est_seq = state_get_u64 (r);
	/* as a party's est_seq below: 32 bits in memory (model.h) */
	if (next_est_seq > G_MAXUINT32)
		r->bad = TRUE;
	c->next_est_seq = (guint32) next_est_seq;
	if (c->state >= RREC_CALL_N_STATES)
		r->bad = TRUE;

	for (guint32 n = state_get_count (r, 19); n > 0 && !r->bad; n--) {
		g_autofree char *dn = state_get_str (r);
		if (dn == NULL) {
			r->bad = TRUE;
			break;
		}
		guint8 state = state_get_u8 (r);
		guint8 supervisor = state_get_u8 (r);
		guint8 spent = state_get_u8 (r);
		guint64 est_seq = state_get_u64 (r);
		g_autofree char *peer = state_get_str (r);
		guint8 local = row ? state_get_u8 (r) : 0;
		/* a store row says which DNs are local: the DNs of no call
		 * are not stored (store.c) */
		if (local > 1)
			r->bad = TRUE;
		if (local == 1 && !r->bad)
			e->dns.v[rrec_dn_table_intern (&e->dns, dn)].seen = TRUE;
		if (est_seq > G_MAXUINT32)
			r->bad = TRUE;	/* no call is established that often */
		Party *p = rrec_engine_party_add (e, c, dn, 0);
		if (p == NULL) {
			r->bad = TRUE;
			break;
		}
		p->state = state;
		p->supervisor = supervisor;
		p->spent = spent;
		p->est_seq = (guint32) est_seq;
		rrec_engine_party_set_peer (c, p, peer, 0);
		if (p->state >= RREC_PARTY_N_STATES)
			r->bad = TRUE;
	}
	for (guint32 n = state_get_count (r, 6); n > 0 && !r->bad; n--) {
		g_autofree char *dn = state_get_str (r);
		guint8 kind = state_get_u8 (r);
		gboolean acked = state_get_u8 (r) != 0;

		if (dn == NULL || kind > SCOPE_ROUTE || r->bad) {
			r->bad = TRUE;
			break;
		}
		/* the DN entered (a scope's DN may be on no party) and
		 * referenced by the scope */
		rrec_engine_scope_append (c, rrec_dn_table_intern (&e->dns, dn),
					  kind, acked);
	}
	for (guint32 n = state_get_count (r, 4); n > 0 && !r->bad; n--) {
		g_autofree char *dn = state_get_str (r);
		if (dn == NULL)
			r->bad = TRUE;
		else	/* entered, referenced by the veto */
			rrec_engine_veto_append (c, rrec_dn_table_intern (&e->dns, dn));
	}
	for (guint32 n = state_get_count (r, 16); n > 0 && !r->bad; n--) {
		gint64 refid = (gint64) state_get_u64 (r);
		g_autofree char *dn = state_get_str (r);
		int op = (int) state_get_u32 (r);
		rrec_engine_waiter_add (c, refid, dn, op);
	}
	guint32 ud_len = state_get_u32 (r);
	if (ud_len > 0 && state_need (r, ud_len)) {
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

	guint8 gap_cause = state_get_u8 (r);
	c->fail_cause = state_get_u8 (r);
	guint8 gaps_dirty = state_get_u8 (r);
	c->restarting = state_get_u8 (r) != 0;
	c->failing_over = state_get_u8 (r) != 0;
	gint64 gap_start = (gint64) state_get_u64 (r);
	if (gap_cause >= GAP_N_CAUSES || c->fail_cause >= GAP_N_CAUSES)
		r->bad = TRUE;
	else
		rrec_gaps_open (c, gap_cause, gap_start);
	guint32 n_gaps = state_get_count (r, r->row11 ? 3 : 17);
	gint64 prev = 0;
	if (n_gaps > GAP_LEDGER_MAX)
		r->bad = TRUE;
	for (guint32 n = n_gaps; n > 0 && !r->bad; n--) {
		gint64 start, end;
		if (r->row11) {
			start = prev + state_get_svarint (r);
			end = start + state_get_svarint (r);
			prev = start;
		} else {
			start = (gint64) state_get_u64 (r);
			end = (gint64) state_get_u64 (r);
		}
		guint8 cause = state_get_u8 (r);
		if (cause == GAP_NONE || cause >= GAP_N_CAUSES || end < start)
			r->bad = TRUE;
		else
			rrec_gaps_add (e, c, start, end, cause);
	}
	c->gaps_dirty = gaps_dirty;

	if (state_get_u8 (r)) {
		Session *s = g_new0 (Session, 1);
		s->call = c;
		c->session = s;
		s->serial = state_get_u32 (r);
		s->state = state_get_u8 (r);
		s->has_port = state_get_u8 (r);
		s->started = state_get_u8 (r);
		s->dialled = state_get_u8 (r);
		s->port = state_get_u32 (r);
		g_autofree char *owner = state_get_str (r);
		rrec_engine_call_set_dn (c, &s->owner, owner);
		g_autofree char *leg = state_get_str (r);
		g_autofree char *rec_id = state_get_str (r);
		s->file_name = state_get_str (r);
		s->file_name_len = s->file_name ? (guint32) strlen (s->file_name) : 0;
		char *parent_id = state_get_str (r);	/* R36 */
		if (parent_id)
			rrec_session_rare (s)->parent_id = parent_id;
		rrec_session_restore_rec_id (s, rec_id);
		s->redials = state_get_u32 (r);
		s->setup_timer = get_timer (r, by_id, TIMER_SETUP, c->id, s->serial);
		s->redial_timer = get_timer (r, by_id, TIMER_REDIAL, c->id, s->serial);
		s->query_timer = get_timer (r, by_id, TIMER_QUERY, c->id, s->serial);
		/* an ended session never outlives the step that ended it */
		if (s->state >= RREC_SESSION_N_STATES ||
		    s->state == RREC_SESSION_STATE_ENDED || s->owner == 0)
			r->bad = TRUE;
		if (!r->bad && s->has_port) {
			/* rows: the pool is built from the sessions after */
			if ((!row && !rrec_port_pool_is_in_use (e->pool, s->port)) ||
			    rrec_id_map_lookup (&e->by_port, s->port))
				r->bad = TRUE;
			else
				rrec_id_map_insert (&e->by_port, s->port, s);
		}
		if (!r->bad && leg)
			rrec_session_set_leg (s, leg);
	}
	if (c->state == RREC_CALL_STATE_ENDED)
		r->bad = TRUE;	/* ended calls never outlive a step */
	return !r->bad;
}

/* The live session a request is of, or NULL. */
static Session *
request_session (RrecEngine *e, const Request *q)
{
	Call *c = rrec_engine_call_lookup (e, q->call_id);

	return c && c->session && c->session->serial == q->serial ?
		c->session : NULL;
}

/* What the parts say of each other must agree: every timer and request
 * belongs to a live session, and the ports in use are the sessions'.  Each
 * request goes to its session's list (Session.requests), which the saved
 * state does not hold. */
void
state_check_consistency (StateReader *r, RrecEngine *e, GHashTable *unclaimed)
{
	GHashTableIter it;
	gpointer v;
	guint held = 0;

	if (g_hash_table_size (unclaimed) > 0)
		r->bad = TRUE;
	g_hash_table_iter_init (&it, e->requests);
	while (!r->bad && g_hash_table_iter_next (&it, NULL, &v)) {
		Session *s = request_session (e, v);

		if (s == NULL)
			r->bad = TRUE;
		else
			rrec_core_request_link (&s->requests, v);
	}
	for (guint ci = 0; rrec_id_map_next (&e->calls, &ci, NULL, &v);) {
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
	StateReader r = { data, data + len, FALSE };
	g_autoptr (GError) pool_error = NULL;

	if (len < 8 || memcmp (data, STATE_MAGIC, 4) != 0) {
		g_set_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STATE,
			     "not a saved engine state");
		return FALSE;
	}
	r.p += 4;
	guint32 version = state_get_u32 (&r);
	if (version < STATE_VERSION_OLDEST || version > STATE_VERSION) {
		g_set_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STATE,
			     "saved engine state of version %u; this engine "
			     "reads versions %u to %u", version,
			     STATE_VERSION_OLDEST, STATE_VERSION);
		return FALSE;
	}

	e->now = (gint64) state_get_u64 (&r);
	g_autofree char *date = state_get_str (&r);
	if (date && strlen (date) == 10)
		g_strlcpy (e->date, date, sizeof e->date);
	else
		r.bad = TRUE;
	e->next_refid = (gint64) state_get_u64 (&r);
	e->next_timer_id = state_get_u64 (&r);
	e->next_call_seq = state_get_u64 (&r);
	e->link_state = state_get_u8 (&r);
	e->link_attempts = state_get_u32 (&r);
	guint64 link_timer = state_get_u64 (&r);
	e->alarm_no_port = state_get_u8 (&r);
	e->alarm_link = state_get_u8 (&r);
	e->alarm_failing = state_get_u8 (&r) != 0;
	e->failures = state_get_u32 (&r);
	e->link_down_at = (gint64) state_get_u64 (&r);
	e->counters.messages = state_get_u64 (&r);
	e->counters.malformed = state_get_u64 (&r);
	e->counters.ignored = state_get_u64 (&r);
	e->counters.rejected = state_get_u64 (&r);
	e->counters.calls = state_get_u64 (&r);
	e->counters.sessions = state_get_u64 (&r);
	e->counters.orphans = state_get_u64 (&r);
	e->counters.client_errors = state_get_u64 (&r);
	if (e->link_state >= RREC_LINK_N_STATES)
		r.bad = TRUE;

	for (guint32 n = state_get_count (&r, 4); n > 0 && !r.bad; n--) {
		g_autofree char *dn = state_get_str (&r);
		if (dn)
			e->dns.v[rrec_dn_table_intern (&e->dns, dn)].seen = TRUE;
		else
			r.bad = TRUE;
	}
	for (guint32 n = state_get_count (&r, 4); n > 0 && !r.bad; n--) {
		char *leg = state_get_str (&r);
		if (leg)
			g_hash_table_add (e->orphaned, leg);
		else
			r.bad = TRUE;
	}

	guint32 pool_len = state_get_u32 (&r);
	if (!r.bad && state_need (&r, pool_len)) {
		gsize used = 0;
		e->pool = rrec_port_pool_deserialize (r.p, pool_len, &used,
						      &pool_error);
		if (e->pool == NULL || used != pool_len)
			r.bad = TRUE;
		r.p += pool_len;
	}

	for (guint32 n = state_get_count (&r, 24); n > 0 && !r.bad; n--) {
		Request *q = g_new0 (Request, 1);
		q->refid = (gint64) state_get_u64 (&r);
		q->call_id = state_get_u64 (&r);
		q->serial = state_get_u32 (&r);
		q->op = (int) state_get_u32 (&r);
		/* numbers are never reused: each is below the next to give */
		if (r.bad || q->refid <= 0 || q->refid >= e->next_refid ||
		    g_hash_table_contains (e->requests, &q->refid)) {
			g_free (q);
			r.bad = TRUE;
			break;
		}
		g_hash_table_insert (e->requests, &q->refid, q);
	}
	for (guint32 n = state_get_count (&r, 29); n > 0 && !r.bad; n--) {
		Timer *t = g_new0 (Timer, 1);
		t->key.due = (gint64) state_get_u64 (&r);
		t->key.id = state_get_u64 (&r);
		t->kind = state_get_u8 (&r);
		t->call_id = state_get_u64 (&r);
		t->serial = state_get_u32 (&r);
		if (t->kind > TIMER_QUERY || t->key.id == 0 ||
		    t->key.id > e->next_timer_id ||
		    !rrec_core_timer_insert (e, t)) {
			g_free (t);
			r.bad = TRUE;
		}
	}
	g_autoptr (GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
	g_autoptr (GPtrArray) all = g_ptr_array_new ();
	rrec_core_timers_foreach (e, collect_timer, all);
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
	for (guint32 n = state_get_count (&r, 60); n > 0 && !r.bad; n--)
		state_get_call (&r, e, by_id, FALSE);
	if (!r.bad)
		state_check_consistency (&r, e, by_id);

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

