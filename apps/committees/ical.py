"""The iCalendar feed of meetings (RFC 5545), written by hand: CRLF line endings,
escaped text, lines folded at 75 octets without splitting a UTF-8 character."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from apps.committees.models import Meeting

DEFAULT_LENGTH = datetime.timedelta(hours=2)


def escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11)."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets (RFC 5545 §3.1)."""
    chunks: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            chunks.append(current)
            # Continuation lines start with a space, which counts in their 75 octets.
            current, size, limit = char, width, 74
        else:
            current += char
            size += width
    chunks.append(current)
    return "\r\n ".join(chunks)


def _utc(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _host(request: HttpRequest | None) -> str:
    return request.get_host().split(":")[0] if request else "sharaka"


def meetings_calendar(meetings: Iterable[Meeting], request: HttpRequest | None = None) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Sharaka//Committee meetings//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:" + escape("Sharaka"),
    ]
    now = _utc(timezone.now())
    base = request.build_absolute_uri("/").rstrip("/") if request else settings.SITE_URL
    for meeting in meetings:
        end = meeting.ends_at or meeting.starts_at + DEFAULT_LENGTH
        agenda = "\n".join(f"- {item.title}" for item in meeting.agenda_items.all())
        lines += [
            "BEGIN:VEVENT",
            f"UID:meeting-{meeting.pk}@{_host(request)}",
            f"DTSTAMP:{now}",
            f"DTSTART:{_utc(meeting.starts_at)}",
            f"DTEND:{_utc(end)}",
            "SUMMARY:" + escape(str(meeting.committee.name)),
            *(["LOCATION:" + escape(meeting.place)] if meeting.place else []),
            *(["DESCRIPTION:" + escape(agenda)] if agenda else []),
            f"URL:{base}{meeting.get_absolute_url()}",
            "STATUS:CONFIRMED",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
