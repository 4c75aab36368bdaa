/*
 * store/state-buf.h — the buffer the engine's state is encoded into
 * (engine-state.c, store-rows.c): little-endian numbers and strings with
 * their length, written in place.
 *
 * Each store commit encodes the calls it touched field by field, a few
 * hundred fields a block: a field is a check of the room left and a
 * store, inlined, with a call only when the buffer must grow (issue #14:
 * a GByteArray's set_size per field was a fifth of a durable replay's
 * instructions).  The bytes are those GByteArray gave.
 */
#pragma once

#include <string.h>

#include <glib.h>

typedef struct {
	guint8 *data;
	gsize len;		/* bytes written */
	gsize cap;		/* bytes allocated */
} StateBuf;

/* Room for @n more bytes (a call only when it must grow). */
void state_buf_grow (StateBuf *b, gsize n);
void state_buf_clear (StateBuf *b);	/* frees the bytes */
/* The bytes, handed over (the buffer is left empty). */
GBytes *state_buf_steal (StateBuf *b);

static inline guint8 *
state_room (StateBuf *b, gsize n)
{
	guint8 *p;

	if (G_UNLIKELY (b->cap - b->len < n))
		state_buf_grow (b, n);
	p = b->data + b->len;
	b->len += n;
	return p;
}

static inline void
state_put_raw (StateBuf *b, const void *p, gsize n)
{
	if (n > 0)
		memcpy (state_room (b, n), p, n);
}

static inline void
state_put_u8 (StateBuf *b, guint8 v)
{
	*state_room (b, 1) = v;
}

static inline void
state_put_u32 (StateBuf *b, guint32 v)
{
	guint8 *p = state_room (b, 4);

	p[0] = (guint8) v;
	p[1] = (guint8) (v >> 8);
	p[2] = (guint8) (v >> 16);
	p[3] = (guint8) (v >> 24);
}

static inline void
state_put_u64 (StateBuf *b, guint64 v)
{
	guint8 *p = state_room (b, 8);

	for (guint i = 0; i < 8; i++)
		p[i] = (guint8) (v >> (8 * i));
}

#define STATE_NO_STRING 0xffffffffu

/* A string: u32 length (STATE_NO_STRING for NULL), then its bytes. */
static inline void
state_put_str (StateBuf *b, const char *s)
{
	if (s == NULL) {
		state_put_u32 (b, STATE_NO_STRING);
		return;
	}
	gsize n = strlen (s);

	state_put_u32 (b, (guint32) n);
	state_put_raw (b, s, n);
}

/* A number in 7-bit groups, least significant first (the store's rows:
 * the gap ledger's times, as differences), at @p, with room for 10
 * bytes; returns the end. */
static inline guint8 *
state_varint_at (guint8 *p, guint64 v)
{
	while (v >= 0x80) {
		*p++ = (guint8) (v | 0x80);
		v >>= 7;
	}
	*p++ = (guint8) v;
	return p;
}

/* A signed difference as a varint (0, -1, 1, -2 … as 0, 1, 2, 3 …). */
static inline guint8 *
state_svarint_at (guint8 *p, gint64 v)
{
	return state_varint_at (p, ((guint64) v << 1) ^ (guint64) (v >> 63));
}

/* The most bytes a gap of a store row takes: two varints and its cause. */
#define STATE_GAP_MAX (10u + 10u + 1u)

