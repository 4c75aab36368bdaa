/*
 * core.c — actions to the host, the queue of posted machine events, the
 * timers and the numbered requests to SIP Server (core.h).  Nothing here
 * knows a machine's events: the engine's hooks run them.
 */
#include <stdlib.h>
#include <string.h>
#if defined(__GLIBC__)
#include <malloc.h>
#define HAVE_USABLE_SIZE 1
#else
#define HAVE_USABLE_SIZE 0
#endif

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION ((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION ((p), (n))
#else
#define POISON(p, n) do { } while (0)
#define UNPOISON(p, n) do { } while (0)
#endif

#include "core.h"

G_DEFINE_QUARK (rrec-engine-error-quark, rrec_engine_error)

/* ---- actions to the host --------------------------------------------------- */

void
rrec_engine_deliver (RrecEngine *e, const RrecAction *a)
{
	RrecActionFunc f = NULL;

	switch (a->kind) {
	case RREC_ACTION_DIAL_LEG:
		f = e->cb.dial_leg;
		break;
	case RREC_ACTION_RECORD:
	case RREC_ACTION_LEG_USERDATA:
		f = e->cb.sip_request;
		break;
	case RREC_ACTION_RELEASE_LEG:
		f = e->cb.release_leg;
		break;
	case RREC_ACTION_CLIENT_REPLY:
		f = e->cb.client_reply;
		break;
	case RREC_ACTION_CALL_USERDATA:
		f = e->cb.call_userdata;
		break;
	case RREC_ACTION_ALARM:
		f = e->cb.alarm;
		break;
	case RREC_ACTION_LINK:
		f = e->cb.link;
		break;
	case RREC_ACTION_STATE:
		f = e->cb.trace;
		break;
	case RREC_ACTION_GAP:
		f = e->cb.gap;
		break;
	case RREC_ACTION_RECONCILE:
		f = e->cb.reconcile;
		break;
	case RREC_ACTION_CALL_RENAMED:
		f = e->cb.call_renamed;
		break;
	case RREC_ACTION_QUERY_LEG:
		f = e->cb.query_leg;
		break;
	case RREC_N_ACTIONS:
		break;
	}
	if (f)
		f (a, e->user_data);
}

/* Every action the engine hands the host names the rule behind it: an
 * action of a row the rule its table names for that action. */
void
rrec_engine_emit (RrecEngine *e, RrecAction *a)
{
	if (a->rule == NULL)
		a->rule = e->rule;
	if (G_UNLIKELY (a->rule == NULL && a->kind != RREC_ACTION_STATE))
		g_critical ("a %s action emitted outside any row names no rule",
			    rrec_action_kind_name (a->kind));
	a->time_ms = e->now;
	/* with a store, a step's actions wait until the step is stored */
	if (e->store && rrec_store_hold (e->store, a))
		return;
	rrec_engine_deliver (e, a);
}

void
rrec_engine_emit_unruled (RrecEngine *e, RrecAction *a)
{
	/* about the store itself: never held */
	a->time_ms = e->now;
	rrec_engine_deliver (e, a);
}

/* ---- the queue of posted events ------------------------------------------ */

void
rrec_core_post (RrecEngine *e, Target target, guint event, guint64 call_id,
		guint32 serial, gint64 refid, const char *dn, const char *reason)
{
	Posted p = {
		.target = target,
		.event = event,
		.call_id = call_id,
		.serial = serial,
		.refid = refid,
		.dn = rrec_core_post_text (e, dn),
		.reason = reason,
	};

	if (G_UNLIKELY (e->posted_len == e->posted_cap)) {
		e->posted_cap = MAX (16u, e->posted_cap * 2);
		e->posted = g_renew (Posted, e->posted, e->posted_cap);
	}
	e->posted[e->posted_len++] = p;
}

const char *
rrec_core_post_text (RrecEngine *e, const char *text)
{
	return rrec_text_arena_copy (&e->posted_text, text);
}

Posted *
rrec_core_last_posted (RrecEngine *e)
{
	g_assert (e->posted_len > e->posted_head);
	return &e->posted[e->posted_len - 1];
}

/* Takes the oldest posted event into *p; FALSE when there is none. */
static gboolean
posted_pop (RrecEngine *e, Posted *p)
{
	if (e->posted_head == e->posted_len) {
		e->posted_len = 0;
		e->posted_head = 0;
		/* no posted event is left to name its strings */
		rrec_text_arena_clear (&e->posted_text);
		return FALSE;
	}
	*p = e->posted[e->posted_head++];
	return TRUE;
}

void
rrec_core_drop_posted (RrecEngine *e)
{
	Posted p;

	while (posted_pop (e, &p))
		;
	rrec_text_arena_free (&e->posted_text);
}

void
rrec_core_post_later (RrecEngine *e, Target target, guint event)
{
	Posted p = { .target = target, .event = event, .refid = -1 };

	g_array_append_val (e->later, p);
}

gboolean
rrec_core_take_later (RrecEngine *e, Posted *p)
{
	if (e->later->len == 0)
		return FALSE;
	*p = g_array_index (e->later, Posted, 0);
	g_array_remove_index (e->later, 0);
	return TRUE;
}

/*
 * Runs the posted events in order, and those they post, until none is
 * left and the engine's settle hook (R30) posts nothing more; then the
 * finish hook ends the step.  Re-entered (from an action, or from the
 * settle hook), it returns at once: the outer loop goes on.
 */
void
rrec_engine_drain (RrecEngine *e)
{
	Posted p;

	if (e->draining)
		return;
	e->draining = TRUE;
	do {
		while (posted_pop (e, &p))
			e->hooks->run (e, &p);
	} while (e->later->len > 0 && e->hooks->settle (e));	/* core.h */
	e->draining = FALSE;
	e->drain_gen++;
	e->hooks->finish (e);
}

/* ---- one step of one machine --------------------------------------------- */

/* Out of line, for a host that traces: inlined, its action on the stack
 * made every step save and restore registers (issue #14). */
static G_GNUC_NO_INLINE void
trace (RrecEngine *e, const char *label, const RrecFsmMachine *m, guint from,
       guint to, guint event)
{
	RrecAction a = {
		.kind = RREC_ACTION_STATE,
		.call = label,
		.machine = m->name,
		.from = m->state_names[from],
		.to = m->state_names[to],
		.event = m->event_names[event],
	};
	rrec_engine_emit (e, &a);
}

RrecFsmResult
rrec_engine_step (RrecEngine *e, const RrecFsmBinding *b, guint8 *state,
		  guint event, gpointer owner, gconstpointer data,
		  const char *label)
{
	guint s = *state;
	guint from = s;
	RrecFsmResult r = rrec_fsm_step (b, &s, event, owner, data, NULL);

	*state = s;
	if (r == RREC_FSM_MOVED && s != from && G_UNLIKELY (e->cb.trace != NULL))
		trace (e, label, b->machine, from, s, event);
	else if (r == RREC_FSM_REJECTED || r == RREC_FSM_UNMATCHED)
		e->counters.rejected++;
	return r;
}

/* ---- timers --------------------------------------------------------------- */

/* (due, id): ids are unique and given in order, so equal due times fire in
 * the order the timers were set. */
static inline gboolean
key_before (const TimerKey *x, const TimerKey *y)
{
	return x->due != y->due ? x->due < y->due : x->id < y->id;
}

static gint
key_cmp (const TimerKey *x, const TimerKey *y)
{
	if (key_before (x, y))
		return -1;
	return key_before (y, x);
}

RrecTimers *
rrec_core_timers_new (void)
{
	return g_new0 (RrecTimers, 1);
}

void
rrec_core_timers_free (RrecTimers *h)
{
	if (h == NULL)
		return;
	for (guint i = 0; i < h->len; i++)
		g_free (h->v[i]);
	g_free (h->v);
	g_free (h);
}

static inline void
heap_set (RrecTimers *h, guint i, Timer *t)
{
	h->v[i] = t;
	t->at = i;
}

/* Moves the timer at @i up to its place; the rest is a heap. */
static void
heap_up (RrecTimers *h, guint i)
{
	Timer *t = h->v[i];

	while (i > 0) {
		guint parent = (i - 1) / 2;

		if (!key_before (&t->key, &h->v[parent]->key))
			break;
		heap_set (h, i, h->v[parent]);
		i = parent;
	}
	heap_set (h, i, t);
}

/* Moves the timer at @i down to its place; the rest is a heap. */
static void
heap_down (RrecTimers *h, guint i)
{
	Timer *t = h->v[i];

	for (;;) {
		guint child = 2 * i + 1;

		if (child >= h->len)
			break;
		if (child + 1 < h->len &&
		    key_before (&h->v[child + 1]->key, &h->v[child]->key))
			child++;
		if (!key_before (&h->v[child]->key, &t->key))
			break;
		heap_set (h, i, h->v[child]);
		i = child;
	}
	heap_set (h, i, t);
}

static void
heap_push (RrecTimers *h, Timer *t)
{
	if (h->len == h->cap) {
		h->cap = MAX (16u, h->cap * 2);
		h->v = g_renew (Timer *, h->v, h->cap);
	}
	if (h->len == 0 || key_before (&h->top, &t->key))
		h->top = t->key;
	h->v[h->len++] = t;
	heap_up (h, h->len - 1);
}

static void
heap_remove (RrecTimers *h, Timer *t)
{
	guint i = t->at;
	Timer *last;

	g_assert (i < h->len && h->v[i] == t);
	last = h->v[--h->len];
	if (i == h->len)
		return;
	heap_set (h, i, last);
	if (i > 0 && key_before (&last->key, &h->v[(i - 1) / 2]->key))
		heap_up (h, i);
	else
		heap_down (h, i);
}

/* TRUE when a pending timer's key is @key: only keys at most @key are
 * looked at (the heap's order prunes the rest). */
static gboolean
heap_has (const RrecTimers *h, const TimerKey *key, guint i)
{
	while (i < h->len) {
		gint c = key_cmp (&h->v[i]->key, key);

		if (c == 0)
			return TRUE;
		if (c > 0)
			return FALSE;
		if (heap_has (h, key, 2 * i + 1))
			return TRUE;
		i = 2 * i + 2;
	}
	return FALSE;
}

gboolean
rrec_core_timer_insert (RrecEngine *e, Timer *t)
{
	RrecTimers *h = e->timers;

	/* a saved state lists its timers in order: each above the last */
	if (h->len > 0 && !key_before (&h->top, &t->key) &&
	    heap_has (h, &t->key, 0))
		return FALSE;
	heap_push (h, t);
	return TRUE;
}

static int
timer_order (const void *a, const void *b)
{
	const Timer *x = *(Timer *const *) a, *y = *(Timer *const *) b;

	return key_cmp (&x->key, &y->key);
}

void
rrec_core_timers_foreach (RrecEngine *e, GTraverseFunc func, gpointer data)
{
	RrecTimers *h = e->timers;
	g_autofree Timer **sorted = NULL;
	guint n = h->len;

	if (n == 0)
		return;
	sorted = g_memdup2 (h->v, n * sizeof (Timer *));
	qsort (sorted, n, sizeof (Timer *), timer_order);
	for (guint i = 0; i < n; i++)
		if (func (&sorted[i]->key, sorted[i], data))
			break;
	/* keys may have changed, in order: the last is the highest */
	h->top = sorted[n - 1]->key;
}

/* Memory done with, kept on a list through its first word. */
typedef struct _Spare {
	struct _Spare *next;
} Spare;

static gpointer
spare_take (gpointer *list, gsize size)
{
	Spare *s = *list;

	if (s == NULL)
		return g_malloc (size);
	*list = s->next;
	return s;
}

static void
spare_put (gpointer *list, gpointer mem)
{
	Spare *s = mem;

	s->next = *list;
	*list = s;
}

static void
spares_free (gpointer *list)
{
	while (*list) {
		Spare *s = *list;

		*list = s->next;
		g_free (s);
	}
}

void
rrec_core_spares_free (RrecEngine *e)
{
	spares_free (&e->spare_requests);
	spares_free (&e->spare_timers);
	g_clear_pointer (&e->spare_kv, g_ptr_array_unref);
	for (guint i = 0; i < RREC_CORE_MEM_CLASSES; i++) {
		while (e->spare_mem[i]) {
			Spare *s = e->spare_mem[i];
			/* the arena's go with it */
			gboolean own = rrec_arena_has (&e->arena, s);

			if (!own)
				UNPOISON (s, malloc_usable_size (s));
			e->spare_mem[i] = s->next;
			if (!own)
				g_free (s);
		}
		e->n_spare_mem[i] = 0;
	}
	e->spare_mem_held = 0;
	rrec_arena_clear (&e->arena);
	if (e->name_scratch)
		g_string_free (g_steal_pointer (&e->name_scratch), TRUE);
}

/* ---- blocks kept from ended calls ------------------------------------- */

/*
 * Class i holds blocks of at least 24 + 16 i usable bytes: the sizes glibc's
 * malloc hands out (a request of n bytes gets a chunk of n + 8 rounded up
 * to 16, at least 32), so a block taken fresh for a class costs the chunk
 * malloc (n) would have cost: memory per call does not grow.  A block given
 * back goes to the largest class its usable size covers: it is never handed
 * out for more than it holds, whoever allocated it.
 *
 * A request whose own class is empty takes a block of a class above it, up
 * to a quarter larger (at least two classes): the sizes of strings and user
 * data drift from call to call, and a block freed for 40 bytes then serves
 * a request for 24 instead of resting while malloc serves the 24.  It goes
 * back to its own class when given back.  A bit per class says which lists
 * hold a block: the search is one word, not a walk over empty lists.
 */
#define MEM_CLASS_MIN 24
#define MEM_CLASS_STEP 16
#define MEM_CLASS_MAX (MEM_CLASS_MIN + MEM_CLASS_STEP * (RREC_CORE_MEM_CLASSES - 1))
/* blocks kept per class at most: memory kept after a peak stays bounded */
#define MEM_KEEP_MAX 4096

G_STATIC_ASSERT (RREC_CORE_MEM_CLASSES <= 64);

static inline gsize
mem_class_size (guint i)
{
	return MEM_CLASS_MIN + (gsize) i * MEM_CLASS_STEP;
}

/* The classes above @i a request of class @i may take a block from. */
static inline guint
mem_class_reach (guint i)
{
	return MAX (2u, (guint) (mem_class_size (i) / 4 / MEM_CLASS_STEP));
}

/* The class of a request of @size bytes (above the last class for more
 * than MEM_CLASS_MAX). */
static inline guint
mem_class_of (gsize size)
{
	return size <= MEM_CLASS_MIN ? 0 :
		(guint) ((size - MEM_CLASS_MIN + MEM_CLASS_STEP - 1) / MEM_CLASS_STEP);
}

/* A block of class @i no list holds: carved from the engine's arena
 * (region.h; huge pages once the engine is large) at the class's size, an
 * 8-byte boundary, no allocator header.  Never freed one by one: given
 * back, it goes to its class's list whatever the list's length, so the
 * arena holds per class at most the most blocks of it ever in use at once
 * (a block a smaller class took then counts as that class's); unmapped
 * with the engine.  Where the arena is off (AddressSanitizer, valgrind,
 * no room) the block is malloc'd. */
static gpointer
mem_fresh (RrecEngine *e, guint i)
{
	gpointer p = rrec_core_carve (e, mem_class_size (i), 8);

	return p ? p : g_malloc (mem_class_size (i));
}

gpointer
rrec_core_mem_take (RrecEngine *e, gsize size)
{
	if (!HAVE_USABLE_SIZE || size > MEM_CLASS_MAX)
		return g_malloc (size);

	guint i = mem_class_of (size);
	guint64 near = e->spare_mem_held >> i;

	if (near & 1)
		;		/* its own class */
	else if (near != 0 &&
		 (guint) __builtin_ctzll (near) <= mem_class_reach (i))
		i += (guint) __builtin_ctzll (near);
	else
		return mem_fresh (e, i);

	Spare *s = e->spare_mem[i];

	/* under AddressSanitizer a kept block is poisoned: a use after its
	 * give() is reported as after a free */
	UNPOISON (s, malloc_usable_size (s));
	e->spare_mem[i] = s->next;
	/* the next take of the class reads the new head's first word, and
	 * its taker writes the block: asked for now, while this one is
	 * filled (a block given back long ago is in no cache) */
	if (s->next)
		RREC_PREFETCH_W (s->next);
	if (--e->n_spare_mem[i] == 0)
		e->spare_mem_held &= ~(G_GUINT64_CONSTANT (1) << i);
	return s;
}

gpointer
rrec_core_mem_take0 (RrecEngine *e, gsize size)
{
	return memset (rrec_core_mem_take (e, size), 0, size);
}

/* A block of the arena back to the list of @size's class: always kept. */
static void
mem_keep (RrecEngine *e, gpointer mem, gsize size)
{
	guint i = MIN (mem_class_of (size), RREC_CORE_MEM_CLASSES - 1);

	spare_put (&e->spare_mem[i], mem);
	e->n_spare_mem[i]++;
	e->spare_mem_held |= G_GUINT64_CONSTANT (1) << i;
}

void
rrec_core_mem_give (RrecEngine *e, gpointer mem)
{
	if (mem == NULL)
		return;
	/* an arena's block has no header to read its size from */
	g_return_if_fail (!rrec_arena_has (&e->arena, mem));
	/* while the arena serves, the lists hold its blocks only */
	if (e->arena.base) {
		g_free (mem);
		return;
	}
#if HAVE_USABLE_SIZE
	gsize usable = malloc_usable_size (mem);

	if (usable >= MEM_CLASS_MIN) {
		guint i = (guint) MIN ((usable - MEM_CLASS_MIN) / MEM_CLASS_STEP,
				       RREC_CORE_MEM_CLASSES - 1);

		if (e->n_spare_mem[i] < MEM_KEEP_MAX) {
			spare_put (&e->spare_mem[i], mem);
			e->n_spare_mem[i]++;
			e->spare_mem_held |= G_GUINT64_CONSTANT (1) << i;
			POISON (mem, usable);
			return;
		}
	}
#endif
	g_free (mem);
}

/*
 * TRUE when malloc hands out exactly the class sizes: a block malloc'd for
 * n bytes holds the size of n's class (glibc's malloc: n + 8 rounded up to
 * 16, less 8).  Then a block given back with the size it was taken or
 * malloc'd for goes to that size's class without reading it.  Not so under
 * AddressSanitizer or valgrind (a block holds exactly what was asked) or
 * another malloc: give_size() then asks malloc_usable_size() as give().
 */
static gboolean
mem_exact_classes (void)
{
	static gsize probed;
	static gboolean exact;

	if (g_once_init_enter (&probed)) {
		static const gsize sizes[] = { 1, 24, 25, 37, 40, 41, 100, 1000, MEM_CLASS_MAX };

		exact = HAVE_USABLE_SIZE;
		for (guint k = 0; exact && k < G_N_ELEMENTS (sizes); k++) {
			gpointer p = malloc (sizes[k]);

			exact = p && malloc_usable_size (p) == mem_class_size (mem_class_of (sizes[k]));
			free (p);
		}
		g_once_init_leave (&probed, 1);
	}
	return exact;
}

void
rrec_core_mem_give_size (RrecEngine *e, gpointer mem, gsize size)
{
	if (mem == NULL)
		return;
	if (rrec_arena_has (&e->arena, mem)) {
		mem_keep (e, mem, size);
		return;
	}
	/* malloc'd (a restored state's, a block larger than any class, or
	 * one made when the arena had no room): while the arena serves, the
	 * lists hold its blocks only */
	if (e->arena.base) {
		g_free (mem);
		return;
	}
	if (!mem_exact_classes ()) {
		rrec_core_mem_give (e, mem);
		return;
	}

	guint i = MIN (mem_class_of (size), RREC_CORE_MEM_CLASSES - 1);

	if (e->n_spare_mem[i] < MEM_KEEP_MAX) {
		spare_put (&e->spare_mem[i], mem);
		e->n_spare_mem[i]++;
		e->spare_mem_held |= G_GUINT64_CONSTANT (1) << i;
		return;
	}
	g_free (mem);
}

void
rrec_core_str_give (RrecEngine *e, char *text)
{
	if (text)
		rrec_core_mem_give_size (e, text, strlen (text) + 1);
}

void
rrec_core_str_give_len (RrecEngine *e, char *text, gsize len)
{
	if (text)
		rrec_core_mem_give_size (e, text, len + 1);
}

gpointer
rrec_core_memdup (RrecEngine *e, gconstpointer mem, gsize size)
{
	return size ? memcpy (rrec_core_mem_take (e, size), mem, size) : NULL;
}

char *
rrec_core_strdup (RrecEngine *e, const char *text)
{
	return text ? rrec_core_memdup (e, text, strlen (text) + 1) : NULL;
}

/* Slots an array of a call (its waiters) is made with: a call rarely
 * needs more.  Scopes and vetoes are arrays of DN ids (model.h). */
#define ARRAY_RESERVE 4

static inline gsize
ptrs_size (guint cap)
{
	return sizeof (RrecPtrs) + (gsize) cap * sizeof (gpointer);
}

void
rrec_core_ptrs_add (RrecEngine *e, RrecPtrs **a, gpointer p)
{
	RrecPtrs *v = *a;

	if (v == NULL || v->len == v->cap) {
		guint cap = v ? v->cap * 2 : ARRAY_RESERVE;
		RrecPtrs *grown = rrec_core_mem_take (e, ptrs_size (cap));

		grown->len = v ? v->len : 0;
		grown->cap = cap;
		if (v) {
			memcpy (grown->pdata, v->pdata, v->len * sizeof (gpointer));
			rrec_core_mem_give_size (e, v, ptrs_size (v->cap));
		}
		*a = v = grown;
	}
	v->pdata[v->len++] = p;
}

gpointer
rrec_core_ptrs_steal (RrecPtrs *a, guint i)
{
	g_return_val_if_fail (a != NULL && i < a->len, NULL);

	gpointer p = a->pdata[i];

	memmove (&a->pdata[i], &a->pdata[i + 1], (a->len - i - 1) * sizeof (gpointer));
	a->len--;
	return p;
}

void
rrec_core_ptrs_give (RrecEngine *e, RrecPtrs **a)
{
	RrecPtrs *v = g_steal_pointer (a);

	if (v)
		rrec_core_mem_give_size (e, v, ptrs_size (v->cap));
}

RrecKvList *
rrec_core_kv_take (RrecEngine *e)
{
	if (e->spare_kv && e->spare_kv->len > 0)
		return g_ptr_array_steal_index_fast (e->spare_kv, e->spare_kv->len - 1);
	return rrec_kv_list_new ();
}

void
rrec_core_kv_give (RrecEngine *e, RrecKvList *list)
{
	if (list == NULL)
		return;
	rrec_kv_list_clear (list);
	if (e->spare_kv == NULL)
		e->spare_kv = g_ptr_array_new_with_free_func (
			(GDestroyNotify) rrec_kv_list_free);
	g_ptr_array_add (e->spare_kv, list);
}

const char *
rrec_text_dash_number (RrecText *t, const char *text, guint32 n)
{
	char digits[10];
	gsize len = strlen (text), k = 0;
	char *p;

	do {
		digits[k++] = (char) ('0' + n % 10);
		n /= 10;
	} while (n != 0);
	rrec_text_clear (t);
	p = len + 1 + k < sizeof t->buf ? t->buf : (t->heap = g_malloc (len + 1 + k + 1));
	memcpy (p, text, len);
	p[len] = '-';
	for (gsize i = 0; i < k; i++)
		p[len + 1 + i] = digits[k - 1 - i];
	p[len + 1 + k] = '\0';
	return p;
}

Timer *
rrec_core_timer_add (RrecEngine *e, TimerKind kind, gint64 due, guint64 call_id,
		     guint32 serial)
{
	Timer *t = spare_take (&e->spare_timers, sizeof *t);

	memset (t, 0, sizeof *t);

	t->key.due = due;
	t->key.id = ++e->next_timer_id;
	t->kind = kind;
	t->call_id = call_id;
	t->serial = serial;
	heap_push (e->timers, t);
	return t;
}

void
rrec_engine_timer_cancel (RrecEngine *e, Timer **timer)
{
	if (*timer == NULL)
		return;
	heap_remove (e->timers, *timer);
	spare_put (&e->spare_timers, *timer);
	*timer = NULL;
}

gboolean
rrec_core_fire_due (RrecEngine *e, gint64 now_ms)
{
	RrecTimers *h = e->timers;
	gboolean fired = FALSE;

	while (h->len > 0 && h->v[0]->key.due <= now_ms) {
		Timer *t = h->v[0];

		heap_remove (h, t);
		if (t->key.due > e->now)
			e->now = t->key.due;
		e->hooks->fire (e, t);
		spare_put (&e->spare_timers, t);
		fired = TRUE;
	}
	return fired;
}

gint64
rrec_engine_get_time (RrecEngine *e)
{
	return e->now;
}

gint64
rrec_engine_next_due (RrecEngine *e)
{
	return e->timers->len > 0 ? e->timers->v[0]->key.due : -1;
}

guint
rrec_engine_pending_timers (RrecEngine *e)
{
	return e->timers->len;
}

/* ---- requests to SIP Server ----------------------------------------------- */

gint64
rrec_core_request (RrecEngine *e, guint64 call_id, guint32 serial, int op,
		   Request **head)
{
	Request *r = spare_take (&e->spare_requests, sizeof *r);

	r->refid = e->next_refid++;
	r->call_id = call_id;
	r->serial = serial;
	r->op = op;
	r->next = NULL;
	r->prev = NULL;
	if (head)
		rrec_core_request_link (head, r);
	g_hash_table_insert (e->requests, &r->refid, r);
	return r->refid;
}

void
rrec_core_request_drop (RrecEngine *e, Request *r)
{
	rrec_core_request_unlink (r);
	g_hash_table_steal (e->requests, &r->refid);
	spare_put (&e->spare_requests, r);
}

void
rrec_core_requests_drop_all (RrecEngine *e)
{
	GHashTableIter it;
	gpointer v;

	g_hash_table_iter_init (&it, e->requests);
	while (g_hash_table_iter_next (&it, NULL, &v)) {
		g_hash_table_iter_steal (&it);
		spare_put (&e->spare_requests, v);
	}
}
