/*
 * store-rows.c — the engine's state as the store's rows (schema 2), and
 * one engine step written as the rows it changed (store.c keeps the
 * store, store/backend.h the database).
 */
#include <string.h>

#include "engine-state-private.h"
#include "rrec-store.h"

/*
 * Tells a changed row from an unchanged one: 64 bits, a word at a time
 * (each step is a bijection of the hash for a given word, so two rows of
 * one length that differ in one word never collide).  Kept in memory
 * only, never stored: a restore hashes the rows it reads.
 */
static guint64
row_hash (const guint8 *p, gsize n)
{
	const guint64 k = 0x9e3779b97f4a7c15ull;
	guint64 h = 0xcbf29ce484222325ull ^ n, w;
	gsize i = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy (&w, p + i, 8);
		h = (h ^ w) * k;
		h ^= h >> 32;
	}
	if (i < n) {
		w = 0;
		memcpy (&w, p + i, n - i);
		h = (h ^ w) * k;
		h ^= h >> 32;
	}
	return h;
}


/* ---- the store's rows (store.c, schema 2) --------------------------------
 *
 * The same encodings as above, split per object so that a step writes only
 * what it changed (store/backend.h names the rows):
 *
 *   ENGINE  "RRES", u32 STATE_VERSION, then the fields that are state —
 *           date, the numbering (next_refid, next_timer_id,
 *           next_call_seq), link_state, link_attempts, the link timer
 *           (u64 id, and when not 0 its u64 due time), alarm_no_port,
 *           alarm_link, alarm_failing, failures (R35), link_down_at (R33),
 *           the legs released as orphans (R20: u32 n, n strings, sorted) —
 *           and last the fields that only go along with a write
 *           (ENGINE_VOLATILE): the clock and the eight counters
 *           (statistics, not state).  A step that changed nothing but
 *           those writes nothing; one that changed the numbering alone
 *           (a request sent, a timer or a call made) writes it with the
 *           CALL rows it puts (below), and the ENGINE row only when it
 *           puts none.
 *   PORTS   rrec_port_pool_serialize_free(): the order of reuse.  The
 *           ports in use are those of the stored sessions.
 *   CALL    u32 n, then n timers of the call (u64 due, u64 id, u8 kind,
 *           u64 call id, u32 serial); u32 n, then n pending SIP requests
 *           (u64 refid, u64 call id, u32 serial, u32 op); then the call
 *           as in the whole state, each party followed by a u8: 1 when
 *           its DN is local (seen as ThisDN or configured), the only way
 *           the DNs the engine knows are stored; last the engine clock at
 *           the write's numbering and clock (ROW_END: u64 next_refid,
 *           next_timer_id, next_call_seq, then the clock;
 *           rrec_engine_state_put_row_end()).  The call's gap ledger is
 *           written shorter than in the whole state: per gap its start
 *           as a signed varint difference from the gap before (the first
 *           from 0), its length as a signed varint, its cause (u8).
 *           Version 10 rows end with the clock alone and hold the ledger
 *           as the whole state does (u64 start, u64 end, u8 cause): read
 *           as ever.
 *
 * The numbering only grows, and every transaction puts the ENGINE row or
 * a CALL row (rrec_store_write()), each with the numbering of its commit:
 * a restore takes the largest of the stored ones — that of the last
 * commit.  So a step whose only change outside its calls is a new request
 * number (a PAUSE, RESUME or user data sent to SIP Server: most steps of a
 * recording) writes the rows of its calls and not the ENGINE row: a row
 * and a page fewer per transaction.
 */

