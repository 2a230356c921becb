"""Parse an iCalendar feed (stdin) the way Home Assistant's Remote Calendar
does, with the "ical" library, and print what it read as JSON: every
event, and the next event after --now as the calendar entity shows it.
A feed the library refuses is an error (exit 1, the reason on stderr)."""
import argparse
import datetime
import json
import sys

from ical.calendar_stream import IcsCalendarStream


def iso(value):
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.timezone.utc).isoformat()
    return value.isoformat()


def event(ev):
    status = getattr(ev, "status", None)
    return {
        "uid": ev.uid,
        "summary": ev.summary,
        "start": iso(ev.dtstart),
        "end": iso(ev.dtend),
        "location": ev.location,
        "description": ev.description,
        "status": status.value if status is not None else None,
        "sequence": ev.sequence,
        "last_modified": iso(ev.last_modified),
        "dtstamp": iso(ev.dtstamp),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--now", required=True, help="RFC 3339 time the next event is looked for after")
    args = parser.parse_args()
    now = datetime.datetime.fromisoformat(args.now.replace("Z", "+00:00"))
    text = sys.stdin.read()
    try:
        cal = IcsCalendarStream.calendar_from_ics(text)
    except Exception as err:  # the library's refusal, whatever its class
        print(f"{type(err).__name__}: {err}", file=sys.stderr)
        sys.exit(1)
    timeline = cal.timeline_tz(datetime.timezone.utc)
    upcoming = next(iter(timeline.active_after(now)), None)
    name = getattr(cal, "name", None)
    if isinstance(name, list):  # newer releases keep every NAME
        name = name[0] if name else None
    print(json.dumps({
        "name": name,
        "events": [event(e) for e in cal.events],
        "next": event(upcoming) if upcoming is not None else None,
    }))


if __name__ == "__main__":
    main()
