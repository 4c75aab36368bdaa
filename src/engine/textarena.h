/*
 * textarena.h — strings copied one after another into blocks that never
 * move, all emptied at once: the strings of the engine's posted events
 * (core.c), valid until the queue has been run empty.  A copy is a
 * memcpy; no allocation once the arena has held as much.
 */
#pragma once
#include <glib.h>

typedef struct _RrecTextBlock RrecTextBlock;

typedef struct {
	RrecTextBlock *cur;	/* the newest block: the older ones are full */
} RrecTextArena;

/* A copy of @text (NULL: NULL), valid until the next clear. */
const char *rrec_text_arena_copy (RrecTextArena *a, const char *text);
/* Empties the arena; a fill that needed several blocks leaves one block
 * that holds it all, so that the next fill of the same size takes none. */
void rrec_text_arena_clear (RrecTextArena *a);
void rrec_text_arena_free (RrecTextArena *a);
