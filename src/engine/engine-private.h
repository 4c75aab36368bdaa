/*
 * engine-private.h — every module of the engine at once, for the code
 * that sees the whole engine: engine.c, the saved state (engine-state.c),
 * restart reconciliation (reconcile.c) and the tests that look inside.
 * The modules themselves include only the headers of the layers below
 * them (core.h names the layers).
 */
#pragma once

#include "core.h"
#include "model.h"
#include "gaps.h"
#include "call.h"
#include "link.h"
#include "session.h"
#include "classify.h"

/* engine.c: the end of a step goes to the store — a fed step may wait
 * with a batch the host hinted (rrec_engine_more_queued()); a step of
 * advance or reconcile is committed with it (store.c: group commit) */
void rrec_engine_store_step (RrecEngine *e);
void rrec_engine_store_step_now (RrecEngine *e);

/* engine-state.c */
GBytes *rrec_engine_state_save (RrecEngine *e);
guint32 rrec_engine_state_version (void);
gboolean rrec_engine_state_load (RrecEngine *e, GBytes *bytes, GError **error);
/* the store's rows (store-rows.c) */
/* (the encoders of the rows: store/engine-state-private.h) */
void rrec_engine_state_put_ports_row (RrecEngine *e, GByteArray *b);
gint rrec_engine_state_request_cmp (gconstpointer a, gconstpointer b);
typedef struct _RrecStateLoad RrecStateLoad;
RrecStateLoad *rrec_engine_state_load_new (RrecEngine *e);
gboolean rrec_engine_state_load_row (RrecStateLoad *l, const RrecStoreRow *row,
				     GError **error);
gboolean rrec_engine_state_load_done (RrecStateLoad *l, GError **error);
void rrec_engine_state_load_free (RrecStateLoad *l);
gboolean rrec_engine_state_load_is_empty (RrecStateLoad *l);
