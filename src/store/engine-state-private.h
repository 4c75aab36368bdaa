/*
 * engine-state-private.h — the byte encoding of engine-state.c, shared
 * with the store's rows (store-rows.c): little-endian numbers, strings
 * with their length, and the readers that refuse damage.
 */
#pragma once

#include "engine-private.h"
#include "state-buf.h"

#define STATE_MAGIC "RRES"
#define STATE_VERSION 11u	/* 5: the gap ledger; 6: R4 peers, R30 acked starts,
				 * R20 orphans; 10: R36's main call and parent-id;
				 * 11: the store's CALL rows end with the engine's
				 * numbering (store-rows.c, issue #14) */
/* The oldest version read: 10 differs from 11 only in the CALL rows' end
 * (the whole state and the ENGINE row are the same bytes). */
#define STATE_VERSION_OLDEST 10u

typedef struct {
	const guint8 *p;
	const guint8 *end;
	gboolean bad;
	gboolean row11;		/* a CALL row of version 11 (its gap ledger
				 * as differences, store-rows.c) */
} StateReader;

/* A call as in the whole state; @with_local: each party followed by a
 * u8, 1 when its DN is local (the store's rows). */
void state_put_call (StateBuf *b, const Call *c, gboolean with_local);

/* the store's rows (store-rows.c) */
gsize rrec_engine_state_put_engine_row (RrecEngine *e, gint64 clock,
					 StateBuf *b, gsize *numbering_at);
void rrec_engine_state_put_call_row (const Call *c, Request *const *requests,
				     guint n_requests, StateBuf *b);
void rrec_engine_state_put_row_end (RrecEngine *e, gint64 clock, StateBuf *b);
gint state_request_cmp (gconstpointer a, gconstpointer b);

gboolean state_need (StateReader *r, gsize n);
guint8 state_get_u8 (StateReader *r);
guint32 state_get_u32 (StateReader *r);
guint64 state_get_u64 (StateReader *r);
gint64 state_get_svarint (StateReader *r);
char *state_get_str (StateReader *r);
guint32 state_get_count (StateReader *r, gsize min);
/* A call as state_put_call() wrote it; @row: with the parties' local
 * flags, and the port pool built after (from the sessions). */
gboolean state_get_call (StateReader *r, RrecEngine *e, GHashTable *by_id,
			 gboolean row);
void state_check_consistency (StateReader *r, RrecEngine *e,
			      GHashTable *unclaimed);
