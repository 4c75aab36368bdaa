/*
 * region.h — memory the engine maps itself, in 2 MiB pages where the
 * system gives them (transparent huge pages, madvise(MADV_HUGEPAGE)).
 *
 * At 10^5 calls in progress the engine reads tens of MB at random: in
 * 4 KiB pages nearly every read of a call, a DN entry or a map slot also
 * misses the TLB and walks the page tables.  With THP set to `madvise`
 * (the usual default) malloc'd memory gets 4 KiB pages; memory mapped
 * here is advised for 2 MiB ones.  Two kinds:
 *
 * - a big block (rrec_region_map()): a mapping of its own, 2 MiB-aligned,
 *   for a table of at least RREC_REGION_BIG bytes (the DN index and
 *   entries, the calls map): given back whole (rrec_region_unmap());
 * - an arena (RrecArena): address space reserved once per engine (no
 *   memory), made usable as the engine grows, blocks carved from it in
 *   order and never given back to the system before the arena is cleared.
 *   Its first 2 MiB are made usable 64 KiB at a time in 4 KiB pages, so
 *   that a small engine stays small; past that, 2 MiB at a time in huge
 *   pages.
 *
 * No state is shared between engines: each has its own arena.  Where
 * mapping fails (address space limited, no mmap), or under
 * AddressSanitizer or valgrind (which must see every block: each block
 * is then malloc'd as before), nothing is mapped and callers use malloc:
 * rrec_arena_carve() returns NULL, rrec_region_map() too.  Where madvise
 * fails or THP is off the memory is still there, in 4 KiB pages.
 */
#pragma once

#include <glib.h>

/* A table this large or larger is mapped by itself (one huge page or more). */
#define RREC_REGION_BIG ((gsize) 2 << 20)
#define RREC_REGION_HUGE ((gsize) 2 << 20)

/* FALSE under AddressSanitizer and valgrind: every block malloc'd. */
gboolean rrec_region_enabled (void);

/* @size bytes, zeroed, 2 MiB-aligned, advised for huge pages: NULL when
 * not enabled or the mapping failed (the caller mallocs). */
gpointer rrec_region_map (gsize size);
/* A block of rrec_region_map() of @size bytes (the size it was mapped for). */
void rrec_region_unmap (gpointer mem, gsize size);
/* The bytes a block of @size takes (whole 2 MiB pages). */
gsize rrec_region_mapped_size (gsize size);

typedef struct {
	char *base;		/* 2 MiB-aligned; NULL: not reserved (yet) */
	gsize reserved;		/* bytes of address space from base */
	gsize committed;	/* usable from base (read-write) */
	gsize used;		/* carved from base */
	gpointer raw;		/* the mapping as made (for munmap) */
	gsize raw_len;
	gboolean off;		/* not to be used (disabled, or failed) */
} RrecArena;

/* @size bytes at a multiple of @align (a power of two, at most 4096),
 * not zeroed; NULL when the arena is off or full (the caller mallocs). */
gpointer rrec_arena_carve (RrecArena *a, gsize size, gsize align);
/* TRUE when @mem was carved from @a. */
static inline gboolean
rrec_arena_has (const RrecArena *a, gconstpointer mem)
{
	return (guintptr) mem - (guintptr) a->base < a->used;
}
/* The bytes the arena has made usable (what it may occupy in memory). */
static inline gsize
rrec_arena_committed (const RrecArena *a)
{
	return a->committed;
}
/* Unmaps everything; the arena may be used again (it reserves anew). */
void rrec_arena_clear (RrecArena *a);
