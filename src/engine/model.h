/*
 * model.h — calls, their parties, triggers and client waiters, and their
 * recording sessions, as data (the facts the tables' guards read), with
 * what every machine binding does to them: create and free them, answer a
 * waiting client (R27), write the call's recording state (R28).  No table
 * row is run here.
 */
#pragma once

#include "core.h"
#include "call-fsm.h"
#include "link-fsm.h"
#include "party-fsm.h"
#include "session-fsm.h"

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
	GAP_SERVER_FAILOVER,	/* R33: SIP Server lost the leg in a failover */
	GAP_N_CAUSES,
} GapCause;

typedef struct _GapLedger GapLedger;

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
struct _GapLedger {
	gint64 open_start;	/* when the open gap began */
	guint8 n;
	guint8 cap;
	Gap gaps[];
};

/* A party, 20 bytes: three of them and a word fill the call's line 1. */
typedef struct {
	guint32 dn;		/* its DN's id (RrecEngine.dns) */
	guint32 hash;		/* its DN's hash (RrecDn.hash): a message's DN
				 * is looked for among the parties by it, and
				 * only the entry of a party of the same hash
				 * is read (rrec_engine_party_dn()) */
	guint32 peer;		/* the id of the OtherDN of its latest event
				 * that named one: the party it is connected
				 * with (R4); 0: none */
	guint32 est_seq;	/* when it was first established, for R13 */
	guint8 state;		/* RrecPartyState */
	guint8 supervisor;	/* Observer role seen for it (R12, M7) */
	guint8 spent;		/* its trigger was cleared by a client STOP (R10) */
	guint8 local_at_add : 1;	/* its DN was of this T-Server when it
				 * joined (the store's rows keep it); a DN
				 * stays local once it is (dntab.h) */
	guint8 records : 1;	/* its DN's `record` option (R1), read once */
} Party;

typedef enum {
	SCOPE_CLIENT = 0,	/* a client's START (R4, R5) */
	SCOPE_ROUTE,		/* a route's record=destination/source (R3) */
} ScopeKind;

/* A trigger a client or a route asked for: 8 bytes, by value in the
 * call's array (Scopes), so that R8's check compares DN ids and reads no
 * text (rrec_engine_trigger_holds()). */
typedef struct {
	guint32 dn;		/* the DN's id (dntab.h), holding a reference:
				 * an outside DN stays in the table while a
				 * scope names it */
	guint8 kind;		/* ScopeKind */
	guint8 acked;		/* a client START for it was answered EventACK:
				 * a later failed start keeps it (R30) */
} Scope;

/* A call's scopes in the order asked, one block from the engine's size
 * classes (rrec_core_mem_take()); NULL while the call has none. */
typedef struct {
	guint32 len;
	guint32 cap;
	Scope v[];
} Scopes;

/* DNs by their ids (dntab.h), each holding a reference: a call's vetoes
 * (R3), one block as Scopes; NULL while none. */
typedef struct {
	guint32 len;
	guint32 cap;
	guint32 v[];
} DnIds;

/* A client request waiting for its one reply (R27). */
typedef struct {
	gint64 refid;
	char *dn;
	int op;			/* RrecGsipOp */
} Waiter;

/* The parties a call keeps in its own block (most have two or three):
 * more move to an array of their own. */
#define CALL_INLINE_PARTIES 3

/*
 * A call, 256 bytes at a 64-byte boundary (model.c keeps them in blocks):
 * four cache lines, in the order a message needs them.  Line 0 holds what
 * nearly every message reads (state, flags, the pointers to the rest),
 * line 1 the first parties, line 2 what some messages read, line 3 what
 * few do (the ConnID as text, the order of creation, the ledger).
 */
struct _Call {
	/* line 0 */
	guint64 id;		/* the ConnID as a number */
	Party *parties;		/* in the order they joined, by value: the
				 * call's own first_parties, or an array */
	Session *session;
	guint8 *user_data;	/* as the call's events last carried it (R21),
				 * packed (rrec-kvpack.h); NULL: none */
	guint8 state;		/* RrecCallState */
	gint8 call_type;	/* AttributeCallType, -1 unknown */
	guint8 pause;		/* RrecPauseReason bits (R14) */
	guint8 transfer;	/* a transfer is in progress (R8) */
	guint8 rp_trigger;	/* routed through a record=true routing point (R1) */
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
	guint8 failing_over;	/* the leg was lost in a failover: a
				 * `server-failover` gap likewise (R33) */
	guint8 n_parties;
	guint8 cap_parties;
	guint32 user_data_len;
	/* Numbers and DNs are ids of the engine's DN table (0: none), each
	 * holding a reference: no string per call (CALL_DN() reads one). */
	guint32 originator;	/* the DN the call came from (R3 source) */
	guint32 routing_point;	/* the record=true routing point (R13) */
	guint32 transfer_from;	/* the DN that transferred (R8) */

