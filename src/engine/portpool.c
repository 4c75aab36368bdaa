/*
 * portpool.c — the R18 port pool: a counter, a FIFO ring of released
 * ports and a hash set of ports in use.
 */

#include "rrec-portpool.h"

#include <string.h>

G_DEFINE_QUARK (rrec-port-pool-error-quark, rrec_port_pool_error)

#define POOL_MAGIC "RRPP"
#define POOL_VERSION 1u

struct _RrecPortPool {
	guint32 size;
	guint32 next_unused;	/* ports below it have been used */

	/*
	 * Released ports, oldest first: a ring of CAPACITY slots starting at
	 * HEAD.  A ring of guint32 rather than a GQueue: 4 bytes a port, not
	 * a list node.
	 */
	guint32 *ring;
	guint32 capacity;
	guint32 head;
	guint32 n_released;

	GHashTable *in_use;	/* GUINT_TO_POINTER (port) set */
	guint64 changes;	/* allocations and releases so far */
};

RrecPortPool *
rrec_port_pool_new (guint32 n_ports)
{
	RrecPortPool *pool = g_new0 (RrecPortPool, 1);

	pool->size = n_ports;
	pool->in_use = g_hash_table_new (g_direct_hash, g_direct_equal);
	return pool;
}

void
rrec_port_pool_free (RrecPortPool *pool)
{
	if (pool == NULL)
		return;
	g_hash_table_unref (pool->in_use);
	g_free (pool->ring);
	g_free (pool);
}

guint32
rrec_port_pool_get_size (const RrecPortPool *pool)
{
	return pool->size;
}

guint32
rrec_port_pool_get_n_in_use (const RrecPortPool *pool)
{
	return g_hash_table_size (pool->in_use);
}

static guint32
ring_at (const RrecPortPool *pool, guint32 i)
{
	return pool->ring[(pool->head + i) % pool->capacity];
}

static void
ring_push (RrecPortPool *pool, guint32 port)
{
	if (pool->n_released == pool->capacity) {
		guint32 new_capacity = MAX (16u, pool->capacity * 2);
		guint32 *ring = g_new (guint32, new_capacity);

		/* Unroll the ring so that the oldest port is at 0 again. */
		for (guint32 i = 0; i < pool->n_released; i++)
			ring[i] = ring_at (pool, i);
		g_free (pool->ring);
		pool->ring = ring;
		pool->capacity = new_capacity;
		pool->head = 0;
	}
	pool->ring[(pool->head + pool->n_released) % pool->capacity] = port;
	pool->n_released++;
}

static guint32
ring_pop (RrecPortPool *pool)
{
	guint32 port = pool->ring[pool->head];

	pool->head = (pool->head + 1) % pool->capacity;
	pool->n_released--;
	return port;
}

gboolean
rrec_port_pool_allocate (RrecPortPool *pool, guint32 *port)
{
	guint32 p;

	/* R18: never-used ports first, in ascending order... */
	if (pool->next_unused < pool->size)
		p = pool->next_unused++;
	/* ...then the port released longest ago. */
	else if (pool->n_released > 0)
		p = ring_pop (pool);
	else
		return FALSE;	/* R22: everything is in use */

	g_hash_table_add (pool->in_use, GUINT_TO_POINTER (p));
	pool->changes++;
	*port = p;
	return TRUE;
}

gboolean
rrec_port_pool_release (RrecPortPool *pool, guint32 port)
{
	if (!g_hash_table_remove (pool->in_use, GUINT_TO_POINTER (port)))
		return FALSE;
	ring_push (pool, port);
	pool->changes++;
	return TRUE;
}

gboolean
rrec_port_pool_is_in_use (const RrecPortPool *pool, guint32 port)
{
	return g_hash_table_contains (pool->in_use, GUINT_TO_POINTER (port));
}

static void
put_u32 (GByteArray *out, guint32 v)
{
	guint8 b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };

	g_byte_array_append (out, b, sizeof b);
}

static gint
compare_u32 (gconstpointer a, gconstpointer b)
{
	guint32 x = *(const guint32 *) a;
	guint32 y = *(const guint32 *) b;

	return x < y ? -1 : x > y;
}

/* The ports in use, ascending: hash order is not stable across runs. */
static guint32 *
sorted_in_use (const RrecPortPool *pool, guint *n)
{
	GHashTableIter iter;
	gpointer key;
	guint32 *ports;
	guint i = 0;

	*n = g_hash_table_size (pool->in_use);
	ports = g_new (guint32, MAX (*n, 1u));
	g_hash_table_iter_init (&iter, pool->in_use);
	while (g_hash_table_iter_next (&iter, &key, NULL))
		ports[i++] = GPOINTER_TO_UINT (key);
	qsort (ports, *n, sizeof *ports, compare_u32);
	return ports;
}

guint64
rrec_port_pool_get_changes (const RrecPortPool *pool)
{
	return pool->changes;
}

void
rrec_port_pool_serialize_free (const RrecPortPool *pool, GByteArray *out)
{
	g_byte_array_append (out, (const guint8 *) POOL_MAGIC, 4);
	put_u32 (out, POOL_VERSION);
	put_u32 (out, pool->size);
	put_u32 (out, pool->next_unused);
	put_u32 (out, pool->n_released);
	for (guint32 i = 0; i < pool->n_released; i++)
		put_u32 (out, ring_at (pool, i));
}

