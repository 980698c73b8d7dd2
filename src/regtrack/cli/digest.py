"""`regtrack digest`: the week at a glance for a person, printed, mailed or posted (issue 18)."""

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from regtrack.agenda.horizons import DIGEST
from regtrack.cli.common import (
    Selection,
    say,
    selection_options,
    write_file,
    write_out,
)
from regtrack.dates import add_duration, parse_horizon
from regtrack.errors import ExitCode, InvalidOption
from regtrack.formats.digest import DigestContext, DigestFormat

if TYPE_CHECKING:
    from regtrack.deliver.smtp import Server
    from regtrack.deliver.webhook import Target
    from regtrack.diff import RegistryDiff
    from regtrack.digest import Digest
    from regtrack.workspace import Workspace

cli = typer.Typer()  # this module's commands, loaded by regtrack.cli.app on first use

_CHATS = (DigestFormat.SLACK, DigestFormat.TEAMS, DigestFormat.MATTERMOST)


def _server(smtp: str, security: str) -> "Server":
    from regtrack.deliver import LOOPBACK
    from regtrack.deliver.smtp import DEFAULT_PORTS, Security, Server

    try:
        chosen = Security(security.strip().lower())
    except ValueError:
        raise InvalidOption(
            "--smtp-security", f"{security!r} is not starttls, tls or none"
        ) from None
    host, _, port_text = smtp.strip().rpartition(":") if ":" in smtp else (smtp.strip(), "", "")
    if not host:
        raise InvalidOption("--smtp", f"{smtp!r} is not HOST or HOST:PORT")
    host = host.strip("[]")
    try:
        port = int(port_text) if port_text else DEFAULT_PORTS[chosen]
    except ValueError:
        raise InvalidOption("--smtp", f"{port_text!r} is not a port number") from None
    if not 0 < port < 65536:
        raise InvalidOption("--smtp", f"port {port} is out of range")
    if chosen is Security.NONE and host.lower() not in LOOPBACK:
        raise InvalidOption(
            "--smtp-security",
            "none sends the digest and any password in clear; it is allowed only to this "
            "machine (localhost)",
        )
    user = os.environ.get("REGTRACK_SMTP_USER", "")
    password = os.environ.get("REGTRACK_SMTP_PASSWORD", "")
    if bool(user) != bool(password):
        raise InvalidOption(
            "--smtp", "set both REGTRACK_SMTP_USER and REGTRACK_SMTP_PASSWORD, or neither"
        )
    return Server(host, port, chosen, user, password)


