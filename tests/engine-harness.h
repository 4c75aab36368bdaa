/*
 * engine-harness.h — drives a whole RrecEngine with T-Library messages and
 * checks the host actions it asks for, in order (behaviour.md §4, §5).
 *
 * Every scenario is a function of a Harness.  It is registered twice: once
 * plain and once under /engine/restore/…, where the engine is saved, freed
 * and restored before every fed message and every advance of the clock.
 * Both runs check the same expectations, so a state that the byte form
 * forgets shows as a failing restore test next to a passing plain one.
 *
 * By default the harness plays a healthy SIP Server: a dialled leg comes
 * up (SIP-side EventEstablished on the trunk group, DNIS = port, a leg
 * ConnID of its own) and every GSIP request or user-data update is
 * answered EventACK.  The answers are queued while the engine's callback
 * runs and fed once the harness's own feed or advance returns, so the
 * engine is never re-entered; the actions they cause are part of the
 * expectations of the step that caused them.
 */
#pragma once

#include <glib.h>

#include "rrec/engine.h"
#include "rrec-sipsim.h"

/* The standard configuration (harness_start()):
 *   [remote-recording] server-application SIPServer_SfB, trunk-group annc,
 *     uri-pattern sip:{+1555{DDD}}{@sip.example.com},
 *     recording-filename $CONNID$_$DN$_$PORT$ (deterministic, and a new
 *     session's name differs from the last one: R28 writes only changes),
 *     record-moh as registered;
 *   [app:SIPServer_SfB] reconnect-timeout 10, reconnect-attempts 1;
 *   DNs: 7001 extension record=true, 7002 extension, 7003 extension
 *     record=true, 7004 extension, 7005 acd-position record=true,
 *     5000 routing-point record=true, 5001 routing-point,
 *     7009 extension record=true (the supervisor: R12 ignores it). */
#define CALLER "+14155550100"
#define OUTSIDE "+14155550199"
#define TRUNK_GROUP "annc"

#define C1 "0000000000000001"
#define C2 "0000000000000002"
#define C3 "0000000000000003"
#define C4 "0000000000000004"
#define C5 "0000000000000005"
/* Consultation calls (M5). */
#define Y1 "00000000000000c1"
#define Y2 "00000000000000c2"

/* Expected action texts (rrec_action_to_string()).  P is the port's
 * three-digit counter: "000" is +1555000. */
#define PORT(p) "+1555" p
#define URI(p) "sip:+1555" p "@sip.example.com"
#define DIAL(c, p, dn) \
	"dial-leg call=" c " port=+1555" p " uri=" URI (p) " dn=" dn
#define FN(c, dn, p) \
	"call-userdata call=" c " data={'GSIP_REC_FN':'" c "_" dn "_+1555" p \
	"','GSIP_REC_ID':'*'}"
#define REC(c, op) "record call=" c " op=" op
#define MARK(c, v) "call-userdata call=" c " data={'GSIP_RECORD':'" v "'}"
#define LEGDATA(c, kv) "leg-userdata call=" c " data={" kv "}"
/* The reason of a release is free text for the log (§5): not checked. */
#define RELEASE(c, p) "release-leg call=" c " port=+1555" p " reason=*"
#define ORPHAN(port) "release-leg port=" port " reason=*"
#define ACK(refid, dn, c) \
	"client-reply event=EventACK refid=" refid " dn=" dn " call=" c
#define ERR(refid, dn, c, e) \
	"client-reply event=EventError refid=" refid " dn=" dn " call=" c \
	" error=" e
#define ALARM(name, raised) "alarm name=" name " raised=" raised
#define LINK(op) "link op=" op
#define QUERY(c, p) "query-leg call=" c " port=+1555" p

/* A session's start with a healthy SIP Server and a call without user
 * data: the file name (R28) as the first leg is dialled (R18), START once
 * the leg is up (R19), GSIP_RECORD=ON once acknowledged (R28). */
