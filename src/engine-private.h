/*
 * engine-private.h — the engine's own objects: calls, their parties and
 * recording sessions, the SIP Server link, timers and posted events.
 *
 * Decisions live in the tables of fsm/ (call, party, session, link); the
 * code here keeps the facts those tables' guards read, classifies each
 * T-Library message into machine events, and carries out their actions.
 */
#pragma once

#include "rrec/engine.h"
#include "rrec-fsm.h"
#include "rrec-portpool.h"
#include "rrec-store.h"
#include "rrec-uri-pattern.h"
#include "call-fsm.h"
#include "link-fsm.h"
#include "party-fsm.h"
#include "session-fsm.h"

typedef struct _Call Call;
typedef struct _Session Session;

/* Why a recorded call's leg is not recording (the gap ledger, gaps.c). */
typedef enum {
	GAP_NONE = 0,
	GAP_HOLD,		/* R15: paused for a hold */
	GAP_TRANSFER,		/* R16: paused for a transfer */
	GAP_CLIENT,		/* R17: paused by a client */
	GAP_REESTABLISHING,	/* R25: the leg dropped, or its start failed */
	GAP_LINK_DOWN,		/* R23, R24: no link to SIP Server */
	GAP_NO_PORT,		/* R22: no free port */
	GAP_RESTART,		/* the engine restarted (store.c) */
	GAP_N_CAUSES,
} GapCause;

/* One closed gap: [start, end) on the engine clock, in ms. */
typedef struct {
	gint64 start;
	gint64 end;
	guint8 cause;		/* GapCause */
} Gap;

/* At most this many gaps per call; the 65th merges two neighbours. */
#define GAP_LEDGER_MAX 64

/* A call's gaps, allocated at its first gap and grown as needed: most
 * calls never have one, and memory per call matters. */
typedef struct {
	gint64 open_start;	/* when the open gap began */
	guint8 n;
	guint8 cap;
	Gap gaps[];
} GapLedger;

typedef struct {
	char *dn;		/* a local DN's is shared with the engine's
				 * local_dns; an external one's is owned */
	guint8 owns_dn;
	guint8 records;		/* its DN's `record` option (R1), read once */
	guint8 state;		/* RrecPartyState */
	guint8 supervisor;	/* Observer role seen for it (R12, M7) */
	guint8 spent;		/* its trigger was cleared by a client STOP (R10) */
	guint64 est_seq;	/* when it was first established, for R13 */
} Party;

typedef enum {
	SCOPE_CLIENT = 0,	/* a client's START (R4, R5) */
	SCOPE_ROUTE,		/* a route's record=destination/source (R3) */
} ScopeKind;

typedef struct {
	char *dn;
	guint8 kind;		/* ScopeKind */
} Scope;

/* A client request waiting for its one reply (R27). */
typedef struct {
	gint64 refid;
	char *dn;
	int op;			/* RrecGsipOp */
} Waiter;

struct _Call {
	RrecEngine *engine;
	guint64 id;		/* the ConnID as a number */
	char conn[17];		/* the ConnID, 16 lower-case hex digits */
	guint64 seq;		/* order of creation: R30's "oldest first" */
	guint8 state;		/* RrecCallState */
	gint8 call_type;	/* AttributeCallType, -1 unknown */
	guint8 pause;		/* RrecPauseReason bits (R14) */
	guint8 transfer;	/* a transfer is in progress (R8) */
	guint8 rp_trigger;	/* routed through a record=true routing point (R1) */
	guint8 blocked;		/* a start failed: wait for R30 */
	guint8 lost;		/* the leg was lost for good (reestablish 0) */
	guint8 told_paused;	/* what the session was last told of the pause
				 * set: non-empty (R14) */
	guint8 rec_state;	/* GSIP_RECORD as last written: RecState (R28) */
	/* The gap ledger's flags: small, they fill the padding here. */
	guint8 gap_cause;	/* GapCause of the open gap, GAP_NONE: none */
	guint8 fail_cause;	/* GapCause of the last failed start (R30) */
	guint8 gaps_dirty;	/* the ledger changed since GSIP_REC_GAPS */
	guint8 restarting;	/* the leg was gone at a restart: a `restart`
				 * gap until a new leg is up and started */
	guint64 rec_fn_hash;	/* GSIP_REC_FN as last written, hashed (R28) */
	char *ani, *dnis, *call_uuid;
	char *originator;	/* the DN the call came from (R3 source) */
	char *routing_point;	/* the record=true routing point (R13) */
	char *transfer_from;	/* the DN that transferred (R8) */
	/* Arrays are NULL until the call needs them: most calls have no
	 * scopes, vetoes or waiters, and memory per call matters. */
	Party *parties;		/* in the order they joined, by value */
	guint8 n_parties;
	guint8 cap_parties;
	GPtrArray *scopes;	/* Scope* */
	GPtrArray *vetoes;	/* char*: DNs whose R1 trigger a route vetoed (R3) */
	GPtrArray *waiters;	/* Waiter* */
	guint8 *user_data;	/* as the call's events last carried it (R21),
				 * packed (rrec-kvpack.h); NULL: none */
	guint32 user_data_len;
	Session *session;
	guint32 next_serial;
	guint64 next_est_seq;
	GapLedger *ledger;	/* NULL until the call's first gap (gaps.c) */
};

