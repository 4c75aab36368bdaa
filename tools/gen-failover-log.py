#!/usr/bin/env python3
"""A T-Server log for `rrec replay --no-sim` in which N calls record, the
link to SIP Server is lost and comes back, and no leg query is answered:
N queries time out together (R33).  Writes the log to stdout and its
configuration to CONFIG.  A measure of what a failover costs the engine
(issue #14):

    tools/gen-failover-log.py 50000 /tmp/f.ini > /tmp/f.log
    time build-rel/tools/rrec replay --no-sim --json --config /tmp/f.ini \\
        /tmp/f.log > /dev/null

Call i (from 0) has ConnID 0000007000000000 + i, port +1 and i in six
digits, leg ConnID 000a900000000000 + i; its START is ReferenceID i + 1
(the engine numbers its requests 1, 2, 3, … under --no-sim).  The link
is lost 1 s after the last call, back 11 s later (reconnect-timeout 10,
one attempt), and the queries' time-out (recording-setup-tout, 10 s)
passes before the last block, the first call's release.
"""
import sys

CONFIG = """[remote-recording]
server-application = SIPServer_SfB
trunk-group = annc
uri-pattern = sip:{+1{DDDDDD}}{@sip.example.com}
reestablish-recording-tout = 5

[app:SIPServer_SfB]
reconnect-timeout = 10
reconnect-attempts = 1

[dn:7002]
type = extension
record = true
"""
SIP = "received from 65200(SIPServer_SfB)sip-server:5001(fd=12) message"


def clock(ms):
    s, ms = divmod(ms, 1000)
    m, s = divmod(s, 60)
    h, m = divmod(m, 60)
    return "%02d:%02d:%02d.%03d" % (10 + h, m, s, ms)


def main():
    if len(sys.argv) != 3 or not sys.argv[1].isdigit() or \
            not 0 < int(sys.argv[1]) <= 1000000:
        sys.exit("usage: gen-failover-log.py N CONFIG  (0 < N <= 1000000)")
    n = int(sys.argv[1])
    with open(sys.argv[2], "w") as f:
        f.write(CONFIG)
    w = sys.stdout.write
    w("2026-11-26T10:00:00.000 Std 20001 T-Server for Skype for Business "
      "started\n")
    ms = 0
    for i in range(n):
        conn = "%016x" % (0x7000000000 + i)
        leg = "%016x" % (0xa900000000000 + i)
        port = "+1%06d" % i
        w(f"{clock(ms)} distribute_event: message EventEstablished\n"
          f"\tAttributeOtherDN\t'+14155550100'\n\tAttributeThisDN\t'7002'\n"
          f"\tAttributeConnID\t{conn}\n")
        w(f"@{clock(ms)}0 {SIP} EventEstablished\n\tAttributeDNIS\t'{port}'\n"
          f"\tAttributeThisDN\t'annc'\n\tAttributeConnID\t{leg}\n")
        w(f"@{clock(ms)}0 {SIP} EventACK\n\tAttributeReferenceID\t{i + 1}\n"
          f"\tAttributeThisDN\t'annc'\n\tAttributeConnID\t{leg}\n")
        if i % 10 == 9:
            ms += 1
    ms += 1000
    w(f"@{clock(ms)}0 {SIP} EventServerDisconnected\n"
      f"\tAttributeThisDN\t'annc'\n")
    ms += 11000
    w(f"@{clock(ms)}0 {SIP} EventServerConnected\n\tAttributeThisDN\t'annc'\n")
    ms += 11000
    w(f"{clock(ms)} distribute_event: message EventReleased\n"
      f"\tAttributeThisDN\t'7002'\n\tAttributeConnID\t{0x7000000000:016x}\n")


if __name__ == "__main__":
    main()