void
rrec_port_pool_serialize (const RrecPortPool *pool, GByteArray *out)
{
	g_autofree guint32 *in_use = NULL;
	guint n_in_use;

	g_byte_array_append (out, (const guint8 *) POOL_MAGIC, 4);
	put_u32 (out, POOL_VERSION);
	put_u32 (out, pool->size);
	put_u32 (out, pool->next_unused);
	put_u32 (out, pool->n_released);
	for (guint32 i = 0; i < pool->n_released; i++)
		put_u32 (out, ring_at (pool, i));
	in_use = sorted_in_use (pool, &n_in_use);
	put_u32 (out, n_in_use);
	for (guint i = 0; i < n_in_use; i++)
		put_u32 (out, in_use[i]);
}

typedef struct {
	const guint8 *data;
	gsize len;
	gsize pos;
} Reader;

static gboolean
get_u32 (Reader *r, guint32 *v, GError **error)
{
	const guint8 *b;

	if (r->len - r->pos < 4) {
		g_set_error (error, RREC_PORT_POOL_ERROR,
		             RREC_PORT_POOL_ERROR_TRUNCATED,
		             "port pool: truncated at byte %" G_GSIZE_FORMAT,
		             r->pos);
		return FALSE;
	}
	b = r->data + r->pos;
	*v = (guint32) b[0] | (guint32) b[1] << 8 | (guint32) b[2] << 16 |
	     (guint32) b[3] << 24;
	r->pos += 4;
	return TRUE;
}

static gboolean
inconsistent (GError **error, const char *what, guint32 port)
{
	g_set_error (error, RREC_PORT_POOL_ERROR,
	             RREC_PORT_POOL_ERROR_INCONSISTENT,
	             "port pool: port %" G_GUINT32_FORMAT " %s", port, what);
	return FALSE;
}

/*
 * A used port (below the counter) that is neither in the FIFO nor in use,
 * or both, would break R18's order later: refuse it now.
 */
static gboolean
read_ports (Reader *r, RrecPortPool *pool, gboolean released,
            GHashTable *seen, GError **error)
{
	guint32 n;

	if (!get_u32 (r, &n, error))
		return FALSE;
	/* Checked before looping so that a huge count cannot spin. */
	if (n > pool->next_unused)
		return inconsistent (error, "is a count beyond the used ports",
		                     n);
	if ((r->len - r->pos) / 4 < n) {
		g_set_error (error, RREC_PORT_POOL_ERROR,
		             RREC_PORT_POOL_ERROR_TRUNCATED,
		             "port pool: %" G_GUINT32_FORMAT " ports announced, "
		             "truncated at byte %" G_GSIZE_FORMAT, n, r->len);
		return FALSE;
	}
	for (guint32 i = 0; i < n; i++) {
		guint32 port;

		if (!get_u32 (r, &port, error))
			return FALSE;
		if (port >= pool->next_unused)
			return inconsistent (error, "was never used", port);
		if (!g_hash_table_add (seen, GUINT_TO_POINTER (port)))
			return inconsistent (error, "appears twice", port);
		if (released)
			ring_push (pool, port);
		else
			g_hash_table_add (pool->in_use, GUINT_TO_POINTER (port));
	}
	return TRUE;
}

RrecPortPool *
rrec_port_pool_deserialize (const guint8 *data, gsize len, gsize *used,
                            GError **error)
{
	Reader r = { data, len, 0 };
	g_autoptr (RrecPortPool) pool = NULL;
	g_autoptr (GHashTable) seen = NULL;
	guint32 version, size, next_unused;

	if (len < 4 || memcmp (data, POOL_MAGIC, 4) != 0) {
		g_set_error (error, RREC_PORT_POOL_ERROR,
		             RREC_PORT_POOL_ERROR_BAD_MAGIC,
		             "port pool: does not start with \"" POOL_MAGIC "\"");
		return NULL;
	}
	r.pos = 4;
	if (!get_u32 (&r, &version, error))
		return NULL;
	if (version != POOL_VERSION) {
		g_set_error (error, RREC_PORT_POOL_ERROR,
		             RREC_PORT_POOL_ERROR_BAD_VERSION,
		             "port pool: version %" G_GUINT32_FORMAT
		             ", only %u is known", version, POOL_VERSION);
		return NULL;
	}
	if (!get_u32 (&r, &size, error) || !get_u32 (&r, &next_unused, error))
		return NULL;
	if (next_unused > size) {
		inconsistent (error, "is the next unused one, beyond the size",
		              next_unused);
		return NULL;
	}

	pool = rrec_port_pool_new (size);
	pool->next_unused = next_unused;
	seen = g_hash_table_new (g_direct_hash, g_direct_equal);
	if (!read_ports (&r, pool, TRUE, seen, error) ||
	    !read_ports (&r, pool, FALSE, seen, error))
		return NULL;
	if (g_hash_table_size (seen) != next_unused) {
		inconsistent (error, "(the next unused one) is not preceded by "
		              "only released or in-use ports", next_unused);
		return NULL;
	}

	if (used != NULL)
		*used = r.pos;
	return g_steal_pointer (&pool);
}

gboolean
rrec_port_pool_equal (const RrecPortPool *a, const RrecPortPool *b)
{
	GHashTableIter iter;
	gpointer key;

	if (a->size != b->size || a->next_unused != b->next_unused ||
	    a->n_released != b->n_released ||
	    g_hash_table_size (a->in_use) != g_hash_table_size (b->in_use))
		return FALSE;
	for (guint32 i = 0; i < a->n_released; i++)
		if (ring_at (a, i) != ring_at (b, i))
			return FALSE;
	g_hash_table_iter_init (&iter, a->in_use);
	while (g_hash_table_iter_next (&iter, &key, NULL))
		if (!g_hash_table_contains (b->in_use, key))
			return FALSE;
	return TRUE;
}
