/*
 * rrec-tool.h — what the sub-commands of `rrec` share.
 */
#pragma once

#include <gio/gio.h>

/* Exit statuses of every sub-command (behaviour.md §6). */
enum {
	RREC_EXIT_OK = 0,	/* everything was read and done */
	RREC_EXIT_INPUT = 1,	/* some input was skipped or failed */
	RREC_EXIT_USAGE = 2,	/* usage or configuration error */
};

typedef struct {
	const char *name;
	const char *summary;
	int (*run) (int argc, char **argv);	/* argv[0] is "rrec NAME" */
} RrecToolCommand;

int rrec_cmd_replay (int argc, char **argv);
