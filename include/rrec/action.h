/*
 * action.h — what the engine asks its host to do.
 *
 * The engine never acts by itself: every effect is an RrecAction handed to
 * one of the host's callbacks, in the order the engine decided them.  The
 * kinds and fields mirror the `rrec replay --json` actions of
 * behaviour.md §5.  Strings are valid during the callback only.
 */
#pragma once

#include "rrec/kvlist.h"
#include "rrec/message.h"

G_BEGIN_DECLS

typedef enum {
	RREC_ACTION_DIAL_LEG = 0,	/* call, port, uri, dn (the owner) */
	RREC_ACTION_RECORD,		/* call, port, op (RrecGsipOp), refid;
				 * a PAUSE's reason: "client,hold" */
	RREC_ACTION_RELEASE_LEG,	/* call (NULL: orphan), port, leg, reason */
	RREC_ACTION_LEG_USERDATA,	/* call, port, data, refid */
	RREC_ACTION_CALL_USERDATA,	/* call, data */
	RREC_ACTION_CLIENT_REPLY,	/* event, refid, dn, call, error */
	RREC_ACTION_ALARM,		/* name, raised, text */
	RREC_ACTION_LINK,		/* op (RrecLinkOp) */
	RREC_ACTION_STATE,		/* call, machine, from, to, event */
	RREC_ACTION_GAP,		/* call, start_ms, end_ms, reason (the
				 * cause: "hold", "transfer", "client",
				 * "re-establishing", "server-link-down",
				 * "no-free-port", "restart") */
	RREC_ACTION_RECONCILE,		/* call, port, leg, reason: a decision of
				 * rrec_engine_reconcile() that no other
				 * action tells ("reattached") */
	RREC_ACTION_CALL_RENAMED,	/* call (the new ConnID), from (the old
				 * one): the call, its session and leg go on
				 * under the new ConnID (R32) */
	RREC_ACTION_QUERY_LEG,		/* call, port, leg, refid: send SIP Server
				 * RequestQueryCall (ThisDN = trunk group,
				 * ConnID = leg, ReferenceID = refid), R33 */
	RREC_N_ACTIONS,
} RrecActionKind;

typedef enum {
	RREC_LINK_DOWN = 0,	/* the link to SIP Server was lost (R24) */
	RREC_LINK_ATTEMPT,	/* please try to reconnect now (R24) */
	RREC_LINK_UP,		/* the link is back */
} RrecLinkOp;

typedef struct {
	RrecActionKind kind;
	gint64 time_ms;		/* engine time the action belongs to */
	const char *rule;	/* the rule behind it ("R15"), or NULL */
	const char *call;	/* the original call's ConnID, 16 lower-case hex */
	const char *leg;	/* a leg's own ConnID, when known */
	const char *port;	/* whole port number, prefix included */
	const char *uri;
	const char *dn;
	int op;			/* RrecGsipOp or RrecLinkOp */
	gint64 refid;		/* RECORD, LEG_USERDATA: the request's own;
				 * CLIENT_REPLY: the client's */
	const char *reason;	/* RELEASE_LEG, RECONCILE, GAP (the cause);
				 * CLIENT_REPLY: set only at a reconcile
				 * ("pending-at-restart") */
	const char *event;	/* CLIENT_REPLY: EventACK/EventError; STATE */
	const char *error;	/* CLIENT_REPLY with EventError */
	const RrecKvList *data;
	const char *name;	/* ALARM */
	gboolean raised;
	const char *text;
	const char *machine;	/* STATE */
	const char *from;	/* STATE; CALL_RENAMED: the old ConnID */
	const char *to;
	gint64 start_ms;	/* GAP: the interval [start_ms, end_ms) */
	gint64 end_ms;
} RrecAction;

typedef void (*RrecActionFunc) (const RrecAction *action, gpointer user_data);

/*
 * The host's side of the engine.  Any entry may be NULL when the host does
 * not care (a trace is often not wanted); every entry receives the whole
 * action.
 */
typedef struct {
	RrecActionFunc dial_leg;	/* RREC_ACTION_DIAL_LEG */
	RrecActionFunc sip_request;	/* RREC_ACTION_RECORD, _LEG_USERDATA */
	RrecActionFunc release_leg;	/* RREC_ACTION_RELEASE_LEG */
	RrecActionFunc client_reply;	/* RREC_ACTION_CLIENT_REPLY */
	RrecActionFunc call_userdata;	/* RREC_ACTION_CALL_USERDATA */
	RrecActionFunc alarm;		/* RREC_ACTION_ALARM */
	RrecActionFunc link;		/* RREC_ACTION_LINK */
	RrecActionFunc trace;		/* RREC_ACTION_STATE */
	RrecActionFunc gap;		/* RREC_ACTION_GAP: an unrecorded interval
					 * closed (the gap ledger) */
	RrecActionFunc reconcile;	/* RREC_ACTION_RECONCILE */
	RrecActionFunc call_renamed;	/* RREC_ACTION_CALL_RENAMED */
	RrecActionFunc query_leg;	/* RREC_ACTION_QUERY_LEG */
} RrecHostCallbacks;

/* The §5 name of a kind ("dial-leg"), of a GSIP op ("start") and of a link
 * op ("attempt"). */
RREC_API const char *rrec_action_kind_name (RrecActionKind kind);
RREC_API const char *rrec_gsip_op_name (int op);
RREC_API const char *rrec_link_op_name (int op);

/*
 * A one-line text form, "kind key=value …", for logs and tests:
 *   dial-leg call=00000000000000a1 port=+1555000 uri=sip:+1555000@h dn=7001
 *   record call=00000000000000a1 op=start
 *   client-reply event=EventError refid=7 dn=7001 call=… error=not-recording
 * The request refids of RECORD and LEG_USERDATA are left out (they only
 * number requests); time and rule are left out too.
 */
RREC_API char *rrec_action_to_string (const RrecAction *action);

G_END_DECLS
