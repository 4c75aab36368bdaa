/*
 * alloc-count.c — how many blocks the process asks of malloc, for
 * `rrec bench`'s allocations per event.
 *
 * The rrec command defines malloc, calloc and realloc itself: each counts
 * the call, then hands it to glibc's own (__libc_malloc …), so every
 * allocation of the process — the engine's, GLib's — passes here.  free is
 * glibc's, untouched.  Under AddressSanitizer, which must own malloc, or on
 * another C library, nothing is defined and the count is unavailable.
 * Counting is only ever switched on around a timed part; the count is a
 * relaxed load and store (the bench runs on one thread), no lock.
 */
#include "bench.h"

#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
#define RREC_BENCH_COUNTS 1
#else
#define RREC_BENCH_COUNTS 0
#endif

static gboolean counting;
static guint64 allocations;

#if RREC_BENCH_COUNTS
extern void *__libc_malloc (size_t size);
extern void *__libc_calloc (size_t n, size_t size);
extern void *__libc_realloc (void *p, size_t size);

static inline void
count (void)
{
	if (__atomic_load_n (&counting, __ATOMIC_RELAXED))
		__atomic_store_n (&allocations,
				  __atomic_load_n (&allocations, __ATOMIC_RELAXED) + 1,
				  __ATOMIC_RELAXED);
}

void *
malloc (size_t size)
{
	count ();
	return __libc_malloc (size);
}

void *
calloc (size_t n, size_t size)
{
	count ();
	return __libc_calloc (n, size);
}

void *
realloc (void *p, size_t size)
{
	count ();
	return __libc_realloc (p, size);
}
#endif

gboolean
bench_allocs_available (void)
{
	return RREC_BENCH_COUNTS;
}

void
bench_allocs_count (gboolean on)
{
	__atomic_store_n (&counting, on, __ATOMIC_RELAXED);
}

guint64
bench_allocs (void)
{
	return __atomic_load_n (&allocations, __ATOMIC_RELAXED);
}
