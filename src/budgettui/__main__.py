"""`python -m budgettui` runs the command line."""

from budgettui.launch import main

if __name__ == "__main__":
    main()