#define STARTED(c, p, dn) \
	FN (c, dn, p), DIAL (c, p, dn), REC (c, "start"), MARK (c, "ON")
/* A session's stop while the call goes on (R9): STOP, the leg released at
 * once, GSIP_RECORD=OFF (R28). */
#define STOPPED(c, p) REC (c, "stop"), RELEASE (c, p), MARK (c, "OFF")
#define GAP(c, start, end, cause) \
	"gap call=" c " start=" #start " end=" #end " cause=" cause
#define GAPS(c, v) "call-userdata call=" c " data={'GSIP_REC_GAPS':'" v "'}"

/* Client request shorthands (R5). */
#define START RREC_GSIP_RECORD_START
#define STOP RREC_GSIP_RECORD_STOP
#define PAUSE RREC_GSIP_RECORD_PAUSE
#define RESUME RREC_GSIP_RECORD_RESUME
#define NONE RREC_ABSENT

typedef struct _Harness Harness;
typedef void (*HarnessScenario) (Harness *h);

struct _Harness {
	/* set at registration */
	gboolean restore_each_step;
	gboolean record_moh;

	/* the healthy SIP Server (on by default) */
	gboolean healthy_sip;
	gboolean link_up;		/* as the harness fed it */

	RrecConfig *config;
	RrecEngine *engine;
	gint64 now;

	GPtrArray *actions;		/* texts since the last expect() */
	RrecSipSim *sim;		/* the SIP Server (src/sim/sipsim.c) */
	guint restores;
	guint mismatches;
	gboolean gaps;			/* HarnessOptions.gaps */
	char *engine_bug;		/* engine_bug()'s text */

	/* the ReferenceID of the last GSIP request, by op, and of the last
	 * user-data update: for tests that answer by hand */
	gint64 last_refid;
	gint64 refid_start, refid_pause, refid_resume, refid_stop;
	gint64 refid_userdata;
	/* called first for every action the engine hands over, or NULL */
	void (*action_hook) (Harness *h, const RrecAction *a);
	char *start_ext;		/* the last START's Extensions (R34) */
	gint64 refid_query;		/* the last leg query's (R33) */
	gboolean failover;		/* sip_server_connected(): SIP Server
					 * failed over, it lost the legs (R33) */
};

typedef struct {
	const char *remote_recording;	/* extra lines of [remote-recording] */
	const char *app;		/* extra lines of [app:SIPServer_SfB] */
	const char *filename;		/* recording-filename; NULL: standard */
	guint64 port_limit;		/* 0: the pattern's 1000 ports */
	gboolean gaps;			/* record `gap` actions too (the ledger);
					 * off: scenarios of other rules need
					 * not list them */
	const char *groups;		/* extra groups at the end ([dn:…]) */
} HarnessOptions;

/* Registers FN as /engine/PATH and /engine/restore/PATH (record-moh true). */
void harness_add (const char *path, HarnessScenario fn);
/* The same with record-moh as given. */
void harness_add_moh (const char *path, gboolean record_moh,
		      HarnessScenario fn);
/* A call model: /engine/MODEL/moh-true/NAME and /engine/MODEL/moh-false/NAME,
 * each also under /engine/restore/. */
void harness_add_model (const char *model, const char *name,
			HarnessScenario fn);

/* Only /engine/PATH, without the restore run (the scenario replaces the
 * engine itself). */
void harness_add_once (const char *path, gboolean record_moh,
		       HarnessScenario fn);
/* Frees the engine without a goodbye and opens a new one on the state
 * store at PATH (rrec_engine_open()). */
RrecEngine *harness_open_store (Harness *h, const char *path,
				gboolean *restored, GError **error);

/* Builds the configuration and the engine; OPTS may be NULL. */
void harness_start (Harness *h, const HarnessOptions *opts);

/* Feeds MSG (after the restore step), asserts it was accepted, then feeds
 * the SIP Server's queued answers. */
void harness_feed (Harness *h, const RrecMessage *msg);
/* Feeds the healthy SIP Server's queued answers (after a call into the
 * engine other than harness_feed() and advance()). */
