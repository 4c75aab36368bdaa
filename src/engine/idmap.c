/*
 * idmap.c — the engine's integer-keyed map (idmap.h).
 */
#include "idmap.h"

#define MIN_BITS 4

static void
alloc_slots (RrecIdMap *m, guint bits)
{
	m->slots = g_new0 (RrecIdMapSlot, (gsize) 1 << bits);
	m->mask = (guint32) ((1u << bits) - 1);
	m->shift = 64 - bits;
	m->n = 0;
}

void
rrec_id_map_init (RrecIdMap *m)
{
	alloc_slots (m, MIN_BITS);
}

void
rrec_id_map_clear (RrecIdMap *m)
{
	g_clear_pointer (&m->slots, g_free);
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
	guint bits = 64 - m->shift + 1;

	alloc_slots (m, bits);
	for (guint32 i = 0; i < n_old; i++)
		if (old[i].value)
			put (m, old[i].key, old[i].value);
	g_free (old);
}

void
rrec_id_map_insert (RrecIdMap *m, guint64 key, gpointer value)
{
	g_assert (value != NULL);
	/* at most 4/5 full: probes stay short */
	if ((guint64) (m->n + 1) * 5 > (guint64) (m->mask + 1) * 4)
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
	rrec_id_map_clear (m);
	rrec_id_map_init (m);
}
