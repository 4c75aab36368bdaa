/*
 * rrec-kvpack.h — a key-value list packed into one block of bytes.
 *
 * A call keeps its user data for as long as it lives (R21) but reads it
 * only when it changes or a leg comes up, so it keeps it packed: one
 * allocation instead of one per key and value.  The same form is part of
 * the engine's saved state.
 */
#pragma once

#include "rrec/kvlist.h"

/* Appends @list to @out (NULL packs as "no list"). */
void rrec_kv_pack_into (GByteArray *out, const RrecKvList *list);

/* A packed copy of @list in a new block, its size in *len; NULL for an
 * empty or NULL list. */
guint8 *rrec_kv_pack (const RrecKvList *list, guint32 *len);

/* Reads a list from @data, at most @len bytes; *used gets how many were
 * read.  NULL with *ok FALSE for bytes that are not a packed list; NULL with
 * *ok TRUE for "no list". */
RrecKvList *rrec_kv_unpack (const guint8 *data, gsize len, gsize *used,
			    gboolean *ok);

/* Whether @data (@len bytes) is exactly what rrec_kv_pack() makes of
 * @list (an empty or NULL list: @len is 0), found without packing it. */
gboolean rrec_kv_pack_equal (const guint8 *data, gsize len,
			     const RrecKvList *list);

/* The pairs of the packed list in @data appended to @into, which must be
 * empty; nothing for "no list" or @len 0.  FALSE for bytes that are not a
 * packed list (@into then holds a part).  Into a list cleared and used again
 * (rrec_kv_list_clear()) this allocates nothing once the list has held as
 * much. */
gboolean rrec_kv_unpack_into (RrecKvList *into, const guint8 *data, gsize len);
