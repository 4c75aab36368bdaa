/*
 * store.c — the durable state store: the engine's state kept in a
 * database (a backend, store/backend.h), so that a new process can take
 * over after a crash.
 *
 * This file keeps the store between steps (the backend, the calls a step
 * touched, the hashes of the stored rows, the actions held until the
 * commit); store-rows.c writes a step and restores the rows; their bytes
 * are described there.
 *
 * Per-object rows (schema 2): one
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
 *    changed (the link, the alarms, the R35 count, the R20 orphans), or
 *    when no CALL row is written (so that the clock and numbering of
 *    every write are stored); the numbering of requests, timers and calls
 *    goes with every CALL row written (store-rows.c), so a step that sent
 *    a request writes its call's row alone.
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

#include "rrec-store.h"


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
	s->touched = g_array_new (FALSE, FALSE, sizeof (guint64));
	s->touched_set = g_hash_table_new_full (u64_hash, u64_equal, g_free,
						NULL);
	s->stored = g_hash_table_new_full (u64_hash, u64_equal, g_free, g_free);
	s->held = g_array_new (FALSE, FALSE, sizeof (RrecAction));
	s->requests = g_ptr_array_new ();
	s->strings = g_string_chunk_new (1024);
	return s;
}

void
rrec_store_close (RrecStore *s)
{
	if (s == NULL)
		return;
	s->backend->ops->close (s->backend);
	g_array_unref (s->touched);
	g_hash_table_destroy (s->touched_set);
	g_hash_table_destroy (s->stored);
	state_buf_clear (&s->engine_row);
	state_buf_clear (&s->engine_new);
	state_buf_clear (&s->buf);
	if (s->changes)
		g_array_unref (s->changes);
	g_ptr_array_unref (s->requests);
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
	if ((guint) a.kind < 32 && (s->commit_kinds >> a.kind) & 1)
		s->urgent = TRUE;
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

void
rrec_store_release (RrecStore *s, RrecStoreDeliver deliver, gpointer data)
{
	if (s->releasing)
		return;
	s->releasing = TRUE;
	for (guint i = 0; i < s->held->len; i++) {
		RrecAction *a = &g_array_index (s->held, RrecAction, i);
		deliver (data, a);
		rrec_kv_list_free ((RrecKvList *) a->data);
		a->data = NULL;
	}
	g_array_set_size (s->held, 0);
	g_string_chunk_clear (s->strings);
	s->releasing = FALSE;
}

/*
 * Group commit.  A host that has more input in hand says so before it
 * feeds a message (rrec_engine_more_queued()); the step that message
 * causes then ends without a transaction: its calls stay marked, its
 * actions held, and the next step that is committed writes every call
 * the batch touched, as it is then, in one transaction, and only after
 * that delivers all the batch's actions in the order decided.  The rows
 * of the intermediate steps are never written; nobody saw their actions
 * either, so a crash before the commit loses only steps the host never
 * acted on (engine.h: the host gives their messages again).
 *
 * A batch ends (is committed) at the first step that is not hinted, a
 * step of rrec_engine_advance() or rrec_engine_reconcile(), a step that
 * decides an action of a kind the host named with its hint (a host that
 * must see such an action before it knows what it feeds next), the
 * RREC_STORE_BATCH_MAX-th step, rrec_engine_flush(), or a store that holds
 * back the actions of a failed write.  The rows carry the clock of the
 * batch's last step, not a later one the engine was advanced to meanwhile:
 * a restart takes the stored clock as "everything up to here was
 * processed" (rrec replay --resume skips the log's blocks up to it).
 */
void
rrec_store_set_queued (RrecStore *s, guint32 commit_kinds)
{
	s->queued = TRUE;
	s->commit_kinds = commit_kinds;
}

gboolean
rrec_store_step_ends (RrecStore *s, gint64 clock, gboolean may_wait)
{
	gboolean queued = may_wait && s->queued;

	if (may_wait) {
		s->queued = FALSE;
		s->commit_kinds = 0;
	}
	s->clock = clock;
	s->pending++;
	return queued && !s->urgent && !s->held_back &&
		s->pending < RREC_STORE_BATCH_MAX;
}

guint
rrec_store_pending (RrecStore *s)
{
	return s->pending;
}

gint64
rrec_store_clock (RrecStore *s)
{
	return s->clock;
}

void
rrec_store_committed (RrecStore *s, gboolean ok)
{
	s->pending = 0;
	s->urgent = FALSE;
	s->held_back = !ok && rrec_store_holds_back (s);
}

gboolean
rrec_store_held_back (RrecStore *s)
{
	return s->held_back;
}

/* Beyond this many calls marked, a set tells a call marked already. */
#define TOUCH_SCAN 8

/*
 * Most steps mark a call or two, several times each (each look-up): a
 * look along the list finds them, with nothing allocated; a step that
 * marks many (a loop over the calls) has a set beside the list.
 */
void
rrec_store_touch (RrecStore *s, guint64 call_id)
{
	const guint64 *ids = (const guint64 *) s->touched->data;
	guint n = s->touched->len;

	if (n <= TOUCH_SCAN) {
		for (guint i = 0; i < n; i++)
			if (ids[i] == call_id)
				return;
	} else if (g_hash_table_contains (s->touched_set, &call_id)) {
		return;
	}
	g_array_append_val (s->touched, call_id);
	if (n == TOUCH_SCAN) {	/* the list outgrows a look: the set */
		ids = (const guint64 *) s->touched->data;
		for (guint i = 0; i <= n; i++)
			g_hash_table_add (s->touched_set,
					  g_memdup2 (&ids[i], sizeof ids[i]));
	} else if (n > TOUCH_SCAN) {
		g_hash_table_add (s->touched_set,
				  g_memdup2 (&call_id, sizeof call_id));
	}
}

void
rrec_store_untouch_all (RrecStore *s)
{
	if (s->touched->len > TOUCH_SCAN)
		g_hash_table_remove_all (s->touched_set);
	g_array_set_size (s->touched, 0);
}

gboolean
rrec_store_move_aside (const char *location, char **moved_to, GError **error)
{
	return rrec_store_backend_for (location)->move_aside (location, moved_to,
							      error);
}
