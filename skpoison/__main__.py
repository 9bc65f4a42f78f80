"""Entry point for ``python -m skpoison``."""

from skpoison.report._cli import main

if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
