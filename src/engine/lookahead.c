/*
 * lookahead.c — the host's look-ahead (rrec_engine_prefetch(), rrec/engine.h):
 * a message the host will feed a few messages later is hinted now, and
 * what feeding it will read is asked of the memory in stages, so that it
 * is in the cache when the message comes.  A hint changes nothing the
 * engine does: it reads the tables, never writes them.
 */
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "engine-private.h"

/*
 * Each hinted message goes through four stages, a few hints apart, so
 * that what one stage reads was asked for by the one before and is in
 * the cache by then:
 *   0 (at the hint): the calls map's slot of its ConnID is asked for,
 *     and its DNs hashed (a T-Library event's and a client's request's; a
 *     message that may make its call: its ANI and DNIS too);
 *   1 (STAGE1 hints later): the slot is read, and the Call's first
 *     three lines (its fourth too for a message that may end it) asked
 *     for; with no call, the DN index's slots of all its DNs;
 *   2 (STAGE2 hints later): the Call is read, and its parties beyond the
 *     first three, the DN entries of the parties the feed will read (those
 *     whose hash a DN of the message has, which the feed confirms by
 *     the entry; when the call may end, all: freeing it drops their
 *     references; in a transfer or a release, those that did not join
 *     local: R26 and R8 ask whether they are now), its session, its user
 *     data when the message carries some, may open a session or may end
 *     the call, in a gap its gap ledger, and its CallUUID when the message
 *     may open a session;
 *     the DN index's slots of the message's DNs that are none of its
 *     parties (the feed finds a party's DN among the parties, by hash,
 *     and looks for the others in the index); the entries of the slots
 *     asked for at stage 1;
 *   3 (STAGE3 hints later): the entries of the slots asked for at stage
 *     2; and for a message that may end its call only: what freeing the
 *     call and its session reads (rrec_engine_call_free()) is asked for:
 *     the DN entries whose references it drops, its strings, and the
 *     session's slots in the leg and port maps; for a client's STOP (R5),
 *     which ends the session and not the call, the session's part alone.
 * And at every hint, the port map's slot of the port the next session
 * will take (R18, rrec_port_pool_peek()): it is the same until a session
 * takes it, which a message a few hints later may do.
 * Only keys are kept (a ConnID, hashes, the calls map's slot index),
 * never a pointer or the message's strings: each stage looks up afresh in
 * the tables as they are (the slot kept is tried first, and its key
 * decides: rrec_id_map_lookup_at()).
 */
#define RING 8			/* a power of two, > STAGE3 */
#define STAGE1 2
#define STAGE2 4
#define STAGE3 6

/* The hinted DNs, each in the lane of its field (the same DN in two
 * fields, ThisDN and ANI say, is in both: asking twice for its lines
 * costs less than finding the repeats at every hint). */
enum {
	LANE_THIS_DN,
	LANE_OTHER_DN,
	LANE_THIRD_PARTY_DN,
	LANE_ANI,		/* ANI and DNIS: only when the message makes */
	LANE_DNIS,		/* its call, and looked up only then */
	HINT_DNS
};
#define LANES_MAKES_ONLY (1u << LANE_ANI | 1u << LANE_DNIS)
/* lanes held: two vectors of four (dns_not_parties()); those past
 * HINT_DNS are never a DN's */
#define HINT_LANES 8

typedef struct {
	guint32 dn_hash[HINT_LANES];	/* by lane; a lane not in dns is
				 * anything */
	guint64 conn;		/* 0: none */
	guint32 slot;		/* the calls map's slot of conn: its home at
				 * stage 0, where a stage found it after:
				 * each stage looks there first (a key, not
				 * a pointer: rrec_id_map_lookup_at()) */
	guint8 dns;		/* bit i: dn_hash[i] is a DN's hash */
	guint8 ends;		/* a release: the call may end (and be freed) */
	guint8 stops;		/* a client's STOP: its session may end */
	guint8 opens;		/* OPENS_*: a session may open (R1-R5), its
				 * file name written from the CallUUID (R29) */
	guint8 indexed;		/* bit i: dn_hash[i]'s index slot was asked
				 * for, its entry is to be at the next stage */
	guint8 user_data;	/* the message carries user data: the call's
				 * is compared with it (R21) */
} Hint;

