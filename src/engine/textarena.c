/*
 * textarena.c — see textarena.h.
 */
#include <string.h>

#include "textarena.h"

struct _RrecTextBlock {
	RrecTextBlock *older;
	gsize size, used;
	char data[];
};

#define BLOCK_MIN 256

static RrecTextBlock *
block_new (gsize size, RrecTextBlock *older)
{
	RrecTextBlock *b = g_malloc (sizeof *b + size);

	b->older = older;
	b->size = size;
	b->used = 0;
	return b;
}

const char *
rrec_text_arena_copy (RrecTextArena *a, const char *text)
{
	RrecTextBlock *b = a->cur;
	gsize n;
	char *s;

	if (text == NULL)
		return NULL;
	n = strlen (text) + 1;
	if (G_UNLIKELY (b == NULL || b->size - b->used < n)) {
		gsize size = MAX (BLOCK_MIN, b ? b->size * 2 : 0);

		while (size < n)
			size *= 2;
		a->cur = b = block_new (size, b);
	}
	s = memcpy (b->data + b->used, text, n);
	b->used += n;
	return s;
}

void
rrec_text_arena_free (RrecTextArena *a)
{
	while (a->cur) {
		RrecTextBlock *older = a->cur->older;

		g_free (a->cur);
		a->cur = older;
	}
}

void
rrec_text_arena_clear (RrecTextArena *a)
{
	gsize total = 0;

	if (a->cur == NULL)
		return;
	if (a->cur->older) {
		for (RrecTextBlock *b = a->cur; b; b = b->older)
			total += b->size;
		rrec_text_arena_free (a);
		a->cur = block_new (total, NULL);
	}
	a->cur->used = 0;
}
