/*
 * dntab.c — the engine's DNs by id (dntab.h): an open-addressing table of
 * (hash, id) pairs over an array of entries.  A look-up reads one slot
 * (8 bytes) and the entry it names (32 bytes, aligned): two cache lines.
 */
#include <stdlib.h>
#include <string.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "dntab.h"
#include "region.h"

/* A DN's hash: its bytes eight at a time (the last word overlapping the
 * one before, a short DN in two overlapping halves), mixed with its
 * length.  A message's DNs are hashed when hinted and again when fed:
 * word steps instead of a multiply per byte (FNV-1a, earlier) keep the
 * chain of dependent multiplies short.  Only the engine's index uses it
 * (never saved). */
static inline guint64
load64 (const char *p)
{
	guint64 w;

	memcpy (&w, p, sizeof w);
	return w;
}

static inline guint64
load32 (const char *p)
{
	guint32 w;

	memcpy (&w, p, sizeof w);
	return w;
}

#define MIX1 0xff51afd7ed558ccdULL
#define MIX2 0xc4ceb9fe1a85ec53ULL

static inline guint32
hash_bytes (const char *s, gsize n)
{
	guint64 h = 0x9e3779b97f4a7c15ULL ^ n, w;
	gsize i = 0;

	for (; i + 8 < n; i += 8) {
		h = (h ^ load64 (s + i)) * MIX1;
		h ^= h >> 32;
	}
	if (n >= 8)
		w = load64 (s + n - 8);
	else if (n >= 4)
		w = load32 (s) | load32 (s + n - 4) << 32;
	else if (n > 0)
		w = (guchar) s[0] | (guint64) (guchar) s[n / 2] << 8 |
		    (guint64) (guchar) s[n - 1] << 16;
	else
		w = 0;
	h = (h ^ w) * MIX1;
	h ^= h >> 29;
	h *= MIX2;
	h ^= h >> 32;
	return (guint32) h;
}

/* @s's hash, its length in *@len and its first bytes in @head. */
static inline guint32
dn_hash (const char *s, gsize *len, char head[RREC_DN_HEAD])
{
	gsize n = strlen (s);

	memset (head, 0, RREC_DN_HEAD);
	memcpy (head, s, MIN (n, RREC_DN_HEAD));
	*len = n;
	return hash_bytes (s, n);
}

/* The slot a hash starts from: mixed first (a multiply alone leaves the
 * low bits to the low bits of the hash). */
static guint32
home (const RrecDnTable *t, guint32 hash)
{
	hash ^= hash >> 16;
	hash *= 0x85ebca6bu;
	hash ^= hash >> 13;
	hash *= 0xc2b2ae35u;
	hash ^= hash >> 16;
	return hash & t->mask;
}

/* Entries at a 64-byte boundary: at 32 bytes each, none straddles two
 * cache lines. */
#define ALIGN 64

/* The entries and the index of a large table (10^5 DNs) are mapped by
 * themselves, in huge pages (region.h: a look-up reads both at random);
 * a small table's are malloc'd, and a large one's where nothing can be
 * mapped.  *@mapped says which. */
static gpointer
table_alloc (gsize bytes, gboolean *mapped)
{
	void *v = bytes >= RREC_REGION_BIG ? rrec_region_map (bytes) : NULL;

	*mapped = v != NULL;
	if (v)
		return v;
	/* posix_memalign: g_aligned_alloc() is newer than the GLib required */
	if (posix_memalign (&v, ALIGN, bytes) != 0)
		g_error ("out of memory: %" G_GSIZE_FORMAT " bytes of DNs", bytes);
	return memset (v, 0, bytes);
}

static void
table_free (gpointer v, gsize bytes, gboolean mapped)
{
	if (mapped)
		rrec_region_unmap (v, bytes);
	else
		free (v);
}

static RrecDn *
entries_new (RrecDnTable *t, guint32 cap)
{
	return table_alloc ((gsize) cap * sizeof (RrecDn), &t->v_mapped);
}

static RrecDnSlot *
slots_new (RrecDnTable *t, guint32 n)
{
	return table_alloc ((gsize) n * sizeof (RrecDnSlot), &t->slots_mapped);
}

gsize
rrec_dn_table_mapped (const RrecDnTable *t)
{
	return (t->v_mapped ? rrec_region_mapped_size ((gsize) t->cap * sizeof (RrecDn)) : 0) +
		(t->slots_mapped ? rrec_region_mapped_size (
			 (gsize) (t->mask + 1) * sizeof (RrecDnSlot)) : 0);
}