void harness_feed_answers (Harness *h);
/* Feeds MSG and returns whether the engine accepted it; ERROR set if not. */
gboolean harness_try_feed (Harness *h, const RrecMessage *msg, GError **error);
/* Moves the clock MS milliseconds on (after the restore step). */
void advance (Harness *h, gint64 ms);

/* Compares the actions since the last check with the NULL-terminated list
 * (an expected text with '*' is a glob), prints both on a mismatch, and
 * clears them. */
void harness_expect (Harness *h, const char *where, ...) G_GNUC_NULL_TERMINATED;
#define expect(h, ...) harness_expect ((h), G_STRLOC, __VA_ARGS__)

/* Marks the running scenario as failing because of a suspected engine bug:
 * g_test_incomplete() with TEXT, which stays the verdict even if checks
 * fail later (the suite stays green, the list stays visible). */
void engine_bug (Harness *h, const char *text);

/* ---- Skype-side events ------------------------------------------------- */

/* A message from SIDE of TYPE with every attribute absent but these. */
RrecMessage skype_msg (int type, const char *conn, const char *dn);

void ev_ringing (Harness *h, const char *conn, const char *dn,
		 const char *other, gint64 call_type);
void ev_dialing (Harness *h, const char *conn, const char *dn,
		 const char *other, gint64 call_type);
void ev_established (Harness *h, const char *conn, const char *dn,
		     const char *other);
void ev_held (Harness *h, const char *conn, const char *dn);
void ev_retrieved (Harness *h, const char *conn, const char *dn);
/* CALL_STATE 0 is Ok; THIRD_PARTY may be NULL. */
void ev_released (Harness *h, const char *conn, const char *dn,
		  gint64 call_state, const char *third_party);
void ev_abandoned (Harness *h, const char *conn, const char *dn);
void ev_party_changed (Harness *h, const char *conn, const char *dn,
		       const char *previous_conn, const char *third_party);
/* ROLE of the added party, or RREC_ABSENT. */
void ev_party_added (Harness *h, const char *conn, const char *dn,
		     const char *third_party, gint64 role);
void ev_party_deleted (Harness *h, const char *conn, const char *dn,
		       const char *third_party);
void ev_route_request (Harness *h, const char *conn, const char *rp,
		       const char *other);
void ev_route_used (Harness *h, const char *conn, const char *rp,
		    const char *dest);
/* KV is the whole user data (EventAttachedDataChanged carries it all). */
void ev_attached_data_changed (Harness *h, const char *conn, const char *dn,
			       const RrecKvList *kv);

/* ---- client requests --------------------------------------------------- */

/* RECORD: the Extensions `record` value, or NULL for none. */
void req_route_call (Harness *h, gint64 refid, const char *conn,
		     const char *rp, const char *dest, const char *record);
/* MSGID: 3013…3016 or RREC_ABSENT; RECORD and OTHER may be NULL. */
void req_private (Harness *h, gint64 refid, const char *conn,
		  const char *this_dn, gint64 msgid, const char *record,
		  const char *other_dn);

/* ---- SIP-side ----------------------------------------------------------- */

void sip_leg_ringing (Harness *h, const char *leg, const char *dnis);
void sip_leg_established (Harness *h, const char *leg, const char *dnis);
void sip_ack (Harness *h, gint64 refid);
void sip_error (Harness *h, gint64 refid);
/* LEG or DNIS may be NULL (not both). */
void sip_leg_released (Harness *h, const char *leg, const char *dnis);
/* SIP Server drops the leg of PORT ("+1555000"), named by its ConnID. */
void sip_drop (Harness *h, const char *port);
void sip_server_disconnected (Harness *h);
void sip_server_connected (Harness *h);

/* ---- call shapes ------------------------------------------------------- */

