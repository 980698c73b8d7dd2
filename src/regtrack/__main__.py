"""`python -m regtrack`."""

from regtrack.cli import main

main()
