/*
 * triggers.c — what makes a call record (R1-R5, R8, R10, R12): its
 * parties' own `record` option, and the scopes and vetoes clients and
 * routes asked for, each a DN-table id holding a reference (model.h:
 * Scopes, DnIds), so that R8's check compares ids and reads no text.
 */
#include <string.h>

#include "model.h"

/* R30: the client starts answered EventACK so far stay triggers when a
 * later start fails. */
void
rrec_engine_ack_client_scopes (Call *call)
{
	for (guint i = 0; i < LEN (call->scopes); i++) {
		Scope *s = &call->scopes->v[i];

		if (s->kind == SCOPE_CLIENT)
			s->acked = TRUE;
	}
}


/* The head of a call's arrays of DN ids (Scopes, DnIds): their entries
 * follow it. */
typedef struct {
	guint32 len;
	guint32 cap;
} ArrayHead;

G_STATIC_ASSERT (G_STRUCT_OFFSET (Scopes, v) == sizeof (ArrayHead));
G_STATIC_ASSERT (G_STRUCT_OFFSET (DnIds, v) == sizeof (ArrayHead));

static inline gsize
array_bytes (guint32 cap, gsize item)
{
	return sizeof (ArrayHead) + (gsize) cap * item;
}

/* @a (NULL: none yet), an array of @item-byte entries, with room for one
 * more: itself, or a copy with twice its room (@reserve at first) from the
 * engine's blocks, @a given back. */
static gpointer
array_room (RrecEngine *e, gpointer a, gsize item, guint32 reserve)
{
	ArrayHead *h = a, *grown;
	guint32 cap;

	if (h != NULL && h->len < h->cap)
		return h;
	cap = h ? h->cap * 2 : reserve;
	grown = rrec_core_mem_take (e, array_bytes (cap, item));
	grown->len = h ? h->len : 0;
	grown->cap = cap;
	if (h != NULL) {
		memcpy (grown + 1, h + 1, h->len * item);
		rrec_core_mem_give_size (e, h, array_bytes (h->cap, item));
	}
	return grown;
}

/* Vetoes an array is made with (R3: a route vetoes one DN). */
#define VETOES_RESERVE 2

void
rrec_engine_vetoes_clear (Call *call)
{
	DnIds *a = g_steal_pointer (&call->vetoes);

	if (a == NULL)
		return;
	for (guint i = 0; i < a->len; i++)
		rrec_dn_table_unref (&call->engine->dns, a->v[i]);
	rrec_core_mem_give_size (call->engine, a, array_bytes (a->cap, sizeof (guint32)));
}


/* ---- triggers (R1-R5, R8, R10, R12) ------------------------------------------ */

/* R6: established parties, held ones included, supervisors not. */
guint
rrec_engine_established (Call *call)
{
	guint n = 0;

	for (guint i = 0; i < call->n_parties; i++) {
		const Party *p = &call->parties[i];
		if (rrec_party_established (p) && !p->supervisor)
			n++;
	}
	return n;
}

static gboolean
vetoed (const Call *call, guint32 dn)
{
	for (guint i = 0; i < LEN (call->vetoes); i++)
		if (call->vetoes->v[i] == dn)
			return TRUE;
	return FALSE;
}

/* R3, R2: a DN (its id) whose `record` option is on, not vetoed by a
 * route, and not the one that dialled this call to the outside.  DN ids
 * are compared: no DN entry or text is read. */
static gboolean
dn_triggers (Call *call, guint32 dn)
{
	if (call->vetoes && vetoed (call, dn))
		return FALSE;
	/* R2: not for a call the DN dialled directly to the outside (one DN
	 * has one id: the same text is the same id) */
	if (call->call_type == RREC_CALL_TYPE_OUTBOUND && call->originator == dn)
		return FALSE;
	return TRUE;
}

/* R1, R2, R3, R10, R12: does this party's own `record` option hold? */
gboolean
rrec_engine_party_triggers (Call *call, const Party *p)
{
	if (p->supervisor || p->spent || !p->records)
		return FALSE;
	return dn_triggers (call, p->dn);
}

/* The DN of id @dn is a scope's: one DN has one id, so ids are compared
 * and neither the DN's entry nor any text is read. */
static gboolean
dn_is_scoped (const Call *call, guint32 dn)
{
	for (guint i = 0; i < LEN (call->scopes); i++)
		if (call->scopes->v[i].dn == dn)
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

		if (!rrec_party_present (p) || p->supervisor)
			continue;
		if (rrec_engine_party_triggers (call, p) ||
		    (call->scopes && dn_is_scoped (call, p->dn)))
			return TRUE;
	}
	/* R8: the trigger of the party that left by a transfer holds until
	 * the transfer is over. */
	if (call->transfer && call->transfer_from) {
		const RrecDn *from = rrec_dn_table_get (&call->engine->dns,
							call->transfer_from);

		if (dn_is_scoped (call, call->transfer_from))
			return TRUE;
		if (from->configured && from->records &&
		    dn_triggers (call, call->transfer_from))
			return TRUE;
	}
	return FALSE;
}


/* Scopes an array is made with: most scoped calls have one or two. */
#define SCOPES_RESERVE 2

/* A trigger is a DN and a kind: asking twice adds nothing (memory per call
 * must not grow with the number of requests). */
void
rrec_engine_scope_append (Call *call, guint32 dn, ScopeKind kind, gboolean acked)
{
	Scopes *a;

	g_return_if_fail (dn != 0);
	call->scopes = a = array_room (call->engine, call->scopes, sizeof (Scope),
				       SCOPES_RESERVE);
	rrec_dn_table_ref (&call->engine->dns, dn);
	a->v[a->len++] = (Scope) { .dn = dn, .kind = kind, .acked = acked != 0 };
}

void
rrec_engine_add_scope_id (Call *call, guint32 dn, ScopeKind kind)
{
	for (guint i = 0; i < LEN (call->scopes); i++)
		if (call->scopes->v[i].kind == kind && call->scopes->v[i].dn == dn)
			return;
	rrec_engine_scope_append (call, dn, kind, FALSE);
}


void
rrec_engine_scope_remove (Call *call, guint i)
{
	Scopes *a = call->scopes;

	g_return_if_fail (a != NULL && i < a->len);
	/* the entry stays until the step's sweep (dntab.h) */
	rrec_dn_table_unref (&call->engine->dns, a->v[i].dn);
	memmove (&a->v[i], &a->v[i + 1], (a->len - i - 1) * sizeof (Scope));
	a->len--;
}

void
rrec_engine_scopes_clear (Call *call)
{
	Scopes *a = g_steal_pointer (&call->scopes);

	if (a == NULL)
		return;
	for (guint i = 0; i < a->len; i++)
		rrec_dn_table_unref (&call->engine->dns, a->v[i].dn);
	/* kept for the next call's scopes (core.c) */
	rrec_core_mem_give_size (call->engine, a, array_bytes (a->cap, sizeof (Scope)));
}

void
rrec_engine_veto_append (Call *call, guint32 dn)
{
	DnIds *a;

	g_return_if_fail (dn != 0);
	call->vetoes = a = array_room (call->engine, call->vetoes, sizeof (guint32),
				       VETOES_RESERVE);
	rrec_dn_table_ref (&call->engine->dns, dn);
	a->v[a->len++] = dn;
}

void
rrec_engine_add_veto_id (Call *call, guint32 dn)
{
	if (!vetoed (call, dn))
		rrec_engine_veto_append (call, dn);
}

