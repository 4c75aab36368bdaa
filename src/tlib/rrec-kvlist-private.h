/*
 * rrec-kvlist-private.h — appends with a key given by its length (the
 * packed form's reader, kvpack.c, copies keys straight from the bytes).
 */
#pragma once

#include "rrec/kvlist.h"

void rrec_kv_list_add_int_len (RrecKvList *list, const char *key,
			       gsize key_len, gint64 value);
RrecKvList *rrec_kv_list_add_new_list_len (RrecKvList *list, const char *key,
					   gsize key_len);