struct _Session {
	Call *call;
	guint32 serial;		/* tells this session from the call's later ones */
	guint8 state;		/* RrecSessionState */
	guint8 has_port;
	guint8 started;		/* a START was acknowledged: no longer the first leg */
	guint8 dialled;		/* a leg is dialled or up */
	guint32 port;
	char *owner;		/* R13 */
	char *leg;		/* the leg's ConnID once up */
	struct _Timer *setup_timer;	/* NULL = none */
	struct _Timer *redial_timer;
};

typedef enum {
	TIMER_SETUP = 0,	/* recording-setup-tout (R25, R27) */
	TIMER_REDIAL,		/* reestablish-recording-tout (R25) */
	TIMER_LINK_RETRY,	/* reconnect-timeout (R24) */
} TimerKind;

typedef struct {
	gint64 due;
	guint64 id;
} TimerKey;

typedef struct _Timer {
	TimerKey key;
	guint8 kind;
	guint64 call_id;
	guint32 serial;
} Timer;

/* A GSIP request to SIP Server awaiting its answer. */
typedef struct {
	gint64 refid;
	guint64 call_id;
	guint32 serial;
	int op;			/* RrecGsipOp, or 0 for a user-data update */
} Request;

typedef enum {
	TARGET_CALL = 0,
	TARGET_SESSION,
	TARGET_LINK,
} Target;

/* An event posted to a machine; handled in order once the current step is
 * done, so that no machine is re-entered from its own actions. */
typedef struct {
	guint8 target;
	guint8 event;
	guint64 call_id;
	guint32 serial;
	gint64 refid;		/* a client request's ReferenceID, or -1 */
	char *dn;		/* the requesting DN */
	char *scope;		/* a client START's scope DN (R4, R5), or NULL */
	const char *reason;	/* why, for release-leg */
} Posted;

struct _RrecEngine {
	RrecConfig *config;
	RrecHostCallbacks cb;
	gpointer user_data;
	const RrecUriPattern *pattern;
	RrecPortPool *pool;

	GHashTable *calls;	/* guint64 id -> Call* */
	GHashTable *by_port;	/* port -> Session* */
	GHashTable *by_leg;	/* leg ConnID -> Session* */
	GHashTable *local_dns;	/* DNs seen as ThisDN (§3) */
	GHashTable *requests;	/* refid -> Request* */
	GTree *timers;		/* TimerKey* -> Timer* */
	GArray *posted;		/* Posted, a FIFO from posted_head on: no
				 * allocation per event */
	guint posted_head;
	GPtrArray *dead;	/* Call* ended, freed after the step */

	guint8 link_state;	/* RrecLinkState */
	guint link_attempts;
	Timer *link_timer;
	gboolean alarm_no_port;
	gboolean alarm_link;
	gboolean alarm_store;	/* the state store failed (not saved: it is
				 * about this process) */
	RrecStore *store;	/* NULL: no store */

	gint64 now;
	char date[11];
	gint64 next_refid;
	guint64 next_timer_id;
	guint64 next_call_seq;
	gboolean port_freed;	/* R30: retry blocked calls after the step */
	gboolean any_blocked;	/* some call may be waiting for R30 */
	guint64 just_failed;	/* the call whose start failed in this step:
				 * the port its own session freed is not the
				 * one R30 waits for */
	gboolean link_back;
	RrecEngineCounters counters;
	gboolean draining;
};

#define LEN(a) ((a) ? (a)->len : 0u)

static inline GPtrArray *
lazy_array (GPtrArray **a, GDestroyNotify free_func)
{
	if (*a == NULL)
		*a = g_ptr_array_new_full (1, free_func);
	return *a;
}

/* The session's leg is up and started: it can hear GSIP requests. */
static inline gboolean
rrec_session_leg_is_up (const Session *s)
{
	switch (s->state) {
	case RREC_SESSION_STATE_STARTING:
	case RREC_SESSION_STATE_RECORDING:
	case RREC_SESSION_STATE_PAUSING:
	case RREC_SESSION_STATE_PAUSED:
	case RREC_SESSION_STATE_RESUMING:
		return TRUE;
	default:
		return FALSE;
	}
}

