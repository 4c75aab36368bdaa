/*
 * classify.h — T-Library messages into machine events (classify.c).
 */
#pragma once

#include "model.h"

/* FALSE (and @error) for a message nested deeper than a saved state
 * keeps (§7). */
gboolean rrec_classify_nesting_ok (const RrecMessage *m, GError **error);
/* Classifies @m, posts what it means and drains; FALSE (and @error) for a
 * malformed message, which changes nothing. */
gboolean rrec_classify (RrecEngine *e, const RrecMessage *m, GError **error);
gboolean rrec_classify_sip (RrecEngine *e, const RrecMessage *m, GError **error);
/* A Skype-side message that makes its call when the engine has none (R1):
 * the call's ANI and DNIS are entered then. */
gboolean rrec_classify_makes_call (const RrecMessage *m);

/* A reconcile: DN is no longer on the call as the host has it (R26 when
 * no DN of this T-Server is left). */
void rrec_engine_party_gone (RrecEngine *e, Call *call, const char *dn);