/* M1: EventRinging(DN, OtherDN=CALLER, CallType=2), EventEstablished. */
void inbound (Harness *h, const char *conn, const char *dn);
/* The harness started with one port (R18, R22), which C1 on record = true
 * 7001 takes (STARTED): the next call to record waits for a port (R30). */
void one_port_taken (Harness *h);
/* M3: EventRouteRequest(RP, OtherDN=CALLER), RequestRouteCall(RP,
 * OtherDN=DEST, Extensions record=RECORD unless NULL; ReferenceID 900),
 * EventRouteUsed(RP, OtherDN=DEST), EventRinging(DEST, ThirdPartyDN=RP),
 * EventEstablished(DEST, OtherDN=CALLER). */
void routed (Harness *h, const char *conn, const char *rp, const char *dest,
	     const char *record);
/* M6: EventReleased(FROM, CallState=1, ThirdPartyDN=TO),
 * EventRinging(TO, ThirdPartyDN=FROM), EventEstablished(TO, OtherDN=OTHER). */
void single_step_transfer (Harness *h, const char *conn, const char *from,
			   const char *to, const char *other);
/* M5's start: EventHeld(A, X); EventDialing(A, Y, CallType=4, OtherDN=C,
 * TransferConnID=X); EventRinging(C, Y); EventEstablished(C, Y). */
void consult (Harness *h, const char *x, const char *y, const char *a,
	      const char *c);
/* M5 transfer completion: EventReleased(A, Y), EventReleased(A, X,
 * CallState=1, ThirdPartyDN=C), EventPartyChanged(C, X, PreviousConnID=Y,
 * ThirdPartyDN=A). */
void complete_transfer (Harness *h, const char *x, const char *y,
			const char *a, const char *c);
/* M5 conference completion: EventReleased(A, Y), EventRetrieved(A, X),
 * EventPartyAdded(ThisDN=A, X, ThirdPartyDN=C), EventPartyChanged(C, X,
 * PreviousConnID=Y). */
void complete_conference (Harness *h, const char *x, const char *y,
			  const char *a, const char *c);
/* M5 abandoned: EventReleased(C, Y), EventReleased(A, Y),
 * EventRetrieved(A, X). */
void abandon_consult (Harness *h, const char *x, const char *y,
		      const char *a, const char *c);

/* M7: a supervisor (7009) joins CONN on AGENT's side: the others'
 * EventPartyAdded with ThirdPartyDNRole=Observer, then its own
 * EventEstablished with ThisDNRole=Observer. */
void supervisor_joins (Harness *h, const char *conn, const char *agent);

/* ---- queries ----------------------------------------------------------- */

void assert_state (Harness *h, const char *conn, const char *state);
RrecEngineCounters counters (Harness *h);
void ports_in_use (Harness *h, guint n);
/* The requests to SIP Server in flight that the engine's look-ups of a
 * session's own requests have read so far (RrecEngine.request_visits):
 * a session's end, a query's time-out or a rename reads its own only. */
guint64 request_visits (Harness *h);
/* The waiting calls read so far by their joins, leaves and offers (R30,
 * rrec_call_waiting_visits()). */
guint64 waiting_visits (Harness *h);
/* The requests to SIP Server in flight (rrec_engine_list_requests()). */
guint requests_in_flight (Harness *h);
/* For scenarios of many calls: the actions since the last check that
 * match PATTERN (a glob), counted; every action since then is taken as
 * checked. */
guint harness_count_actions (Harness *h, const char *pattern);

/* The SIGKILL tests' child: opens the store at PATH, then calls come and go
 * (legs numbered from ROUND) until it is killed; writes one byte to READY
 * once a few steps are stored. */
void harness_crash_child (Harness *h, const char *path, guint round,
			  int ready) G_GNUC_NORETURN;

/* Runs the tests; the main() of every engine test program. */
int harness_run (int argc, char **argv, void (*add_tests) (void));

/* A store's path @name in a new temporary folder, and the removal of the
 * store, its -wal/-shm files, the copies moved aside and the folder. */
char *harness_temp_store (const char *name);
void harness_remove_store (const char *path);