/* engine.c */
void rrec_engine_scope_free (gpointer p);
Party *rrec_engine_party_add (RrecEngine *e, Call *call, const char *dn);
void rrec_engine_party_remove (Call *call, Party *p);
Call *rrec_engine_call_lookup (RrecEngine *e, guint64 id);
void rrec_engine_post (RrecEngine *e, Target target, guint event, Call *call,
		       gint64 refid, const char *dn, const char *reason);
void rrec_engine_emit (RrecEngine *e, RrecAction *a);
/* To the host's callback now (rrec_engine_emit() may hold it, store.c). */
void rrec_engine_deliver (RrecEngine *e, const RrecAction *a);
void rrec_engine_reply (RrecEngine *e, Call *call, gint64 refid,
			const char *dn, const char *error);
Timer *rrec_engine_timer_add (RrecEngine *e, TimerKind kind, gint64 due,
			      Call *call, guint32 serial);
void rrec_engine_timer_cancel (RrecEngine *e, Timer **timer);
gboolean rrec_engine_trigger_holds (Call *call);
guint rrec_engine_established (Call *call);
Party *rrec_engine_party (Call *call, const char *dn);
void rrec_engine_answer (RrecEngine *e, Call *call, int op, const char *error);
typedef enum {
	REC_NONE = 0,
	REC_ON,
	REC_PAUSED,
	REC_OFF,
} RecState;

/* R28: write GSIP_RECORD or GSIP_REC_FN to the call, when it changes. */
void rrec_engine_mark_call (RrecEngine *e, Call *call, RecState state);
void rrec_engine_name_call (RrecEngine *e, Call *call, const char *name);
void rrec_engine_call_free (Call *call);
gboolean rrec_engine_own_key (const char *key);
void rrec_engine_drain (RrecEngine *e);
GPtrArray *rrec_engine_calls_in_order (RrecEngine *e);
void rrec_engine_party_gone (RrecEngine *e, Call *call, const char *dn);
void rrec_engine_link_as (RrecEngine *e, gboolean up);
void rrec_engine_store_step (RrecEngine *e);
RrecKvList *rrec_engine_call_userdata (Call *call);
void rrec_engine_session_free (Session *s);
Call *rrec_engine_call_new (RrecEngine *e, guint64 id);
void rrec_engine_waiter_add (Call *call, gint64 refid, const char *dn, int op);

/* session.c */
extern const RrecFsmBinding rrec_session_binding;
char *rrec_session_port_string (Session *s);
gint64 rrec_session_request (RrecEngine *e, Session *s, int op);

/* gaps.c */
const char *rrec_gap_cause_name (guint cause);
void rrec_gaps_update (RrecEngine *e, Call *call);
void rrec_gaps_add (RrecEngine *e, Call *call, gint64 start, gint64 end,
		    guint cause);
char *rrec_gaps_encode (const Call *call);
void rrec_gaps_restart (RrecEngine *e, Call *call, gint64 since);
void rrec_gaps_open (Call *call, guint cause, gint64 start);
gint64 rrec_gaps_open_start (const Call *call);
guint rrec_gaps_count (const Call *call);

/* engine-state.c */
GBytes *rrec_engine_state_save (RrecEngine *e);
guint32 rrec_engine_state_version (void);
gboolean rrec_engine_state_load (RrecEngine *e, GBytes *bytes, GError **error);
/* the store's rows (store.c) */
gsize rrec_engine_state_put_engine_row (RrecEngine *e, GByteArray *b);
void rrec_engine_state_put_ports_row (RrecEngine *e, GByteArray *b);
void rrec_engine_state_put_call_row (const Call *c, GPtrArray *requests,
				     GByteArray *b);
gint rrec_engine_state_request_cmp (gconstpointer a, gconstpointer b);
void rrec_engine_state_put_row_clock (RrecEngine *e, GByteArray *b);
typedef struct _RrecStateLoad RrecStateLoad;
RrecStateLoad *rrec_engine_state_load_new (RrecEngine *e);
gboolean rrec_engine_state_load_row (RrecStateLoad *l, const RrecStoreRow *row,
				     GError **error);
gboolean rrec_engine_state_load_done (RrecStateLoad *l, GError **error);
void rrec_engine_state_load_free (RrecStateLoad *l);
gboolean rrec_engine_state_load_is_empty (RrecStateLoad *l);

/* The store hears of every call a step may change (store.c). */
static inline void
rrec_engine_touch (RrecEngine *e, const Call *c)
{
	if (e->store)
		rrec_store_touch (e->store, c->id);
}
