/*
 * engine.h — the remote-recording control engine.
 *
 * One RrecEngine follows the calls of one T-Server and decides, by the
 * rules of behaviour.md, when to dial a recording leg to SIP Server and
 * what to ask of it.  It has no threads, never blocks and never reads a
 * clock: the host feeds it messages and tells it the time, and it answers
 * through the host's callbacks (action.h).  Any number of engines may live
 * in one process.
 *
 * Time is in milliseconds on the host's clock (in replay, since the
 * midnight of the log's day).  rrec_engine_advance() fires the timers that
 * are due, in due order; each action a timer causes carries its due time.
 */
#pragma once

#include "rrec/action.h"
#include "rrec/config.h"
#include "rrec/message.h"

G_BEGIN_DECLS

typedef struct _RrecEngine RrecEngine;

#define RREC_ENGINE_ERROR (rrec_engine_error_quark ())
RREC_API GQuark rrec_engine_error_quark (void);

typedef enum {
	RREC_ENGINE_ERROR_MALFORMED,	/* a message missing what it needs */
	RREC_ENGINE_ERROR_STATE,	/* a saved state that cannot be read */
	RREC_ENGINE_ERROR_STORE,	/* a state store that cannot be used */
} RrecEngineError;

/* Pause reasons (R14), as bits. */
typedef enum {
	RREC_PAUSE_CLIENT = 1 << 0,
	RREC_PAUSE_HOLD = 1 << 1,
	RREC_PAUSE_TRANSFER = 1 << 2,
} RrecPauseReason;

typedef struct {
	guint64 messages;	/* fed, malformed ones included */
	guint64 malformed;	/* refused by rrec_engine_feed() */
	guint64 ignored;	/* meant nothing in the state they met (§7) */
	guint64 rejected;	/* illegal in the state they met (§7) */
	guint64 calls;		/* original calls seen */
	guint64 sessions;	/* recording sessions that took a port */
	guint64 orphans;	/* SIP-side legs released as orphans (R20) */
	guint64 client_errors;	/* EventError replies to clients */
} RrecEngineCounters;

/* @config is referenced; @callbacks is copied. */
RREC_API RrecEngine *rrec_engine_new (RrecConfig *config,
				      const RrecHostCallbacks *callbacks,
				      gpointer user_data);
RREC_API void rrec_engine_free (RrecEngine *engine);

/*
 * Feeds one message at the engine's current time.  Returns FALSE with
 * RREC_ENGINE_ERROR_MALFORMED for a message that lacks what its type needs
 * (behaviour.md §7: a SIP-side EventReleased with neither ConnID nor DNIS, a
 * request without ReferenceID, …); the engine is unchanged then.  Messages
 * that make no sense in the call's state are counted and ignored, and are
 * not errors.
 */
RREC_API gboolean rrec_engine_feed (RrecEngine *engine, const RrecMessage *msg,
				    GError **error);

/*
 * A look-ahead hint, for a host that holds messages it is about to feed (a
 * queue of events, a log replayed): called with a message some 8 to 32
 * messages before that message is fed, it asks the CPU to load what the
 * engine will then read (the slot of the message's ConnID and of its DNs,
 * a few messages later the call itself and its parties), so that the
 * memory is there when rrec_engine_feed() needs it.  With many calls in
 * progress the engine's state does not fit in the CPU's caches: each
 * message would otherwise wait for memory several times.
 *
 * A hint only: it never changes what the engine does, which actions it
 * emits or what it stores; a message hinted and never fed, or fed without
 * a hint, is fine.  It reads the message's strings during the call only
 * and keeps nothing of them.  It costs a few hundred instructions (the
 * ConnID parsed, each DN hashed, two look-ups in tables the CPU has in
 * its cache by then).
 */
RREC_API void rrec_engine_prefetch (RrecEngine *engine, const RrecMessage *msg);

/* Whether the engine does anything with a message called @message: those
 * of the types it classifies (RrecMessageType), whatever their side.  A
 * host need not read the attributes of any other block; the signature is
 * a log reader's filter (rrec_log_reader_set_filter(), @unused ignored). */
RREC_API gboolean rrec_engine_wants_message (const char *message,
					     gpointer unused);

/* Moves the clock to @now_ms, firing every timer due at or before it.
 * Time never goes back: an earlier @now_ms is taken as the current time. */
