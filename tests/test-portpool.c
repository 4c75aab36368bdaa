/*
 * test-portpool.c — the order in which ports are handed out (R18), the
 * empty pool (R22) and the pool's byte form.
 */

#include <string.h>

#include "rrec-portpool.h"

/* Takes the next port, which rrec_port_pool_peek() named beforehand. */
static guint32
take (RrecPortPool *pool)
{
	guint32 port = G_MAXUINT32, next = G_MAXUINT32 - 1;

	g_assert_true (rrec_port_pool_peek (pool, &next));
	g_assert_true (rrec_port_pool_allocate (pool, &port));
	g_assert_cmpuint (port, ==, next);
	return port;
}

static void
test_ascending_then_oldest_released (void)
{
	g_autoptr (RrecPortPool) pool = rrec_port_pool_new (5);

	/* Never-used ports first, ascending, even once some are released. */
	g_assert_cmpuint (take (pool), ==, 0);
	g_assert_cmpuint (take (pool), ==, 1);
	g_assert_cmpuint (take (pool), ==, 2);
	g_assert_true (rrec_port_pool_release (pool, 1));
	g_assert_true (rrec_port_pool_release (pool, 0));
	g_assert_cmpuint (take (pool), ==, 3);
	g_assert_cmpuint (take (pool), ==, 4);

	/* Then the one released longest ago: 1 before 0. */
	g_assert_true (rrec_port_pool_release (pool, 4));
	g_assert_cmpuint (take (pool), ==, 1);
	g_assert_cmpuint (take (pool), ==, 0);
	g_assert_cmpuint (take (pool), ==, 4);
	g_assert_cmpuint (rrec_port_pool_get_n_in_use (pool), ==, 5);
}

/* Many releases in and out make the FIFO ring wrap and grow. */
static void
test_fifo_survives_growth (void)
{
	g_autoptr (RrecPortPool) pool = rrec_port_pool_new (100);
	guint32 expect;

	for (guint i = 0; i < 100; i++)
		take (pool);
	/* Release 0..9, take 5 back, then release 10..99: order holds. */
	for (guint32 p = 0; p < 10; p++)
		g_assert_true (rrec_port_pool_release (pool, p));
	for (guint32 p = 0; p < 5; p++)
		g_assert_cmpuint (take (pool), ==, p);
	for (guint32 p = 10; p < 100; p++)
		g_assert_true (rrec_port_pool_release (pool, p));
	expect = 5;
	for (guint i = 0; i < 95; i++, expect = expect == 9 ? 10 : expect + 1)
		g_assert_cmpuint (take (pool), ==, expect);
}

static void
test_in_use (void)
{
	g_autoptr (RrecPortPool) pool = rrec_port_pool_new (3);

	g_assert_false (rrec_port_pool_is_in_use (pool, 0));
	take (pool);
	g_assert_true (rrec_port_pool_is_in_use (pool, 0));
	g_assert_false (rrec_port_pool_is_in_use (pool, 1));
	g_assert_true (rrec_port_pool_release (pool, 0));
	g_assert_false (rrec_port_pool_is_in_use (pool, 0));
	/* Releasing a port twice, or one never taken, changes nothing. */
	g_assert_false (rrec_port_pool_release (pool, 0));
	g_assert_false (rrec_port_pool_release (pool, 2));
	g_assert_cmpuint (take (pool), ==, 1);
	g_assert_cmpuint (take (pool), ==, 2);
	g_assert_cmpuint (take (pool), ==, 0);
}

static void
test_exhausted (void)
{
	g_autoptr (RrecPortPool) pool = rrec_port_pool_new (2);
	g_autoptr (RrecPortPool) empty = rrec_port_pool_new (0);
	guint32 port = 77;

	take (pool);
	take (pool);
	g_assert_false (rrec_port_pool_peek (pool, &port));
	g_assert_false (rrec_port_pool_allocate (pool, &port));
	g_assert_cmpuint (port, ==, 77);
	g_assert_true (rrec_port_pool_release (pool, 1));
	g_assert_cmpuint (take (pool), ==, 1);
	g_assert_false (rrec_port_pool_allocate (pool, &port));

	g_assert_false (rrec_port_pool_peek (empty, &port));
	g_assert_false (rrec_port_pool_allocate (empty, &port));
}