G_STATIC_ASSERT (sizeof (RrecDn) == 32);

void
rrec_dn_table_init (RrecDnTable *t)
{
	memset (t, 0, sizeof *t);
	t->cap = 16;
	t->v = entries_new (t, t->cap);
	t->n = 1;
	t->mask = 31;
	t->slots = slots_new (t, t->mask + 1);
	t->dying = g_array_new (FALSE, FALSE, sizeof (guint32));
	t->spare_names = g_ptr_array_new_with_free_func (g_free);
}

void
rrec_dn_table_clear (RrecDnTable *t)
{
	for (guint32 i = 1; i < t->n; i++)
		g_free (t->v[i].name);
	table_free (t->v, (gsize) t->cap * sizeof (RrecDn), t->v_mapped);
	table_free (t->slots, (gsize) (t->mask + 1) * sizeof (RrecDnSlot),
		    t->slots_mapped);
	if (t->dying)
		g_array_unref (t->dying);
	if (t->spare_names)
		g_ptr_array_unref (t->spare_names);
	memset (t, 0, sizeof *t);
}

/* The id of @k's DN; 0: not in. */
static guint32
find_hashed (const RrecDnTable *t, const RrecDnKey *k)
{
	for (guint32 i = home (t, k->hash);; i = (i + 1) & t->mask) {
		const RrecDnSlot *s = &t->slots[i];

		if (s->id == 0)
			return 0;
		/* a DN shorter than the head is all in it, NUL included */
		if (s->hash == k->hash && rrec_dn_table_matches (t, s->id, k))
			return s->id;
	}
}

void
rrec_dn_key_init (RrecDnKey *k, const char *dn)
{
	k->text = dn;
	k->hash = dn_hash (dn, &k->len, k->head);
}

guint32
rrec_dn_table_find_key (const RrecDnTable *t, const RrecDnKey *k)
{
	return find_hashed (t, k);
}

guint32
rrec_dn_table_find (const RrecDnTable *t, const char *dn)
{
	if (dn == NULL)
		return 0;
	RrecDnKey k;

	rrec_dn_key_init (&k, dn);
	return find_hashed (t, &k);
}

static void
put_slot (RrecDnTable *t, const RrecDnSlot *slot)
{
	guint32 i = home (t, slot->hash);

	while (t->slots[i].id != 0)
		i = (i + 1) & t->mask;
	t->slots[i] = *slot;
}

static void
grow_slots (RrecDnTable *t)
{
	RrecDnSlot *old = t->slots;
	guint32 n_old = t->mask + 1;
	gboolean old_mapped = t->slots_mapped;

	t->mask = n_old * 2 - 1;
	t->slots = slots_new (t, t->mask + 1);
	for (guint32 i = 0; i < n_old; i++)
		if (old[i].id)
			put_slot (t, &old[i]);
	table_free (old, (gsize) n_old * sizeof (RrecDnSlot), old_mapped);
}

/* A block for a name of @size bytes: the name of an entry gone when it
 * holds as much (outside numbers come and go with their calls; most are
 * the same length), else a new one. */
#define SPARE_NAMES_MAX 4096
/* A name block holds at least this much, so that one freed by any usual
 * number serves the next (most DNs and ANIs are 4 to 16 characters)... */
#define NAME_BLOCK_MIN 24
/* ...and when none is kept, one per this many entries is made ahead: the
 * number of names in use going up and down around a new high does not
 * call malloc each time. */
#define NAME_RESERVE_SHARE 16

/* Name blocks kept ahead: at least @want (at most SPARE_NAMES_MAX). */
static void
names_reserve (RrecDnTable *t, guint32 want)
{
#if defined(__GLIBC__)
	want = MIN (want, SPARE_NAMES_MAX);
	while (t->spare_names->len < want)
		g_ptr_array_add (t->spare_names, g_malloc (NAME_BLOCK_MIN));
#endif
}

static char *
name_block (RrecDnTable *t, gsize size)
{
#if defined(__GLIBC__)
	if (t->spare_names->len > 0) {
		char *last = g_ptr_array_index (t->spare_names, t->spare_names->len - 1);

		if (malloc_usable_size (last) >= size)
			return g_ptr_array_steal_index (t->spare_names,
							t->spare_names->len - 1);
	} else if (size <= NAME_BLOCK_MIN) {
		names_reserve (t, t->used / NAME_RESERVE_SHARE);
	}
#endif
	return g_malloc (MAX (size, NAME_BLOCK_MIN));
}