	/* line 1 */
	Party first_parties[CALL_INLINE_PARTIES];
	guint32 next_serial;

	/* line 2 */
	RrecEngine *engine;
	/* Arrays are NULL until the call needs them: most calls have no
	 * scopes, vetoes or waiters, and memory per call matters. */
	Scopes *scopes;		/* NULL: none */
	DnIds *vetoes;		/* DNs whose R1 trigger a route vetoed (R3) */
	RrecPtrs *waiters;	/* Waiter* */
	char *call_uuid;
	/* What every dial reads and writes (a_write_filename()), here, not
	 * in line 3: the look-ahead asks for line 3 only for a message that
	 * may end the call. */
	guint64 rec_fn_hash;	/* GSIP_REC_FN as last written, hashed (R28) */
	guint32 n_recordings;	/* sessions that dialled a leg (R34) */
	/* 32 bits as Party.est_seq, which takes its values (R13); the state
	 * keeps 64 */
	guint32 next_est_seq;
	guint32 ani, dnis;

	/* line 3 */
	char conn[17];		/* the ConnID, 16 lower-case hex digits */
	guint32 call_uuid_len;	/* strlen (call_uuid), 0 while it is NULL:
				 * the call's end gives its block back by
				 * it, without reading the CallUUID */
	guint64 seq;		/* order of creation: R30's "oldest first" */
	GapLedger *ledger;	/* NULL until the call's first gap (gaps.c) */
	guint64 main_id;	/* a consultation's main call, its
				 * TransferConnID; 0 = none (R36): read
				 * only for a message that carries one and
				 * when a recorded consultation's session
				 * opens */
	guint32 failed_gen;	/* the drain in which its start last failed
				 * (RrecEngine.drain_gen, R30) */
};

/* What few sessions need: kept apart, so that the common session is
 * small (memory per session). */
typedef struct {
	char *leg;		/* the leg's ConnID in lower case, when it is not
				 * 16 hex digits (Session.leg_id cannot hold it) */
	char *rec_id;		/* the recording id, when it can no longer be
				 * derived (rrec_session_pin_rec_id()) */
	char *parent_id;	/* R36: the main call's recording id when this
				 * consultation's session was created */
} SessionRare;

typedef enum {
	LEG_NONE = 0,
	LEG_ID,			/* Session.leg_id, 16 lower-case hex digits */
	LEG_TEXT,		/* SessionRare.leg */
} LegKind;

struct _Session {
	Call *call;
	guint32 serial;		/* tells this session from the call's later ones */
	guint8 state;		/* RrecSessionState */
	guint8 has_port;
	guint8 started;		/* a START was acknowledged: no longer the first leg */
	guint8 dialled;		/* a leg is dialled or up */
	guint32 port;
	guint32 owner;		/* R13: a DN-table id (SESSION_OWNER()) */
	guint32 redials;	/* re-dials since the last START acknowledged (R35) */
	guint32 rec_no;		/* R34: the number of its recording id, from the
				 * first dial on; 0: none yet.  The id is the
				 * call's CallUUID (else ConnID), '-', this
				 * number (rrec_session_rec_id()) */
	guint8 gave_up;		/* ended after reestablish-max-attempts (R35) */
	guint8 leg_kind;	/* LegKind: the leg's ConnID once up */
	guint32 file_name_len;	/* strlen (file_name), 0 while it is NULL:
				 * its block is given back by it, and a
				 * re-dial's name compared with it, without
				 * reading the name (in the padding here) */
	guint64 leg_id;		/* the leg's ConnID as a number (LEG_ID) */
	char *file_name;	/* R29, from the first dial on */
	SessionRare *rare;	/* NULL until needed */
	struct _Timer *setup_timer;	/* NULL = none */
	struct _Timer *redial_timer;
	struct _Timer *query_timer;	/* a leg query awaits its answer (R33) */
	Request *requests;	/* its requests to SIP Server in flight, the
				 * newest first (core.h): its end and its
				 * query's time-out read these, not every
				 * request in flight; a restore links them
				 * again (engine-state.c) */
};

