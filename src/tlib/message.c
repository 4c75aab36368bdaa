/*
 * message.c — T-Library message names.
 */
#include <string.h>

#include "rrec/message.h"

static const struct {
	int type;
	const char *name;
	gsize len;
} names[] = {
#define NAME(type, name) { (type), name, sizeof name - 1 }
	NAME (RREC_MSG_REQUEST_ROUTE_CALL, "RequestRouteCall"),
	NAME (RREC_MSG_EVENT_SERVER_CONNECTED, "EventServerConnected"),
	NAME (RREC_MSG_EVENT_SERVER_DISCONNECTED, "EventServerDisconnected"),
	NAME (RREC_MSG_EVENT_ERROR, "EventError"),
	NAME (RREC_MSG_EVENT_ABANDONED, "EventAbandoned"),
	NAME (RREC_MSG_EVENT_RINGING, "EventRinging"),
	NAME (RREC_MSG_EVENT_DIALING, "EventDialing"),
	NAME (RREC_MSG_EVENT_ESTABLISHED, "EventEstablished"),
	NAME (RREC_MSG_EVENT_RELEASED, "EventReleased"),
	NAME (RREC_MSG_EVENT_HELD, "EventHeld"),
	NAME (RREC_MSG_EVENT_RETRIEVED, "EventRetrieved"),
	NAME (RREC_MSG_EVENT_PARTY_CHANGED, "EventPartyChanged"),
	NAME (RREC_MSG_EVENT_PARTY_ADDED, "EventPartyAdded"),
	NAME (RREC_MSG_EVENT_PARTY_DELETED, "EventPartyDeleted"),
	NAME (RREC_MSG_EVENT_ROUTE_REQUEST, "EventRouteRequest"),
	NAME (RREC_MSG_EVENT_ROUTE_USED, "EventRouteUsed"),
	NAME (RREC_MSG_EVENT_ATTACHED_DATA_CHANGED, "EventAttachedDataChanged"),
	NAME (RREC_MSG_EVENT_PARTY_INFO, "EventPartyInfo"),
	NAME (RREC_MSG_EVENT_ACK, "EventACK"),
	NAME (RREC_MSG_REQUEST_PRIVATE_SERVICE, "RequestPrivateService"),
	NAME (RREC_MSG_EVENT_CALL_DELETED, "EventCallDeleted"),
#undef NAME
};

const char *
rrec_message_type_name (int type)
{
	for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
		if (names[i].type == type)
			return names[i].name;
	return NULL;
}

/* Called for every block a replay reads: the length and the letter after
 * "Event"/"Request" tell most names apart before a whole compare. */
int
rrec_message_type_from_name (const char *name)
{
	const gsize len = strlen (name);

	for (gsize i = 0; i < G_N_ELEMENTS (names); i++) {
		const char *n = names[i].name;

		if (names[i].len == len && n[5] == name[5] &&
		    memcmp (n, name, len) == 0)
			return names[i].type;
	}
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