RREC_API void rrec_engine_advance (RrecEngine *engine, gint64 now_ms);
RREC_API gint64 rrec_engine_get_time (RrecEngine *engine);
/* The due time of the next timer, or -1 when none is pending. */
RREC_API gint64 rrec_engine_next_due (RrecEngine *engine);
RREC_API guint rrec_engine_pending_timers (RrecEngine *engine);

/* The date used for $DATE$ (R29), "YYYY-MM-DD"; default 1970-01-01. */
RREC_API void rrec_engine_set_date (RrecEngine *engine, const char *date);

/* ---- queries ---------------------------------------------------------- */

/* The session state's name ("recording", "paused", …) of the call, or NULL
 * when the call has no session. */
RREC_API const char *rrec_engine_session_state (RrecEngine *engine,
						const char *conn_id);
/* The call's pause reasons, RrecPauseReason bits. */
RREC_API guint rrec_engine_pause_reasons (RrecEngine *engine,
					  const char *conn_id);
/* The port of the call's session ("+1555007"), newly allocated, or NULL. */
RREC_API char *rrec_engine_session_port (RrecEngine *engine,
					 const char *conn_id);
RREC_API gboolean rrec_engine_has_call (RrecEngine *engine,
					const char *conn_id);
RREC_API guint rrec_engine_active_calls (RrecEngine *engine);
RREC_API guint rrec_engine_ports_in_use (RrecEngine *engine);
RREC_API gboolean rrec_engine_link_is_up (RrecEngine *engine);
RREC_API gboolean rrec_engine_alarm_is_raised (RrecEngine *engine,
					       const char *name);
RREC_API void rrec_engine_get_counters (RrecEngine *engine,
					RrecEngineCounters *counters);
/* Bytes of memory the engine has mapped itself, outside malloc: its
 * arena of calls and call-lived blocks and its largest tables, in 2 MiB
 * pages where the system gives them.  What malloc holds for it is not
 * counted here (mallinfo2() sees that, and not this). */
RREC_API gsize rrec_engine_memory_mapped (RrecEngine *engine);

/* ---- saving and restoring ---------------------------------------------- */

/*
 * The whole state of the engine — calls, parties, sessions, pending
 * requests, timers, the link, the port pool, counters — in a versioned byte
 * form.  The same state always gives the same bytes.
 */
RREC_API GBytes *rrec_engine_save (RrecEngine *engine);

/* A new engine in the saved state; it acts exactly as the saved one would
 * have.  NULL with RREC_ENGINE_ERROR_STATE for bytes it cannot read. */
RREC_API RrecEngine *rrec_engine_restore (RrecConfig *config,
					  const RrecHostCallbacks *callbacks,
					  gpointer user_data, GBytes *state,
					  GError **error);

/* ---- the durable state store ------------------------------------------- */

/*
 * How hard each step's write is pushed to the disk (SQLite's synchronous
 * mode, in WAL mode).  NORMAL, the default, survives the death of the
 * process; FULL also a power loss, at an fsync per step.  On PostgreSQL
 * (synchronous_commit): NORMAL (off) survives the death of the process
 * and of its machine once the server has the commit; FULL (on) also a
 * crash of the database server; OFF is NORMAL there.
 */
typedef enum {
	RREC_STORE_SYNC_NORMAL = 0,
	RREC_STORE_SYNC_FULL,
	RREC_STORE_SYNC_OFF,
} RrecStoreSync;