struct _RrecLookahead {
	Hint ring[RING];
	guint32 next;		/* hints so far */
};

/* Every line that [@p, @p + @bytes) touches: a block need not start on a
 * line (a session, 96 bytes at a 16-byte boundary, may touch three). */
static void
prefetch_lines (const void *p, gsize bytes)
{
	const char *c = (const char *) ((guintptr) p & ~(guintptr) 63);
	const char *end = (const char *) p + bytes;

	for (; c < end; c += 64)
		RREC_PREFETCH (c);
}

/* The ConnID of a hinted message, for a look-up only: 16 characters are
 * read as hex digits all at once (or eight at a time; rrec_conn_parse()
 * takes a dozen instructions a digit), without checking them: a text that
 * is not a ConnID gives a number whose look-ups find nothing or another
 * call, and a hint changes nothing.  Other lengths, and big-endian
 * machines, parse as the engine does. */
#ifdef __SSE2__
static inline guint64
hex16 (const char *p)
{
	const __m128i v = _mm_loadu_si128 ((const __m128i *) p);
	/* a byte a digit: a digit's low nibble is its value, a letter's
	 * (either case) its value minus 9, and it has bit 6 */
	const __m128i letter = _mm_srli_epi16 (_mm_and_si128 (v, _mm_set1_epi8 (0x40)), 6);
	const __m128i d = _mm_add_epi8 (_mm_and_si128 (v, _mm_set1_epi8 (0x0f)),
					_mm_add_epi8 (letter, _mm_slli_epi16 (letter, 3)));
	/* two digits a byte, the first (the pair's lower byte) high; the
	 * bytes in the text's order, the first the highest */
	const __m128i pairs = _mm_and_si128 (_mm_or_si128 (_mm_slli_epi16 (d, 4), _mm_srli_epi16 (d, 8)),
					     _mm_set1_epi16 (0x00ff));
	guint64 w;

	_mm_storel_epi64 ((__m128i *) &w, _mm_packus_epi16 (pairs, pairs));
	return GUINT64_FROM_BE (w);
}
#else
static inline guint64
hex8 (const char *p)
{
	guint64 w;

	memcpy (&w, p, sizeof w);
	/* a digit's low nibble is its value; a letter's (either case),
	 * its value minus 9 */
	w = (w & 0x0f0f0f0f0f0f0f0fULL) + ((w & 0x4040404040404040ULL) >> 6) * 9;
	/* the first character is the highest digit (little-endian lanes) */
	w = ((w & 0x000f000f000f000fULL) << 4) | ((w >> 8) & 0x000f000f000f000fULL);
	w = ((w & 0x000000ff000000ffULL) << 8) | ((w >> 16) & 0x000000ff000000ffULL);
	return ((w & 0xffffULL) << 16) | (w >> 32);
}

static inline guint64
hex16 (const char *p)
{
	return hex8 (p) << 32 | hex8 (p + 8);
}
#endif

static gboolean
hint_conn (const char *text, guint64 *out)
{
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
	if (text && strlen (text) == 16) {
		*out = hex16 (text);
		return *out != 0;
	}
#endif
	return rrec_conn_parse (text, out);
}

/* A key's slot in @m and the line after the slot's: a removal's backward
 * shift reads on until an empty slot, often into the next line. */
static inline void
prefetch_removal (const RrecIdMap *m, guint64 key)
{
	guint32 i = rrec_id_map_home (m, key);

	RREC_PREFETCH (&m->slots[i]);
	RREC_PREFETCH (&m->slots[((i | (64 / sizeof (RrecIdMapSlot) - 1)) + 1) & m->mask]);
}

