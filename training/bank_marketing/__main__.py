"""`python -m bank_marketing`: see `cli.py`."""

from bank_marketing.cli import main

raise SystemExit(main())
