/*
 * rrec-lognames.h — the attribute names a reader has met, each kept once
 * for the reader's life: a line's name is found in this table (one slot
 * per name signature, compared a vector at a time) instead of being copied
 * into the block and signed again on every line.  A name the table cannot
 * take (a slot taken by another name, a long name, a full table: a log
 * with unusual names) is copied as before.  Private to the reader
 * (logreader.rl).
 */
#pragma once

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "rrec-logblock.h"

G_BEGIN_DECLS

#define RREC_LOG_NAME_SLOTS 256
/* Names kept at most (a log uses a few dozen), and their longest. */
#define RREC_LOG_NAMES_MAX 192
#define RREC_LOG_NAME_LEN_MAX 48

typedef struct {
	char *name;		/* NUL-terminated; NULL: a free slot */
	guint32 len;
	guint32 sig;		/* the reader's signature of the name */
	guint64 sig_bit;	/* …and its bit in a block's set of names */
	gboolean connid;	/* it ends in ConnID (a ConnID's value) */
} RrecLogName;

typedef struct {
	RrecLogName slot[RREC_LOG_NAME_SLOTS];
	guint n;
} RrecLogNames;

/* The LEN bytes at A and at B (both readable for LEN bytes) are the same. */
static inline gboolean
rrec_log_same_bytes (const uchar *a, const uchar *b, gsize len)
{
#ifdef __SSE2__
	if (len >= 16 && len <= 32) {
		__m128i x = _mm_and_si128 (
			_mm_cmpeq_epi8 (_mm_loadu_si128 ((const __m128i *) a),
					_mm_loadu_si128 ((const __m128i *) b)),
			_mm_cmpeq_epi8 (_mm_loadu_si128 ((const __m128i *) (a + len - 16)),
					_mm_loadu_si128 ((const __m128i *) (b + len - 16))));

		return _mm_movemask_epi8 (x) == 0xffff;
	}
#endif
	if (len >= 8 && len <= 16) {
		guint64 a0, a1, b0, b1;

		memcpy (&a0, a, 8);
		memcpy (&b0, b, 8);
		memcpy (&a1, a + len - 8, 8);
		memcpy (&b1, b + len - 8, 8);
		return ((a0 ^ b0) | (a1 ^ b1)) == 0;
	}
	return memcmp (a, b, len) == 0;
}

static inline guint
rrec_log_name_slot (guint32 sig)
{
	return (sig * 0x9e3779b1u) >> 24;	/* 256 slots */
}

/* Each name has two slots, the second where another name's signature
 * took the first (a log's few dozen names meet in a slot now and then:
 * the one met later would never be kept). */
static inline gboolean
rrec_log_name_is (const RrecLogName *at, const uchar *name, gsize len,
		  guint32 sig)
{
	return at->len == len && at->sig == sig &&
	       rrec_log_same_bytes ((const uchar *) at->name, name, len);
}

/* The kept name NAME (LEN bytes, signature SIG), or NULL. */
static inline const RrecLogName *
rrec_log_names_lookup (const RrecLogNames *t, const uchar *name, gsize len,
		       guint32 sig)
{
	guint i = rrec_log_name_slot (sig);

	if (G_LIKELY (rrec_log_name_is (&t->slot[i], name, len, sig)))
		return &t->slot[i];
	i = (i + 1) % RREC_LOG_NAME_SLOTS;
	if (rrec_log_name_is (&t->slot[i], name, len, sig))
		return &t->slot[i];
	return NULL;
}

/* The kept name NAME (LEN bytes, signature SIG), kept now if it was not
 * and there is room; NULL if it is not kept.  Only identifiers are kept
 * (the names the hand reader and the machine read): the reader relies on
 * it (logreader.rl, kept_name_at()). */
static inline const RrecLogName *
rrec_log_names_find (RrecLogNames *t, const uchar *name, gsize len, guint32 sig)
{
	const RrecLogName *kept = rrec_log_names_lookup (t, name, len, sig);
	guint i = rrec_log_name_slot (sig);
	RrecLogName *at = &t->slot[i];

	if (G_LIKELY (kept != NULL))
		return kept;
	if (at->name != NULL)
		at = &t->slot[(i + 1) % RREC_LOG_NAME_SLOTS];
	if (at->name != NULL || len > RREC_LOG_NAME_LEN_MAX ||
	    t->n >= RREC_LOG_NAMES_MAX)
		return NULL;
	at->name = g_strndup ((const char *) name, len);
	at->len = (guint32) len;
	at->sig = sig;
	at->sig_bit = (guint64) 1 << ((sig ^ sig >> 11 ^ sig >> 22) & 63);
	at->connid = len >= 6 && memcmp (name + len - 6, "ConnID", 6) == 0;
	t->n++;
	return at;
}

static inline void
rrec_log_names_clear (RrecLogNames *t)
{
	for (guint i = 0; i < RREC_LOG_NAME_SLOTS; i++)
		g_free (t->slot[i].name);
	memset (t, 0, sizeof *t);
}

G_END_DECLS
