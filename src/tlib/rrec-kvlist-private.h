/*
 * rrec-kvlist-private.h — appends with a key given by its length (the
 * packed form's reader, kvpack.c, copies keys straight from the bytes),
 * and whether a list nests others.
 */
#pragma once

#include "rrec/kvlist.h"

void rrec_kv_list_add_int_len (RrecKvList *list, const char *key,
			       gsize key_len, gint64 value);
RrecKvList *rrec_kv_list_add_new_list_len (RrecKvList *list, const char *key,
					   gsize key_len);

/* Whether a pair of @list has a list as its value (FALSE for NULL): a
 * list without is one level deep, its pairs unread (the engine checks
 * every message's nesting, §7). */
gboolean rrec_kv_list_has_lists (const RrecKvList *list);
