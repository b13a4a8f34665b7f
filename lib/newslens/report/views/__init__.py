"""What each report's cells show: one function per cell (a table with its sentence of computed prose, a
chart, a method card), so a notebook is a list of calls. One module per report."""