/* What ending session @s reads beyond the session itself (asked for a
 * stage earlier): its owner's DN entry, its file name (given back by
 * size), its slots in the port and leg maps. */
static void
prefetch_session_end (RrecEngine *e, const Session *s)
{
	if (s->owner)
		RREC_PREFETCH (&e->dns.v[s->owner]);
	if (s->file_name)
		RREC_PREFETCH (s->file_name);
	if (s->has_port)
		prefetch_removal (&e->by_port, s->port);
	if (s->leg_kind == LEG_ID) {
		char leg[17];

		rrec_conn_string (s->leg_id, leg);
		prefetch_removal (&e->by_leg, rrec_engine_leg_key (leg));
	}
}

/* What rrec_engine_call_free() reads of @c beyond its first lines, the
 * parties and the session (asked for a stage earlier): the DN entries whose
 * references it drops, the strings it gives back, the slots its removal
 * from the calls map and its session's end read. */
static void
prefetch_ending (RrecEngine *e, const Call *c)
{
	const guint32 dns[] = { c->ani, c->dnis, c->originator,
				c->routing_point, c->transfer_from };

	for (guint i = 0; i < G_N_ELEMENTS (dns); i++)
		if (dns[i])
			RREC_PREFETCH (&e->dns.v[dns[i]]);
	for (guint i = 0; i < c->n_parties; i++)
		if (c->parties[i].peer)
			RREC_PREFETCH (&e->dns.v[c->parties[i].peer]);
	if (c->call_uuid)
		RREC_PREFETCH (c->call_uuid);
	if (c->ledger)		/* its size is read to give it back */
		RREC_PREFETCH (c->ledger);
	prefetch_removal (&e->calls, c->id);
	if (c->session)
		prefetch_session_end (e, c->session);
}

/* A T-Library message after which its call may be over (R26, R31); a
 * hint only: a message type missed here is fed as well, its call's end
 * read from memory. */
static gboolean
may_end_call (const RrecMessage *m)
{
	return m->type == RREC_MSG_EVENT_RELEASED || m->type == RREC_MSG_EVENT_ABANDONED ||
	       m->type == RREC_MSG_EVENT_CALL_DELETED ||
	       m->type == RREC_MSG_EVENT_PARTY_DELETED;
}

enum {
	OPENS_NO = 0,
	OPENS_IF_TRIGGER,	/* a party established or back (R1, R3): if
				 * the call has a record = true party or
				 * routing point */
	OPENS_START,		/* a client's START (R4, R5) */
};

/* Whether a message may open its call's session. */
static guint8
may_open_session (const RrecMessage *m)
{
	switch (m->type) {
	case RREC_MSG_EVENT_ESTABLISHED:
	case RREC_MSG_EVENT_RETRIEVED:
	case RREC_MSG_EVENT_PARTY_ADDED:
	case RREC_MSG_EVENT_PARTY_CHANGED:
		return OPENS_IF_TRIGGER;
	case RREC_MSG_REQUEST_PRIVATE_SERVICE:
		return m->private_msg_id == RREC_GSIP_RECORD_START ||
		       m->private_msg_id == RREC_ABSENT ? OPENS_START : OPENS_NO;
	default:
		return OPENS_NO;
	}
}

/* The call has a trigger of its own (R1): a routing point's, or a party's
 * `record` option (the flag is in the call's line 1, read at stage 2). */
static gboolean
has_own_trigger (const Call *c)
{
	if (c->rp_trigger)
		return TRUE;
	for (guint i = 0; i < c->n_parties; i++)
		if (c->parties[i].records)
			return TRUE;
	return FALSE;
}

/* Hashes DN @dn (if any) into lane @lane of the hinted DNs. */
static inline void
hint_dn (Hint *h, guint lane, const char *dn)
{
	if (dn && *dn) {
		h->dn_hash[lane] = rrec_dn_table_hash (dn);
		h->dns |= (guint8) (1u << lane);
	}
}

/* The index slots of the hinted DNs in @which (bits of h->dn_hash[]):
 * their entries are asked for at the next stage (prefetch_entries()). */