/*
 * 10^9 ports (9 Ds): the pool must not allocate per port.  The byte form
 * shows what it holds: 5 ports in use, 1 released, 11 numbers in all.
 */
static void
test_billion_ports_small_memory (void)
{
	g_autoptr (RrecPortPool) pool = rrec_port_pool_new (1000000000u);
	g_autoptr (GByteArray) bytes = g_byte_array_new ();

	for (guint32 p = 0; p < 6; p++)
		g_assert_cmpuint (take (pool), ==, p);
	g_assert_true (rrec_port_pool_release (pool, 3));
	g_assert_cmpuint (rrec_port_pool_get_size (pool), ==, 1000000000u);
	g_assert_true (rrec_port_pool_is_in_use (pool, 5));
	g_assert_false (rrec_port_pool_is_in_use (pool, 999999999u));

	rrec_port_pool_serialize (pool, bytes);
	g_assert_cmpuint (bytes->len, ==, 4 + 4 * 4 + 1 * 4 + 4 + 5 * 4);
}

/* The exact bytes: the format is part of the engine's saved state. */
static void
test_serialize_format (void)
{
	static const guint8 expected[] = {
		'R', 'R', 'P', 'P',
		1, 0, 0, 0,		/* version */
		0x00, 0x01, 0, 0,	/* size 256 */
		3, 0, 0, 0,		/* next unused */
		1, 0, 0, 0,		/* one released: */
		1, 0, 0, 0,		/*   port 1 */
		2, 0, 0, 0,		/* two in use, ascending: */
		0, 0, 0, 0,
		2, 0, 0, 0,
	};
	g_autoptr (RrecPortPool) pool = rrec_port_pool_new (256);
	g_autoptr (GByteArray) bytes = g_byte_array_new ();

	take (pool);
	take (pool);
	take (pool);
	rrec_port_pool_release (pool, 1);
	rrec_port_pool_serialize (pool, bytes);
	g_assert_cmpmem (bytes->data, bytes->len, expected, sizeof expected);
}

static void
test_round_trip (void)
{
	g_autoptr (RrecPortPool) pool = rrec_port_pool_new (50);
	g_autoptr (RrecPortPool) copy = NULL;
	g_autoptr (GByteArray) bytes = g_byte_array_new ();
	g_autoptr (GError) error = NULL;
	static const guint8 trailer[] = { 0xaa, 0xbb };
	gsize used = 0;
	guint32 spare;

	for (guint i = 0; i < 40; i++)
		take (pool);
	for (guint32 p = 30; p > 10; p--)
		rrec_port_pool_release (pool, p);
	/* The 10 never used, then 30 and 29. */
	for (guint i = 0; i < 12; i++)
		take (pool);

	rrec_port_pool_serialize (pool, bytes);
	g_byte_array_append (bytes, trailer, sizeof trailer);
	copy = rrec_port_pool_deserialize (bytes->data, bytes->len, &used,
	                                   &error);
	g_assert_no_error (error);
	g_assert_cmpuint (used, ==, bytes->len - sizeof trailer);
	g_assert_true (rrec_port_pool_equal (pool, copy));

	/* Both go on in the same order: 28, 27, … 11, then nothing. */
	for (guint32 p = 28; p > 10; p--) {
		g_assert_cmpuint (take (pool), ==, p);
		g_assert_cmpuint (take (copy), ==, p);
	}
	g_assert_false (rrec_port_pool_allocate (copy, &spare));
	g_assert_true (rrec_port_pool_equal (pool, copy));
	rrec_port_pool_release (copy, 0);
	g_assert_false (rrec_port_pool_equal (pool, copy));
}

static void
test_equal_ignores_history (void)
{
	g_autoptr (RrecPortPool) a = rrec_port_pool_new (4);
	g_autoptr (RrecPortPool) b = rrec_port_pool_new (4);

	take (a);
	take (a);
	take (b);
	take (b);
	g_assert_true (rrec_port_pool_equal (a, b));
	rrec_port_pool_release (a, 0);
	rrec_port_pool_release (a, 1);
	rrec_port_pool_release (b, 1);
	rrec_port_pool_release (b, 0);
	/* Same ports released, another order: R18 tells them apart. */
	g_assert_false (rrec_port_pool_equal (a, b));
}

