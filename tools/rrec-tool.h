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

/* `rrec check-config FILE`: 0 when FILE loads (C1 warnings or not), 2 on
 * a C2 error, an unreadable FILE or a usage error. */
int rrec_cmd_check_config (int argc, char **argv);

/* `rrec bench [--json] [--quick|--full]`: measurements of the real code
 * paths on this machine (tools/bench/); 1 when a self-check failed. */
int rrec_cmd_bench (int argc, char **argv);
