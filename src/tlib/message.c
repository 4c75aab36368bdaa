/*
 * message.c — T-Library message names.
 */
#include <string.h>

#include "rrec/message.h"

static const struct {
	int type;
	const char *name;
} names[] = {
	{ RREC_MSG_REQUEST_ROUTE_CALL, "RequestRouteCall" },
	{ RREC_MSG_EVENT_SERVER_CONNECTED, "EventServerConnected" },
	{ RREC_MSG_EVENT_SERVER_DISCONNECTED, "EventServerDisconnected" },
	{ RREC_MSG_EVENT_ERROR, "EventError" },
	{ RREC_MSG_EVENT_ABANDONED, "EventAbandoned" },
	{ RREC_MSG_EVENT_RINGING, "EventRinging" },
	{ RREC_MSG_EVENT_DIALING, "EventDialing" },
	{ RREC_MSG_EVENT_ESTABLISHED, "EventEstablished" },
	{ RREC_MSG_EVENT_RELEASED, "EventReleased" },
	{ RREC_MSG_EVENT_HELD, "EventHeld" },
	{ RREC_MSG_EVENT_RETRIEVED, "EventRetrieved" },
	{ RREC_MSG_EVENT_PARTY_CHANGED, "EventPartyChanged" },
	{ RREC_MSG_EVENT_PARTY_ADDED, "EventPartyAdded" },
	{ RREC_MSG_EVENT_PARTY_DELETED, "EventPartyDeleted" },
	{ RREC_MSG_EVENT_ROUTE_REQUEST, "EventRouteRequest" },
	{ RREC_MSG_EVENT_ROUTE_USED, "EventRouteUsed" },
	{ RREC_MSG_EVENT_ATTACHED_DATA_CHANGED, "EventAttachedDataChanged" },
	{ RREC_MSG_EVENT_PARTY_INFO, "EventPartyInfo" },
	{ RREC_MSG_EVENT_ACK, "EventACK" },
	{ RREC_MSG_REQUEST_PRIVATE_SERVICE, "RequestPrivateService" },
	{ RREC_MSG_EVENT_CALL_DELETED, "EventCallDeleted" },
};

const char *
rrec_message_type_name (int type)
{
	for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
		if (names[i].type == type)
			return names[i].name;
	return NULL;
}

int
rrec_message_type_from_name (const char *name)
{
	for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
		if (strcmp (names[i].name, name) == 0)
			return names[i].type;
	return -1;
}

void
rrec_message_init (RrecMessage *msg, RrecSide side, int type)
{
	memset (msg, 0, sizeof *msg);
	msg->side = side;
	msg->type = type;
	msg->this_dn_role = RREC_ABSENT;
	msg->other_dn_role = RREC_ABSENT;
	msg->third_party_dn_role = RREC_ABSENT;
	msg->call_type = RREC_ABSENT;
	msg->call_state = RREC_ABSENT;
	msg->reference_id = RREC_ABSENT;
	msg->private_msg_id = RREC_ABSENT;
	msg->error_code = RREC_ABSENT;
}
