/*
 * rrec-logblock.h — building and freeing the values of a log block.
 *
 * Private to the library: the reader builds blocks, the engine and the
 * tools only read them through include/rrec/logreader.h.
 */
#pragma once

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "rrec/logreader.h"

G_BEGIN_DECLS

typedef unsigned char uchar;

#ifdef __SSE2__
/* 0xff in each byte of X within [LO, HI] */
static inline __m128i
rrec_log_in_range (__m128i x, char lo, char hi)
{
	__m128i d = _mm_sub_epi8 (x, _mm_set1_epi8 (lo));

	return _mm_cmpeq_epi8 (_mm_min_epu8 (d, _mm_set1_epi8 ((char) (hi - lo))), d);
}

/* A bit per byte of the sixteen at P that is [A-Za-z0-9_]. */
static inline unsigned
rrec_log_ident_bits (const uchar *p)
{
	__m128i x = _mm_loadu_si128 ((const __m128i *) p);
	__m128i ok = _mm_or_si128 (
		_mm_or_si128 (rrec_log_in_range (x, '0', '9'),
			      rrec_log_in_range (x, 'A', 'Z')),
		_mm_or_si128 (rrec_log_in_range (x, 'a', 'z'),
			      _mm_cmpeq_epi8 (x, _mm_set1_epi8 ('_'))));

	return (unsigned) _mm_movemask_epi8 (ok);
}
#endif

/* The memory of the block being read: its strings and key-value lists
 * (GArrays of RrecLogPair), kept from block to block so that reading a
 * block allocates next to nothing once the first blocks are read.  What
 * it hands out lives until the next reset. */
typedef struct {
	char *chunk;		/* where text goes now */
	gsize used, size;
	GSList *full;		/* earlier chunks of this block */
	GPtrArray *lists;	/* every list made so far */
	guint n_lists;		/* those this block uses */
	/* Pairs each list (by its index in LISTS) holds without growing,
	 * and the size of ROOMS. */
	guint *rooms;
	guint n_rooms;
} RrecLogStore;

void rrec_log_store_init (RrecLogStore *s);
/* N bytes from a new chunk (the rare case of rrec_log_store_copy()). */
char *rrec_log_store_grow (RrecLogStore *s, gsize n);

/* A NUL-terminated copy of LEN bytes.  Inline: a block copies a few short
 * strings per line, which a call to memcpy() costs more than; up to 32
 * bytes go by two words that may overlap, never read past TEXT + LEN. */
static inline char *
rrec_log_store_copy (RrecLogStore *s, const uchar *text, gsize len)
{
	char *copy;

	if (G_LIKELY (s->size - s->used > len)) {
		copy = s->chunk + s->used;
		s->used += len + 1;
	} else
		copy = rrec_log_store_grow (s, len + 1);
	if (len >= 16 && len <= 32) {
		memcpy (copy, text, 16);
		memcpy (copy + len - 16, text + len - 16, 16);
	} else if (len >= 8 && len < 16) {
		memcpy (copy, text, 8);
		memcpy (copy + len - 8, text + len - 8, 8);
	} else if (len >= 4 && len < 8) {
		memcpy (copy, text, 4);
		memcpy (copy + len - 4, text + len - 4, 4);
	} else if (len < 4) {
		for (gsize i = 0; i < len; i++)
			copy[i] = (char) text[i];
	} else
		memcpy (copy, text, len);
	copy[len] = '\0';
	return copy;
}
/* …made valid UTF-8 (any text: rrec_log_store_text() is the same). */
char *rrec_log_store_text_any (RrecLogStore *s, const uchar *text, gsize len);

