/*
 * model.c — calls, parties and sessions as data (model.h).
 */
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "rrec-config-private.h"
#include "rrec-kvpack.h"

/* ---- DNs ------------------------------------------------------------------ */

gboolean
rrec_engine_dn_records (RrecEngine *e, const char *dn)
{
	guint32 id = rrec_dn_table_find (&e->dns, dn);

	return id && rrec_dn_table_get (&e->dns, id)->records;
}

void
rrec_engine_replace (char **slot, const char *value)
{
	if (g_strcmp0 (*slot, value) != 0) {
		g_free (*slot);
		*slot = g_strdup (value);
	}
}

/* ---- replies and the call's user data (R27, R28) -------------------------- */

/* One reply per client request (R27): EventACK, or EventError with the
 * error's name. */
void
rrec_engine_reply (RrecEngine *e, Call *call, gint64 refid, const char *dn,
		   const char *error)
{
	RrecAction a = {
		.kind = RREC_ACTION_CLIENT_REPLY,
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
emit_call_userdata (RrecEngine *e, Call *call, RrecKvList *data)
{
	RrecAction a = {
		.kind = RREC_ACTION_CALL_USERDATA,
		.call = call->conn,
		.data = data,
	};
	rrec_engine_emit (e, &a);
	rrec_core_kv_give (e, data);
}

/* R21: the keys the engine writes itself (R28, the gap ledger) are never
 * sent to the leg. */
gboolean
rrec_engine_own_key (const char *key)
{
	/* all four begin with "GSIP_REC": a call's own keys mostly differ
	 * at the first byte, and are not compared four times */
	if (key[0] != 'G' || strncmp (key, "GSIP_REC", 8) != 0)
		return FALSE;
	key += 8;
	return strcmp (key, "_FN") == 0 || strcmp (key, "_ID") == 0 ||
	       strcmp (key, "ORD") == 0 || strcmp (key, "_GAPS") == 0;
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

	RrecKvList *data = rrec_core_kv_take (e);

	RREC_KV_ADD (data, "GSIP_RECORD", words[state]);
	emit_call_userdata (e, call, data);
}

static guint64
fnv1a (const char *s, gsize len)
{
	guint64 h = 0xcbf29ce484222325ULL;

	for (gsize i = 0; i < len; i++)
		h = (h ^ (guchar) s[i]) * 0x100000001b3ULL;
	return h | 1;	/* never 0: 0 is "nothing written" */
}

/* R28, R34: at a session's first dial, the file name (when it changed)
 * and the recording id, in one update. */
void
rrec_engine_name_call (RrecEngine *e, Call *call, const char *name,
		       gsize name_len, const char *rec_id)
{
	RrecKvList *data = rrec_core_kv_take (e);
	guint64 h = fnv1a (name, name_len);

	if (call->rec_fn_hash != h) {
		call->rec_fn_hash = h;
		rrec_kv_list_add_string_len (data, "GSIP_REC_FN",
					     sizeof "GSIP_REC_FN" - 1, name,
					     name_len);
	}
	RREC_KV_ADD (data, "GSIP_REC_ID", rec_id);
	emit_call_userdata (e, call, data);
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

/* ---- clients waiting for their reply (R27) -------------------------------- */

void
rrec_engine_waiter_add (Call *call, gint64 refid, const char *dn, int op)
{
	/* blocks kept from ended calls' waiters (core.c); any path that does
	 * not give them back frees them as usual */
	Waiter *w = rrec_core_mem_take (call->engine, sizeof (Waiter));

	w->refid = refid;
	w->dn = rrec_core_strdup (call->engine, dn);
	w->op = op;
	rrec_core_ptrs_add (call->engine, &call->waiters, w);
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
		rrec_core_ptrs_steal (call->waiters, i);
		rrec_engine_reply (e, call, w->refid, w->dn, error);
		rrec_core_str_give (e, w->dn);
		rrec_core_mem_give_size (e, w, sizeof *w);
	}
	/* none left: the array serves the next call that waits (core.c) */
	if (call->waiters && call->waiters->len == 0)
		rrec_core_ptrs_give (e, &call->waiters);
}

/* ---- calls, parties, sessions ---------------------------------------------- */

Call *
rrec_engine_call_lookup (RrecEngine *e, guint64 id)
{
	Call *c = rrec_id_map_lookup (&e->calls, id);

	if (c)
		rrec_engine_touch (e, c);	/* the store writes what changed */
	return c;
}

/*
 * Adds a party at the end.  Its DN is an id of the engine's DN table: a DN
 * is stored once, whatever the number of calls it is on.  Parties live in
 * one small array per call: a call has a handful, and one allocation for
 * them all keeps memory per call small.
 */
Party *
rrec_engine_party_add (RrecEngine *e, Call *call, const char *dn, guint32 id)
{
	Party *p;

	if (call->n_parties == G_MAXUINT8)
		return NULL;
	if (call->n_parties == call->cap_parties) {
		guint cap = MIN (G_MAXUINT8, call->cap_parties * 2u);
		/* out of the call's own block; blocks of ended calls'
		 * parties used again (core.c) */
		Party *grown = rrec_core_mem_take (e, cap * sizeof (Party));

		memcpy (grown, call->parties, call->n_parties * sizeof (Party));
		if (call->parties != call->first_parties)
			rrec_core_mem_give_size (e, call->parties,
						 call->cap_parties * sizeof (Party));
		call->parties = grown;
		call->cap_parties = cap;
	}
	if (id == 0)
		id = rrec_dn_table_intern (&e->dns, dn);
	rrec_dn_table_ref (&e->dns, id);
	const RrecDn *d = rrec_dn_table_get (&e->dns, id);
	if (d->configured && !d->seen)
		e->dns.v[id].seen = TRUE;	/* a local DN from now on */
	p = &call->parties[call->n_parties++];
	memset (p, 0, sizeof *p);
	p->dn = id;
	p->hash = d->hash;
	p->local_at_add = d->seen;
	p->records = d->configured && d->records;
	p->state = rrec_party_machine.initial;
	return p;
}

void
rrec_engine_party_set_peer (Call *call, Party *p, const char *dn, guint32 id)
{
	RrecDnTable *t = &call->engine->dns;

	if (id == 0 && dn)
		id = rrec_dn_table_intern (t, dn);
	if (id == p->peer)
		return;
	rrec_dn_table_ref (t, id);
	rrec_dn_table_unref (t, p->peer);
	p->peer = id;
}

void
rrec_engine_call_set_dn (Call *call, guint32 *field, const char *dn)
{
	rrec_engine_call_set_dn_id (call, field,
				    dn ? rrec_dn_table_intern (&call->engine->dns, dn) : 0);
}

void
rrec_engine_call_set_dn_id (Call *call, guint32 *field, guint32 id)
{
	RrecDnTable *t = &call->engine->dns;

	if (id == *field)
		return;
	rrec_dn_table_ref (t, id);
	rrec_dn_table_unref (t, *field);
	*field = id;
}

guint64
rrec_engine_leg_key (const char *leg)
{
	guint64 h = 0xcbf29ce484222325ULL;

	/* g_ascii_tolower() as an expression: that function is GLib's, a
	 * call per character (the same value) */
	for (; *leg; leg++) {
		guchar c = (guchar) *leg;

		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		h = (h ^ c) * 0x100000001b3ULL;
	}
	return h;
}

Session *
rrec_engine_leg_session (RrecEngine *e, const char *leg)
{
	Session *s = leg ? rrec_id_map_lookup (&e->by_leg, rrec_engine_leg_key (leg)) : NULL;

	return s && rrec_session_leg_is (s, leg) ? s : NULL;
}

/* A leg's ConnID that reads as exactly 16 hex digits: rrec_conn_string()
 * writes it back as it came, once in lower case. */
static gboolean
leg_as_id (const char *leg, guint64 *id)
{
	return leg && strlen (leg) == 16 && rrec_conn_parse (leg, id);
}

const char *
rrec_session_leg (const Session *s, char buf[17])
{
	switch ((LegKind) s->leg_kind) {
	case LEG_ID:
		rrec_conn_string (s->leg_id, buf);
		return buf;
	case LEG_TEXT:
		return s->rare->leg;
	case LEG_NONE:
		break;
	}
	return NULL;
}

gboolean
rrec_session_leg_is (const Session *s, const char *leg)
{
	guint64 id;

	switch ((LegKind) s->leg_kind) {
	case LEG_ID:
		return leg_as_id (leg, &id) && id == s->leg_id;
	case LEG_TEXT:
		return leg && g_ascii_strcasecmp (s->rare->leg, leg) == 0;
	case LEG_NONE:
		break;
	}
	return FALSE;
}

SessionRare *
rrec_session_rare (Session *s)
{
	if (s->rare == NULL)
		s->rare = g_new0 (SessionRare, 1);
	return s->rare;
}

void
rrec_session_set_leg (Session *s, const char *leg)
{
	RrecEngine *e = s->call->engine;
	char buf[17];
	const char *old = rrec_session_leg (s, buf);

	if (old)
		rrec_id_map_remove (&e->by_leg, rrec_engine_leg_key (old));
	if (s->rare)
		g_clear_pointer (&s->rare->leg, g_free);
	s->leg_kind = LEG_NONE;
	if (leg == NULL)
		return;
	if (leg_as_id (leg, &s->leg_id)) {
		s->leg_kind = LEG_ID;
	} else {
		rrec_session_rare (s)->leg = g_ascii_strdown (leg, -1);
		s->leg_kind = LEG_TEXT;
	}
	rrec_id_map_insert (&e->by_leg, rrec_engine_leg_key (leg), s);
}

char *
rrec_session_rec_id (const Session *s)
{
	const Call *c = s->call;

	if (s->rare && s->rare->rec_id)
		return g_strdup (s->rare->rec_id);
	if (s->rec_no == 0)
		return NULL;
	return g_strdup_printf ("%s-%u", c->call_uuid ? c->call_uuid : c->conn,
				s->rec_no);
}

void
rrec_session_pin_rec_id (Session *s)
{
	if (s == NULL || s->rec_no == 0 || (s->rare && s->rare->rec_id))
		return;
	rrec_session_rare (s)->rec_id = rrec_session_rec_id (s);
}

void
rrec_session_restore_rec_id (Session *s, const char *rec_id)
{
	const char *dash = rec_id ? strrchr (rec_id, '-') : NULL;
	guint64 no = 0;

	if (s->rare)
		g_clear_pointer (&s->rare->rec_id, g_free);
	s->rec_no = 0;
	if (rec_id == NULL)
		return;
	if (dash && g_ascii_string_to_unsigned (dash + 1, 10, 1, G_MAXUINT32,
						&no, NULL))
		s->rec_no = (guint32) no;
	g_autofree char *derived = rrec_session_rec_id (s);

	if (g_strcmp0 (derived, rec_id) != 0) {
		/* saved by another derivation (a ConnID since renamed …):
		 * kept as it was */
		rrec_session_rare (s)->rec_id = g_strdup (rec_id);
		if (s->rec_no == 0)
			s->rec_no = G_MAXUINT32;
	}
}

void
rrec_engine_party_remove (Call *call, Party *p)
{
	guint i = p - call->parties;
	RrecDnTable *t = &call->engine->dns;

	rrec_dn_table_unref (t, p->dn);
	rrec_dn_table_unref (t, p->peer);
	memmove (p, p + 1, (call->n_parties - i - 1) * sizeof *p);
	call->n_parties--;
}

/* ---- the calls' memory ---------------------------------------------------------- */

/* Calls are carved from blocks of CALLS_PER_BLOCK, each call at a 64-byte
 * boundary, so that a call's hot line is one line (model.h); a freed call
 * waits on a list for the next one: no malloc per call in the steady
 * state, no allocator header per call.  The blocks come from the engine's
 * arena (region.h: huge pages once the engine is large), or are
 * malloc'd where it is off; they go with the engine. */
#define CALL_SIZE 256
#define CALLS_PER_BLOCK 64

G_STATIC_ASSERT (sizeof (Party) == 20);
G_STATIC_ASSERT (sizeof (Call) <= CALL_SIZE);
G_STATIC_ASSERT (G_STRUCT_OFFSET (Call, first_parties) == 64);
G_STATIC_ASSERT (G_STRUCT_OFFSET (Call, engine) == 128);
G_STATIC_ASSERT (G_STRUCT_OFFSET (Call, conn) == 192);
/* what every dial reads and writes (R28, R34) is in a line the
 * look-ahead asks for */
G_STATIC_ASSERT (G_STRUCT_OFFSET (Call, n_recordings) < G_STRUCT_OFFSET (Call, conn));
G_STATIC_ASSERT (G_STRUCT_OFFSET (Call, rec_fn_hash) < G_STRUCT_OFFSET (Call, conn));
/* a session's file name length fills padding: no byte more per session */
G_STATIC_ASSERT (sizeof (Session) == 96);

struct _CallBlocks {
	GPtrArray *blocks;	/* each CALLS_PER_BLOCK calls */
	gpointer free;		/* a chain through the first word of each */
};

#if defined(__SANITIZE_ADDRESS__)
#define CALL_BLOCKS 0	/* each call its own block: ASan sees a freed call */
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CALL_BLOCKS 0
#endif
#endif
#ifndef CALL_BLOCKS
#define CALL_BLOCKS 1
#endif

static Call *
call_alloc (RrecEngine *e)
{
	struct _CallBlocks *cb = e->call_blocks;
	gpointer c;

	if (!CALL_BLOCKS) {
		if (posix_memalign (&c, 64, CALL_SIZE) != 0)
			g_error ("out of memory: a call");
		memset (c, 0, CALL_SIZE);
		return c;
	}

	if (cb == NULL) {
		cb = e->call_blocks = g_new0 (struct _CallBlocks, 1);
		cb->blocks = g_ptr_array_new_with_free_func (free);
	}
	if (cb->free == NULL) {
		char *block = rrec_core_carve (e, CALL_SIZE * CALLS_PER_BLOCK, 64);

		if (block == NULL) {
			if (posix_memalign ((void **) &block, 64,
					    CALL_SIZE * CALLS_PER_BLOCK) != 0)
				g_error ("out of memory: a block of calls");
			g_ptr_array_add (cb->blocks, block);
		}
		for (guint i = CALLS_PER_BLOCK; i > 0; i--) {
			gpointer *slot = (gpointer *) (block + (i - 1) * CALL_SIZE);

			*slot = cb->free;
			cb->free = slot;
		}
	}
	c = cb->free;
	cb->free = *(gpointer *) c;
	memset (c, 0, CALL_SIZE);
	return c;
}

static void
call_release (RrecEngine *e, Call *c)
{
	if (!CALL_BLOCKS) {
		free (c);
		return;
	}
	*(gpointer *) c = e->call_blocks->free;
	e->call_blocks->free = c;
}

void
rrec_engine_calls_memory_free (RrecEngine *e)
{
	if (e->call_blocks == NULL)
		return;
	g_ptr_array_unref (e->call_blocks->blocks);
	g_clear_pointer (&e->call_blocks, g_free);
}

gsize
rrec_engine_memory_mapped (RrecEngine *e)
{
	return rrec_arena_committed (&e->arena) +
		rrec_id_map_mapped (&e->calls) + rrec_id_map_mapped (&e->by_port) +
		rrec_id_map_mapped (&e->by_leg) + rrec_dn_table_mapped (&e->dns);
}

Call *
rrec_engine_call_new (RrecEngine *e, guint64 id)
{
	Call *c = call_alloc (e);

	c->engine = e;
	c->id = id;
	c->parties = c->first_parties;
	c->cap_parties = CALL_INLINE_PARTIES;
	rrec_conn_string (id, c->conn);
	c->seq = ++e->next_call_seq;
	c->state = rrec_call_machine.initial;
	c->call_type = -1;
	rrec_id_map_insert (&e->calls, c->id, c);
	rrec_engine_touch (e, c);
	e->counters.calls++;
	return c;
}

void
rrec_engine_session_free (Session *s)
{
	if (s == NULL)
		return;
	if (s->call)
		rrec_engine_call_set_dn (s->call, &s->owner, NULL);
	if (s->call) {
		/* kept for the next session (core.c) */
		rrec_core_str_give_len (s->call->engine, s->file_name,
					s->file_name_len);
		s->file_name = NULL;
	}
	g_free (s->file_name);
	if (s->rare) {
		g_free (s->rare->leg);
		g_free (s->rare->rec_id);
		g_free (s->rare->parent_id);
		g_free (s->rare);
	}
	if (s->call)
		rrec_core_mem_give_size (s->call->engine, s, sizeof *s);
	else
		g_free (s);
}

void
rrec_engine_call_free (Call *c)
{
	rrec_engine_session_free (c->session);
	for (guint i = 0; i < c->n_parties; i++) {
		rrec_dn_table_unref (&c->engine->dns, c->parties[i].dn);
		rrec_dn_table_unref (&c->engine->dns, c->parties[i].peer);
	}
	if (c->parties != c->first_parties)
		rrec_core_mem_give_size (c->engine, c->parties,
					 c->cap_parties * sizeof (Party));
	rrec_engine_scopes_clear (c);
	for (guint i = LEN (c->waiters); i > 0; i--) {
		Waiter *w = rrec_core_ptrs_steal (c->waiters, i - 1);

		rrec_core_str_give (c->engine, w->dn);
		rrec_core_mem_give_size (c->engine, w, sizeof *w);
	}
	rrec_engine_vetoes_clear (c);
	/* the arrays are kept for the next calls (core.c) */
	rrec_core_ptrs_give (c->engine, &c->waiters);
	rrec_core_mem_give_size (c->engine, c->user_data, c->user_data_len);
	rrec_core_str_give_len (c->engine, c->call_uuid, c->call_uuid_len);
	rrec_engine_call_set_dn (c, &c->ani, NULL);
	rrec_engine_call_set_dn (c, &c->dnis, NULL);
	rrec_engine_call_set_dn (c, &c->originator, NULL);
	rrec_engine_call_set_dn (c, &c->routing_point, NULL);
	rrec_engine_call_set_dn (c, &c->transfer_from, NULL);
	if (c->ledger)
		rrec_core_mem_give_size (c->engine, c->ledger, sizeof (GapLedger) +
					 c->ledger->cap * sizeof (Gap));
	call_release (c->engine, c);
}

Party *
rrec_engine_party_by_id (Call *call, guint32 dn)
{
	for (guint i = 0; dn && i < call->n_parties; i++)
		if (call->parties[i].dn == dn)
			return &call->parties[i];
	return NULL;
}

/* The DNs of a message are mostly its call's parties, while the DN index
 * is a line elsewhere in memory: the parties' hashes (in the call's line
 * 1) tell which party it may be, and that party's entry alone whether it
 * is.  No other party's entry is read. */
guint32
rrec_engine_party_dn (const RrecDnTable *t, const Call *call, const RrecDnKey *k)
{
	for (guint i = 0; call && i < call->n_parties; i++) {
		const Party *p = &call->parties[i];

		if (p->hash == k->hash && rrec_dn_table_matches (t, p->dn, k))
			return p->dn;
	}
	return 0;
}

/* Found by the parties' hashes: a DN that is no party's is not looked
 * for in the index. */
Party *
rrec_engine_party (Call *call, const char *dn)
{
	RrecDnKey k;

	if (dn == NULL || call->n_parties == 0)
		return NULL;
	rrec_dn_key_init (&k, dn);
	return rrec_engine_party_by_id (call,
					rrec_engine_party_dn (&call->engine->dns,
							      call, &k));
}

static gint
call_seq_cmp (gconstpointer a, gconstpointer b)
{
	const Call *x = *(Call *const *) a, *y = *(Call *const *) b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The calls in creation order, so that loops over them are deterministic. */
GPtrArray *
rrec_engine_calls_where (RrecEngine *e, gboolean (*keep) (Call *))
{
	GPtrArray *a = g_ptr_array_new ();
	gpointer v;

	for (guint it = 0; rrec_id_map_next (&e->calls, &it, NULL, &v);)
		if (keep == NULL || keep (v)) {
			rrec_engine_touch (e, v);
			g_ptr_array_add (a, v);
		}
	g_ptr_array_sort (a, call_seq_cmp);
	return a;
}

GPtrArray *
rrec_engine_calls_in_order (RrecEngine *e)
{
	return rrec_engine_calls_where (e, NULL);
}

void
rrec_engine_sweep_dead (RrecEngine *e)
{
	for (guint i = 0; i < e->dead->len; i++) {
		Call *c = g_ptr_array_index (e->dead, i);

		rrec_engine_touch (e, c);
		rrec_id_map_remove (&e->calls, c->id);
		rrec_engine_call_free (c);
	}
	/* the end of every step: most ended no call (a library call less) */
	if (e->dead->len > 0)
		g_ptr_array_set_size (e->dead, 0);
	rrec_dn_table_sweep (&e->dns);
}

/* ---- triggers by a DN's text (triggers.c has them by id) --------------------- */

void
rrec_engine_add_scope (Call *call, const char *dn, ScopeKind kind)
{
	RrecDnTable *t = &call->engine->dns;
	RrecDnKey k;
	guint32 id;

	g_return_if_fail (dn != NULL);
	/* mostly a party's DN: found by the parties' hashes, without a read
	 * of the DN index; else entered if new, the scope taking the
	 * reference that keeps it */
	rrec_dn_key_init (&k, dn);
	id = rrec_engine_party_dn (t, call, &k);
	rrec_engine_add_scope_id (call, id ? id : rrec_dn_table_intern_key (t, &k), kind);
}

void
rrec_engine_add_veto (Call *call, const char *dn)
{
	g_return_if_fail (dn != NULL);
	/* entered if new: the veto takes the reference that keeps it */
	guint32 id = rrec_dn_table_intern (&call->engine->dns, dn);

	rrec_engine_add_veto_id (call, id);
}

gboolean
rrec_engine_is_supervisor (Call *call, const char *dn)
{
	Party *p = rrec_engine_party (call, dn);

	return p && p->supervisor;
}

/* ---- events and timers of a call --------------------------------------------- */

void
rrec_engine_post (RrecEngine *e, Target target, guint event, Call *call,
		  gint64 refid, const char *dn, const char *reason)
{
	/* only a session's event is checked against its serial (run_posted):
	 * a call's event does not read the session (a cache line less) */
	rrec_core_post (e, target, event, call ? call->id : 0,
			target == TARGET_SESSION && call && call->session ?
			call->session->serial : 0, refid, dn, reason);
}

Timer *
rrec_engine_timer_add (RrecEngine *e, TimerKind kind, gint64 due, Call *call,
		       guint32 serial)
{
	return rrec_core_timer_add (e, kind, due, call ? call->id : 0, serial);
}