static gint
str_cmp (gconstpointer a, gconstpointer b)
{
	return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* R20: the legs released as orphans (at most 256), sorted */
static void
put_orphans (RrecEngine *e, StateBuf *b)
{
	g_autoptr (GPtrArray) legs = g_ptr_array_new ();
	GHashTableIter it;
	gpointer k;

	g_hash_table_iter_init (&it, e->orphaned);
	while (g_hash_table_iter_next (&it, &k, NULL))
		g_ptr_array_add (legs, k);
	g_ptr_array_sort (legs, str_cmp);
	state_put_u32 (b, legs->len);
	for (guint i = 0; i < legs->len; i++)
		state_put_str (b, g_ptr_array_index (legs, i));
}

/* Bytes at the end of the ENGINE row that are not compared. */
#define ENGINE_VOLATILE (8u + 8u * 8u)
/* The numbering's bytes in the ENGINE row (at *numbering_at), compared
 * apart: a change of theirs alone is carried by the CALL rows. */
#define NUMBERING (3u * 8u)
/* The end of a CALL row of version 11 (version 10: the clock alone). */
#define ROW_END (NUMBERING + 8u)
#define ROW_END_10 8u

/* @clock: the engine clock of the step written (store.c: the last step of
 * a batch, which may be earlier than the engine's clock by now).
 * Returns the length of what is compared; *@numbering_at: where the
 * numbering starts. */
gsize
rrec_engine_state_put_engine_row (RrecEngine *e, gint64 clock, StateBuf *b,
				  gsize *numbering_at)
{
	gsize stable;

	state_put_raw (b, STATE_MAGIC, 4);
	state_put_u32 (b, STATE_VERSION);
	state_put_str (b, e->date);
	*numbering_at = b->len;
	state_put_u64 (b, (guint64) e->next_refid);
	state_put_u64 (b, e->next_timer_id);
	state_put_u64 (b, e->next_call_seq);
	state_put_u8 (b, e->link_state);
	state_put_u32 (b, e->link_attempts);
	state_put_u64 (b, e->link_timer ? e->link_timer->key.id : 0);
	if (e->link_timer)
		state_put_u64 (b, (guint64) e->link_timer->key.due);
	state_put_u8 (b, e->alarm_no_port);
	state_put_u8 (b, e->alarm_link);
	state_put_u8 (b, e->alarm_failing);
	state_put_u32 (b, e->failures);
	state_put_u64 (b, (guint64) e->link_down_at);
	put_orphans (e, b);
	stable = b->len;
	state_put_u64 (b, (guint64) clock);
	state_put_u64 (b, e->counters.messages);
	state_put_u64 (b, e->counters.malformed);
	state_put_u64 (b, e->counters.ignored);
	state_put_u64 (b, e->counters.rejected);
	state_put_u64 (b, e->counters.calls);
	state_put_u64 (b, e->counters.sessions);
	state_put_u64 (b, e->counters.orphans);
	state_put_u64 (b, e->counters.client_errors);
	g_assert (b->len - stable == ENGINE_VOLATILE);
	return stable;
}

void
rrec_engine_state_put_ports_row (RrecEngine *e, GByteArray *b)
{
	rrec_port_pool_serialize_free (e->pool, b);
}

static void
put_timer (StateBuf *b, const Timer *t)
{
	state_put_u64 (b, (guint64) t->key.due);
	state_put_u64 (b, t->key.id);
	state_put_u8 (b, t->kind);
	state_put_u64 (b, t->call_id);
	state_put_u32 (b, t->serial);
}

/* @requests: the call's @n pending requests, by refid. */
void
rrec_engine_state_put_call_row (const Call *c, Request *const *requests,
				guint n_requests, StateBuf *b)
{
	const Session *s = c->session;
	guint n = s ? (s->setup_timer != NULL) + (s->redial_timer != NULL) +
		(s->query_timer != NULL) : 0;

	state_put_u32 (b, n);
	if (s && s->setup_timer)
		put_timer (b, s->setup_timer);
	if (s && s->redial_timer)
		put_timer (b, s->redial_timer);
	if (s && s->query_timer)
		put_timer (b, s->query_timer);
	state_put_u32 (b, n_requests);
	for (guint i = 0; i < n_requests; i++) {
		const Request *q = requests[i];
		state_put_u64 (b, (guint64) q->refid);
		state_put_u64 (b, q->call_id);
		state_put_u32 (b, q->serial);
		state_put_u32 (b, (guint32) q->op);
	}
	state_put_call (b, c, TRUE);
}

/* The end of a CALL row: the numbering and the clock at the write. */
void
rrec_engine_state_put_row_end (RrecEngine *e, gint64 clock, StateBuf *b)
{
	state_put_u64 (b, (guint64) e->next_refid);
	state_put_u64 (b, e->next_timer_id);
	state_put_u64 (b, e->next_call_seq);
	state_put_u64 (b, (guint64) clock);
}

/* The length of a CALL row's end, by its version. */
static gsize
row_end_len (guint32 version)
{
	return version >= 11 ? ROW_END : ROW_END_10;
}

gint
rrec_engine_state_request_cmp (gconstpointer a, gconstpointer b)
{
	return state_request_cmp (a, b);
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
		     "versions %u to %u", version, STATE_VERSION_OLDEST,
		     STATE_VERSION);
	return FALSE;
}

