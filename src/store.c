/*
 * store.c — the durable state store: the engine's state kept in a
 * database (a backend, store/backend.h), so that a new process can take
 * over after a crash.
 *
 * Per-object rows (schema 2; the rows' bytes are in engine-state.c): one
 * ENGINE row, one PORTS row, one CALL row per call in progress.  A step
 * writes, in one transaction, the rows of what it changed and nothing
 * else, so its cost follows what it did, not how many calls are in
 * progress:
 *
 *  - the engine marks every call a step may change (rrec_store_touch():
 *    each look-up of a call by ConnID, leg, port, timer or request, each
 *    loop over calls, each new and each ended call); at the end of the
 *    step each marked call is encoded, and written only when its bytes
 *    differ from those stored (a 64-bit hash of them is kept per call),
 *    or removed when the call has ended;
 *  - the PORTS row is written when the pool has allocated or released a
 *    port since the last write;
 *  - the ENGINE row (about 140 bytes) is written when its state part
 *    changed (the link, the numbering of requests, timers and calls), or
 *    when no CALL row is written (so that the clock of every write is
 *    stored).
 *    Its clock and counters go along with a write of it but never cause
 *    one (counters are statistics, not state); a CALL row carries the
 *    clock of its write too, outside what is compared.  So a step that
 *    changes nothing (an ignored, rejected or malformed message, a clock
 *    that moved) costs no transaction, and one that changes a call alone
 *    writes that call's row alone.  After a restart the clock is the
 *    latest of the rows' (the last step that changed something: a
 *    restart gap starts there, which may over-state the unrecorded time,
 *    never under-state it) and the counters are those of the last ENGINE
 *    write (a host that keeps totals across restarts adds what the old
 *    engine counted since, as the replay does).
 *
 * The DNs the engine knows as local are stored only as a flag of the
 * parties of the calls in progress: a DN in no call is not kept.
 *
 * Why rows per call rather than a journal of inputs and snapshots: a
 * journal must be replayed through the engine at restore, and the engine
 * that replays it may be another version, or run with another
 * configuration, than the one whose actions the host carried out; the
 * replayed state could then differ from the state the host acted on.
 * Rows hold the decided state itself: what is restored is what was acted
 * on, whatever the version or configuration that reads it (a state it
 * cannot read is reported, never reinterpreted).
 */
#include <string.h>

#include "engine-private.h"
#include "rrec-store.h"

struct _RrecStore {
	RrecStoreBackend *backend;
	GHashTable *touched;	/* call ids (guint64*) marked in this step */
	GHashTable *stored;	/* call id -> hash of its stored row */
	GByteArray *engine_row;	/* the ENGINE row last written */
	gsize engine_stable;	/* its length before the volatile fields */
	guint64 pool_changes;	/* the pool's count at the last write */
	gboolean written;	/* something was written since the open */
	GByteArray *buf;
	GArray *held;		/* RrecAction: the step's actions, copied */
	GStringChunk *strings;	/* their strings */
	gboolean releasing;
};

const RrecStoreBackendOps *
rrec_store_backend_for (const char *location)
{
	if (g_str_has_prefix (location, "postgresql://") ||
	    g_str_has_prefix (location, "postgres://"))
		return &rrec_store_backend_pg;
	return &rrec_store_backend_sqlite;
}

static guint
u64_hash (gconstpointer v)
{
	guint64 x = *(const guint64 *) v;

	return (guint) (x ^ (x >> 32));
}

static gboolean
u64_equal (gconstpointer a, gconstpointer b)
{
	return *(const guint64 *) a == *(const guint64 *) b;
}