/* The session's leg's ConnID as text (in @buf when it is held as a number),
 * NULL when it has none. */
const char *rrec_session_leg (const Session *s, char buf[17]);
/* The leg's ConnID is @leg (any case). */
gboolean rrec_session_leg_is (const Session *s, const char *leg);
/* Sets the leg's ConnID (kept in lower case) and finds the session by it
 * (RrecEngine.by_leg); NULL: the session has no leg. */
void rrec_session_set_leg (Session *s, const char *leg);
/* R34: the recording id, newly allocated; NULL before the first dial. */
char *rrec_session_rec_id (const Session *s);
/* The recording id is kept as text from now on: its call's ConnID or
 * CallUUID is about to change. */
void rrec_session_pin_rec_id (Session *s);
/* Sets the id from its saved text (the state store). */
void rrec_session_restore_rec_id (Session *s, const char *rec_id);
/* R36: the parent's recording id, or NULL. */
static inline const char *
rrec_session_parent_id (const Session *s)
{
	return s->rare ? s->rare->parent_id : NULL;
}
SessionRare *rrec_session_rare (Session *s);

typedef enum {
	REC_NONE = 0,
	REC_ON,
	REC_PAUSED,
	REC_OFF,
} RecState;

/* The session's leg is up and started: it can hear GSIP requests. */
static inline gboolean
rrec_session_leg_is_up (const Session *s)
{
	switch ((RrecSessionState) s->state) {
	case RREC_SESSION_STATE_STARTING:
	case RREC_SESSION_STATE_RECORDING:
	case RREC_SESSION_STATE_PAUSING:
	case RREC_SESSION_STATE_PAUSED:
	case RREC_SESSION_STATE_RESUMING:
		return TRUE;
	case RREC_SESSION_STATE_IDLE:
	case RREC_SESSION_STATE_DIALING:
	case RREC_SESSION_STATE_REESTABLISHING:
	case RREC_SESSION_STATE_LINK_WAIT:
	case RREC_SESSION_STATE_STOPPING:
	case RREC_SESSION_STATE_ENDED:
	case RREC_SESSION_N_STATES:
		return FALSE;
	}
	return FALSE;
}

static inline gboolean
rrec_party_present (const Party *p)
{
	return p->state != RREC_PARTY_STATE_ABSENT &&
	       p->state != RREC_PARTY_STATE_GONE;
}

static inline gboolean
rrec_party_established (const Party *p)
{
	return p->state == RREC_PARTY_STATE_ESTABLISHED ||
	       p->state == RREC_PARTY_STATE_HELD;
}

/* A party's DN is of this T-Server: a flag of the DN's entry (a DN first
 * seen as an outside number may have shown up as a ThisDN since), read
 * only when the DN was not local when the party joined (local_at_add):
 * a DN never stops being local, so most parties need no entry read. */
#define PARTY_IS_LOCAL(e, p) \
	((p)->local_at_add || rrec_dn_table_is_local (&(e)->dns, (p)->dn))

/* The session's owner as text (R13). */
#define SESSION_OWNER(s) rrec_dn_table_name (&(s)->call->engine->dns, (s)->owner)

/* The key of a leg's ConnID in RrecEngine.by_leg: a hash of its text in
 * lower case (the text is compared too, rrec_engine_leg_session()). */
guint64 rrec_engine_leg_key (const char *leg);
Session *rrec_engine_leg_session (RrecEngine *e, const char *leg);

/* A DN field of a call (Call.ani …) as text, NULL when it has none. */
#define CALL_DN(c, field) rrec_dn_table_name (&(c)->engine->dns, (c)->field)

/* Sets a DN field of a call (&call->ani …) to @dn (NULL: none). */
void rrec_engine_call_set_dn (Call *call, guint32 *field, const char *dn);
/* The same with the DN's id (dntab.h), already in the table (0: none). */
void rrec_engine_call_set_dn_id (Call *call, guint32 *field, guint32 id);

/* A party's DN as text. */
static inline const char *
rrec_party_dn (const Call *call, const Party *p)
{
	return rrec_dn_table_name (&call->engine->dns, p->dn);
}

static inline const char *
rrec_party_peer (const Call *call, const Party *p)
{
	return rrec_dn_table_name (&call->engine->dns, p->peer);
}

gboolean rrec_engine_dn_records (RrecEngine *e, const char *dn);
void rrec_engine_replace (char **slot, const char *value);

/* The store hears of every call a step may change, so that it writes
 * those calls' rows and no other (store-rows.c). */
