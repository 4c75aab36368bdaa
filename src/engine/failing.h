/*
 * failing.h — failure alarms and the limit on re-dials (behaviour.md R35):
 * the session machine's actions and guard for them.
 */
#pragma once

#include "model.h"

/* guard: the session may dial its leg again (reestablish-max-attempts) */
gboolean rrec_failing_redials_left (gpointer session, gconstpointer posted);
/* a start or re-dial failed: count it, raise `recording-failing` at the
 * configured number in a row */
void rrec_failing_count (gpointer session, gconstpointer posted);
/* SIP Server acknowledged a START: the count and the session's re-dials
 * start again, the alarm is cleared */
void rrec_failing_clear (gpointer session, gconstpointer posted);
/* the last allowed re-dial failed: the call clears its triggers
 * (call.fsm) */
void rrec_failing_give_up (gpointer session, gconstpointer posted);