static void
prefetch_index (RrecEngine *e, Hint *h, guint which)
{
	for (guint w = which; w != 0; w &= w - 1)
		rrec_dn_table_prefetch (&e->dns, h->dn_hash[__builtin_ctz (w)], FALSE);
	h->indexed = (guint8) which;
}

/* The entries whose index slots prefetch_index() asked for a stage ago
 * (the slots are read now). */
static void
prefetch_entries (RrecEngine *e, Hint *h)
{
	for (guint w = h->indexed; w != 0; w &= w - 1)
		rrec_dn_table_prefetch (&e->dns, h->dn_hash[__builtin_ctz (w)], TRUE);
	h->indexed = 0;
}

/* The hinted DNs that are none of @c's parties by hash: the feed finds a
 * party's DN by the call's parties (rrec_engine_party_dn()), the others
 * in the index.  A party's entry is asked for with the call's parties. */
static guint
dns_not_parties (const Call *c, const Hint *h, guint64 *matched)
{
	guint found = 0;
	guint64 parties = 0;

#ifdef __SSE2__
	const __m128i lo = _mm_loadu_si128 ((const __m128i *) &h->dn_hash[0]);
	const __m128i hi = _mm_loadu_si128 ((const __m128i *) &h->dn_hash[4]);
#endif

	/* every lane compared, no early exit: which DN matches which party
	 * is not for the branch predictor to guess */
	for (guint j = 0; j < c->n_parties; j++) {
		guint hit = 0;
#ifdef __SSE2__
		__m128i p = _mm_set1_epi32 ((int) c->parties[j].hash);

		hit = (guint) _mm_movemask_ps (_mm_castsi128_ps (_mm_cmpeq_epi32 (lo, p))) |
		      (guint) _mm_movemask_ps (_mm_castsi128_ps (_mm_cmpeq_epi32 (hi, p))) << 4;
#else
		for (guint i = 0; i < HINT_DNS; i++)
			hit |= (guint) (h->dn_hash[i] == c->parties[j].hash) << i;
#endif
		hit &= h->dns;
		found |= hit;
		parties |= (guint64) (hit != 0) << (j & 63);
	}
	*matched = parties;
	return h->dns & ~found;
}

/* Whether the feed reads the DN entry of @c's party @p: to confirm that a
 * DN of the message whose hash it has is that party's (@hit); for a
 * party that was not local when it joined, whether it is now (R26: a
 * release, and a transfer's end, R8, ask); to drop its references when
 * the call may end. */
static inline gboolean
party_entry_read (const Call *c, const Party *p, gboolean hit, const Hint *h)
{
	return hit || h->ends || (c->transfer && !p->local_at_add);
}

