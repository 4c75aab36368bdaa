/*
 * userdata.c — a call's user data as its events carry it (R21): kept
 * packed, compared packed, and the keys that changed sent to the leg.
 */
#include <string.h>

#include "userdata.h"
#include "session.h"
#include "rrec-kvpack.h"

/* R21: the keys that are new or changed, without the engine's own (R28). */
static void
userdata_delta (RrecKvList *delta, const RrecKvList *old, const RrecKvList *now)
{
	for (guint i = 0; i < rrec_kv_list_length (now); i++) {
		const char *key = rrec_kv_list_key (now, i);

		if (rrec_engine_own_key (key))
			continue;
		gint j = old ? rrec_kv_list_find (old, key) : -1;
		if (j < 0 || !rrec_kv_list_value_equal (now, i, old, j))
			rrec_kv_list_append_pair (delta, now, i);
	}
}

/* R21.  Most events repeat the call's user data as it was: compared with
 * the call's packed copy as it stands (rrec_kv_pack_equal()), it is equal,
 * and nothing is packed, allocated, unpacked or sent.  Otherwise the call
 * keeps the new data packed (exactly its size, in its block when the size
 * is the same) and, when its leg is up, the leg hears the keys that
 * changed: only then is the old data unpacked to find them. */
void
rrec_engine_update_userdata (RrecEngine *e, Call *call, const RrecKvList *ud)
{
	GByteArray *packed = e->kv_scratch;
	RrecKvList *old = NULL, *delta;

	if (rrec_kv_pack_equal (call->user_data, call->user_data_len, ud))
		return;

	gboolean tell = call->session && rrec_session_leg_is_up (call->session);

	/* emptied as the DN table empties its array (dntab.c): the bytes
	 * are the engine's scratch, no library call per message */
	packed->len = 0;
	if (rrec_kv_list_length (ud) > 0)	/* as rrec_kv_pack(): empty is none */
		rrec_kv_pack_into (packed, ud);

	/* the lists are the engine's, emptied and used again */
	if (tell) {
		old = rrec_core_kv_take (e);
		if (!rrec_kv_unpack_into (old, call->user_data, call->user_data_len))
			rrec_kv_list_clear (old);
	}
	if (packed->len == call->user_data_len) {
		memcpy (call->user_data, packed->data, packed->len);
	} else {
		rrec_core_mem_give_size (e, call->user_data,
					 call->user_data_len);
		call->user_data = rrec_core_memdup (e, packed->data, packed->len);
		call->user_data_len = packed->len;
	}
	if (!tell)
		return;

	delta = rrec_core_kv_take (e);
	userdata_delta (delta, old, ud);
	if (rrec_kv_list_length (delta) > 0) {
		g_auto (RrecText) port = RREC_TEXT_INIT;
		RrecAction a = {
			.kind = RREC_ACTION_LEG_USERDATA,
			.rule = "R21",
			.call = call->conn,
			.data = delta,
		};
		a.port = rrec_session_port_text (call->session, &port);
		a.refid = rrec_session_request (e, call->session, 0);
		rrec_engine_emit (e, &a);
	}
	rrec_core_kv_give (e, delta);
	rrec_core_kv_give (e, old);
}
