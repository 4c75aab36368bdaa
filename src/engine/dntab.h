/*
 * dntab.h — the engine's DNs, each stored once and known by a small
 * integer id (from 1; 0 is "no DN"), so that the hot path hashes a DN's
 * text once per message and compares ids after that: a party's DN and
 * peer are ids, and whether a DN is of this T-Server or records (R1) is a
 * flag of its entry, not a look-up.  The configured DNs are entered when
 * the engine is made, any other DN at first sight.  An outside number
 * stays only while something of a call refers to it (a party's DN or
 * peer, a DN field of the call, its session's owner, a scope or a veto:
 * reference counted): the table does not grow with the calls that came
 * and went.
 */
#pragma once

#include <string.h>

#include <glib.h>

#define RREC_DN_HEAD 16

/* A look-ahead's request to the CPU to load the line of @p
 * (rrec_engine_prefetch()).  A build with -DRREC_PREFETCH_AS_LOAD reads
 * the byte instead: valgrind's cache simulation ignores prefetches, and
 * then counts the misses the hints leave (doc/performance.md). */
#ifdef RREC_PREFETCH_AS_LOAD
#define RREC_PREFETCH(p) ((void) *(const volatile char *) (p))
#define RREC_PREFETCH_W(p) ((void) *(const volatile char *) (p))
#else
#define RREC_PREFETCH(p) __builtin_prefetch (p)
/* the same, for a line about to be written */
#define RREC_PREFETCH_W(p) __builtin_prefetch ((p), 1)
#endif

/* An entry, 32 bytes at a 32-byte boundary (RrecDnTable.v is aligned):
 * it never straddles two cache lines.  The index's slot gives its id; the
 * entry's head tells whether it is the DN sought, and its flags what the
 * engine asks of a DN, all in the one line. */
typedef struct {
	char *name;		/* NULL: a free id */
	guint32 hash;
	guint32 refs : 28;	/* what of the calls names it (a party's DN
				 * or peer, a call's DN field, an owner, a
				 * scope, a veto) */
	guint32 configured : 1;	/* a DN of the configuration */
	guint32 records : 1;	/* its `record` option (R1) */
	guint32 seen : 1;	/* a DN of this T-Server: seen as ThisDN, or
				 * configured and on a call (the saved
				 * state's list of local DNs) */
	guint32 dying : 1;	/* no reference left: leaves at the next
				 * rrec_dn_table_sweep() unless taken again */
	char head[RREC_DN_HEAD];	/* the DN's first bytes, NUL-padded: a DN
				 * shorter than that is compared here, without
				 * reading its name */
} RrecDn;

#define RREC_DN_MAX_REFS ((1u << 28) - 1)

/* A slot of the open-addressing index: 8 bytes, so that the index of a
 * few hundred thousand DNs is a few MB (it is read once per DN of a
 * message, at a random place). */
typedef struct {
	guint32 hash;
	guint32 id;		/* 0: empty */
} RrecDnSlot;

typedef struct {
	RrecDn *v;		/* by id; v[0] is unused; 64-byte aligned */
	guint32 n;		/* ids handed out: 1 .. n - 1 */
	guint32 cap;
	guint32 free_id;	/* a chain of free ids through .hash, 0: none */
	RrecDnSlot *slots;
	guint32 mask;
	guint32 used;		/* live entries */
	GArray *dying;		/* guint32 ids whose last reference went */
	GPtrArray *spare_names;	/* names of entries gone, kept for new ones
				 * (no allocation per outside number) */
	gboolean v_mapped;	/* v, slots mapped by themselves (region.h) */
	gboolean slots_mapped;
} RrecDnTable;

void rrec_dn_table_init (RrecDnTable *t);
void rrec_dn_table_clear (RrecDnTable *t);
/* The bytes its entries and index take in mappings of their own (those
 * malloc'd not counted). */
gsize rrec_dn_table_mapped (const RrecDnTable *t);
/* The id of @dn, or 0 when the table does not have it (or @dn is NULL). */
guint32 rrec_dn_table_find (const RrecDnTable *t, const char *dn);
/* The id of @dn, entered if new: the caller sets a flag or takes a
 * reference, or the entry goes at the next rrec_dn_table_release(). */
guint32 rrec_dn_table_intern (RrecDnTable *t, const char *dn);
void rrec_dn_table_ref (RrecDnTable *t, guint32 id);
/* Drops a reference.  An entry that no party names, neither configured
 * nor local, leaves the table at the next sweep (the end of the engine's
 * step): ids stay valid for the whole of a message. */
void rrec_dn_table_unref (RrecDnTable *t, guint32 id);
void rrec_dn_table_sweep (RrecDnTable *t);

/* A DN's text hashed once, to be looked for in several places (a call's
 * parties first, then the index). */
typedef struct {
	const char *text;
	gsize len;
	guint32 hash;
	char head[RREC_DN_HEAD];
} RrecDnKey;

/* Fills @k for @dn (not NULL). */
void rrec_dn_key_init (RrecDnKey *k, const char *dn);
/* The DN of id @id (a live one) is @k's: its entry alone is read. */
static inline gboolean
rrec_dn_table_matches (const RrecDnTable *t, guint32 id, const RrecDnKey *k)
{
	const RrecDn *d = &t->v[id];

	return d->hash == k->hash &&
	       memcmp (d->head, k->head, RREC_DN_HEAD) == 0 &&
	       (k->len < RREC_DN_HEAD ||
		strcmp (d->name + RREC_DN_HEAD, k->text + RREC_DN_HEAD) == 0);
}
/* rrec_dn_table_find() and rrec_dn_table_intern() of a key. */
guint32 rrec_dn_table_find_key (const RrecDnTable *t, const RrecDnKey *k);
guint32 rrec_dn_table_intern_key (RrecDnTable *t, const RrecDnKey *k);

/* The hash of @dn as the index uses it (rrec_dn_table_prefetch()). */
guint32 rrec_dn_table_hash (const char *dn);
/* Look-ahead (rrec_engine_prefetch()): asks the CPU to load the index's
 * slot of @hash (rrec_dn_table_hash()); with @entry, it reads that slot
 * (loaded by an earlier call) and asks for the entry of the first DN of
 * that hash.  Changes nothing. */
void rrec_dn_table_prefetch (const RrecDnTable *t, guint32 hash, gboolean entry);

static inline const RrecDn *
rrec_dn_table_get (const RrecDnTable *t, guint32 id)
{
	return &t->v[id];
}

static inline const char *
rrec_dn_table_name (const RrecDnTable *t, guint32 id)
{
	return id ? t->v[id].name : NULL;
}

/* The DN of id @id as text, NULL for 0: a DN shorter than RREC_DN_HEAD
 * from its entry's head (which then holds it whole, NUL included), its
 * name's block unread (the entry's line is often in the cache, the name's
 * not); a longer one from its name.  Valid while the table is unchanged. */
static inline const char *
rrec_dn_table_text (const RrecDnTable *t, guint32 id)
{
	if (id == 0)
		return NULL;

	const RrecDn *d = &t->v[id];

	return d->head[RREC_DN_HEAD - 1] == '\0' ? d->head : d->name;
}

/* A DN of this T-Server (§3): seen as ThisDN, or configured. */
static inline gboolean
rrec_dn_table_is_local (const RrecDnTable *t, guint32 id)
{
	return id && (t->v[id].seen || t->v[id].configured);
}
