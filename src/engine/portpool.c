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

	/* The ports in use, a bit each: every one is below next_unused. */
	guint64 *in_use;
	guint32 n_words;
	guint32 n_in_use;
	guint64 changes;	/* allocations and releases so far */
};

#define PRESIZE_MAX (1u << 20)

RrecPortPool *
rrec_port_pool_new (guint32 n_ports)
{
	RrecPortPool *pool = g_new0 (RrecPortPool, 1);

	pool->size = n_ports;
	/* A range of up to PRESIZE_MAX ports gets its bitmap and its ring of
	 * released ports (R18) at once (~4 bytes a port): they do not grow
	 * while the range is used for the first time. */
	if (n_ports <= PRESIZE_MAX) {
		pool->n_words = (n_ports + 63) / 64;
		pool->in_use = g_new0 (guint64, MAX (pool->n_words, 1u));
		pool->capacity = MAX (16u, n_ports);
		pool->ring = g_new (guint32, pool->capacity);
	}
	return pool;
}

static gboolean
bit_get (const RrecPortPool *pool, guint32 port)
{
	return port / 64 < pool->n_words &&
	       (pool->in_use[port / 64] >> (port % 64) & 1);
}

/* Marks @port in use (@on) or free; FALSE if it already was. */
static gboolean
bit_set (RrecPortPool *pool, guint32 port, gboolean on)
{
	guint32 w = port / 64;
	guint64 m = (guint64) 1 << (port % 64);

	if (w >= pool->n_words) {
		if (!on)
			return FALSE;
		guint32 n = MAX (w + 1, pool->n_words * 2);
		pool->in_use = g_renew (guint64, pool->in_use, n);
		memset (pool->in_use + pool->n_words, 0,
			(n - pool->n_words) * sizeof (guint64));
		pool->n_words = n;
	}
	if (!!(pool->in_use[w] & m) == !!on)
		return FALSE;
	pool->in_use[w] ^= m;
	if (on)
		pool->n_in_use++;
	else
		pool->n_in_use--;
	return TRUE;
}

void
rrec_port_pool_free (RrecPortPool *pool)
{
	if (pool == NULL)
		return;
	g_free (pool->in_use);
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
	return pool->n_in_use;
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

	bit_set (pool, p, TRUE);
	pool->changes++;
	*port = p;
	return TRUE;
}

gboolean
rrec_port_pool_peek (const RrecPortPool *pool, guint32 *port)
{
	if (pool->next_unused < pool->size)
		*port = pool->next_unused;
	else if (pool->n_released > 0)
		*port = pool->ring[pool->head];
	else
		return FALSE;
	return TRUE;
}

gboolean
rrec_port_pool_release (RrecPortPool *pool, guint32 port)
{
	if (!bit_set (pool, port, FALSE))
		return FALSE;
	ring_push (pool, port);
	pool->changes++;
	return TRUE;
}

gboolean
rrec_port_pool_is_in_use (const RrecPortPool *pool, guint32 port)
{
	return bit_get (pool, port);
}

static void
put_u32 (GByteArray *out, guint32 v)
{
	guint8 b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };

	g_byte_array_append (out, b, sizeof b);
}

/* The ports in use, ascending. */
static guint32 *
sorted_in_use (const RrecPortPool *pool, guint *n)
{
	guint32 *ports;
	guint i = 0;

	*n = pool->n_in_use;
	ports = g_new (guint32, MAX (*n, 1u));
	for (guint32 w = 0; w < pool->n_words; w++)
		for (guint64 bits = pool->in_use[w]; bits; bits &= bits - 1)
			ports[i++] = w * 64 + (guint32) __builtin_ctzll (bits);
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
			bit_set (pool, port, TRUE);
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
	if (a->size != b->size || a->next_unused != b->next_unused ||
	    a->n_released != b->n_released || a->n_in_use != b->n_in_use)
		return FALSE;
	for (guint32 i = 0; i < a->n_released; i++)
		if (ring_at (a, i) != ring_at (b, i))
			return FALSE;
	for (guint32 w = 0; w < MAX (a->n_words, b->n_words); w++) {
		guint64 x = w < a->n_words ? a->in_use[w] : 0;
		guint64 y = w < b->n_words ? b->in_use[w] : 0;

		if (x != y)
			return FALSE;
	}
	return TRUE;
}
