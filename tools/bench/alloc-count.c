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
#define _GNU_SOURCE 1
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
#define RREC_BENCH_COUNTS 1
#else
#define RREC_BENCH_COUNTS 0
#endif

static gboolean counting;
static guint64 allocations;

#if RREC_BENCH_COUNTS
#include <execinfo.h>

extern void *__libc_malloc (size_t size);
extern void *__libc_calloc (size_t n, size_t size);
extern void *__libc_realloc (void *p, size_t size);

/*
 * RREC_BENCH_ALLOC_SITES=1 in the environment: each counted allocation's
 * call stack is kept (the first SITES_MAX), and printed at exit as
 * "count  address address …" lines, most frequent first, for addr2line
 * (a profile of where the allocations per event come from, the timed
 * parts only).  Off by default: then nothing but the count is done.
 */
#define SITES_MAX 200000
#define SITE_DEPTH 10

typedef struct {
	void *pc[SITE_DEPTH];
} Site;

static Site *sites;
static guint n_sites;
static int sites_on = -1;
static __thread gboolean in_trace;

static void
sites_record (void)
{
	void *pc[SITE_DEPTH + 2];
	int n;

	if (in_trace || n_sites >= SITES_MAX)
		return;
	in_trace = TRUE;
	n = backtrace (pc, SITE_DEPTH + 2);
	/* frames 0 and 1 are this function and the counting malloc */
	memset (&sites[n_sites], 0, sizeof (Site));
	for (int i = 2; i < n; i++)
		sites[n_sites].pc[i - 2] = pc[i];
	n_sites++;
	in_trace = FALSE;
}

static int
site_cmp (const void *a, const void *b)
{
	return memcmp (a, b, sizeof (Site));
}

static void
sites_print (void)
{
	Dl_info info;

	qsort (sites, n_sites, sizeof (Site), site_cmp);
	g_printerr ("rrec bench: %u allocations in the timed parts, by call stack "
		    "(module+offset):\n", n_sites);
	for (guint i = 0; i < n_sites;) {
		guint j = i;

		while (j < n_sites && site_cmp (&sites[i], &sites[j]) == 0)
			j++;
		g_printerr ("%7u", j - i);
		for (int k = 0; k < SITE_DEPTH && sites[i].pc[k]; k++) {
			if (dladdr (sites[i].pc[k], &info) && info.dli_fname)
				g_printerr (" %s+%#lx", strrchr (info.dli_fname, '/') ?
					    strrchr (info.dli_fname, '/') + 1 : info.dli_fname,
					    (unsigned long) ((char *) sites[i].pc[k] -
							     (char *) info.dli_fbase - 1));
		}
		g_printerr ("\n");
		i = j;
	}
}

static inline void
count (void)
{
	if (__atomic_load_n (&counting, __ATOMIC_RELAXED)) {
		__atomic_store_n (&allocations,
				  __atomic_load_n (&allocations, __ATOMIC_RELAXED) + 1,
				  __ATOMIC_RELAXED);
		if (sites_on > 0)
			sites_record ();
	}
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
#if RREC_BENCH_COUNTS
	if (sites_on < 0) {
		void *pc[4];

		sites_on = g_getenv ("RREC_BENCH_ALLOC_SITES") != NULL;
		if (sites_on) {
			sites = g_new0 (Site, SITES_MAX);
			backtrace (pc, 4);	/* loads what it needs, uncounted */
			atexit (sites_print);
		}
	}
#endif
	__atomic_store_n (&counting, on, __ATOMIC_RELAXED);
}

guint64
bench_allocs (void)
{
	return __atomic_load_n (&allocations, __ATOMIC_RELAXED);
}
