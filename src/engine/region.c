/*
 * region.c — memory the engine maps itself (region.h).
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define HAVE_VALGRIND_H 1
#endif
#endif

#include "region.h"

#if defined(__SANITIZE_ADDRESS__)
#define REGION_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define REGION_SANITIZED 1
#endif
#endif

/* Address space an arena reserves: nothing is used until made usable,
 * and beyond it blocks are malloc'd (about 30 million calls). */
#define ARENA_RESERVE ((gsize) 16 << 30)
/* Its first part, made usable in small steps and 4 KiB pages: a small
 * engine (a test's, a replay of a few calls) stays small. */
#define ARENA_SMALL RREC_REGION_HUGE
#define ARENA_SMALL_STEP ((gsize) 64 << 10)

gboolean
rrec_region_enabled (void)
{
#if defined(REGION_SANITIZED)
	return FALSE;
#elif defined(HAVE_VALGRIND_H)
	return !RUNNING_ON_VALGRIND;
#else
	return TRUE;
#endif
}

static inline gsize
round_up (gsize n, gsize to)
{
	return (n + to - 1) & ~(to - 1);
}

/* @len bytes of address space at a 2 MiB boundary, with @prot; *raw and
 * *raw_len what to unmap.  NULL when it fails. */
static char *
map_aligned (gsize len, int prot, int flags, gpointer *raw, gsize *raw_len)
{
	gsize n = len + RREC_REGION_HUGE;
	char *p = mmap (NULL, n, prot, MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);
	char *base;

	if (p == MAP_FAILED)
		return NULL;
	base = (char *) round_up ((guintptr) p, RREC_REGION_HUGE);
	/* the unaligned head and the tail back to the system */
	if (base > p)
		munmap (p, (gsize) (base - p));
	if (base + len < p + n)
		munmap (base + len, (gsize) (p + n - (base + len)));
	*raw = base;
	*raw_len = len;
	return base;
}

gsize
rrec_region_mapped_size (gsize size)
{
	return round_up (size, RREC_REGION_HUGE);
}

gpointer
rrec_region_map (gsize size)
{
	gpointer raw;
	gsize raw_len;
	char *p;

	if (!rrec_region_enabled () || size == 0)
		return NULL;
	p = map_aligned (rrec_region_mapped_size (size), PROT_READ | PROT_WRITE,
			 0, &raw, &raw_len);
	/* where THP is off or madvise unknown, 4 KiB pages: still memory */
	if (p)
		(void) madvise (p, raw_len, MADV_HUGEPAGE);
	return p;
}

void
rrec_region_unmap (gpointer mem, gsize size)
{
	if (mem)
		munmap (mem, rrec_region_mapped_size (size));
}

static gboolean
arena_reserve (RrecArena *a)
{
	if (a->off)
		return FALSE;
	if (!rrec_region_enabled ()) {
		a->off = TRUE;
		return FALSE;
	}
	/* no access until made usable: the system counts no memory for it */
	a->base = map_aligned (ARENA_RESERVE, PROT_NONE, MAP_NORESERVE,
			       &a->raw, &a->raw_len);
	if (a->base == NULL) {
		a->off = TRUE;
		return FALSE;
	}
	a->reserved = ARENA_RESERVE;
	a->committed = 0;
	a->used = 0;
	/* past the first 2 MiB, huge pages: the advice is kept by the parts
	 * made usable later */
	(void) madvise (a->base + ARENA_SMALL, a->reserved - ARENA_SMALL,
			MADV_HUGEPAGE);
	return TRUE;
}

/* Makes at least @need bytes from base usable. */
static gboolean
arena_commit (RrecArena *a, gsize need)
{
	gsize to = need <= ARENA_SMALL ? round_up (need, ARENA_SMALL_STEP)
		: round_up (need, RREC_REGION_HUGE);

	if (to > a->reserved)
		return FALSE;
	if (mprotect (a->base + a->committed, to - a->committed,
		      PROT_READ | PROT_WRITE) != 0)
		return FALSE;
	a->committed = to;
	return TRUE;
}

gpointer
rrec_arena_carve (RrecArena *a, gsize size, gsize align)
{
	gsize at, end;

	if (a->base == NULL && !arena_reserve (a))
		return NULL;
	at = round_up (a->used, align);
	end = at + size;
	if (end > a->committed && !arena_commit (a, end))
		return NULL;
	a->used = end;
	return a->base + at;
}

void
rrec_arena_clear (RrecArena *a)
{
	if (a->raw)
		munmap (a->raw, a->raw_len);
	memset (a, 0, sizeof *a);
}