guint32
rrec_dn_table_intern_key (RrecDnTable *t, const RrecDnKey *k)
{
	/* hashed once, whether found or entered */
	guint32 id = find_hashed (t, k);
	RrecDnSlot slot = { k->hash, 0 };

	if (id)
		return id;
	if ((guint64) (t->used + 1) * 4 > (guint64) (t->mask + 1) * 3)
		grow_slots (t);
	if (t->free_id) {
		id = t->free_id;
		t->free_id = t->v[id].hash;
	} else {
		if (t->n == t->cap) {
			RrecDn *old = t->v;
			gboolean old_mapped = t->v_mapped;

			t->v = entries_new (t, t->cap * 2);
			memcpy (t->v, old, t->cap * sizeof *old);
			table_free (old, (gsize) t->cap * sizeof *old, old_mapped);
			t->cap *= 2;
			names_reserve (t, t->cap / NAME_RESERVE_SHARE);
		}
		id = t->n++;
	}
	RrecDn *d = &t->v[id];
	memset (d, 0, sizeof *d);
	slot.id = id;
	d->name = memcpy (name_block (t, k->len + 1), k->text, k->len + 1);
	d->hash = k->hash;
	memcpy (d->head, k->head, RREC_DN_HEAD);
	put_slot (t, &slot);
	t->used++;
	return id;
}

guint32
rrec_dn_table_intern (RrecDnTable *t, const char *dn)
{
	if (dn == NULL)
		return 0;
	RrecDnKey k;

	rrec_dn_key_init (&k, dn);
	return rrec_dn_table_intern_key (t, &k);
}

void
rrec_dn_table_ref (RrecDnTable *t, guint32 id)
{
	if (id) {
		g_assert (t->v[id].refs < RREC_DN_MAX_REFS);
		t->v[id].refs++;
	}
}

static void
remove_slot (RrecDnTable *t, guint32 id)
{
	guint32 i = home (t, t->v[id].hash);

	while (t->slots[i].id != id)
		i = (i + 1) & t->mask;
	/* backward shift, as in idmap.c */
	for (guint32 j = (i + 1) & t->mask; t->slots[j].id != 0; j = (j + 1) & t->mask) {
		guint32 h = home (t, t->slots[j].hash);

		if (((j - h) & t->mask) >= ((j - i) & t->mask)) {
			t->slots[i] = t->slots[j];
			i = j;
		}
	}
	memset (&t->slots[i], 0, sizeof t->slots[i]);
}

void
rrec_dn_table_unref (RrecDnTable *t, guint32 id)
{
	RrecDn *d;

	if (id == 0)
		return;
	d = &t->v[id];
	g_assert (d->refs > 0);
	if (--d->refs > 0 || d->configured || d->seen || d->dying)
		return;
	d->dying = TRUE;
	g_array_append_val (t->dying, id);
}

void
rrec_dn_table_sweep (RrecDnTable *t)
{
	for (guint i = 0; i < t->dying->len; i++) {
		guint32 id = g_array_index (t->dying, guint32, i);
		RrecDn *d = &t->v[id];

		d->dying = FALSE;
		if (d->refs > 0 || d->configured || d->seen)
			continue;
		remove_slot (t, id);
		if (t->spare_names->len < SPARE_NAMES_MAX)
			g_ptr_array_add (t->spare_names, g_steal_pointer (&d->name));
		else
			g_clear_pointer (&d->name, g_free);
		d->hash = t->free_id;
		t->free_id = id;
		t->used--;
	}
	/* not zero-terminated, no clear function: emptying is this (no
	 * library call for each sweep) */
	t->dying->len = 0;
}

/* dn_hash()'s hash alone */
guint32
rrec_dn_table_hash (const char *dn)
{
	return hash_bytes (dn ? dn : "", dn ? strlen (dn) : 0);
}

void
rrec_dn_table_prefetch (const RrecDnTable *t, guint32 hash, gboolean entry)
{
	guint32 i = home (t, hash);

	if (!entry) {
		RREC_PREFETCH (&t->slots[i]);
		return;
	}
	/* the slot was asked for earlier: reading it now costs little */
	for (guint32 probes = 0; probes < 4; probes++, i = (i + 1) & t->mask) {
		const RrecDnSlot *s = &t->slots[i];

		if (s->id == 0)
			return;
		if (s->hash == hash) {
			RREC_PREFETCH (&t->v[s->id]);
			return;
		}
	}
}
