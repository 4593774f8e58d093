"""The terminal browser (Textual). Imported only by the `browse` command."""