/*
 * A new engine on the state store at @path (an SQLite file, created when
 * missing; or a `postgresql://…` connection URI, the store shared by a
 * primary/backup pair, src/store/pg.c): the state it holds is restored (*@restored TRUE), and every
 * engine step that changes the state is written to it, in one transaction,
 * before rrec_engine_feed() or rrec_engine_advance() returns.
 *
 * Never NULL.  A store that cannot be used is reported in @error, and
 * the engine starts empty with the alarm `state-store` raised:
 *  - a damaged rrec store (pages failing their checks, another schema or
 *    state version) is moved aside — PATH.corrupt, or PATH.corrupt.1, .2,
 *    … when earlier ones exist: none is ever overwritten — and a new
 *    store is started at @path;
 *  - a file that is not an rrec store (not an SQLite database, or another
 *    program's database), a store held by another engine, or a path that
 *    cannot be opened is never touched: the engine runs without a store
 *    (rrec_engine_has_store() FALSE).
 * A new store is created mode 0600 (the umask can only make it
 * stricter); a store that is a symbolic link stays one.  After a
 * restore, tell the engine what is alive with rrec_engine_reconcile().
 *
 * The contract with the host: with a store, the actions of a step reach
 * the callbacks only after the step is committed, in the order decided,
 * before rrec_engine_feed(), rrec_engine_advance() or
 * rrec_engine_reconcile() returns.  A crash before the commit: the host
 * saw nothing of the step, and the store holds the step before it (the
 * message that caused the step is the host's to give again, or lost
 * with it).  A crash after the commit, while the actions are delivered:
 * the store holds the step, the host carried out a first part of its
 * actions, and nothing is ever delivered twice.  rrec_engine_reconcile(),
 * with @answers_lost set (the host's link to SIP Server is new after a
 * crash), repairs what the rest would have done to SIP Server: a leg
 * never dialled is dialled (leg gone), a leg never released is released
 * (orphan), a START, PAUSE or RESUME never sent sets the leg up again; a
 * client reply or user data of that last step may be missing (the
 * client's connection was to the old process; GSIP_RECORD and
 * GSIP_REC_FN are written again with the next change).  A write that
 * fails raises `state-store`; on an SQLite store the step's actions are
 * delivered anyway (recording matters more than its record); on a store
 * shared with a standby (PostgreSQL) they are not: they wait, with those
 * of the steps after, for the next write that succeeds (each
 * rrec_engine_feed() or rrec_engine_advance() tries), since a standby
 * taking over would not know of them.
 *
 * One engine per store: a second engine is refused at once (@error names
 * the store and the holder).  On PostgreSQL the store is free as soon as
 * the server ends the holder's session (at once when the holder's process
 * dies; after TCP keepalives, about 25 s, when its machine or network is
 * lost): a standby retries rrec_engine_open() until it gets the store,
 * then reconciles.  An engine that lost its connection and finds that
 * another engine took the store over meanwhile writes nothing more (its
 * alarm says so): its host must stop acting.
 */
RREC_API RrecEngine *rrec_engine_open (RrecConfig *config,
				       const RrecHostCallbacks *callbacks,
				       gpointer user_data, const char *path,
				       RrecStoreSync sync, gboolean *restored,
				       GError **error);

typedef enum {
	/* forget what the store holds (it must be an rrec store: anything
	 * else is refused as always) and start empty on it */
	RREC_STORE_REPLACE = 1 << 0,
} RrecStoreFlags;

/* rrec_engine_open() with @flags. */
RREC_API RrecEngine *rrec_engine_open_full (RrecConfig *config,
					    const RrecHostCallbacks *callbacks,
					    gpointer user_data, const char *path,
					    RrecStoreSync sync, RrecStoreFlags flags,
					    gboolean *restored, GError **error);

/* Whether the engine writes its steps to a store (FALSE: it was opened
 * without one, or the store could not be used). */
RREC_API gboolean rrec_engine_has_store (RrecEngine *engine);

/* ---- group commit: several steps in one transaction (issue #14) -------- */

/*
 * A hint from a host that holds more input than the message it is about
 * to feed (a queue of events, a log replayed): the step of the next
 * rrec_engine_feed() need not be committed on its own.  The step is
 * taken in full; its rows and its actions are kept pending, and the next
 * commit writes every step pending, in one transaction, and only then
 * delivers all their actions, in the order decided.  No action ever
 * reaches the host before the commit that covers its step.
 *
 * A batch is committed (and its actions delivered, before the call
 * returns) by the first rrec_engine_feed() not hinted; a step of
 * rrec_engine_advance() (timers fired) or rrec_engine_reconcile(); a
 * hinted step that decides an action of a kind in @commit_kinds (bits
 * 1 << RrecActionKind: what the host must see before it can tell what it
 * feeds next — a simulated SIP Server that answers at once; a T-Server
 * whose answers come over the network passes 0); the 64th step of a
 * batch; and rrec_engine_flush().
 *
 * What a host that hints must do: feed the message it has in hand at
 * once, and call rrec_engine_flush() as soon as its queue runs empty
 * (before it waits for more input), before rrec_engine_free(), and before
 * it acts on anything but the engine's actions: a step waiting in a
 * batch has told the host nothing yet.  A crash before the commit loses
 * the batch as it would lose one step (the contract of rrec_engine_open()
 * above: the host saw none of its actions, the store holds the state
 * before it); the host must give the batch's messages again, or count
 * them lost.  The stored clock is that of the batch's last step.
 * rrec_engine_free() writes nothing: a batch still pending is dropped
 * as by a crash.
 *
 * Queries (rrec_engine_session_state(), …) see the steps taken, pending
 * or not.  Without a store, or without the hint, nothing changes: each
 * step is committed before its call returns, as always.
 */