static void
assert_refused (const guint8 *data, gsize len, gint code, const char *what)
{
	g_autoptr (GError) error = NULL;
	RrecPortPool *pool = rrec_port_pool_deserialize (data, len, NULL,
	                                                 &error);

	g_assert_null (pool);
	g_assert_error (error, RREC_PORT_POOL_ERROR, code);
	g_assert_nonnull (strstr (error->message, what));
}

static void
test_deserialize_refuses (void)
{
	static const guint8 magic[] = { 'X', 'R', 'P', 'P', 1, 0, 0, 0 };
	static const guint8 version[] = { 'R', 'R', 'P', 'P', 2, 0, 0, 0 };
	static const guint8 truncated[] = {
		'R', 'R', 'P', 'P', 1, 0, 0, 0, 4, 0, 0, 0, 2, 0, 0, 0,
		1, 0, 0, 0,
	};
	static const guint8 beyond[] = {
		'R', 'R', 'P', 'P', 1, 0, 0, 0, 4, 0, 0, 0, 5, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0,
	};
	/* Port 1 both released and in use; port 0 nowhere. */
	static const guint8 twice[] = {
		'R', 'R', 'P', 'P', 1, 0, 0, 0, 4, 0, 0, 0, 2, 0, 0, 0,
		1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0,
	};
	/* Port 0 used but neither released nor in use. */
	static const guint8 lost[] = {
		'R', 'R', 'P', 'P', 1, 0, 0, 0, 4, 0, 0, 0, 2, 0, 0, 0,
		0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0,
	};
	static const guint8 unused[] = {
		'R', 'R', 'P', 'P', 1, 0, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0,
		0, 0, 0, 0, 1, 0, 0, 0, 3, 0, 0, 0,
	};

	assert_refused (magic, sizeof magic, RREC_PORT_POOL_ERROR_BAD_MAGIC,
	                "RRPP");
	assert_refused (magic, 2, RREC_PORT_POOL_ERROR_BAD_MAGIC, "RRPP");
	assert_refused (version, sizeof version,
	                RREC_PORT_POOL_ERROR_BAD_VERSION, "version 2");
	assert_refused (truncated, sizeof truncated,
	                RREC_PORT_POOL_ERROR_TRUNCATED, "1 ports announced");
	assert_refused (beyond, sizeof beyond,
	                RREC_PORT_POOL_ERROR_INCONSISTENT, "port 5");
	assert_refused (twice, sizeof twice,
	                RREC_PORT_POOL_ERROR_INCONSISTENT,
	                "port 1 appears twice");
	assert_refused (lost, sizeof lost,
	                RREC_PORT_POOL_ERROR_INCONSISTENT, "port 2 (the next "
	                "unused one)");
	assert_refused (unused, sizeof unused,
	                RREC_PORT_POOL_ERROR_INCONSISTENT,
	                "port 3 was never used");
}

int
main (int argc, char **argv)
{
	g_test_init (&argc, &argv, NULL);

	g_test_add_func ("/portpool/R18/ascending-then-oldest-released",
	                 test_ascending_then_oldest_released);
	g_test_add_func ("/portpool/R18/fifo-survives-growth",
	                 test_fifo_survives_growth);
	g_test_add_func ("/portpool/R18/in-use", test_in_use);
	g_test_add_func ("/portpool/R18/billion-ports-small-memory",
	                 test_billion_ports_small_memory);
	g_test_add_func ("/portpool/R22/exhausted", test_exhausted);
	g_test_add_func ("/portpool/R18/serialize-format",
	                 test_serialize_format);
	g_test_add_func ("/portpool/R18/serialize-round-trip", test_round_trip);
	g_test_add_func ("/portpool/R18/equal-sees-release-order",
	                 test_equal_ignores_history);
	g_test_add_func ("/portpool/R18/deserialize-refuses",
	                 test_deserialize_refuses);

	return g_test_run ();
}