static inline void
rrec_engine_touch (RrecEngine *e, const Call *c)
{
	if (e->store)
		rrec_store_touch (e->store, c->id);
}

/* calls and parties */
Call *rrec_engine_call_new (RrecEngine *e, guint64 id);
/* The memory of the calls (blocks of them, model.c): after the last call
 * was freed (the engine's end). */
void rrec_engine_calls_memory_free (RrecEngine *e);
Call *rrec_engine_call_lookup (RrecEngine *e, guint64 id);
void rrec_engine_call_free (Call *call);
void rrec_engine_session_free (Session *s);
GPtrArray *rrec_engine_calls_in_order (RrecEngine *e);
GPtrArray *rrec_engine_calls_where (RrecEngine *e, gboolean (*keep) (Call *));
/* frees the calls that ended in this step */
void rrec_engine_sweep_dead (RrecEngine *e);
/* @id: @dn's id when the caller has it (dntab.h), 0: looked up here. */
Party *rrec_engine_party_add (RrecEngine *e, Call *call, const char *dn,
			      guint32 id);
void rrec_engine_party_remove (Call *call, Party *p);
Party *rrec_engine_party (Call *call, const char *dn);
/* The id of @k's DN when it is a party of @call (NULL: none), 0 when
 * not: found by the parties' hashes, then the entry of a party of the
 * same hash (@t: the engine's DN table). */
guint32 rrec_engine_party_dn (const RrecDnTable *t, const Call *call,
			      const RrecDnKey *k);
/* The party of the DN of id @dn (0: none). */
Party *rrec_engine_party_by_id (Call *call, guint32 dn);
/* R4: the party's peer is now @dn (NULL: none), of id @id when known
 * (0: looked up). */
void rrec_engine_party_set_peer (Call *call, Party *p, const char *dn,
				 guint32 id);
gboolean rrec_engine_is_supervisor (Call *call, const char *dn);

/* triggers (R1-R5, R8, R10, R12): triggers.c, and model.c for a DN's text */
void rrec_engine_add_scope (Call *call, const char *dn, ScopeKind kind);
/* The same with the DN's id (dntab.h), already in the table. */
void rrec_engine_add_scope_id (Call *call, guint32 dn, ScopeKind kind);
/* A scope added as it is (a saved state's: no look for the same one). */
void rrec_engine_scope_append (Call *call, guint32 dn, ScopeKind kind,
			       gboolean acked);
/* The scope at @i gone (its DN's reference dropped), those after it
 * moved down; the array stays, empty or not. */
void rrec_engine_scope_remove (Call *call, guint i);
/* Every scope gone, and the array. */
void rrec_engine_scopes_clear (Call *call);
void rrec_engine_add_veto (Call *call, const char *dn);
/* A veto added as it is (a saved state's: no look for the same one). */
void rrec_engine_veto_append (Call *call, guint32 dn);
/* A veto of the DN of id @dn, unless the call has it (triggers.c). */
void rrec_engine_add_veto_id (Call *call, guint32 dn);
/* Every veto gone, and the array. */
void rrec_engine_vetoes_clear (Call *call);
gboolean rrec_engine_trigger_holds (Call *call);
/* R1, R2, R3, R10, R12: does this party's own `record` option hold? */
gboolean rrec_engine_party_triggers (Call *call, const Party *p);
guint rrec_engine_established (Call *call);

/* the machines' events for a call and its session */
void rrec_engine_post (RrecEngine *e, Target target, guint event, Call *call,
		       gint64 refid, const char *dn, const char *reason);
Timer *rrec_engine_timer_add (RrecEngine *e, TimerKind kind, gint64 due,
			      Call *call, guint32 serial);

/* client waiters and replies (R27) */
void rrec_engine_waiter_add (Call *call, gint64 refid, const char *dn, int op);
void rrec_engine_answer (RrecEngine *e, Call *call, int op, const char *error);
void rrec_engine_reply (RrecEngine *e, Call *call, gint64 refid,
			const char *dn, const char *error);

/* the call's user data (R21, R28) */
void rrec_engine_mark_call (RrecEngine *e, Call *call, RecState state);
/* @name: @name_len bytes, no NUL among them */
void rrec_engine_name_call (RrecEngine *e, Call *call, const char *name,
			    gsize name_len, const char *rec_id);
RrecKvList *rrec_engine_call_userdata (Call *call);
gboolean rrec_engine_own_key (const char *key);
/* R30: the client starts answered EventACK so far stay triggers */
void rrec_engine_ack_client_scopes (Call *call);
