#!/usr/bin/env python3
"""gen-log.py — write a synthetic T-Server log of a given size to stdout.

Usage:

    tools/gen-log.py --size 1G --seed 1 > /tmp/big.log
    tools/gen-log.py --size 200K --calls 8 --crlf 0.05 > small.log
    tools/gen-log.py --print-config > tools/gen-log.ini   # the matching config

    build/tools/rrec parse /tmp/big.log > /dev/null
    build/tools/rrec check-config tools/gen-log.ini

The log is shaped like behaviour.md section 6 and genesys-facts.md section 3:
message blocks (a header line ending in `message <Name>`, then TAB-indented
attribute lines) of many concurrent calls that follow the call models of
behaviour.md section 3 — inbound (M1), internal (M2), routed (M3), hold and
retrieve (M4), two-step transfer and conference (M5), single-step transfer
(M6), supervision (M7), outbound (M8) — with user data and
EventAttachedDataChanged, client RequestPrivateService 3013-3016 and
RequestRouteCall, the odd SIP-side EventReleased on the trunk group, and
other log records (plain lines, SIP message dumps) in between.  Headers use
the three time-stamp forms (`@hh:mm:ss.ffff`, `hh:mm:ss.mmm`, ISO
date-time), and now and then none (the block takes the previous time).  Key-
value lists have the `[n] 00 NN 00 00..` header and nested `(list)`s in both
forms.  A small fraction of the blocks (--crlf) ends its lines in CRLF.

Every block is well formed: `rrec parse` on the output exits 0.

Guarantees:
  - time stamps never go backwards; the step between blocks is chosen from
    --size so that the whole log fits in one day (above ~80 GB it wraps past
    midnight, and the ISO date moves on by one day);
  - the output is the same, byte for byte, for the same arguments (the
    only source of randomness is random.Random(seed));
  - it streams: memory stays constant whatever --size (only the calls in
    progress are kept), and output goes out in 1 MiB writes;
  - it stops after the first block that takes the output to --size bytes,
    so the result is --size plus at most one block.

The DNs are those of --print-config: agents 7001-7120 (extensions, every
fifth one with record = true), supervisors 7901-7905, routing points 8000
(record = true) and 8001, trunk group `annc`, server application
`SIPServer_SfB`, ports sip:{+1555{DDD}}{@sip.example.com}.

Python 3 standard library only.
"""

import argparse
import random
import sys

AGENTS = ["%d" % n for n in range(7001, 7121)]
SUPERVISORS = ["%d" % n for n in range(7901, 7906)]
RP_RECORD = "8000"
RP_PLAIN = "8001"
TRUNK_GROUP = "annc"
SERVER_APP = "SIPServer_SfB"
PORT_PREFIX = "+1555"

DAY_MS = 86400 * 1000
START_MS = (0 * 3600 + 30 * 60) * 1000  # 00:30:00, leaves the day to fill
AVG_BLOCK_BYTES = 310  # measured: bytes of output per block, other lines included

CUSTOMER_KEYS = ["CustomerID", "Language", "Segment", "IW_CaseUid",
                 "Priority", "Reason", "AccountNumber", "VIP"]
LANGUAGES = ["en", "de", "fr", "es", "pt-BR"]
SEGMENTS = ["Gold", "Silver", "Bronze", "Platinum"]
SKILLS = ["Billing", "Sales", "Support", "Retention", "Spanish"]
DESKTOPS = ["WDE", "AgentDesktop", "Workspace Web"]


def parse_size(text):
    """'1G', '200K', '5M', '1000' -> bytes (powers of 1024)."""
    text = text.strip().upper()
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
    if text.endswith("B"):
        text = text[:-1]
    if text and text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text)


class ConnID(str):
    """16 hex digits, written bare."""


class Word(str):
    """A bare word (enum-like value), written without quotes."""


