/*
 * message.h — one T-Library message as the engine reads it.
 *
 * The host fills an RrecMessage for each event it sees on the Skype for
 * Business side, each client request, and each event on its link to SIP
 * Server, then hands it to rrec_engine_feed().  Strings are borrowed for
 * the duration of that call only.
 */
#pragma once

#include "rrec/kvlist.h"

G_BEGIN_DECLS

/* Where a message comes from (behaviour.md §3). */
typedef enum {
	RREC_SIDE_SKYPE = 0,	/* an event about a Skype for Business call */
	RREC_SIDE_CLIENT,	/* a request from a T-Library client */
	RREC_SIDE_SIP,		/* an event on the link to SIP Server */
} RrecSide;

/* T-Library message types, with their TMessageType numbers. */
typedef enum {
	RREC_MSG_REQUEST_ROUTE_CALL = 36,
	RREC_MSG_EVENT_SERVER_CONNECTED = 50,
	RREC_MSG_EVENT_SERVER_DISCONNECTED = 51,
	RREC_MSG_EVENT_ERROR = 52,
	RREC_MSG_EVENT_ABANDONED = 59,
	RREC_MSG_EVENT_RINGING = 60,
	RREC_MSG_EVENT_DIALING = 61,
	RREC_MSG_EVENT_ESTABLISHED = 64,
	RREC_MSG_EVENT_RELEASED = 65,
	RREC_MSG_EVENT_HELD = 66,
	RREC_MSG_EVENT_RETRIEVED = 67,
	RREC_MSG_EVENT_PARTY_CHANGED = 68,
	RREC_MSG_EVENT_PARTY_ADDED = 69,
	RREC_MSG_EVENT_PARTY_DELETED = 70,
	RREC_MSG_EVENT_ROUTE_REQUEST = 71,
	RREC_MSG_EVENT_ROUTE_USED = 72,
	RREC_MSG_EVENT_ATTACHED_DATA_CHANGED = 85,
	RREC_MSG_EVENT_PARTY_INFO = 109,
	RREC_MSG_EVENT_ACK = 138,
	RREC_MSG_REQUEST_PRIVATE_SERVICE = 149,
	RREC_MSG_EVENT_CALL_DELETED = 162,
} RrecMessageType;

/* The T-Library name ("EventRinging") of a type, or NULL if the engine
 * does not know it; and back. */
RREC_API const char *rrec_message_type_name (int type);
RREC_API int rrec_message_type_from_name (const char *name);

/* GSIP private message IDs (behaviour.md R5). */
typedef enum {
	RREC_GSIP_RECORD_START = 3013,
	RREC_GSIP_RECORD_STOP = 3014,
	RREC_GSIP_RECORD_PAUSE = 3015,
	RREC_GSIP_RECORD_RESUME = 3016,
} RrecGsipOp;

/* Values of AttributeCallType, AttributeCallState and the DN roles. */
enum {
	RREC_CALL_TYPE_INTERNAL = 1,
	RREC_CALL_TYPE_INBOUND = 2,
	RREC_CALL_TYPE_OUTBOUND = 3,
	RREC_CALL_TYPE_CONSULT = 4,
	RREC_CALL_STATE_TRANSFERRED = 1,
	RREC_DN_ROLE_OBSERVER = 10,
};

/* Integer attributes the message does not carry hold RREC_ABSENT;
 * string and list attributes it does not carry are NULL. */
#define RREC_ABSENT G_MININT64

typedef struct {
	RrecSide side;
	int type;			/* RrecMessageType */
	const char *conn_id;		/* 16 hex digits */
	const char *previous_conn_id;
	const char *transfer_conn_id;
	const char *this_dn;
	const char *other_dn;
	const char *third_party_dn;
	gint64 this_dn_role;
	gint64 other_dn_role;
	gint64 third_party_dn_role;
	gint64 call_type;
	gint64 call_state;
	const char *dnis;
	const char *ani;
	const char *call_uuid;
	gint64 reference_id;
	gint64 private_msg_id;
	gint64 error_code;
	const char *error_message;
	const RrecKvList *extensions;
	const RrecKvList *user_data;
} RrecMessage;

/* A message of @type from @side with every attribute absent. */
RREC_API void rrec_message_init (RrecMessage *msg, RrecSide side, int type);

G_END_DECLS
