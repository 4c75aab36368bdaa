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

/* engine.c: the end of a step that changed the state goes to the store */
void rrec_engine_store_step (RrecEngine *e);

/* engine-state.c */
GBytes *rrec_engine_state_save (RrecEngine *e);
guint32 rrec_engine_state_version (void);
gboolean rrec_engine_state_load (RrecEngine *e, GBytes *bytes, GError **error);