class Log:
    """The clock, the output buffer, and how a block or a line is written."""

    def __init__(self, rng, size, crlf):
        self.rng = rng
        self.size = size
        self.crlf = crlf
        self.written = 0
        self.buf = []
        self.buf_len = 0
        self.out = sys.stdout.buffer
        self.clock = START_MS
        self.day = 13  # 2024-05-13; moves on only past midnight
        self.sub = 0   # the 4th fraction digit of @-stamps
        n_blocks = max(1, size // AVG_BLOCK_BYTES)
        self.avg_step = max(1.0, min(200.0, (DAY_MS - START_MS - 600000)
                                     / n_blocks))
        self.seq = 1000000

    def tick(self):
        # Geometric-ish steps: busy bursts and quiet gaps, never backwards.
        step = int(self.rng.expovariate(1.0 / self.avg_step))
        self.clock += step
        if self.clock >= DAY_MS:
            self.clock -= DAY_MS
            self.day += 1
        self.sub = self.rng.randrange(10)

    def hms(self):
        t = self.clock
        return "%02d:%02d:%02d.%03d" % (t // 3600000, t // 60000 % 60,
                                        t // 1000 % 60, t % 1000)

    def stamp(self, form):
        if form == 0:
            return "@%s%d" % (self.hms(), self.sub)
        if form == 1:
            return self.hms()
        # ISO: May has 31 days; past that the month moves on (a log that
        # long is not the point, but the date stays a valid one).
        month, day = 5, self.day
        while day > 28:
            day -= 28
            month += 1
        return "2024-%02d-%02dT%s" % (month, day, self.hms())

    def emit(self, text):
        self.buf.append(text)
        self.buf_len += len(text)
        self.written += len(text)
        if self.buf_len >= 1 << 20:
            self.flush()

    def flush(self):
        self.out.write("".join(self.buf).encode("utf-8"))
        self.buf = []
        self.buf_len = 0

    def done(self):
        return self.written >= self.size


def kv_size(pairs):
    """The [n] of a key-value list header: about its encoded length."""
    n = 4
    for key, value in pairs:
        n += len(key) + 6
        if isinstance(value, list):
            n += kv_size(value)
        else:
            n += len(str(value)) + 2
    return n


def render_value(value):
    if isinstance(value, (ConnID, Word)):
        return value
    if isinstance(value, int):
        return str(value)
    return "'%s'" % value


def render_list(lines, pairs, depth, rng):
    tabs = "\t" * depth
    for key, value in pairs:
        if isinstance(value, list):
            if value and rng.random() < 0.3:
                # The list name followed by its first pair on the same line
                # (genesys-facts section 3.1).
                k0, v0 = value[0]
                lines.append("%s'%s'(list) '%s'\t%s" % (tabs, key, k0,
                                                        render_value(v0)))
                render_list(lines, value[1:], depth + 1, rng)
            else:
                lines.append("%s'%s'(list)" % (tabs, key))
                render_list(lines, value, depth + 1, rng)
        else:
            lines.append("%s'%s'\t%s" % (tabs, key, render_value(value)))


class Gen:
    def __init__(self, args):
        self.rng = random.Random(args.seed)
        self.log = Log(self.rng, args.size, args.crlf)
        self.n_calls = args.calls
        self.free_agents = list(AGENTS)
        self.rng.shuffle(self.free_agents)
        self.connid = 0x006c029a66850000 + self.rng.randrange(1 << 16)
        self.refid = 0
        self.calls = []

    # ---- what goes into blocks ---------------------------------------

    def new_connid(self):
        self.connid += 1 + self.rng.randrange(7)
        return ConnID("%016x" % self.connid)

    def new_uuid(self):
        chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        return "".join(self.rng.choice(chars) for _ in range(32))

    def external(self):
        return "+1425555%04d" % self.rng.randrange(10000)

    def user_data(self):
        rng = self.rng
        data = [
            ("CustomerID", "C%07d" % rng.randrange(10000000)),
            ("Language", rng.choice(LANGUAGES)),
            ("Segment", rng.choice(SEGMENTS)),
            ("Priority", rng.randrange(1, 10)),
        ]
        if rng.random() < 0.5:
            data.append(("IW_CaseUid", self.new_uuid()[:24].lower()))
        if rng.random() < 0.4:
            data.append(("RRequestedSkills",
                         [(s, rng.randrange(1, 11))
                          for s in rng.sample(SKILLS, rng.randrange(1, 4))]))
        if rng.random() < 0.15:
            data.append(("ORSI:Cluster1:%04x" % rng.randrange(65536),
                         [("Session", self.new_uuid()),
                          ("Strategy", "Inbound_Main")]))
        return data

    def take_agent(self):
        return self.free_agents.pop() if self.free_agents else None

    def give_agent(self, dn):
        # Put it back at a random place so agents rotate.
        i = self.rng.randrange(len(self.free_agents) + 1)
        self.free_agents.insert(i, dn)

    def block(self, message, attrs, sender=None, request=False, tick=True):
        """Writes one message block; ATTRS in the order they are shown.
        TICK is False when the caller already moved the clock (to put the
        block's time into its attributes)."""
        log, rng = self.log, self.rng
        if tick:
            log.tick()
        r = rng.random()
        form = 0 if r < 0.45 else 1 if r < 0.8 else 2
        if request:
            head = "request from %d(%s) message %s" % (
                rng.randrange(3000, 3999), sender, message)
        elif sender is not None:
            head = "received from 65200(%s)sipsrv01:5001(fd=%d) message %s" % (
                sender, rng.randrange(5, 900), message)
        elif form == 0:
            head = "[0] 8.1.103.95 distribute_event: message %s" % message
        else:
            head = "Trc 04541 message %s" % message
        if rng.random() < 0.02:
            lines = [head]  # no time stamp: the previous time holds
        else:
            lines = ["%s %s" % (log.stamp(form), head)]
        for name, value in attrs:
            if value is None:
                continue
            if isinstance(value, list):
                lines.append("\tAttribute%s\t[%d] 00 %02x 00 00.." % (
                    name, kv_size(value), len(value) & 0xff))
                render_list(lines, value, 2, rng)
            else:
                lines.append("\tAttribute%s\t%s" % (name, render_value(value)))
        end = "\r\n" if rng.random() < log.crlf else "\n"
        log.emit(end.join(lines) + end)
        self.other_lines()

    def other_lines(self):
        """Log records between blocks, which a reader must skip."""
        log, rng = self.log, self.rng
        r = rng.random()
        if r < 0.10:
            log.emit("%s Std 20001 Connection to '%s' is alive, %d clients\n"
                     % (log.hms(), SERVER_APP, rng.randrange(5, 40)))
        elif r < 0.13:
            port = "%s%03d" % (PORT_PREFIX, rng.randrange(1000))
            branch = "%08x" % rng.getrandbits(32)
            log.emit(
                "%s: Sending  [61,TCP] 512 bytes to 10.0.0.5:5070 >>>>>\n"
                "INVITE sip:%s@sip.example.com SIP/2.0\n"
                "Via: SIP/2.0/TCP 10.0.0.4:5060;branch=z9hG4bK%s\n"
                "From: <sip:%s@sip.example.com>;tag=%s\n"
                "CSeq: 1 INVITE\n"
                "Content-Length: 0\n"
                "\n" % (log.hms(), port, branch, TRUNK_GROUP, branch[:6]))
        elif r < 0.15:
            log.emit("%s Int 04543 Interaction message \"EventRouteUsed\" "
                     "sent to 65200 (\"URS@3020\")\n" % log.hms())

    def event(self, message, dn, connid, other=None, call_type=None,
              extra=(), user_data=None, third=None, uuid=None, sender=None):
        self.log.tick()
        self.log.seq += 1
        attrs = []
        if user_data is not None:
            attrs.append(("UserData", user_data))
        attrs.append(("EventSequenceNumber", self.log.seq))
        attrs.append(("TimeinSecs", 1715558400 + self.log.clock // 1000))
        attrs.append(("TimeinuSecs", self.log.clock % 1000 * 1000))
        attrs.extend(extra)
        if call_type is not None:
            attrs.append(("CallType", call_type))
        if uuid is not None:
            attrs.append(("CallUUID", uuid))
        if third is not None:
            attrs.append(("ThirdPartyDN", third))
        if other is not None:
            attrs.append(("OtherDN", other))
        attrs.append(("ThisDN", dn))
        attrs.append(("ConnID", connid))
        self.block(message, attrs, sender=sender, tick=False)

    def private_service(self, dn, connid, msgid=None, record=None):
        self.refid += 1
        attrs = []
        if record is not None:
            attrs.append(("Extensions", [("record", record)]))
        attrs.append(("ReferenceID", self.refid))
        if msgid is not None:
            attrs.append(("PrivateMsgID", msgid))
        attrs.append(("ThisDN", dn))
        attrs.append(("ConnID", connid))
        self.block("RequestPrivateService", attrs,
                   sender="%s_%s" % (self.rng.choice(DESKTOPS), dn),
                   request=True)

    # ---- the call models ----------------------------------------------

    def middle(self, call):
        """What happens while a call is established: hold, data, clients."""
        rng = self.rng
        a, x = call["agent"], call["connid"]
        for _ in range(rng.randrange(4)):
            r = rng.random()
            if r < 0.3:
                self.event("EventHeld", a, x, other=call["other"])
                yield
                self.event("EventRetrieved", a, x, other=call["other"])
                yield
            elif r < 0.6:
                data = call["data"]
                key = rng.choice(CUSTOMER_KEYS)
                value = (rng.randrange(100) if key in ("Priority", "VIP")
                         else "v%d" % rng.randrange(100000))
                data = [(k, v) for (k, v) in data if k != key] + [(key, value)]
                call["data"] = data
                self.event("EventAttachedDataChanged", a, x,
                           other=call["other"], user_data=data,
                           extra=[("ThisDNRole", 2)])
                yield
            elif r < 0.85:
                # A client controls the recording: 3013 start, then maybe
                # pause/resume, maybe stop.
                self.private_service(a, x, 3013,
                                     rng.choice([None, "source", None]))
                yield
                if rng.random() < 0.5:
                    self.private_service(a, x, 3015)
                    yield
                    self.private_service(a, x, 3016)
                    yield
                if rng.random() < 0.3:
                    self.private_service(a, x, 3014)
                    yield
            elif r < 0.92:
                self.private_service(a, x, None,
                                     rng.choice(["source", "destination"]))
                yield
            else:
                sup = rng.choice(SUPERVISORS)
                self.event("EventRinging", sup, x, other=a,
                           extra=[("ThisDNRole", 10)])
                yield
                self.event("EventEstablished", sup, x, other=a,
                           extra=[("ThisDNRole", 10)])
                yield
                self.event("EventReleased", sup, x, other=a,
                           extra=[("ThisDNRole", 10)])
                yield

    def transfer(self, call):
        """M5 (two-step, or conference) or M6: the call moves to agent C."""
        rng = self.rng
        c = self.take_agent()
        if c is None:
            return
        a, x, uuid = call["agent"], call["connid"], call["uuid"]
        r = rng.random()
        if r < 0.4:
            self.event("EventReleased", a, x, other=call["other"],
                       third=c, extra=[("CallState", 1)])
            yield
            self.event("EventRinging", c, x, other=call["other"], third=a,
                       call_type=call["type"], uuid=uuid,
                       user_data=call["data"])
            yield
            self.event("EventEstablished", c, x, other=call["other"],
                       third=a)
            yield
        else:
            y = self.new_connid()
            self.event("EventHeld", a, x, other=call["other"])
            yield
            self.event("EventDialing", a, y, other=c, call_type=4,
                       extra=[("TransferConnID", x)], uuid=self.new_uuid())
            yield
            self.event("EventRinging", c, y, other=a, call_type=4)
            yield
            self.event("EventEstablished", c, y, other=a)
            yield
            self.event("EventEstablished", a, y, other=c)
            yield
            if r < 0.8:
                # Transfer completes; the events may come in any order.
                done = [
                    lambda: self.event("EventReleased", a, y, other=c),
                    lambda: self.event("EventReleased", a, x,
                                       other=call["other"], third=c,
                                       extra=[("CallState", 1)]),
                    lambda: self.event("EventPartyChanged", c, x,
                                       other=call["other"], third=a,
                                       extra=[("PreviousConnID", y)]),
                ]
                rng.shuffle(done)
                for f in done:
                    f()
                    yield
            elif r < 0.9:
                # Conference: A comes back, C joins X.
                self.event("EventReleased", a, y, other=c)
                yield
                self.event("EventRetrieved", a, x, other=call["other"])
                yield
                self.event("EventPartyAdded", a, x, third=c,
                           extra=[("ThirdPartyDNRole", 2)])
                yield
                self.event("EventPartyChanged", c, x, other=a,
                           extra=[("PreviousConnID", y)])
                yield
                self.event("EventReleased", a, x, other=c,
                           extra=[("CallState", 0)])
                yield
            else:
                # Abandoned consultation: C goes, A retrieves X.
                self.event("EventReleased", c, y, other=a)
                yield
                self.event("EventReleased", a, y, other=c)
                yield
                self.event("EventRetrieved", a, x, other=call["other"])
                yield
                self.give_agent(c)
                return
        self.give_agent(a)
        call["agent"] = c

    def call(self):
        """One call, from its first event to its last; None between."""
        rng = self.rng
        a = self.take_agent()
        if a is None:
            return
        x = self.new_connid()
        uuid = self.new_uuid()
        caller = self.external()
        data = self.user_data()
        call = {"agent": a, "connid": x, "uuid": uuid, "other": caller,
                "data": data, "type": 2}
        second = None
        r = rng.random()
        if r < 0.45:
            # M1 inbound
            self.event("EventRinging", a, x, other=caller, call_type=2,
                       uuid=uuid, user_data=data,
                       extra=[("ANI", caller), ("DNIS", a)])
            yield
            self.event("EventEstablished", a, x, other=caller)
            yield
        elif r < 0.65:
            # M3 routed
            rp = rng.choice([RP_RECORD, RP_PLAIN])
            self.event("EventRouteRequest", rp, x, other=caller, call_type=2,
                       uuid=uuid, user_data=data,
                       extra=[("ANI", caller), ("DNIS", rp)])
            yield
            self.refid += 1
            ext = [("record", rng.choice(["destination", "source",
                                          "disabled", "disable_destination"]))]
            self.block("RequestRouteCall", [
                ("Extensions", ext if rng.random() < 0.5 else None),
                ("ReferenceID", self.refid),
                ("RouteType", Word("RouteTypeDefault")),
                ("OtherDN", a), ("ThisDN", rp), ("ConnID", x)],
                sender="URS", request=True)
            yield
            self.event("EventRouteUsed", rp, x, other=a)
            yield
            self.event("EventRinging", a, x, other=caller, third=rp,
                       call_type=2, uuid=uuid, user_data=data)
            yield
            self.event("EventEstablished", a, x, other=caller, third=rp)
            yield
        elif r < 0.85:
            # M2 internal
            b = self.take_agent()
            if b is None:
                self.give_agent(a)
                return
            second = b
            call["other"] = b
            call["type"] = 1
            self.event("EventDialing", a, x, other=b, call_type=1, uuid=uuid)
            yield
            self.event("EventRinging", b, x, other=a, call_type=1, uuid=uuid)
            yield
            self.event("EventEstablished", b, x, other=a)
            yield
            self.event("EventEstablished", a, x, other=b)
            yield
        else:
            # M8 outbound
            call["type"] = 3
            self.event("EventDialing", a, x, other=caller, call_type=3,
                       uuid=uuid, extra=[("DNIS", caller)])
            yield
            self.event("EventEstablished", a, x, other=caller)
            yield

        yield from self.middle(call)
        if second is None and rng.random() < 0.3:
            yield from self.transfer(call)
            yield from self.middle(call)

        if rng.random() < 0.01:
            # SIP Server drops a recording leg (SIP-side, by DNIS = port).
            self.block("EventReleased", [
                ("EventSequenceNumber", self.log.seq),
                ("DNIS", "%s%03d" % (PORT_PREFIX, rng.randrange(1000))),
                ("ThisDN", TRUNK_GROUP),
                ("ConnID", self.new_connid())], sender=SERVER_APP)
            yield
        self.event("EventReleased", call["agent"], x, other=call["other"])
        yield
        if second is not None:
            self.event("EventReleased", second, x, other=call["agent"])
            yield
            self.give_agent(second)
        self.give_agent(call["agent"])

    # ---- the scheduler --------------------------------------------------

    def run(self):
        rng = self.rng
        while not self.log.done():
            while len(self.calls) < self.n_calls and self.free_agents:
                self.calls.append(self.call())
            if not self.calls:
                break
            i = rng.randrange(len(self.calls))
            try:
                next(self.calls[i])
            except StopIteration:
                # Swap-remove: order does not matter, the choice is random.
                self.calls[i] = self.calls[-1]
                self.calls.pop()
        self.log.flush()


def print_config():
    out = [
        "# The configuration that matches tools/gen-log.py's DNs.",
        "# Written by: tools/gen-log.py --print-config > tools/gen-log.ini",
        "[remote-recording]",
        "server-application = %s" % SERVER_APP,
        "trunk-group = %s" % TRUNK_GROUP,
        "uri-pattern = sip:{%s{DDD}}{@sip.example.com}" % PORT_PREFIX,
        "reestablish-recording-tout = 5",
        "recording-filename =",
        "record-moh = true",
        "",
        "[app:%s]" % SERVER_APP,
        "reconnect-timeout = 10",
        "reconnect-attempts = 1",
        "",
        "[dn:%s]" % TRUNK_GROUP,
        "type = trunk-group",
        "",
        "[dn:%s]" % RP_RECORD,
        "type = routing-point",
        "record = true",
        "",
        "[dn:%s]" % RP_PLAIN,
        "type = routing-point",
    ]
    for dn in AGENTS:
        out += ["", "[dn:%s]" % dn, "type = extension"]
        if int(dn) % 5 == 0:
            out.append("record = true")
    for dn in SUPERVISORS:
        out += ["", "[dn:%s]" % dn, "type = extension"]
    sys.stdout.write("\n".join(out) + "\n")


def main():
    p = argparse.ArgumentParser(
        description="Write a synthetic T-Server log to stdout.",
        epilog="Example: tools/gen-log.py --size 1G --seed 1 > /tmp/big.log")
    p.add_argument("--size", default="10M", type=parse_size,
                   help="bytes to write, with K/M/G/T suffixes (default 10M)")
    p.add_argument("--seed", default=1, type=int,
                   help="random seed; same seed, same log (default 1)")
    p.add_argument("--calls", default=32, type=int,
                   help="calls in progress at once (default 32, at most "
                        "about 60: each takes up to 2 of the 120 agents)")
    p.add_argument("--crlf", default=0.01, type=float,
                   help="fraction of blocks written with CRLF (default 0.01)")
    p.add_argument("--print-config", action="store_true",
                   help="print the matching rrec configuration and exit")
    args = p.parse_args()
    if args.print_config:
        print_config()
        return 0
    if args.size <= 0 or args.calls <= 0:
        p.error("--size and --calls must be positive")
    try:
        Gen(args).run()
    except BrokenPipeError:
        # `gen-log.py | head` is fine.
        sys.stderr.close()
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