/* No byte of the eight at TEXT has its top bit set or is zero. */
static inline gboolean
rrec_log_plain8 (const uchar *text)
{
	guint64 w;

	memcpy (&w, text, 8);
	return (w & 0x8080808080808080ULL) == 0 &&
	       ((w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL) == 0;
}

/* …of plain ASCII (no byte above 0x7f, no NUL), which needs no
 * validation: checked a word at a time inline for up to 32 bytes. */
static inline char *
rrec_log_store_text (RrecLogStore *s, const uchar *text, gsize len)
{
	gboolean plain;

	if (len >= 16 && len <= 32) {
#ifdef __SSE2__
		__m128i a = _mm_loadu_si128 ((const __m128i *) text);
		__m128i b = _mm_loadu_si128 ((const __m128i *) (text + len - 16));
		__m128i zero = _mm_setzero_si128 ();

		plain = (_mm_movemask_epi8 (_mm_or_si128 (a, b)) |
			 _mm_movemask_epi8 (_mm_or_si128 (_mm_cmpeq_epi8 (a, zero),
							  _mm_cmpeq_epi8 (b, zero)))) == 0;
#else
		plain = rrec_log_plain8 (text) && rrec_log_plain8 (text + 8) &&
			rrec_log_plain8 (text + len - 16) &&
			rrec_log_plain8 (text + len - 8);
#endif
	} else if (len >= 8 && len < 16)
		plain = rrec_log_plain8 (text) && rrec_log_plain8 (text + len - 8);
	else if (len >= 4 && len < 8) {
		guint32 a, z;

		memcpy (&a, text, 4);
		memcpy (&z, text + len - 4, 4);
		plain = ((a | z) & 0x80808080u) == 0 &&
			((a - 0x01010101u) & ~a & 0x80808080u) == 0 &&
			((z - 0x01010101u) & ~z & 0x80808080u) == 0;
	} else if (len < 4) {
		plain = TRUE;
		for (gsize i = 0; i < len; i++)
			plain &= text[i] < 0x80 && text[i] != 0;
	} else
		return rrec_log_store_text_any (s, text, len);
	return plain ? rrec_log_store_copy (s, text, len) :
		       rrec_log_store_text_any (s, text, len);
}
/* The same, where the 32 bytes from TEXT on may be read (LIMIT: the end of
 * what may be read, past TEXT + LEN): up to 32 bytes are checked and
 * copied as two vectors, whatever their length, without a branch on it
 * (the values of a log vary in length from line to line).  Inline
 * wherever it is called: the reader's loop calls it on most lines. */
G_ALWAYS_INLINE static inline char *
rrec_log_store_text_near (RrecLogStore *s, const uchar *text, gsize len,
			  const uchar *limit)
{
#ifdef __SSE2__
	if (len <= 32 && limit - text >= 32 && s->size - s->used > 32) {
		__m128i a = _mm_loadu_si128 ((const __m128i *) text);
		__m128i b = _mm_loadu_si128 ((const __m128i *) (text + 16));
		__m128i zero = _mm_setzero_si128 ();
		/* a bit per byte above 0x7f or NUL, of the first LEN */
		guint64 odd = (guint32) (_mm_movemask_epi8 (a) |
					 _mm_movemask_epi8 (_mm_cmpeq_epi8 (a, zero))) |
			      (guint64) (guint32) (_mm_movemask_epi8 (b) |
						   _mm_movemask_epi8 (_mm_cmpeq_epi8 (b, zero))) << 16;

		if ((odd & (((guint64) 1 << len) - 1)) == 0) {
			char *copy = s->chunk + s->used;

			_mm_storeu_si128 ((__m128i *) copy, a);
			_mm_storeu_si128 ((__m128i *) (copy + 16), b);
			copy[len] = '\0';
			s->used += len + 1;
			return copy;
		}
	}
#endif
	return rrec_log_store_text (s, text, len);
}
/* …in lower case (ASCII). */
char *rrec_log_store_lower (RrecLogStore *s, const uchar *text, gsize len);

/* The same for 16 bytes (a ConnID), inline. */
static inline char *
rrec_log_store_lower16 (RrecLogStore *s, const uchar *text)
{
#ifdef __SSE2__
	if (G_LIKELY (s->size - s->used > 16)) {
		char *copy = s->chunk + s->used;
		__m128i x = _mm_loadu_si128 ((const __m128i *) text);
		__m128i upper = rrec_log_in_range (x, 'A', 'Z');

		x = _mm_or_si128 (x, _mm_and_si128 (upper, _mm_set1_epi8 (0x20)));
		_mm_storeu_si128 ((__m128i *) copy, x);
		copy[16] = '\0';
		s->used += 17;
		return copy;
	}
#endif
	return rrec_log_store_lower (s, text, 16);
}
/* A new, empty key-value list (the store's list n_lists - 1). */
GArray *rrec_log_store_list (RrecLogStore *s);

/* Appends PAIR to the store's list INDEX, LIST; in the room the list kept
 * from the blocks before, without a call. */
static inline void
rrec_log_store_append (RrecLogStore *s, guint index, GArray *list,
		       const RrecLogPair *pair)
{
	if (list->len < s->rooms[index]) {
		RrecLogPair *to = &g_array_index (list, RrecLogPair, list->len);

		/* field by field: PAIR was just written so, a copy of it
		 * whole would read it back by vectors, which the stores in
		 * flight cannot give (a stall) */
		to->key = pair->key;
		to->value.kind = pair->value.kind;
		to->value.u = pair->value.u;
		list->len++;
	} else {
		g_array_append_vals (list, pair, 1);
		s->rooms[index] = list->len;
	}
}
/* Everything handed out is given back (memory beyond a block's worth is
 * freed: it stays bounded by the largest block). */
void rrec_log_store_reset (RrecLogStore *s);
void rrec_log_store_clear (RrecLogStore *s);

/* The known message names (rrec_log_message_is_known) by index: the
 * index of NAME (LEN bytes) or -1, and the name at an index. */
guint rrec_log_message_count (void);
int rrec_log_message_index (const uchar *name, gsize len);
const char *rrec_log_message_at (guint index);
/* The engine's type of the name at INDEX (rrec_message_type_from_name()),
 * -1 for one it does not follow. */
int rrec_log_message_type_at (guint index);

/* Lines longer than MAX_LINE bytes are not read (§7: 1 MiB); the fuzz
 * target sets a small limit to reach that path with small inputs. */
void rrec_log_reader_set_max_line (RrecLogReader *reader, gsize max_line);

G_END_DECLS
