/*
 * rrec-portpool.h — the recording ports a session can take (R18, R22).
 *
 * A pool of N ports, numbered 0 … N-1 (the index of rrec-uri-pattern.h),
 * N up to 10^9.  R18 fixes the order in which ports are handed out:
 *
 *   1. ports never used yet, in ascending order;
 *   2. then released ports, the one released longest ago first.
 *
 * So the pool is a counter (the lowest never-used port) and a FIFO of
 * released ports, plus a set of the ports in use.  Allocate, release and
 * is_in_use are O(1); memory grows with the ports that have ever been in
 * use, never with N: a pool of 10^9 ports of which ten were used holds
 * ten numbers.
 *
 * Every port below the counter is either in use or in the FIFO, never
 * both: rrec_port_pool_deserialize() checks it.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _RrecPortPool RrecPortPool;

/* A pool of N_PORTS ports, none used yet.  N_PORTS may be 0. */
RrecPortPool *rrec_port_pool_new (guint32 n_ports);

void rrec_port_pool_free (RrecPortPool *pool);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RrecPortPool, rrec_port_pool_free)

guint32 rrec_port_pool_get_size (const RrecPortPool *pool);

guint32 rrec_port_pool_get_n_in_use (const RrecPortPool *pool);

/*
 * R18: takes the next port and stores it in *PORT.  Returns FALSE when
 * every port is in use (R22: the caller raises no-free-port).
 */
gboolean rrec_port_pool_allocate (RrecPortPool *pool, guint32 *port);

/*
 * The port rrec_port_pool_allocate() would take next, in *PORT, without
 * taking it (the engine's look-ahead asks the CPU for its map slot before
 * a session takes it); FALSE when every port is in use.
 */
gboolean rrec_port_pool_peek (const RrecPortPool *pool, guint32 *port);

/*
 * Gives PORT back: it goes to the end of the FIFO.  Returns FALSE, and
 * changes nothing, when PORT is not in use (a caller bug, reported to it
 * rather than corrupting the order).
 */
gboolean rrec_port_pool_release (RrecPortPool *pool, guint32 port);

gboolean rrec_port_pool_is_in_use (const RrecPortPool *pool, guint32 port);

/*
 * Appends the pool's state to OUT, deterministically (the same state
 * always gives the same bytes).  All numbers are unsigned 32-bit
 * little-endian:
 *
 *     "RRPP"             magic, 4 bytes
 *     version            1
 *     size               N
 *     next_unused        the lowest never-used port
 *     n_released, then n_released ports, oldest release first
 *     n_in_use, then n_in_use ports, ascending
 */
void rrec_port_pool_serialize (const RrecPortPool *pool, GByteArray *out);

/* The first part of that form, up to and without n_in_use: the order of
 * reuse, which the ports in use (known elsewhere) complete. */
void rrec_port_pool_serialize_free (const RrecPortPool *pool, GByteArray *out);

/* Counts allocations and releases: a changed count, a changed pool. */
guint64 rrec_port_pool_get_changes (const RrecPortPool *pool);

/*
 * Reads a pool written by rrec_port_pool_serialize() from the LEN bytes at
 * DATA; stores in *USED (may be NULL) the number of bytes it took, so that
 * the pool can be one part of a larger state.  Sets ERROR
 * (RREC_PORT_POOL_ERROR) on a short, unknown or inconsistent input.
 */
RrecPortPool *rrec_port_pool_deserialize (const guint8 *data, gsize len,
                                          gsize *used, GError **error);

/* Same size, same counter, same FIFO order and same ports in use. */
gboolean rrec_port_pool_equal (const RrecPortPool *a, const RrecPortPool *b);

#define RREC_PORT_POOL_ERROR (rrec_port_pool_error_quark ())
GQuark rrec_port_pool_error_quark (void);

typedef enum {
	RREC_PORT_POOL_ERROR_TRUNCATED,
	RREC_PORT_POOL_ERROR_BAD_MAGIC,
	RREC_PORT_POOL_ERROR_BAD_VERSION,
	RREC_PORT_POOL_ERROR_INCONSISTENT,
} RrecPortPoolError;

G_END_DECLS
