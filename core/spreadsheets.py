"""Text written to a CSV file that people open in a spreadsheet."""


def safe_cell(value) -> str:
    """Text a spreadsheet will show, never run: a leading =, +, - or @ would start a formula."""
    value = str(value)
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