/* FNV-1a, 64 bits: tells a changed row from an unchanged one. */
static guint64
row_hash (const guint8 *p, gsize n)
{
	guint64 h = 0xcbf29ce484222325ull;

	for (gsize i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

RrecStore *
rrec_store_open (const char *location, RrecStoreSync sync, gboolean fresh,
		 RrecStoreOpenStatus *status, GError **error)
{
	const RrecStoreBackendOps *ops = rrec_store_backend_for (location);
	RrecStoreBackend *b = ops->open (location, sync, fresh, status, error);
	RrecStore *s;

	if (b == NULL)
		return NULL;
	s = g_new0 (RrecStore, 1);
	s->backend = b;
	s->touched = g_hash_table_new_full (u64_hash, u64_equal, g_free, NULL);
	s->stored = g_hash_table_new_full (u64_hash, u64_equal, g_free, g_free);
	s->engine_row = g_byte_array_new ();
	s->buf = g_byte_array_new ();
	s->held = g_array_new (FALSE, FALSE, sizeof (RrecAction));
	s->strings = g_string_chunk_new (1024);
	return s;
}

void
rrec_store_close (RrecStore *s)
{
	if (s == NULL)
		return;
	s->backend->ops->close (s->backend);
	g_hash_table_destroy (s->touched);
	g_hash_table_destroy (s->stored);
	g_byte_array_unref (s->engine_row);
	g_byte_array_unref (s->buf);
	/* never delivered: the process dies without a goodbye */
	for (guint i = 0; i < s->held->len; i++)
		rrec_kv_list_free ((RrecKvList *) g_array_index (s->held,
								 RrecAction,
								 i).data);
	g_array_unref (s->held);
	g_string_chunk_free (s->strings);
	g_free (s);
}

#define KEEP(field) a.field = a.field ? \
	g_string_chunk_insert (s->strings, a.field) : NULL

/*
 * The engine's contract with its host (engine.h): with a store, an
 * action reaches the host only once the step that decided it is
 * committed.  The step's actions are copied here as the engine decides
 * them and delivered, in order, after the write.
 */
gboolean
rrec_store_hold (RrecStore *s, const RrecAction *action)
{
	RrecAction a = *action;

	if (s->releasing)
		return FALSE;
	KEEP (rule);
	KEEP (call);
	KEEP (leg);
	KEEP (port);
	KEEP (uri);
	KEEP (dn);
	KEEP (reason);
	KEEP (event);
	KEEP (error);
	KEEP (name);
	KEEP (text);
	KEEP (machine);
	KEEP (from);
	KEEP (to);
	a.data = a.data ? rrec_kv_list_copy (a.data) : NULL;
	g_array_append_val (s->held, a);
	return TRUE;
}

gboolean
rrec_store_holds_back (RrecStore *s)
{
	return s->backend->ops->shared;
}

gboolean
rrec_store_has_held (RrecStore *s)
{
	return s->held->len > 0;
}

void
rrec_store_release (RrecStore *s, RrecEngine *e)
{
	if (s->releasing)
		return;
	s->releasing = TRUE;
	for (guint i = 0; i < s->held->len; i++) {
		RrecAction *a = &g_array_index (s->held, RrecAction, i);
		rrec_engine_deliver (e, a);
		rrec_kv_list_free ((RrecKvList *) a->data);
		a->data = NULL;
	}
	g_array_set_size (s->held, 0);
	g_string_chunk_clear (s->strings);
	s->releasing = FALSE;
}

void
rrec_store_touch (RrecStore *s, guint64 call_id)
{
	if (!g_hash_table_contains (s->touched, &call_id))
		g_hash_table_add (s->touched, g_memdup2 (&call_id, sizeof call_id));
}

static void
remember (RrecStore *s, guint64 id, guint64 hash)
{
	g_hash_table_replace (s->stored, g_memdup2 (&id, sizeof id),
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
	if (row->kind == RREC_STORE_ROW_CALL)	/* its clock aside */
		remember (l->store, row->key, row_hash (row->bytes, row->len - 8));
	return TRUE;
}

RrecEngine *
rrec_store_restore (RrecStore *s, RrecConfig *config,
		    const RrecHostCallbacks *callbacks, gpointer user_data,
		    gboolean *damaged, GError **error)
{
	RrecEngine *e = rrec_engine_new (config, callbacks, user_data);
	Loading l = { s, rrec_engine_state_load_new (e) };
	gboolean ok, empty;

	*damaged = FALSE;
	g_clear_pointer (&e->pool, rrec_port_pool_free);	/* from the rows */
	ok = s->backend->ops->load (s->backend, load_row, &l, damaged, error);
	empty = ok && rrec_engine_state_load_is_empty (l.load);
	if (ok && !empty && !rrec_engine_state_load_done (l.load, error)) {
		*damaged = TRUE;
		ok = FALSE;
	}
	rrec_engine_state_load_free (l.load);
	if (!ok || empty) {
		if (e->pool == NULL)
			e->pool = rrec_port_pool_new (1);
		rrec_engine_free (e);
		g_hash_table_remove_all (s->stored);
		return NULL;
	}
	/* what is stored now, so that the first step writes only changes */
	g_byte_array_set_size (s->engine_row, 0);
	s->engine_stable = rrec_engine_state_put_engine_row (e, s->engine_row);
	s->pool_changes = rrec_port_pool_get_changes (e->pool);
	s->written = TRUE;
	return e;
}

/* The pending requests of the touched calls, per call, by refid. */
static GHashTable *
touched_requests (RrecStore *s, RrecEngine *e)
{
	GHashTable *by_call = NULL;
	GHashTableIter it;
	gpointer v;

	if (g_hash_table_size (e->requests) == 0)
		return NULL;
	g_hash_table_iter_init (&it, e->requests);
	while (g_hash_table_iter_next (&it, NULL, &v)) {
		Request *q = v;
		GPtrArray *a;

		if (!g_hash_table_contains (s->touched, &q->call_id))
			continue;
		if (by_call == NULL)
			by_call = g_hash_table_new_full (u64_hash, u64_equal, NULL,
							 (GDestroyNotify) g_ptr_array_unref);
		a = g_hash_table_lookup (by_call, &q->call_id);
		if (a == NULL) {
			a = g_ptr_array_new ();
			g_hash_table_insert (by_call, &q->call_id, a);
		}
		g_ptr_array_add (a, q);
	}
	if (by_call) {
		g_hash_table_iter_init (&it, by_call);
		while (g_hash_table_iter_next (&it, NULL, &v))
			g_ptr_array_sort (v, rrec_engine_state_request_cmp);
	}
	return by_call;
}

typedef struct {
	guint64 id;
	guint64 hash;		/* of the new row; unused for a removal */
	gsize start, len;	/* in the step's buffer; len 0: removal */
	gint64 seq;
} Change;

/*
 * One engine step: the rows it changed, in one transaction (see the top
 * of the file).  A failed write leaves its calls marked, so the next step
 * writes them again.
 */
gboolean
rrec_store_write (RrecStore *s, RrecEngine *e, GError **error)
{
	const RrecStoreBackendOps *ops = s->backend->ops;
	g_autoptr (GByteArray) engine_row = g_byte_array_new ();
	g_autoptr (GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
	g_autoptr (GHashTable) requests = NULL;
	gboolean engine_changed, pool_changed;
	gsize stable;
	GHashTableIter it;
	gpointer k;

	stable = rrec_engine_state_put_engine_row (e, engine_row);
	engine_changed = !s->written || stable != s->engine_stable ||
		memcmp (engine_row->data, s->engine_row->data, stable) != 0;
	pool_changed = !s->written ||
		rrec_port_pool_get_changes (e->pool) != s->pool_changes;

	g_byte_array_set_size (s->buf, 0);
	requests = touched_requests (s, e);
	g_hash_table_iter_init (&it, s->touched);
	while (g_hash_table_iter_next (&it, &k, NULL)) {
		guint64 id = *(guint64 *) k;
		Call *c = g_hash_table_lookup (e->calls, &id);
		Change ch = { .id = id, .start = s->buf->len };

		if (c == NULL) {
			if (!g_hash_table_contains (s->stored, &id))
				continue;	/* came and went in one step */
			g_array_append_val (changes, ch);
			continue;
		}
		rrec_engine_state_put_call_row (
			c, requests ? g_hash_table_lookup (requests, &id) : NULL,
			s->buf);
		ch.hash = row_hash (s->buf->data + ch.start,
				    s->buf->len - ch.start);
		ch.seq = (gint64) c->seq;
		guint64 *old = g_hash_table_lookup (s->stored, &id);
		if (old && *old == ch.hash) {
			g_byte_array_set_size (s->buf, ch.start);
			continue;
		}
		/* the clock at the write, outside the hash: a restore takes
		 * the latest of the rows' clocks */
		rrec_engine_state_put_row_clock (e, s->buf);
		ch.len = s->buf->len - ch.start;
		g_array_append_val (changes, ch);
	}
	if (!engine_changed && !pool_changed && changes->len == 0) {
		g_hash_table_remove_all (s->touched);
		return TRUE;
	}

	/* the clock of the write goes with an ENGINE or a CALL row: a step
	 * that only removes rows or changes the pool writes the ENGINE row */
	gboolean any_put = FALSE;
	for (guint i = 0; i < changes->len; i++)
		any_put = any_put || g_array_index (changes, Change, i).len > 0;
	engine_changed = engine_changed || !any_put;

	RrecStoreRow row = {
		.kind = RREC_STORE_ROW_ENGINE,
		.version = rrec_engine_state_version (),
		.order = e->now,
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
			.bytes = s->buf->data + ch->start,
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
		g_byte_array_set_size (s->engine_row, 0);
		g_byte_array_append (s->engine_row, engine_row->data,
				     engine_row->len);
		s->engine_stable = stable;
	}
	s->pool_changes = rrec_port_pool_get_changes (e->pool);
	s->written = TRUE;
	g_hash_table_remove_all (s->touched);
	return TRUE;
fail:
	ops->rollback (s->backend);
	return FALSE;
}

gboolean
rrec_store_move_aside (const char *location, char **moved_to, GError **error)
{
	return rrec_store_backend_for (location)->move_aside (location, moved_to,
							      error);
}
