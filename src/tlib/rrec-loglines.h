/*
 * rrec-loglines.h — the line ends of a chunk for the reader (logreader.rl),
 * found 64 bytes at a time.  Private to the reader.
 */
#pragma once

#include <glib.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

G_BEGIN_DECLS

/* The line ends of a chunk, found 64 bytes at a time (a bit per '\n'):
 * lines are a few dozen bytes, a call to memchr() per line costs more
 * than the scan. */
typedef struct {
	const char *data;
	gsize len;
	gsize base;	/* the 64 bytes BITS stands for start here */
	guint64 bits;	/* their line ends not taken yet */
} Newlines;

static inline guint64
newline_bits (const char *p, gsize n)
{
	guint64 bits = 0;
#ifdef __SSE2__
	if (n == 64) {
		const __m128i nl = _mm_set1_epi8 ('\n');

		for (int i = 0; i < 4; i++) {
			__m128i bytes = _mm_loadu_si128 ((const __m128i *) (p + 16 * i));

			bits |= (guint64) (guint32) _mm_movemask_epi8 (
				_mm_cmpeq_epi8 (bytes, nl)) << (16 * i);
		}
		return bits;
	}
#endif
	for (gsize i = 0; i < n; i++)
		if (p[i] == '\n')
			bits |= (guint64) 1 << i;
	return bits;
}

/* The next line end, or NULL: every one is handed out once, in order. */
static inline const char *
next_newline (Newlines *s)
{
	while (s->bits == 0) {
		if (s->base + 64 >= s->len)
			return NULL;
		s->base += 64;
		s->bits = newline_bits (s->data + s->base, MIN (64, s->len - s->base));
	}
	int at = __builtin_ctzll (s->bits);

	s->bits &= s->bits - 1;
	return s->data + s->base + at;
}

G_END_DECLS
