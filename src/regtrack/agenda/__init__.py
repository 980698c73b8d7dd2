"""The agenda: one evaluation of every dated item, that every view renders (issue 24).

A milestone of the registry, an occurrence of a recurring duty and a deadline an event started
are each evaluated once, here, for a moment (`Moment`: the day, and the instant for deadlines
that end at a time): when it is due, where it stands on the calendar (`State`), whose it is,
whether it is done, waived or cancelled, and what that makes of it for the organisation
(`Standing`), the CI gate's verdict and why, and the source views show for it. `upcoming`,
`check`, `show`, `list`, `timeline`, `report`, `digest` and `export ics` select from the same
`Agenda` and render its entries (`Due`); none of them works any of this out for itself.

- `model`: the moment, the standing, the evaluated entry.
- `evaluate`: the evaluation, and the selections views make (what leads as overdue, a window,
  what the gate reports, one obligation's dates).
- `horizons`: how far each view looks by default, in one place.
"""

from regtrack.agenda.evaluate import Agenda
from regtrack.agenda.model import Due, Moment, Standing

__all__ = ["Agenda", "Due", "Moment", "Standing"]
