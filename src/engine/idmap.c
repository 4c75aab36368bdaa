/*
 * idmap.c — the engine's integer-keyed map (idmap.h).
 */
#include "idmap.h"
#include "region.h"

#define MIN_BITS 4

/* Slots of a large map (the calls at 10^5) are mapped by themselves, in
 * huge pages (region.h); a small map's are malloc'd, and a large one's
 * where nothing can be mapped. */
static gsize
slots_bytes (guint32 n_slots)
{
	return (gsize) n_slots * sizeof (RrecIdMapSlot);
}

static void
free_slots (RrecIdMapSlot *slots, guint32 n_slots, gboolean mapped)
{
	if (mapped)
		rrec_region_unmap (slots, slots_bytes (n_slots));
	else
		g_free (slots);
}

static void
alloc_slots (RrecIdMap *m, guint bits)
{
	gsize bytes = slots_bytes ((guint32) 1 << bits);

	m->slots = bytes >= RREC_REGION_BIG ? rrec_region_map (bytes) : NULL;
	m->mapped = m->slots != NULL;
	if (m->slots == NULL)
		m->slots = g_new0 (RrecIdMapSlot, (gsize) 1 << bits);
	m->mask = (guint32) ((1u << bits) - 1);
	m->shift = 64 - bits;
	m->n = 0;
}

gsize
rrec_id_map_mapped (const RrecIdMap *m)
{
	return m->mapped ? rrec_region_mapped_size (slots_bytes (m->mask + 1)) : 0;
}

void
rrec_id_map_init (RrecIdMap *m)
{
	alloc_slots (m, MIN_BITS);
	m->sparse = FALSE;
}

void
rrec_id_map_init_sparse (RrecIdMap *m)
{
	alloc_slots (m, MIN_BITS);
	m->sparse = TRUE;
}

void
rrec_id_map_clear (RrecIdMap *m)
{
	free_slots (m->slots, m->mask + 1, m->mapped);
	m->slots = NULL;
	m->mapped = FALSE;
	m->mask = 0;
	m->n = 0;
}

static void
put (RrecIdMap *m, guint64 key, gpointer value)
{
	guint32 i = rrec_id_map_home (m, key);

	while (m->slots[i].value != NULL && m->slots[i].key != key)
		i = (i + 1) & m->mask;
	if (m->slots[i].value == NULL)
		m->n++;
	m->slots[i].key = key;
	m->slots[i].value = value;
}

static void
grow (RrecIdMap *m)
{
	RrecIdMapSlot *old = m->slots;
	guint32 n_old = m->mask + 1;
	gboolean old_mapped = m->mapped;
	guint bits = 64 - m->shift + 1;

	alloc_slots (m, bits);
	for (guint32 i = 0; i < n_old; i++)
		if (old[i].value)
			put (m, old[i].key, old[i].value);
	free_slots (old, n_old, old_mapped);
}

void
rrec_id_map_insert (RrecIdMap *m, guint64 key, gpointer value)
{
	g_assert (value != NULL);
	/* at most 4/5 (or 1/2) full: probes stay short */
	if (m->sparse ? (guint64) (m->n + 1) * 2 > (guint64) (m->mask + 1) :
	    (guint64) (m->n + 1) * 5 > (guint64) (m->mask + 1) * 4)
		grow (m);
	put (m, key, value);
}

gpointer
rrec_id_map_remove (RrecIdMap *m, guint64 key)
{
	guint32 i = rrec_id_map_home (m, key);
	gpointer value;

	for (;; i = (i + 1) & m->mask) {
		if (m->slots[i].value == NULL)
			return NULL;
		if (m->slots[i].key == key)
			break;
	}
	value = m->slots[i].value;
	m->n--;
	/* backward shift: pull later entries of the run into the hole when
	 * their home is not between the hole and them */
	for (guint32 j = (i + 1) & m->mask;; j = (j + 1) & m->mask) {
		RrecIdMapSlot *s = &m->slots[j];

		if (s->value == NULL)
			break;
		guint32 home = rrec_id_map_home (m, s->key);
		if (((j - home) & m->mask) >= ((j - i) & m->mask)) {
			m->slots[i] = *s;
			i = j;
		}
	}
	m->slots[i].value = NULL;
	m->slots[i].key = 0;
	return value;
}

void
rrec_id_map_remove_all (RrecIdMap *m)
{
	gboolean sparse = m->sparse;

	rrec_id_map_clear (m);
	alloc_slots (m, MIN_BITS);
	m->sparse = sparse;
}
