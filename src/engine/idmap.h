/*
 * idmap.h — a map from 64-bit integer keys (ConnIDs, ReferenceIDs) to
 * pointers, for the engine's hot path: open addressing with linear
 * probing in one flat array of { key, value } slots, so that a look-up is
 * a multiply, a shift and, mostly, one cache line; no allocation per
 * insert (the array doubles when 4/5 full, or half full for a map made
 * sparse), removal by backward shift (no tombstones, so look-ups stay
 * short however many calls came and went).
 * A NULL value marks an empty slot: NULL cannot be stored.
 */
#pragma once

#include <glib.h>

typedef struct {
	guint64 key;
	gpointer value;
} RrecIdMapSlot;

typedef struct {
	RrecIdMapSlot *slots;
	guint32 mask;		/* slots - 1, a power of two minus one */
	guint32 shift;		/* 64 - log2 (slots) */
	guint32 n;
	gboolean mapped;	/* slots mapped by themselves (region.h) */
	gboolean sparse;	/* doubles when half full, not 4/5 */
} RrecIdMap;

void rrec_id_map_init (RrecIdMap *m);
/* A map kept at most half full: its runs of occupied slots stay short, so
 * that a removal's backward shift, and a probe for a key it lacks, read
 * one line far more often than at 4/5 (the calls by ConnID: removed and
 * looked for at random, 10^5 of them).  Twice the slots at worst. */
void rrec_id_map_init_sparse (RrecIdMap *m);
void rrec_id_map_clear (RrecIdMap *m);
/* Adds or replaces; @value is not NULL. */
void rrec_id_map_insert (RrecIdMap *m, guint64 key, gpointer value);
/* The value removed, or NULL. */
gpointer rrec_id_map_remove (RrecIdMap *m, guint64 key);
void rrec_id_map_remove_all (RrecIdMap *m);
/* The bytes the map's slots take in their own mapping (0: malloc'd). */
gsize rrec_id_map_mapped (const RrecIdMap *m);

static inline guint32
rrec_id_map_home (const RrecIdMap *m, guint64 key)
{
	/* Fibonacci hashing: sequential ConnIDs spread over the table */
	return (guint32) ((key * 0x9e3779b97f4a7c15ULL) >> m->shift);
}

/* The value of @key, or NULL; *@slot is the index of the slot that held
 * it (where the probe ended when none did), for rrec_id_map_lookup_at(). */
static inline gpointer
rrec_id_map_lookup_slot (const RrecIdMap *m, guint64 key, guint32 *slot)
{
	for (guint32 i = rrec_id_map_home (m, key);; i = (i + 1) & m->mask) {
		const RrecIdMapSlot *s = &m->slots[i];

		*slot = i;
		if (s->value == NULL)
			return NULL;
		if (s->key == key)
			return s->value;
	}
}

static inline gpointer
rrec_id_map_lookup (const RrecIdMap *m, guint64 key)
{
	guint32 slot;

	return rrec_id_map_lookup_slot (m, key, &slot);
}

/* rrec_id_map_lookup(), the slot *@slot tried first: a key is in one
 * slot at most, so a slot that holds @key holds its value however the
 * map changed since *@slot was found; one that does not (the key left or
 * moved, the map grew or shrank, another key took the slot) costs the
 * full look-up, which sets *@slot as rrec_id_map_lookup_slot() does.
 * Any *@slot will do: it is masked, and its key decides. */
static inline gpointer
rrec_id_map_lookup_at (const RrecIdMap *m, guint64 key, guint32 *slot)
{
	const RrecIdMapSlot *s = &m->slots[*slot & m->mask];

	if (s->key == key && s->value != NULL)
		return s->value;
	return rrec_id_map_lookup_slot (m, key, slot);
}

static inline guint
rrec_id_map_size (const RrecIdMap *m)
{
	return m->n;
}

/* Walks the entries, in no particular order: start with *@i = 0; the map
 * must not change during the walk. */
static inline gboolean
rrec_id_map_next (const RrecIdMap *m, guint *i, guint64 *key, gpointer *value)
{
	for (; *i <= m->mask; (*i)++) {
		const RrecIdMapSlot *s = &m->slots[*i];

		if (s->value) {
			if (key)
				*key = s->key;
			if (value)
				*value = s->value;
			(*i)++;
			return TRUE;
		}
	}
	return FALSE;
}