static gboolean
version_read (guint32 version)
{
	return version >= STATE_VERSION_OLDEST && version <= STATE_VERSION;
}

static Timer *
get_timer_entry (StateReader *r, RrecEngine *e)
{
	Timer *t = g_new0 (Timer, 1);

	t->key.due = (gint64) state_get_u64 (r);
	t->key.id = state_get_u64 (r);
	t->kind = state_get_u8 (r);
	t->call_id = state_get_u64 (r);
	t->serial = state_get_u32 (r);
	if (r->bad || t->kind > TIMER_QUERY || t->key.id == 0 ||
	    t->key.id > e->next_timer_id || !rrec_core_timer_insert (e, t)) {
		g_free (t);
		r->bad = TRUE;
		return NULL;
	}
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
load_engine_row (RrecStateLoad *l, StateReader *r, GError **error)
{
	RrecEngine *e = l->e;

	if ((gsize) (r->end - r->p) < 8 || memcmp (r->p, STATE_MAGIC, 4) != 0)
		return row_error (error, "engine", 0);
	r->p += 4;
	guint32 version = state_get_u32 (r);
	if (!version_read (version))
		return version_error (error, version);
	g_autofree char *date = state_get_str (r);
	if (date && strlen (date) == 10)
		g_strlcpy (e->date, date, sizeof e->date);
	else
		r->bad = TRUE;
	e->next_refid = (gint64) state_get_u64 (r);
	e->next_timer_id = state_get_u64 (r);
	e->next_call_seq = state_get_u64 (r);
	e->link_state = state_get_u8 (r);
	e->link_attempts = state_get_u32 (r);
	guint64 link_timer = state_get_u64 (r);
	if (link_timer && !r->bad) {
		Timer *t = g_new0 (Timer, 1);
		t->key.id = link_timer;
		t->key.due = (gint64) state_get_u64 (r);
		t->kind = TIMER_LINK_RETRY;
		if (r->bad || link_timer > e->next_timer_id ||
		    !rrec_core_timer_insert (e, t)) {
			g_free (t);
			r->bad = TRUE;
		} else {
			e->link_timer = t;
		}
	}
	e->alarm_no_port = state_get_u8 (r);
	e->alarm_link = state_get_u8 (r);
	e->alarm_failing = state_get_u8 (r) != 0;
	e->failures = state_get_u32 (r);
	e->link_down_at = (gint64) state_get_u64 (r);
	for (guint32 n = state_get_count (r, 4); n > 0 && !r->bad; n--) {
		char *leg = state_get_str (r);
		if (leg == NULL || g_hash_table_contains (e->orphaned, leg)) {
			g_free (leg);
			r->bad = TRUE;
		} else {
			g_hash_table_add (e->orphaned, leg);
		}
	}
	e->now = (gint64) state_get_u64 (r);
	e->counters.messages = state_get_u64 (r);
	e->counters.malformed = state_get_u64 (r);
	e->counters.ignored = state_get_u64 (r);
	e->counters.rejected = state_get_u64 (r);
	e->counters.calls = state_get_u64 (r);
	e->counters.sessions = state_get_u64 (r);
	e->counters.orphans = state_get_u64 (r);
	e->counters.client_errors = state_get_u64 (r);
	if (e->link_state >= RREC_LINK_N_STATES || r->p != r->end)
		r->bad = TRUE;
	if (r->bad)
		return row_error (error, "engine", 0);
	l->engine = TRUE;
	return TRUE;
}

static gboolean
load_call_row (RrecStateLoad *l, StateReader *r, guint64 key, GError **error)
{
	RrecEngine *e = l->e;
	g_autoptr (GHashTable) by_id = g_hash_table_new (g_int64_hash,
							 g_int64_equal);

	for (guint32 n = state_get_count (r, 29); n > 0 && !r->bad; n--) {
		Timer *t = get_timer_entry (r, e);
		if (t && (t->call_id != key || t->kind == TIMER_LINK_RETRY))
			r->bad = TRUE;
		else if (t)
			g_hash_table_insert (by_id, &t->key.id, t);
	}
	for (guint32 n = state_get_count (r, 24); n > 0 && !r->bad; n--) {
		Request *q = g_new0 (Request, 1);
		q->refid = (gint64) state_get_u64 (r);
		q->call_id = state_get_u64 (r);
		q->serial = state_get_u32 (r);
		q->op = (int) state_get_u32 (r);
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
		if (state_get_u64 (r) != key)
			r->bad = TRUE;
		r->p = at;
	}
	if (!r->bad)
		state_get_call (r, e, by_id, TRUE);
	if (g_hash_table_size (by_id) > 0 || r->p != r->end)
		r->bad = TRUE;
	return r->bad ? row_error (error, "call", key) : TRUE;
}

gboolean
rrec_engine_state_load_row (RrecStateLoad *l, const RrecStoreRow *row,
			    GError **error)
{
	StateReader r = { row->bytes, row->bytes + row->len, FALSE };

	if (!version_read (row->version))
		return version_error (error, row->version);
	switch (row->kind) {
	case RREC_STORE_ROW_ENGINE:
		return load_engine_row (l, &r, error);
	case RREC_STORE_ROW_CALL:;
		gsize end = row_end_len (row->version);
		RrecEngine *e = l->e;

		r.row11 = row->version >= 11;

		if (!l->engine || row->len < end)
			return row_error (error, "call", row->key);
		r.end -= end;
		/* the numbering and the clock first: the largest stored is
		 * the last commit's (the call's timers and requests are
		 * checked against it) */
		StateReader tail = { r.end, r.end + end, FALSE };
		if (end == ROW_END) {
			gint64 refid = (gint64) state_get_u64 (&tail);
			guint64 timer = state_get_u64 (&tail);
			guint64 seq = state_get_u64 (&tail);
			e->next_refid = MAX (e->next_refid, refid);
			e->next_timer_id = MAX (e->next_timer_id, timer);
			e->next_call_seq = MAX (e->next_call_seq, seq);
		}
		gint64 t = (gint64) state_get_u64 (&tail);
		if (t > e->now)
			e->now = t;
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

static void
ports_put_u32 (GByteArray *b, guint32 v)
{
	guint8 x[4] = { (guint8) v, (guint8) (v >> 8), (guint8) (v >> 16),
			(guint8) (v >> 24) };

	g_byte_array_append (b, x, 4);
}

/* The pool from its row and the sessions' ports, then the checks of a
 * whole state. */
gboolean
rrec_engine_state_load_done (RrecStateLoad *l, GError **error)
{
	RrecEngine *e = l->e;
	g_autoptr (GArray) ports = g_array_new (FALSE, FALSE, sizeof (guint32));
	g_autoptr (GError) pool_error = NULL;
	gpointer v;
	StateReader r = { NULL, NULL, FALSE };

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
	for (guint ci = 0; rrec_id_map_next (&e->calls, &ci, NULL, &v);) {
		const Call *c = v;
		if (c->session && c->session->has_port)
			g_array_append_val (ports, c->session->port);
	}
	g_array_sort (ports, u32_cmp);
	ports_put_u32 (l->ports, ports->len);
	for (guint i = 0; i < ports->len; i++)
		ports_put_u32 (l->ports, g_array_index (ports, guint32, i));
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
	state_check_consistency (&r, e, none);
	if (r.bad) {
		g_set_error (error, RREC_ENGINE_ERROR, RREC_ENGINE_ERROR_STATE,
			     "the stored state does not hold together (a timer, "
			     "request or port without its session)");
		return FALSE;
	}
	return TRUE;
}

/* ---- one step of the store (store.c tells what and why) ------------------ */

/* A call already stored (each write but its first) keeps its key and
 * value: the hash is overwritten in place, no allocation. */
static void
remember (RrecStore *s, guint64 id, guint64 hash)
{
	guint64 *old = g_hash_table_lookup (s->stored, &id);

	if (old)
		*old = hash;
	else
		g_hash_table_insert (s->stored, g_memdup2 (&id, sizeof id),
				     g_memdup2 (&hash, sizeof hash));
}

typedef struct {
	RrecStore *store;
	RrecStateLoad *load;
} Loading;

static gboolean
load_row (const RrecStoreRow *row, gpointer data, GError **error)
{
	Loading *l = data;

	if (!rrec_engine_state_load_row (l->load, row, error))
		return FALSE;
	if (row->kind == RREC_STORE_ROW_CALL)	/* its end aside */
		remember (l->store, row->key,
			  row_hash (row->bytes,
				    row->len - row_end_len (row->version)));
	return TRUE;
}

gboolean
rrec_store_restore (RrecStore *s, RrecEngine *e, gboolean *restored,
		    gboolean *damaged, GError **error)
{
	Loading l = { s, rrec_engine_state_load_new (e) };
	gboolean ok, empty;

	*damaged = FALSE;
	*restored = FALSE;
	g_clear_pointer (&e->pool, rrec_port_pool_free);	/* from the rows */
	ok = s->backend->ops->load (s->backend, load_row, &l, damaged, error);
	empty = ok && rrec_engine_state_load_is_empty (l.load);
	if (ok && !empty && !rrec_engine_state_load_done (l.load, error)) {
		*damaged = TRUE;
		ok = FALSE;
	}
	rrec_engine_state_load_free (l.load);
	if (e->pool == NULL)
		e->pool = rrec_port_pool_new (1);	/* freed with the engine */
	if (!ok || empty) {
		g_hash_table_remove_all (s->stored);
		return ok;
	}
	/* what is stored now, so that the first step writes only changes */
	s->engine_row.len = 0;
	s->engine_stable = rrec_engine_state_put_engine_row (
		e, e->now, &s->engine_row, &s->engine_numbering);
	s->pool_changes = rrec_port_pool_get_changes (e->pool);
	s->written = TRUE;
	*restored = TRUE;
	return TRUE;
}

/* The requests in flight of call @c into @out (Request*), by refid: those
 * of its session's list (a request is in it from its sending to its
 * answer or its loss, core.h), not a walk of every request in flight. */
static void
call_requests (const Call *c, GPtrArray *out)
{
	g_ptr_array_set_size (out, 0);
	if (c->session == NULL)
		return;
	for (Request *q = c->session->requests; q; q = q->next) {
		c->engine->request_visits++;
		g_ptr_array_add (out, q);
	}
	if (out->len > 1)
		g_ptr_array_sort (out, state_request_cmp);
}

typedef struct {
	guint64 id;
	guint64 hash;		/* of the new row; unused for a removal */
	gsize start, len;	/* in the step's buffer; len 0: removal */
	gint64 seq;
} Change;

/*
 * One engine step, or the steps of a batch (store.c: group commit): the
 * rows they changed, in one transaction (see the top of the file), with
 * the clock of the last of them (@clock).  The calls touched by every step
 * since the last commit are marked: each is written once, as it is now.
 * A failed write leaves its calls marked, so the next commit writes them
 * again.
 */
gboolean
rrec_store_write (RrecStore *s, RrecEngine *e, gint64 clock, GError **error)
{
	const RrecStoreBackendOps *ops = s->backend->ops;
	StateBuf *engine_row = &s->engine_new, *buf = &s->buf;
	GArray *changes;
	GPtrArray *requests = s->requests;
	gboolean engine_changed, pool_changed;
	gsize stable, numbering;

	engine_row->len = 0;
	stable = rrec_engine_state_put_engine_row (e, clock, engine_row,
						   &numbering);
	/* the numbering aside: the CALL rows carry it (see the top) */
	engine_changed = !s->written || stable != s->engine_stable ||
		numbering != s->engine_numbering ||
		memcmp (engine_row->data, s->engine_row.data, numbering) != 0 ||
		memcmp (engine_row->data + numbering + NUMBERING,
			s->engine_row.data + numbering + NUMBERING,
			stable - numbering - NUMBERING) != 0;
	pool_changed = !s->written ||
		rrec_port_pool_get_changes (e->pool) != s->pool_changes;

	buf->len = 0;
	if (s->changes == NULL)
		s->changes = g_array_new (FALSE, FALSE, sizeof (Change));
	changes = s->changes;
	g_array_set_size (changes, 0);
	for (guint t = 0; t < s->touched->len; t++) {
		guint64 id = g_array_index (s->touched, guint64, t);
		Call *c = rrec_id_map_lookup (&e->calls, id);
		Change ch = { .id = id, .start = buf->len };

		if (c == NULL) {
			if (!g_hash_table_contains (s->stored, &id))
				continue;	/* came and went in one step */
			g_array_append_val (changes, ch);
			continue;
		}
		call_requests (c, requests);
		rrec_engine_state_put_call_row (
			c, (Request *const *) requests->pdata, requests->len, buf);
		ch.hash = row_hash (buf->data + ch.start, buf->len - ch.start);
		ch.seq = (gint64) c->seq;
		guint64 *old = g_hash_table_lookup (s->stored, &id);
		if (old && *old == ch.hash) {
			buf->len = ch.start;
			continue;
		}
		/* the numbering and clock at the write, outside the hash: a
		 * restore takes the largest of the rows' */
		rrec_engine_state_put_row_end (e, clock, buf);
		ch.len = buf->len - ch.start;
		g_array_append_val (changes, ch);
	}
	if (!engine_changed && !pool_changed && changes->len == 0) {
		rrec_store_untouch_all (s);
		return TRUE;
	}

	/* the clock and numbering of the write go with an ENGINE or a CALL
	 * row: a step that only removes rows or changes the pool writes the
	 * ENGINE row */
	gboolean any_put = FALSE;
	for (guint i = 0; i < changes->len; i++)
		any_put = any_put || g_array_index (changes, Change, i).len > 0;
	engine_changed = engine_changed || !any_put;

	RrecStoreRow row = {
		.kind = RREC_STORE_ROW_ENGINE,
		.version = rrec_engine_state_version (),
		.order = clock,
		.bytes = engine_row->data,
		.len = engine_row->len,
	};
	if (!ops->begin (s->backend, error))
		return FALSE;
	if (engine_changed && !ops->put (s->backend, &row, error))
		goto fail;
	if (pool_changed) {
		g_autoptr (GByteArray) ports = g_byte_array_new ();
		rrec_engine_state_put_ports_row (e, ports);
		RrecStoreRow p = {
			.kind = RREC_STORE_ROW_PORTS,
			.version = rrec_engine_state_version (),
			.bytes = ports->data,
			.len = ports->len,
		};
		if (!ops->put (s->backend, &p, error))
			goto fail;
	}
	for (guint i = 0; i < changes->len; i++) {
		const Change *ch = &g_array_index (changes, Change, i);
		RrecStoreRow c = {
			.kind = RREC_STORE_ROW_CALL,
			.key = ch->id,
			.version = rrec_engine_state_version (),
			.order = ch->seq,
			.bytes = buf->data + ch->start,
			.len = ch->len,
		};
		if (ch->len == 0 ?
		    !ops->remove (s->backend, RREC_STORE_ROW_CALL, ch->id, error) :
		    !ops->put (s->backend, &c, error))
			goto fail;
	}
	if (!ops->commit (s->backend, error))
		goto fail;

	for (guint i = 0; i < changes->len; i++) {
		const Change *ch = &g_array_index (changes, Change, i);
		if (ch->len == 0)
			g_hash_table_remove (s->stored, &ch->id);
		else
			remember (s, ch->id, ch->hash);
	}
	if (engine_changed) {
		StateBuf was = s->engine_row;	/* the two swap */
		s->engine_row = *engine_row;
		*engine_row = was;
		s->engine_stable = stable;
		s->engine_numbering = numbering;
	}
	s->pool_changes = rrec_port_pool_get_changes (e->pool);
	s->written = TRUE;
	rrec_store_untouch_all (s);
	return TRUE;
fail:
	ops->rollback (s->backend);
	return FALSE;
}