@cli.command("digest")
@selection_options
def digest_command(
    within: Annotated[
        str,
        typer.Option(
            "--within", "-w", metavar="DURATION", help="How far ahead: 7d, 2w, 1m or P14D."
        ),
    ] = DIGEST,
    fmt: Annotated[
        DigestFormat,
        typer.Option("--format", "-f", case_sensitive=False, help="Output format."),
    ] = DigestFormat.TEXT,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Write to FILE (atomically).", show_default=False
        ),
    ] = None,
    previous: Annotated[
        Path | None,
        typer.Option(
            "--previous",
            metavar="FILE",
            help="A previous copy of the registry: the digest lists what changed since.",
            show_default=False,
        ),
    ] = None,
    feed_url: Annotated[
        str,
        typer.Option("--feed-url", metavar="URL", help="Where the Atom feed is published."),
    ] = "",
    mail_to: Annotated[
        list[str] | None,
        typer.Option(
            "--mail-to",
            metavar="ADDRESS",
            help="Mail the digest to this address (repeatable).",
            show_default=False,
        ),
    ] = None,
    mail_from: Annotated[
        str,
        typer.Option(
            "--mail-from", envvar="REGTRACK_MAIL_FROM", metavar="ADDRESS", help="The sender."
        ),
    ] = "",
    smtp: Annotated[
        str,
        typer.Option(
            "--smtp",
            envvar="REGTRACK_SMTP",
            metavar="HOST[:PORT]",
            help="The SMTP server (credentials: REGTRACK_SMTP_USER, REGTRACK_SMTP_PASSWORD).",
        ),
    ] = "",
    smtp_security: Annotated[
        str,
        typer.Option(
            "--smtp-security",
            envvar="REGTRACK_SMTP_SECURITY",
            metavar="starttls|tls|none",
            help="STARTTLS (port 587), implicit TLS (465), or none (localhost only).",
        ),
    ] = "starttls",
    post: Annotated[
        DigestFormat | None,
        typer.Option(
            "--post",
            case_sensitive=False,
            metavar="slack|teams|mattermost",
            help="Post the digest to this chat's incoming webhook, whose URL is read from "
            "--webhook-env (never from a flag: the URL is the secret).",
            show_default=False,
        ),
    ] = None,
    webhook_env: Annotated[
        str,
        typer.Option(
            "--webhook-env", metavar="NAME", help="The environment variable holding the URL."
        ),
    ] = "REGTRACK_WEBHOOK_URL",
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help="Print the e-mail or the webhook payload instead of sending it."
        ),
    ] = False,
    *,
    selection: Selection,
) -> int:
    """The week at a glance: overdue first, then running statutory clocks, what is due, starts
    to apply or is expected, what check already warns about beyond the week, waivers ending and
    registry changes. Printed, written (-o), mailed (--mail-to) or posted (--post).

    Exit 5 when a delivery fails (the server's answer is shown); secrets never are."""
    from regtrack.agenda import Agenda
    from regtrack.digest import build_digest
    from regtrack.formats.digest import digest_renderer

    day = selection.today
    try:  # the same window as `upcoming --within`: from today through today + DURATION
        until = add_duration(day, parse_horizon(within))
    except ValueError as error:
        raise InvalidOption("--within", str(error)) from None
    if post is not None and post not in _CHATS:
        raise InvalidOption("--post", f"{post.value!r} is not slack, teams or mattermost")
    recipients = tuple(mail_to or ())
    _check_outputs(fmt, output, feed_url, recipients, post)
    if recipients or fmt is DigestFormat.EMAIL:
        _check_mail(recipients, mail_from, smtp, dry_run or not recipients)
    # every option is checked before the registries are read and anything is sent
    server = _server(smtp, smtp_security) if recipients and not dry_run else None
    where = _webhook(webhook_env) if post is not None and not dry_run else None
    if feed_url:
        _check_feed_url(feed_url)
    spaces = selection.workspaces(until)
    if len(spaces) > 1:  # a portfolio's clients; one client chosen is that client's digest
        return _across(spaces, selection, until, fmt, output, recipients, post, previous)
    space = spaces[0]
    changes = _changes(previous, space, selection) if previous is not None else None
    digest = build_digest(
        Agenda.of(space, selection.moment, selection.filters),
        until,
        waivers=space.waivers,
        profile=space.profile,
        changes=changes,
    )
    context = DigestContext(feed_url.strip(), mail_from.strip(), recipients)
    if not recipients and post is None:
        text = digest_renderer(fmt).render_digest(digest, context)
        if output is None:
            write_out(text)
        else:
            write_file(output, text.encode("utf-8"))
        return ExitCode.OK
    if recipients:
        _mail(digest, context, server)
    if post is not None:
        if where is None:  # --dry-run
            write_out(digest_renderer(post).render_digest(digest, context))
            say(f"regtrack: dry run: the {post.value} payload above was not posted")
        else:
            from regtrack.deliver.webhook import post as send_post

            answer = send_post(_payload(post, digest), where)
            say(f"regtrack: posted the digest to {where.host} ({post.value}): {answer}")
    return ExitCode.OK


# The digest's formats that a portfolio's run writes as one document of every client's digest.
_ACROSS = (DigestFormat.TEXT, DigestFormat.MARKDOWN, DigestFormat.JSON)


def _across(
    spaces: "list[Workspace]",
    selection: Selection,
    until: dt.date,
    fmt: DigestFormat,
    output: Path | None,
    recipients: tuple[str, ...],
    post: DigestFormat | None,
    previous: Path | None,
) -> int:
    """A portfolio's digest: each client's, one after the other (text, Markdown) or in one
    document (JSON), each naming its client; delivery goes to one client at a time so far."""
    import json

    from regtrack.agenda import Agenda
    from regtrack.digest import build_digest
    from regtrack.formats.digest import digest_renderer

    if recipients or post is not None or previous is not None:
        option = "--mail-to" if recipients else "--post" if post is not None else "--previous"
        raise InvalidOption(
            option, "works for one client of a portfolio at a time so far: name it with --client"
        )
    if fmt not in _ACROSS:
        raise InvalidOption(
            "--format",
            f"{fmt.value} is one client's digest: name it with --client (a portfolio's digest "
            "is text, markdown or json)",
        )
    context = DigestContext()
    parts = []
    for space in spaces:
        digest = build_digest(
            Agenda.of(space, selection.moment, selection.filters),
            until,
            waivers=space.waivers,
            profile=space.profile,
        )
        parts.append(digest_renderer(fmt).render_digest(digest, context))
    if fmt is DigestFormat.JSON:
        documents = [json.loads(part) for part in parts]
        for space, document in zip(spaces, documents, strict=True):
            document["client"] = space.client  # `organisation` is its profile's name
        from regtrack.formats import text_of
        from regtrack.formats.json import document

        text = text_of(document({"clients": documents}))
    else:
        from regtrack.errors import visible

        heads = [
            (
                f"## `{s.client}`\n\n"
                if fmt is DigestFormat.MARKDOWN
                else visible(f"== {s.client}") + "\n"
            )
            for s in spaces
        ]
        text = "\n".join(head + part for head, part in zip(heads, parts, strict=True))
    if output is None:
        write_out(text)
    else:
        write_file(output, text.encode("utf-8"))
    return ExitCode.OK


