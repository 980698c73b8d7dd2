"""The digest as an HTML e-mail body: one self-contained document with inline styles only (Gmail
and Outlook drop <style> blocks and external sheets in many of their clients), laid out with one
centred table of at most 640 px that narrows with the screen. Dark-mode safe: every element that
sets a colour sets its background too, so a client that inverts colours inverts both, and the
document declares `color-scheme: light dark`. Registry text is HTML-escaped; links are the
registry's http(s) sources only."""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from regtrack.formats import utf8_pieces
from regtrack.formats.digest import DigestContext
from regtrack.formats.digest.lines import (
    Item,
    Section,
    counts,
    firm_scope,
    firm_title,
    not_evaluated,
    nothing,
    scope,
    sections,
    title,
)

if TYPE_CHECKING:
    from regtrack.digest import Digest, FirmDigest

_FONT = "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif"
_PAGE = f"margin:0;padding:0;background-color:#f3f4f6;color:#111827;{_FONT}"
_CARD = "background-color:#ffffff;color:#111827;border:1px solid #d1d5db;border-radius:6px"
_URGENT = "background-color:#fef2f2;color:#7f1d1d;border-left:4px solid #b91c1c"
_NORMAL = "background-color:#ffffff;color:#111827;border-left:4px solid #9ca3af"
_MUTED = "color:#4b5563;background-color:transparent"
_LINK = "color:#1d4ed8;background-color:transparent;text-decoration:underline"


def _e(text: str) -> str:
    return html.escape(" ".join(text.split()), quote=True)


def _item(item: Item) -> str:
    style = _URGENT if item.urgent else _NORMAL
    source = (
        f' · <a href="{html.escape(item.url, quote=True)}" style="{_LINK}">{_e(item.link)}</a>'
        if item.url.startswith(("https://", "http://"))
        else ""
    )
    return (
        f'<tr><td style="{style};padding:8px 12px;font-size:15px;line-height:1.4">'
        f'<div style="font-weight:bold">{_e(item.when)}</div>'
        f"<div>{_e(item.what)}</div>"
        f'<div style="{_MUTED};font-size:13px">{_e(item.detail)}{source}</div>'
        "</td></tr>"
        '<tr><td style="height:6px;line-height:6px;font-size:0">&nbsp;</td></tr>'
    )


def _section(section: Section) -> Iterator[str]:
    yield (
        f'<tr><td style="padding:16px 0 6px 0;font-size:17px;font-weight:bold">'
        f"{_e(section.heading)} ({len(section.items)})</td></tr>"
    )
    yield from map(_item, section.items)


def _body(digest: Digest) -> Iterator[str]:
    found = sections(digest)
    if not found:
        yield f'<tr><td style="padding:16px 0;font-size:15px">{_e(nothing(digest))}</td></tr>'
    for section in found:
        yield from _section(section)


def _document(heading: str, scope: str, body: Iterable[str]) -> Iterator[str]:
    """The page: the centred card, its title and scope line, `body`'s rows, the footer."""
    yield (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="color-scheme" content="light dark">'
        '<meta name="supported-color-schemes" content="light dark">'
        f"<title>{heading}</title></head>"
        f'<body style="{_PAGE}">'
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" '
        f'style="{_PAGE};width:100%"><tr><td align="center" style="padding:16px 8px">'
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" '
        f'style="{_CARD};max-width:640px;width:100%">'
        '<tr><td style="padding:16px 16px 8px 16px">'
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">'
        f'<tr><td style="font-size:20px;font-weight:bold;padding-bottom:4px">{heading}</td></tr>'
        f'<tr><td style="{_MUTED};font-size:13px;padding-bottom:4px">{scope}</td></tr>'
    )
    yield from body
    yield (
        f'<tr><td style="{_MUTED};font-size:12px;padding:12px 0 4px 0">Sent by regtrack. '
        "Each date is checked against the source linked beside it; a source marked “not "
        "official” is commentary, not the law’s own text.</td></tr>"
        "</table></td></tr></table></td></tr></table></body></html>\n"
    )


def render_digest(digest: Digest, context: DigestContext) -> Iterator[bytes]:
    """A complete HTML document, UTF-8, written as it is made (the page of 57,000 overdue dates
    is never whole in memory, issue 29)."""
    return utf8_pieces(_document(_e(title(digest)), _e(scope(digest)), _body(digest)))


# The firm's table: a column per number of a client's digest (short: a phone's width).
_COLUMNS = (("Overdue", "overdue"), ("Clocks", "clocks"), ("Due", "due"), ("Waivers", "waivers"))
_URGENT_CELL = "color:#7f1d1d;background-color:#fef2f2;font-weight:bold"
_CELL = "padding:4px 3px;border-bottom:1px solid #e5e7eb;font-size:13px;text-align:right"


def _matrix(firm: FirmDigest) -> str:
    """A client x {overdue, clocks running, due, waivers ending} table, each client linking to
    its part of the message."""
    head = "".join(f'<th scope="col" style="{_CELL}">{_e(name)}</th>' for name, _ in _COLUMNS)
    rows = []
    for each in firm.clients:
        n = counts(each.digest)._asdict()
        name = html.escape(each.client, quote=True)
        cells = "".join(
            f'<td style="{_CELL};{_URGENT_CELL if key == "overdue" and n[key] else ""}">'
            f"{n[key]}</td>"
            for _, key in _COLUMNS
        )
        sent = (
            # an address breaks anywhere: a phone's width is narrower than some addresses
            f'<div style="{_MUTED};font-size:12px;overflow-wrap:anywhere;word-break:break-word">'
            f"{_e(each.delivery)}</div>"
            if each.delivery
            else ""
        )
        rows.append(
            f'<tr><th scope="row" style="{_CELL};text-align:left;font-weight:normal">'
            f'<a href="#client-{name}" style="{_LINK}">{name}</a>{sent}</th>{cells}</tr>'
        )
    for name, problem in firm.broken:
        rows.append(
            f'<tr><th scope="row" style="{_CELL};text-align:left;font-weight:normal">'
            f"{html.escape(name, quote=True)}"
            f'<div style="{_URGENT_CELL};font-size:12px;overflow-wrap:anywhere;'
            f'word-break:break-word">{_e(not_evaluated(problem))}</div></th>'
            f'<td colspan="{len(_COLUMNS)}" style="{_CELL}"></td></tr>'
        )
    return (
        '<tr><td style="padding:8px 0">'
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">'
        f'<tr><th scope="col" style="{_CELL};text-align:left">Client</th>{head}</tr>'
        f"{''.join(rows)}</table></td></tr>"
    )


def render_firm(firm: FirmDigest, context: DigestContext) -> str:
    """One document: the firm's title, the clients' table, then each client's digest under a
    heading naming it."""
    parts = [_matrix(firm)]
    for each in firm.clients:
        name = html.escape(each.client, quote=True)
        parts.append(
            f'<tr><td id="client-{name}" style="padding:24px 0 4px 0;font-size:19px;'
            f'font-weight:bold;border-top:2px solid #d1d5db">{name}</td></tr>'
            f'<tr><td style="{_MUTED};font-size:13px;padding-bottom:4px">'
            f"{_e(title(each.digest))}<br>{_e(scope(each.digest))}</td></tr>"
            + "".join(_body(each.digest))
        )
    return "".join(_document(_e(firm_title(firm)), _e(firm_scope(firm)), parts))
