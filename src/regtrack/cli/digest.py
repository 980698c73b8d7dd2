"""`regtrack digest`: the week at a glance for a person, printed, mailed or posted (issue 18)."""

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from regtrack.agenda.horizons import DIGEST
from regtrack.cli.common import (
    Selection,
    end_with_broken,
    say,
    selection_options,
    since_day,
    to_a_file,
    write_file,
    write_out,
)
from regtrack.dates import add_duration, parse_horizon
from regtrack.errors import ExitCode, InvalidOption, InvalidRegistry
from regtrack.formats.digest import DigestContext, DigestFormat

if TYPE_CHECKING:
    from collections.abc import Callable
    from email.message import EmailMessage

    from regtrack.deliver.smtp import Server
    from regtrack.deliver.webhook import Target
    from regtrack.diff import RegistryDiff
    from regtrack.digest import Digest, FirmDigest
    from regtrack.models import Obligation
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
    changes_since: Annotated[
        str | None,
        typer.Option(
            "--changes-since",
            metavar="DATE",
            help="Also list what changed in the law and in the registry from this day "
            "(YYYY-MM-DD, or 7d back from today), as regtrack changes --since does.",
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
    mail_contacts: Annotated[
        bool,
        typer.Option(
            "--mail-contacts",
            help="In a portfolio: mail each client's digest to its contacts, and the firm's "
            "digest of every client to the firm's contacts (and any --mail-to).",
        ),
    ] = False,
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
    mailing = bool(recipients) or mail_contacts
    _check_outputs(fmt, output, feed_url, mailing, post)
    if mailing or fmt is DigestFormat.EMAIL:
        _check_mail(recipients, mail_from, smtp, dry_run or not mailing)
    # every option is checked before the registries are read and anything is sent
    server = _server(smtp, smtp_security) if mailing and not dry_run else None
    where = _webhook(webhook_env) if post is not None and not dry_run else None
    if feed_url:
        _check_feed_url(feed_url)
    spaces, broken = selection.evaluated(until)
    if mail_contacts and not spaces[0].client:
        raise InvalidOption(
            "--mail-contacts",
            "mails each client of a portfolio its digest, and there is no portfolio here "
            "(portfolio.yaml here or above, --portfolio FILE or REGTRACK_PORTFOLIO); "
            "use --mail-to ADDRESS",
        )
    old = _previous(previous)
    news_since = (
        since_day("--changes-since", changes_since, selection.today) if changes_since else None
    )
    if spaces[0].client and (mail_contacts or not _one_client(selection)):
        # the firm's digest of the clients chosen, whatever their number, so that a program
        # reads one shape for one command line; `--client NAME` alone is that client's own
        if post is not None:
            raise InvalidOption("--post", "posts one client's digest: name it with --client NAME")
        digests = _firm(spaces, selection, until, old, news_since)._replace(
            broken=tuple((b.client, str(b.problems[0])) for b in broken if b.problems)
        )
        if mailing:
            _deliver(digests, selection, recipients, mail_contacts, mail_from, server)
        elif broken and to_a_file(output):
            end_with_broken(broken, len(spaces), shown=False)  # no file without a client
        else:
            _print_firm(digests, fmt, output)
        if broken:  # the others' digests are out; the clients not evaluated end the run
            end_with_broken(broken, len(spaces))
        return ExitCode.OK
    if broken:  # one client named, and its files have problems
        raise InvalidRegistry(list(dict.fromkeys(p for b in broken for p in b.problems)))
    space = spaces[0]
    changes = _changes(old, space, selection) if old is not None else None
    digest = build_digest(
        Agenda.of(space, selection.moment, selection.filters),
        until,
        waivers=space.waivers,
        profile=space.profile,
        changes=changes,
        news_since=news_since,
    )
    context = DigestContext(feed_url.strip(), mail_from.strip(), recipients)
    if not recipients and post is None:
        text = digest_renderer(fmt).render_digest(digest, context)
        if output is None:
            write_out(text)
        else:
            write_file(output, text.encode("utf-8") if isinstance(text, str) else text)
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


def _one_client(selection: Selection) -> bool:
    """True when the command line names one client of a portfolio, by its name: `--client
    medtech`, not a glob or a tag that happens to choose one."""
    names = selection.clients
    return len(names) == 1 and not selection.client_tags and not any(c in names[0] for c in "*?[")


# The digest's formats that a portfolio's run writes as one document of every client's digest.
_ACROSS = (
    DigestFormat.TEXT,
    DigestFormat.MARKDOWN,
    DigestFormat.HTML,
    DigestFormat.JSON,
    DigestFormat.EMAIL,
)


def _previous(path: Path | None) -> "tuple[Obligation, ...] | None":
    """The obligations of the previous registry `--previous` names, read once for every
    client."""
    if path is None:
        return None
    from regtrack.registry import load

    return load([path]).obligations


def _firm(
    spaces: "list[Workspace]",
    selection: Selection,
    until: dt.date,
    old: "tuple[Obligation, ...] | None",
    news_since: dt.date | None = None,
) -> "FirmDigest":
    """Each chosen client's digest, built as its own run builds it, with its contacts."""
    from regtrack.agenda import Agenda
    from regtrack.digest import ClientDigest, FirmDigest, build_digest

    portfolio = selection.firm()
    assert portfolio is not None  # the workspaces are a portfolio's clients
    contacts = {c.name: c.contacts for c in portfolio.clients}
    clients = tuple(
        ClientDigest(
            space.client,
            build_digest(
                Agenda.of(space, selection.moment, selection.filters),
                until,
                waivers=space.waivers,
                profile=space.profile,
                changes=_changes(old, space, selection) if old is not None else None,
                news_since=news_since,
            ),
            contacts[space.client],
        )
        for space in spaces
    )
    return FirmDigest(portfolio.name, selection.today, selection.moment.now, until, clients)


def _print_firm(firm: "FirmDigest", fmt: DigestFormat, output: Path | None) -> int:
    """The firm's digest, printed or written (-o)."""
    from regtrack.formats.digest import digest_renderer

    if fmt not in _ACROSS:
        raise InvalidOption(
            "--format",
            f"{fmt.value} is one client's digest: name it with --client NAME (a portfolio's digest "
            "is text, markdown, html, json or email)",
        )
    renderer: Any = digest_renderer(fmt)
    text = renderer.render_firm(firm, DigestContext())
    if output is None:
        write_out(text)
    else:
        write_file(output, text.encode("utf-8"))
    return ExitCode.OK


def _deliver(
    firm: "FirmDigest",
    selection: Selection,
    recipients: tuple[str, ...],
    mail_contacts: bool,
    sender: str,
    server: "Server | None",
) -> int:
    """Mail each client's digest to its contacts (with --mail-contacts), then the firm's digest,
    which says where each went, to the firm's contacts and --mail-to. A client the server
    refuses does not stop the others; a server that refuses the connection, the TLS or the
    login stops the run, once (retrying a failed login per client would lock the account).
    Every failure is named, and the run exits 5. A dry run prints every message as one mbox."""
    from functools import partial

    from regtrack.deliver.smtp import send
    from regtrack.digest import ClientDigest
    from regtrack.errors import DeliveryError, visible
    from regtrack.formats.digest.email import (
        MailTooLarge,
        build_firm_message,
        build_message,
        mbox,
    )
    from regtrack.formats.wording import counted

    portfolio = selection.firm()
    assert portfolio is not None
    messages: list[EmailMessage] = []  # every message the run sends, or tries to
    failed: list[str] = []
    tried = 0  # the digests the run mails, or tries to: those too long to mail too
    stopped = ""  # the server's refusal of the whole run

    def made(build: "Callable[[], EmailMessage]", whose: str) -> "EmailMessage | None":
        """The message `build` makes; None, named as not mailed, when it is too long to mail
        (the others still go, as when a server refuses one)."""
        nonlocal tried
        tried += 1
        try:
            return build()
        except MailTooLarge as error:
            failed.append(whose)
            say(visible(f"regtrack: {whose}: not mailed: {error}"))
            return None

    def deliver(message: "EmailMessage", whose: str) -> str:
        nonlocal stopped
        messages.append(message)
        to = ", ".join(a.addr_spec for a in message["To"].addresses)
        if server is None:
            return f"to {to} (dry run: not sent)"
        if stopped:
            failed.append(whose)
            return f"not mailed: {stopped}"
        try:
            answer = send(message, server)
        except DeliveryError as error:
            failed.append(whose)
            say(visible(f"regtrack: {whose}: not mailed: {error}"))
            if not error.this_message_only:
                stopped = str(error)
            return f"not mailed: {error}"
        say(visible(f"regtrack: {whose}: mailed to {to} as {message['Message-ID']}: {answer}"))
        return f"mailed to {to}"

    done: list[ClientDigest] = []
    for each in firm.clients:
        if not mail_contacts:
            done.append(each)
            continue
        if not each.contacts:
            say(f"regtrack: warning: {each.client}: not mailed: it has no contacts in "
                f"{visible(portfolio.file)}")  # fmt: skip
            done.append(each._replace(delivery=f"not mailed: no contacts in {portfolio.file}"))
            continue
        context = DigestContext("", sender, each.contacts)
        message = made(partial(build_message, each.digest, context), each.client)
        delivery = (
            "not mailed: too long to mail" if message is None else deliver(message, each.client)
        )
        done.append(each._replace(delivery=delivery))
    for name, _ in firm.broken:
        say(f"regtrack: warning: {name}: not mailed: its files have problems")
    firm = firm._replace(clients=tuple(done))
    to = tuple(dict.fromkeys((*(portfolio.contacts if mail_contacts else ()), *recipients)))
    if to:
        whose = "the firm's digest"
        message = made(partial(build_firm_message, firm, DigestContext("", sender, to)), whose)
        if message is not None:
            deliver(message, whose)
    else:
        say(f"regtrack: warning: the firm's digest was not mailed: {visible(portfolio.file)} "
            "names no firm contacts and no --mail-to was given")  # fmt: skip
    if server is None and messages:
        write_out(mbox(messages))
        say(f"regtrack: dry run: the {counted(len(messages), 'message')} above (an mbox) "
            "were not sent")  # fmt: skip
    if failed:
        raise DeliveryError(
            f"{len(failed)} of {tried} digests were not delivered: {', '.join(failed)}"
            + (f" ({stopped})" if stopped else "")
            + (
                f"; not evaluated: {', '.join(name for name, _ in firm.broken)} (regtrack "
                "validate lists their problems)"
                if firm.broken
                else ""
            )
        )
    return ExitCode.OK


def _check_outputs(
    fmt: DigestFormat,
    output: Path | None,
    feed_url: str,
    mailing: bool,
    post: DigestFormat | None,
) -> None:
    """An option that would do nothing is an error, not a silent no-op: a mail or a post has
    its own format (`-f email` names the mail's), and only a feed has an address."""
    sending = mailing or post is not None
    if sending and output is not None:
        raise InvalidOption("--output", "writes a printed digest; not with --mail-to or --post")
    mail_alone = mailing and post is None
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


def _changes(
    old: "tuple[Obligation, ...]", space: "Workspace", selection: Selection
) -> "RegistryDiff":
    """What changed between the previous registry's obligations `old` and the registries loaded
    now, for the obligations the selection holds (or held: a removed one is news too)."""
    from regtrack.diff import RegistryDiff, diff
    from regtrack.models import Obligation
    from regtrack.select import obligation_matches

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
