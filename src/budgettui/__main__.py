"""`python -m budgettui` runs the command line."""

from budgettui.cli import main

if __name__ == "__main__":
    main()