def _check_outputs(
    fmt: DigestFormat,
    output: Path | None,
    feed_url: str,
    recipients: tuple[str, ...],
    post: DigestFormat | None,
) -> None:
    """An option that would do nothing is an error, not a silent no-op: a mail or a post has
    its own format (`-f email` names the mail's), and only a feed has an address."""
    sending = bool(recipients) or post is not None
    if sending and output is not None:
        raise InvalidOption("--output", "writes a printed digest; not with --mail-to or --post")
    mail_alone = bool(recipients) and post is None
    if sending and fmt is not DigestFormat.TEXT and not (fmt is DigestFormat.EMAIL and mail_alone):
        raise InvalidOption(
            "--format", "chooses a printed digest; --mail-to and --post have their own formats"
        )
    if feed_url and fmt is not DigestFormat.ATOM:
        raise InvalidOption("--feed-url", "is the address of an Atom feed; use it with -f atom")


def _check_mail(recipients: tuple[str, ...], sender: str, smtp: str, dry_run: bool) -> None:
    from regtrack.formats.digest.email import address

    for value in recipients:
        try:
            address(value)
        except ValueError as error:
            raise InvalidOption("--mail-to", str(error)) from None
    if not sender:
        raise InvalidOption(
            "--mail-from", "is required with --mail-to and -f email (or REGTRACK_MAIL_FROM)"
        )
    try:
        address(sender)
    except ValueError as error:
        raise InvalidOption("--mail-from", str(error)) from None
    if not smtp and not dry_run:
        raise InvalidOption("--smtp", "is required with --mail-to (or REGTRACK_SMTP)")


def _mail(digest: "Digest", context: DigestContext, server: "Server | None") -> None:
    """Send the message to `server`, or print it when there is none (--dry-run)."""
    from regtrack.deliver.smtp import send
    from regtrack.formats.digest.email import build_message, render_digest

    if server is None:
        write_out(render_digest(digest, context))
        say("regtrack: dry run: the message above was not sent")
        return
    message = build_message(digest, context)
    answer = send(message, server)
    say(
        f"regtrack: mailed the digest to {', '.join(context.mail_to)} via "
        f"{server.name} as {message['Message-ID']}: {answer}"
    )


def _webhook(variable: str) -> "Target":
    from regtrack.deliver.webhook import target

    name = variable.strip()
    value = os.environ.get(name, "")
    if not value:
        raise InvalidOption("--post", f"the environment variable {name} holding the URL is unset")
    try:
        return target(value, name)
    except ValueError as error:
        raise InvalidOption("--post", str(error)) from None


def _check_feed_url(url: str) -> None:
    from urllib.parse import urlsplit

    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname or " " in url.strip():
        raise InvalidOption("--feed-url", f"{url!r} is not an http(s) URL")


def _changes(previous: Path, space: "Workspace", selection: Selection) -> "RegistryDiff":
    """What changed between `previous` and the registries loaded now, for the obligations the
    selection holds (or held: a removed one is news too)."""
    from regtrack.diff import RegistryDiff, diff
    from regtrack.models import Obligation
    from regtrack.registry import load
    from regtrack.select import obligation_matches

    old = load([previous]).obligations
    # the registries' obligations: not the organisation file's own, not events' deadlines
    own = space.config.file if space.config is not None else None
    every = [o for o in space.every if "@" not in o.id and o.file != own]
    chosen = {o.id for o in space.obligations}
    current = {o.id for o in every}
    found = diff(old, every)

    def kept(obligation: Obligation) -> bool:
        return obligation.id in chosen or (
            obligation.id not in current and obligation_matches(obligation, selection.filters)
        )

    return RegistryDiff(
        added=tuple(o for o in found.added if o.id in chosen),
        removed=tuple(o for o in found.removed if kept(o)),
        milestones=tuple(c for c in found.milestones if c.obligation.id in chosen),
    )


def _payload(chat: DigestFormat, digest: "Digest") -> dict[str, Any]:
    from regtrack.formats.digest import mattermost, slack, teams

    if chat is DigestFormat.SLACK:
        return slack.payload(digest)
    if chat is DigestFormat.TEAMS:
        return teams.payload(digest)
    return mattermost.payload(digest)
