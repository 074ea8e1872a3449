"""`python -m predict_pack`: see `cli.py`."""

from predict_pack.cli import main

raise SystemExit(main())
