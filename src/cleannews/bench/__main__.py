"""``python -m cleannews.bench``."""

from cleannews.bench.cli import main

if __name__ == "__main__":
    main()
