"""`python -m regtrack`."""

from regtrack.console import main

main()
