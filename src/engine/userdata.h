/*
 * userdata.h — a call's user data (R21), userdata.c.
 */
#pragma once

#include "model.h"

/* R21: the call's events carry @ud: the call keeps it, the leg hears the
 * keys that changed. */
void rrec_engine_update_userdata (RrecEngine *e, Call *call,
				  const RrecKvList *ud);
