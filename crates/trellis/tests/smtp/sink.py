"""A real SMTP server for Trellis's tests (Debian's python3-aiosmtpd).

Usage: python3 sink.py PORT DIR [USER:PASSWORD]
Listens on 127.0.0.1:PORT and writes each message it accepts to DIR as NNNNNN.eml
(the bytes as received, with the envelope recipient in an X-Sink-Rcpt header). With
USER:PASSWORD it requires that login (AUTH PLAIN/LOGIN, allowed without TLS on loopback).
Prints "ready" once listening; stops on SIGTERM (or SIGKILL, as the tests do on drop).
With SINK_DELAY_MS set, each message waits that long before it is stored and answered,
after touching DIR/arriving-NNNNNN: a test can kill its sender while it waits. A message
whose sender is gone by then is not stored (it was never acknowledged).
"""
import asyncio
import itertools
import os
import signal
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

port, folder = int(sys.argv[1]), sys.argv[2]
login = sys.argv[3].split(":", 1) if len(sys.argv) > 3 else None
counter = itertools.count(1)
arrivals = itertools.count(1)
lock = threading.Lock()
delay = float(os.environ.get("SINK_DELAY_MS", "0")) / 1000.0


class Sink:
    async def handle_DATA(self, server, session, envelope):
        if delay:
            with lock:
                k = next(arrivals)
            open(os.path.join(folder, "arriving-%06d" % k), "w").close()
            await asyncio.sleep(delay)
            if server.transport is None or server.transport.is_closing():
                return "451 the client is gone"
        with lock:
            n = next(counter)
        path = os.path.join(folder, "%06d.eml" % n)
        rcpt = ", ".join(envelope.rcpt_tos)
        with open(path + ".tmp", "wb") as f:
            f.write(("X-Sink-Rcpt: %s\r\n" % rcpt).encode())
            f.write(envelope.original_content or envelope.content)
        os.rename(path + ".tmp", path)
        return "250 OK stored as %06d" % n


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = (
        isinstance(auth_data, LoginPassword)
        and login is not None
        and auth_data.login.decode() == login[0]
        and auth_data.password.decode() == login[1]
    )
    # handled=False: aiosmtpd then answers 535 itself (True would leave the client waiting).
    return AuthResult(success=ok, handled=False)


kwargs = {}
if login:
    kwargs = dict(authenticator=authenticator, auth_required=True, auth_require_tls=False)
controller = Controller(Sink(), hostname="127.0.0.1", port=port, **kwargs)
controller.start()
print("ready", flush=True)
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
stop.wait()
controller.stop()