void
rrec_engine_prefetch (RrecEngine *e, const RrecMessage *m)
{
	struct _RrecLookahead *la = e->lookahead;
	Hint *h;
	guint32 port;

	if (la == NULL)
		la = e->lookahead = g_new0 (struct _RrecLookahead, 1);

	/* stage 0: this message's slots */
	h = &la->ring[la->next % RING];
	memset (h, 0, sizeof *h);
	if (e->pool && rrec_port_pool_peek (e->pool, &port))
		RREC_PREFETCH (&e->by_port.slots[rrec_id_map_home (&e->by_port, port)]);
	if (m->side != RREC_SIDE_SIP && hint_conn (m->conn_id, &h->conn)) {
		h->slot = rrec_id_map_home (&e->calls, h->conn);
		RREC_PREFETCH (&e->calls.slots[h->slot]);
		h->stops = m->type == RREC_MSG_REQUEST_PRIVATE_SERVICE &&
			   m->private_msg_id == RREC_GSIP_RECORD_STOP;
		h->opens = may_open_session (m);
		h->user_data = m->user_data != NULL;
		if (m->side == RREC_SIDE_SKYPE || m->side == RREC_SIDE_CLIENT) {
			/* ANI and DNIS: entered when a message makes the call
			 * (a client's request makes none); a client's DN is
			 * the requester's, a scope (R4, R5) */
			h->ends = m->side == RREC_SIDE_SKYPE && may_end_call (m);
			hint_dn (h, LANE_THIS_DN, m->this_dn);
			hint_dn (h, LANE_OTHER_DN, m->other_dn);
			hint_dn (h, LANE_THIRD_PARTY_DN, m->third_party_dn);
			if (rrec_classify_makes_call (m)) {
				hint_dn (h, LANE_ANI, m->ani);
				hint_dn (h, LANE_DNIS, m->dnis);
			}
		}
	}

	/* stage 1: the message hinted STAGE1 ago */
	if (la->next >= STAGE1) {
		Hint *h1 = &la->ring[(la->next - STAGE1) % RING];
		Call *c = h1->conn ? rrec_id_map_lookup_at (&e->calls, h1->conn, &h1->slot) : NULL;

		/* its first three lines (model.h; a Call starts a line):
		 * the fourth is cold, but for freeing it */
		if (c) {
			const char *l = (const char *) c;

			RREC_PREFETCH (l);
			RREC_PREFETCH (l + 64);
			RREC_PREFETCH (l + 128);
			if (h1->ends)
				RREC_PREFETCH (l + G_STRUCT_OFFSET (Call, conn));
		} else
			prefetch_index (e, h1, h1->dns);
	}

	/* stage 2: the message hinted STAGE2 ago */
	if (la->next >= STAGE2) {
		Hint *h2 = &la->ring[(la->next - STAGE2) % RING];
		const Call *c = h2->conn ? rrec_id_map_lookup_at (&e->calls, h2->conn, &h2->slot) : NULL;

		if (h2->indexed)
			prefetch_entries (e, h2);
		if (c) {
			guint64 hit;

			prefetch_index (e, h2, dns_not_parties (c, h2, &hit) & ~LANES_MAKES_ONLY);
			if (c->parties != c->first_parties)
				prefetch_lines (c->parties, c->n_parties * sizeof (Party));
			for (guint i = 0; c->parties == c->first_parties &&
				     i < c->n_parties; i++)
				if (party_entry_read (c, &c->first_parties[i],
						      (hit >> i) & 1, h2))
					RREC_PREFETCH (&e->dns.v[c->first_parties[i].dn]);
			if (c->session)
				prefetch_lines (c->session, sizeof (Session));
			/* a session about to open names its file after the
			 * CallUUID (R29) */
			if (h2->opens && c->session == NULL && c->call_uuid &&
			    (h2->opens == OPENS_START || has_own_trigger (c)))
				RREC_PREFETCH (c->call_uuid);
			/* a call in a gap: closing it reads its ledger */
			if (c->gap_cause != GAP_NONE && c->ledger)
				RREC_PREFETCH (c->ledger);
			/* the call's user data is read by a message that
			 * carries some (R21) or that may open a session (the
			 * dial sends it); an ending call gives its block back,
			 * which the next call to take one of its size writes
			 * whole; other messages never read it */
			if (c->user_data && (h2->user_data || h2->opens || h2->ends))
				prefetch_lines (c->user_data, MIN (c->user_data_len, 256u));
			/* R8's check reads the scopes' ids (model.h) */
			if (c->scopes)
				RREC_PREFETCH (c->scopes);
		}
	}
	/* stage 3: what ending the call (or, for a STOP, its session)
	 * hinted STAGE3 ago would read */
	if (la->next >= STAGE3) {
		Hint *h3 = &la->ring[(la->next - STAGE3) % RING];
		if (h3->indexed)
			prefetch_entries (e, h3);
		const Call *c = (h3->ends || h3->stops) && h3->conn ?
			rrec_id_map_lookup_at (&e->calls, h3->conn, &h3->slot) : NULL;

		if (c && h3->ends)
			prefetch_ending (e, c);
		else if (c && c->session)
			prefetch_session_end (e, c->session);
	}
	la->next++;
}