RREC_API void rrec_engine_more_queued (RrecEngine *engine, guint commit_kinds);
/* Commits the steps pending and delivers their actions (nothing pending:
 * nothing happens). */
RREC_API void rrec_engine_flush (RrecEngine *engine);
/* Steps taken and not yet committed (0 without a store). */
RREC_API guint rrec_engine_pending_steps (RrecEngine *engine);

/* ---- reconciling after a restart ---------------------------------------- */

/* A call the host (T-Server) still has.  @parties: the DNs present on it,
 * NULL-terminated; NULL when the host does not know them. */
typedef struct {
	const char *conn_id;
	const char *const *parties;
} RrecLiveCall;

/* A recording leg SIP Server still has: its port (DNIS) and ConnID. */
typedef struct {
	const char *port;
	const char *leg;
} RrecLiveLeg;

typedef struct {
	const RrecLiveCall *calls;
	guint n_calls;
	const RrecLiveLeg *legs;
	guint n_legs;
	gboolean link_up;	/* the link to SIP Server, as the host has it */
	gboolean answers_lost;	/* the host's link to SIP Server is a new one:
				 * answers to requests sent before the
				 * restart will not come */
	gboolean calls_only;	/* the view lists the calls only (an audit of
				 * calls, R31): legs and link are left as
				 * they are, @legs and @link_up unread */
} RrecLiveView;

/*
 * After a restart (rrec_engine_open() restored a state), the host tells
 * the engine what is alive at @now_ms; the engine moves its clock there
 * and makes its state agree, each decision an action with a reason:
 *
 *  - a client request still waiting is answered EventError `setup-failed`
 *    (client-reply, reason `pending-at-restart`): its client's connection
 *    was to the old process;
 *  - a call the host no longer has ends (R26; release-leg reason
 *    `call-gone`); a present party the host no longer lists is released;
 *  - a session whose leg SIP Server still has on the same port goes on
 *    with it: no new leg, no new START (reconcile, reason `reattached`);
 *  - a session whose leg is gone dials again at once on the same port
 *    (dial-leg; reconcile reason `leg-gone-redial`), the interval being a
 *    `restart` gap;
 *  - with @answers_lost, a re-attached session whose PAUSE or RESUME was
 *    in flight sets its leg up again, as after a link loss (session.fsm,
 *    LINK_UP in pausing and resuming); a START in flight releases its
 *    leg (release-leg, reason `in-flight-at-restart`) and sets it up
 *    again at once; a session still dialling whose leg is not up dials
 *    again on its port (reconcile, reason `dial-again`): the START or the
 *    dial may never have left the old process;
 *  - a leg of SIP Server that no session owns is released (release-leg,
 *    reason `orphan-at-restart`);
 *  - the link is taken down or up as the host has it (R23, R24).
 *
 * Ports and timers need nothing: they are part of the stored state, timers
 * with their due times, and fire once the clock reaches them.
 *
 * An audit (R31).  The host may call this at any time, not only after a
 * restart: every call after the first following a restore (or on an
 * engine that was never restored) is an audit.  An audit compares the same
 * way — a call absent from the view ends with release-leg reason
 * `call-gone`, a present party not listed is released, a session whose
 * leg SIP Server no longer has dials again, a leg no session owns is
 * released (reason `orphan`, counted as an orphan, R20) — but client
 * requests still waiting are left to their answers, no `reconcile`
 * action reports a leg found alive, and no `restart` gap is opened.  A
 * T-Server that only knows its calls sets @calls_only: legs and the link
 * are then left alone.  Use it as the backstop for calls whose releases
 * were lost (alongside EventCallDeleted, which the engine follows too).
 */
RREC_API void rrec_engine_reconcile (RrecEngine *engine, gint64 now_ms,
				     const RrecLiveView *view);

/* The ConnID of the leg of the call's session ("5e00…"), newly
 * allocated, or NULL when the session has no leg up (or no session). */
RREC_API char *rrec_engine_session_leg (RrecEngine *engine,
					const char *conn_id);

/* The ReferenceIDs of the GSIP requests and user-data updates that await
 * SIP Server's answer, ascending; *@n gets their number (g_free()). */
RREC_API gint64 *rrec_engine_list_requests (RrecEngine *engine, guint *n);

/* The ConnIDs of the calls the engine follows, in the order it met them,
 * NULL-terminated (g_strfreev()). */
RREC_API char **rrec_engine_list_calls (RrecEngine *engine);

G_END_DECLS
