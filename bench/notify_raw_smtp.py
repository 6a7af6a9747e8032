"""The raw client beside `bench/notify.sh`: N plain-text messages over one smtplib
connection to the same local sink, timed; prints the rate in messages/s.

Usage: python3 bench/notify_raw_smtp.py PORT N
"""
import smtplib
import sys
import time
from email.message import EmailMessage

port, n = int(sys.argv[1]), int(sys.argv[2])
body = (
    "Hello Org,\n\nNight 1 (Tinkerers Oslo) was held: its retro is now open.\n"
    "Due: 2026-11-26T09:00:00Z\n\nWrite it on the event's page: "
    "http://127.0.0.1:8080/events/1#retro\n\n-- Trellis\n"
)
start = time.perf_counter()
with smtplib.SMTP("127.0.0.1", port) as s:
    for i in range(n):
        m = EmailMessage()
        m["From"] = "Trellis <trellis@example.org>"
        m["To"] = "org%d@example.org" % i
        m["Subject"] = "Retro to write: Night 1"
        m.set_content(body)
        s.send_message(m)
elapsed = time.perf_counter() - start
print("%d %.3f %.0f" % (n, elapsed, n / elapsed))
